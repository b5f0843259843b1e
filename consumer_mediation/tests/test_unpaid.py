from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestMediationUnpaid(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The test company needs its own tariff: tariffs are per company.
        cls.env.ref("consumer_mediation.tariff_individual_standard").sudo().copy(
            {"company_id": cls.env.company.id}
        )
        cls.partner_a.write({"is_company": True, "mediation_headcount": 5})

    def test_overdue_invoice_marks_the_contract_unpaid(self):
        Contract = self.env["contract.contract"]
        today = fields.Date.context_today(Contract)
        contract = Contract._mediation_prepare_proposal(
            self.partner_a, "individual", date_start=today - timedelta(days=60)
        )
        contract.action_mediation_activate()
        invoice = contract.recurring_create_invoice()
        self.assertEqual(invoice.amount_untaxed, 45.0)
        self.env["mediation.invoicing"]._cron_follow_up()
        self.assertFalse(contract.mediation_unpaid, "draft invoices do not count")
        invoice.action_post()
        self.env.company.mediation_unpaid_days = 30
        self.env["mediation.invoicing"]._cron_follow_up()
        self.assertTrue(contract.mediation_unpaid)
        self.assertEqual(Contract.search([("mediation_unpaid", "=", True)]), contract)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.env["mediation.invoicing"]._cron_follow_up()
        self.assertFalse(contract.mediation_unpaid)
        self.assertFalse(Contract.search([("mediation_unpaid", "=", True)]))
