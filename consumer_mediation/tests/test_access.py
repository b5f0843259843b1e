from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MediationMemberCommon


@tagged("post_install", "-at_install")
class TestMediationMemberAccess(MediationMemberCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mediator = new_test_user(
            cls.env, "acc_mediator", groups="consumer_mediation.group_mediation_user"
        )
        cls.head = new_test_user(
            cls.env, "acc_head", groups="consumer_mediation.group_mediation_manager"
        )
        cls.accountant = new_test_user(
            cls.env, "acc_accountant", groups="account.group_account_invoice"
        )
        cls.portal = new_test_user(cls.env, "acc_portal", groups="base.group_portal")
        cls.portal.partner_id.parent_id = cls.bakery
        cls.contract = cls.Contract._mediation_prepare_proposal(
            cls.bakery, "individual"
        )
        cls.other_contract = cls.Contract._mediation_prepare_proposal(
            cls.garage, "individual"
        )

    def test_mediator_works_members_and_contracts(self):
        Contract = self.Contract.with_user(self.mediator)
        contract = Contract._mediation_prepare_proposal(
            self.exhibitor.with_user(self.mediator), "individual"
        )
        contract.action_mediation_activate()
        self.assertEqual(contract.mediation_state, "active")
        self.bakery.with_user(self.mediator).mediation_headcount = 12
        self.env["crm.lead"].with_user(self.mediator).create(
            {"name": "Request", "mediation_request": True}
        )
        self.assertEqual(self.tariff.with_user(self.mediator).name, self.tariff.name)
        with self.assertRaises(AccessError):
            self.tariff.with_user(self.mediator).name = "Cheaper"
        with self.assertRaises(AccessError):
            self.contract.with_user(self.mediator).unlink()

    def test_manager_edits_tariffs(self):
        self.tariff.with_user(self.head).name = "Standard 2026"
        self.assertEqual(self.tariff.name, "Standard 2026")
        self.contract.with_user(self.head).unlink()
        self.assertFalse(self.contract.exists())

    def test_accountant_reads_contracts_only(self):
        contract = self.contract.with_user(self.accountant)
        self.assertEqual(contract.mediation_annual_fee, 45.0)
        self.assertEqual(contract.mediation_tariff_id.name, self.tariff.name)
        with self.assertRaises(AccessError):
            contract.mediation_fee_simple = 1.0
        with self.assertRaises(AccessError):
            self.tariff.with_user(self.accountant).name = "Cheaper"

    def test_portal_sees_only_its_company_contracts(self):
        Contract = self.Contract.with_user(self.portal)
        self.assertEqual(Contract.search([]), self.contract)
        with self.assertRaises(AccessError):
            self.other_contract.with_user(self.portal).read(["name"])
        with self.assertRaises(AccessError):
            self.contract.with_user(self.portal).write({"mediation_fee_simple": 0})
