from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MediationCaseCommon


@tagged("post_install", "-at_install")
class TestMediationCaseSecurity(MediationCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, "case_accountant", groups="account.group_account_invoice"
        )
        cls.mine = cls._case(mediator_id=cls.mediator.id)
        cls.unassigned = cls._case(mediator_id=False)
        cls.others = cls._case(mediator_id=cls.other_mediator.id)
        cls.lawyer = cls.env["res.partner"].create({"name": "Maître Roux"})
        cls.others.representative_ids = [
            (0, 0, {"partner_id": cls.lawyer.id, "role": "lawyer"})
        ]
        cls.employee = cls.env["res.partner"].create(
            {"name": "Paul Lefort", "parent_id": cls.professional.id}
        )
        cls.other_consumer = cls.env["res.partner"].create({"name": "Hugo Dubois"})
        cls.foreign = cls._case(consumer_id=cls.other_consumer.id)

    def _visible(self, user):
        return self.env["mediation.case"].with_user(user).search([])

    def _portal(self, login, partner):
        return new_test_user(
            self.env, login, groups="base.group_portal", partner_id=partner.id
        )

    def test_mediator_sees_own_and_unassigned(self):
        visible = self._visible(self.mediator)
        self.assertIn(self.mine, visible)
        self.assertIn(self.unassigned, visible)
        self.assertNotIn(self.others, visible)
        with self.assertRaises(AccessError):
            self.others.with_user(self.mediator).read(["description"])
        with self.assertRaises(AccessError):
            self.mine.with_user(self.mediator).unlink()

    def test_manager_sees_all(self):
        visible = self._visible(self.manager)
        self.assertTrue((self.mine | self.unassigned | self.others) <= visible)

    def test_accountant_sees_no_case(self):
        with self.assertRaises(AccessError):
            self.env["mediation.case"].with_user(self.accountant).search([])
        with self.assertRaises(AccessError):
            self.mine.with_user(self.accountant).read(["description"])

    def test_portal_parties_and_representatives_read_only(self):
        consumer_user = self._portal("case_portal_consumer", self.consumer)
        visible = self._visible(consumer_user)
        self.assertIn(self.mine, visible)
        self.assertNotIn(self.foreign, visible)
        with self.assertRaises(AccessError):
            self.mine.with_user(consumer_user).write({"description": "Changed"})
        employee_user = self._portal("case_portal_pro", self.employee)
        # The professional's side sees a case once asked to enter it.
        self.assertNotIn(self.foreign, self._visible(employee_user))
        self.foreign.action_start_review()
        self.foreign.action_admit()
        self.foreign.action_notify_saisine()
        self.assertIn(self.foreign, self._visible(employee_user))
        lawyer_user = self._portal("case_portal_lawyer", self.lawyer)
        self.assertEqual(self._visible(lawyer_user), self.others)
        stranger = self._portal(
            "case_portal_stranger",
            self.env["res.partner"].create({"name": "Nobody"}),
        )
        self.assertFalse(self._visible(stranger))

    def test_cases_stay_in_their_company(self):
        other_company = self.env["res.company"].create({"name": "Other Mediator"})
        self.manager.company_ids = [(4, other_company.id)]
        foreign = (
            self.env["mediation.case"]
            .with_company(other_company)
            .create({"consumer_id": self.consumer.id})
        )
        self.assertEqual(foreign.company_id, other_company)
        self.assertNotIn(foreign, self._visible(self.mediator))
        self.assertNotIn(
            foreign,
            self.env["mediation.case"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=self.env.company.ids)
            .search([]),
        )
        self.assertIn(
            foreign,
            self.env["mediation.case"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=other_company.ids)
            .search([]),
        )
