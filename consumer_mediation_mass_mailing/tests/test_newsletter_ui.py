from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.consumer_mediation.tests.tour_common import MediationRoleTourCase


@tagged("post_install", "-at_install")
class TestNewsletterUi(MediationRoleTourCase):
    def test_manager_writes_and_sends_the_members_news(self):
        self.role_user(
            "tour_news_manager",
            "consumer_mediation.group_mediation_manager,"
            "mass_mailing.group_mass_mailing_user",
        )
        members_list = self.env.ref(
            "consumer_mediation_mass_mailing.mailing_list_mediation_members"
        )
        Partner = self.env["res.partner"]
        Contract = self.env["contract.contract"]
        start = fields.Date.today() - timedelta(days=200)
        member, opted_out, leaver = Partner.create(
            [
                {"name": name, "is_company": True, "email": email}
                for name, email in (
                    ("Boulangerie Nouvelles", "nouvelles@example.com"),
                    ("Garage Désabonné", "desabonne@example.com"),
                    ("Ancien Adhérent", "ancien@example.com"),
                )
            ]
        )
        contracts = {}
        for partner in member | opted_out | leaver:
            contracts[partner] = Contract._mediation_prepare_proposal(
                partner, "individual", date_start=start
            )
            contracts[partner].action_mediation_activate()
        # The unsubscribe link of an earlier mailing, then a suspension and
        # a reactivation: the address is not put back on the list.
        members_list._update_subscription_from_email(
            "desabonne@example.com", opt_out=True
        )
        contracts[opted_out].action_mediation_suspend()
        contracts[opted_out].action_mediation_reactivate()
        contracts[leaver]._mediation_terminate(
            fields.Date.today() - timedelta(days=1), "Cessation d'activité"
        )
        self.assertFalse(member.mediation_newsletter_sent_on)

        self.start_role_tour(
            "/odoo", "consumer_mediation_newsletter_tour", login="tour_news_manager"
        )

        mailing = self.env["mailing.mailing"].search(
            [("subject", "=", "Les nouvelles de la médiation - décembre")]
        )
        self.assertEqual(mailing.state, "in_queue")
        self.assertEqual(mailing.contact_list_ids, members_list)
        self.assertEqual(mailing.user_id.login, "tour_news_manager")
        self.assertIn("<h1", mailing.body_html)
        # What the mass mailing queue does next.
        mailing.action_send_mail()
        traces = mailing.mailing_trace_ids
        sent_to = set(
            traces.filtered(lambda t: t.trace_status != "cancel").mapped("email")
        )
        self.assertIn("nouvelles@example.com", sent_to)
        self.assertNotIn("desabonne@example.com", sent_to, "unsubscribed")
        self.assertEqual(
            traces.filtered(lambda t: t.email == "desabonne@example.com").failure_type,
            "mail_optout",
        )
        self.assertNotIn("ancien@example.com", sent_to, "left the mediation")
        member.invalidate_recordset(["mediation_newsletter_sent_on"])
        self.assertTrue(member.mediation_newsletter_sent_on)
        self.assertFalse(leaver.mediation_newsletter_sent_on)
