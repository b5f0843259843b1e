"""Scenario: a consumer files online, both parties answer in the portal and
their signed decisions stamp the legal dates (pytest-odoo, installed DB)."""

from datetime import timedelta

from scenario_data import active_membership

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalScenario(TransactionCase):
    def test_online_filing_to_signed_answers(self):
        today = fields.Date.context_today(self.env["mediation.case"])
        self.env.company.email = "contact@mediateur.example.com"
        contract = active_membership(self.env, "Optique Claire", "oc@example.com")
        professional = contract.partner_id
        consumer = self.env["res.partner"].create(
            {"name": "Chloé Richard", "email": "chloe@example.com"}
        )
        Case = self.env["mediation.case"]
        attachment = Case._portal_create_drafts([("glasses.pdf", b"%PDF-1.4 x")])
        values = {
            "consumer_id": consumer.id,
            "professional_id": professional.id,
            "date_complaint": today - timedelta(days=10),
            "description": "<p>Broken glasses.</p>",
        }

        # Filed online: one case per form token, with the consumer's account.
        public = self.env.ref("base.public_user")
        PublicCase = Case.with_user(public).sudo()
        case = PublicCase._web_file(values, attachment, "scenario-token")
        self.assertEqual(
            PublicCase._web_file(values, attachment, "scenario-token"), case
        )
        self.assertEqual(case.channel, "web")
        self.assertEqual(case.date_acknowledged, today)
        consumer_user = consumer.user_ids
        self.assertTrue(consumer_user._is_portal())
        # The documents filed are the consumer side's (issue 14's audiences).
        self.assertEqual(case.with_user(consumer_user)._portal_documents(), attachment)

        # The mediator takes it to the proposal.
        mediator = new_test_user(
            self.env,
            "scn_portal_mediator",
            groups="consumer_mediation.group_mediation_user",
        )
        case.mediator_id = mediator
        case.action_start_review()
        case.action_admit()
        case.action_notify_saisine()
        employee = self.env["res.partner"].create(
            {"name": "Jean Claire", "parent_id": professional.id}
        )
        pro_user = new_test_user(
            self.env,
            "scn_portal_pro",
            groups="base.group_portal",
            partner_id=employee.id,
            email="jean@example.com",
        )
        as_pro = case.with_user(pro_user).sudo()
        as_consumer = case.with_user(consumer_user).sudo()
        with self.assertRaises(UserError):
            as_consumer._portal_decide("professional", "entry_agreed", "Chloé", "::1")
        as_pro._portal_decide("professional", "entry_agreed", "Jean Claire", "::1")
        self.assertEqual(case.state, "mediation")
        self.assertEqual(case.date_professional_entry, today)
        case.proposal_text = "<p>New glasses.</p>"
        case.proposal_favours = "balanced"
        case.action_send_proposal()

        as_consumer._portal_decide("consumer", "proposal_accepted", "Chloé R.", "::1")
        as_pro._portal_decide("professional", "proposal_accepted", "Jean Claire", "::1")
        self.assertEqual(case.consumer_answer, "accepted")
        self.assertEqual(case.date_professional_answer, today)
        self.assertEqual(
            case.signature_ids.mapped("decision"),
            ["proposal_accepted", "proposal_accepted", "entry_agreed"],
        )
        case.action_close()
        self.assertEqual(
            case.outcome_id, self.env.ref("consumer_mediation.outcome_accepted_both")
        )
