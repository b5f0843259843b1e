from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.consumer_mediation.tests.common import MediationMemberCommon


@tagged("post_install", "-at_install")
class TestMailingListSync(MediationMemberCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.list = cls.env.ref(
            "consumer_mediation_mass_mailing.mailing_list_mediation_members"
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        Partner = cls.env["res.partner"]
        cls.manager_contact = Partner.create(
            {
                "name": "Paul Dupont",
                "email": "Paul Dupont <paul.dupont@example.com>",
                "parent_id": cls.bakery.id,
            }
        )
        cls.manager_without_email = Partner.create(
            {"name": "Marie Dupont", "parent_id": cls.bakery.id}
        )
        cls.accountant = Partner.create(
            {
                "name": "Cabinet Compta",
                "email": "compta@example.com",
                "parent_id": cls.bakery.id,
            }
        )
        managers = cls.manager_contact | cls.manager_without_email
        cls.bakery.mediation_manager_ids = managers

    def _subscribed(self):
        """The addresses on the list that receive its mailings."""
        return set(
            self.list.subscription_ids.filtered(
                lambda sub: not sub.opt_out
            ).contact_id.mapped("email_normalized")
        )

    def _run_cron(self):
        # batch_size=1: the cron is called again while companies remain
        while self.env["res.partner"]._cron_mediation_sync_mailing_list(batch_size=1):
            pass

    def test_list_is_not_public(self):
        self.assertFalse(self.list.is_public)

    def test_activation_subscribes_termination_unsubscribes(self):
        contract = self.Contract._mediation_prepare_proposal(
            self.bakery, "individual", date_start=self.today - timedelta(days=30)
        )
        self.assertFalse(self._subscribed(), "a proposal does not subscribe")
        contract.action_mediation_activate()
        self.assertEqual(
            self._subscribed(),
            {"dupont@example.com", "paul.dupont@example.com"},
            "the company's address and its managers with an e-mail, not its "
            "other contacts",
        )
        contact = self.list.contact_ids.filtered(
            lambda c: c.email_normalized == "paul.dupont@example.com"
        )
        self.assertEqual(contact.company_name, "Boulangerie Dupont")
        contract._mediation_terminate(self.today - timedelta(days=1), "Shop closed")
        self.assertFalse(self._subscribed())

    def test_suspension_and_future_termination(self):
        contract = self._active_contract(self.bakery, self.today - timedelta(days=30))
        contract.action_mediation_suspend()
        self.assertFalse(self._subscribed(), "not covered while suspended")
        contract.action_mediation_reactivate()
        self.assertIn("dupont@example.com", self._subscribed())
        contract._mediation_terminate(self.today + timedelta(days=10), "Moving")
        self.assertIn("dupont@example.com", self._subscribed(), "covered until then")
        with self._today(str(self.today + timedelta(days=11))):
            self._run_cron()
        self.assertFalse(self._subscribed(), "the cron sees the end date passed")

    def test_convention_join_and_leave(self):
        convention = self._active_contract(
            self.federation,
            self.today - timedelta(days=60),
            kind="convention",
            members=self.exhibitor,
        )
        self.assertEqual(self._subscribed(), {"martin@example.com"})
        member = self.env["mediation.convention.member"].create(
            {
                "contract_id": convention.id,
                "partner_id": self.other_exhibitor.id,
                "date_join": self.today,
            }
        )
        self.assertEqual(
            self._subscribed(), {"martin@example.com", "bernard@example.com"}
        )
        member.date_leave = self.today
        self.assertIn("bernard@example.com", self._subscribed(), "last day covered")
        member.unlink()
        self.assertEqual(self._subscribed(), {"martin@example.com"})
        convention.mediation_member_ids.date_leave = self.today - timedelta(days=1)
        self.assertFalse(self._subscribed())

    def test_opted_out_contact_is_never_resubscribed(self):
        contract = self._active_contract(self.bakery, self.today - timedelta(days=30))
        # the unsubscribe link of a mailing
        self.list._update_subscription_from_email("dupont@example.com", opt_out=True)
        contract.action_mediation_suspend()
        contract.action_mediation_reactivate()
        self._run_cron()
        self.assertEqual(self._subscribed(), {"paul.dupont@example.com"})
        opted_out = self.list.subscription_ids.filtered("opt_out")
        self.assertEqual(opted_out.contact_id.email_normalized, "dupont@example.com")

    def test_cron_catches_member_leaving_and_stale_address(self):
        convention = self._active_contract(
            self.federation,
            self.today - timedelta(days=60),
            kind="convention",
            members=self.exhibitor | self.bakery,
        )
        convention.mediation_member_ids.filtered(
            lambda m: m.partner_id == self.exhibitor
        ).date_leave = self.today + timedelta(days=5)
        self.assertEqual(
            self._subscribed(),
            {"martin@example.com", "dupont@example.com", "paul.dupont@example.com"},
        )
        # a manager taken off the company is not seen by any contract write
        self.bakery.mediation_manager_ids = False
        with self._today(str(self.today + timedelta(days=6))):
            self._run_cron()
        self.assertEqual(self._subscribed(), {"dupont@example.com"})

    def test_address_shared_with_a_covered_company_stays(self):
        self.garage.mediation_manager_ids = self.manager_contact
        bakery_contract = self._active_contract(
            self.bakery, self.today - timedelta(days=30)
        )
        self._active_contract(self.garage, self.today - timedelta(days=30))
        bakery_contract._mediation_terminate(self.today - timedelta(days=1), "Sold")
        self.assertEqual(
            self._subscribed(), {"lac@example.com", "paul.dupont@example.com"}
        )
