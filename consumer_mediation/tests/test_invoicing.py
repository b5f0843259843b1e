from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..models.mediation_invoicing import MediationInvoicing


class MediationInvoicingCommon(AccountTestInvoicingCommon):
    """Members of the test company (generic chart), its own tariffs, and
    cases walked through their real actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The test user of the accounting tests also manages the mediation.
        cls.env.user.groups_id |= cls.env.ref(
            "consumer_mediation.group_mediation_manager"
        )
        cls.today = fields.Date.context_today(cls.env["mediation.case"])
        cls.company = cls.env.company
        cls.company.write(
            {
                "mediation_first_year_billing": "full",
                "mediation_invoice_auto_post": False,
                "mediation_credit_note_policy": "prorata",
                "mediation_unpaid_days": 30,
                "email": "compta@mediateur.example.com",
            }
        )
        cls.env["mediation.invoicing"]._set_default_product_taxes()
        cls.Contract = cls.env["contract.contract"]
        cls.Engine = cls.env["mediation.invoicing"]
        cls.annual_product = cls.env.ref(
            "consumer_mediation.product_mediation_annual_fee"
        )
        cls.tariff = cls.env["mediation.tariff"].create(
            {
                "name": "Test individual",
                "code": "TEST-IND",
                "kind": "individual",
                "date_from": "2020-01-01",
                "case_fee_simple": 280.0,
                "case_fee_complex": 600.0,
                "admissibility_fee": 30.0,
                "decline_fee": 50.0,
                "fee_trigger": "admission",
                "line_ids": [
                    Command.create({"count_min": 0, "count_max": 10, "annual_fee": 45}),
                    Command.create(
                        {"count_min": 11, "count_max": 50, "annual_fee": 85}
                    ),
                    Command.create(
                        {"count_min": 51, "count_max": 0, "annual_fee": 120}
                    ),
                ],
            }
        )
        cls.convention_tariff = cls.env["mediation.tariff"].create(
            {
                "name": "Test convention",
                "code": "TEST-CONV",
                "kind": "convention",
                "date_from": "2020-01-01",
                "case_fee_simple": 150.0,
                "case_fee_complex": 300.0,
                "fee_trigger": "agreement",
                "case_fee_payer": "member",
                "line_ids": [Command.create({"count_min": 0, "annual_fee": 600})],
            }
        )
        cls.mediator = new_test_user(
            cls.env,
            "inv_mediator",
            groups="consumer_mediation.group_mediation_user",
            company_id=cls.company.id,
        )
        cls.accountant = new_test_user(
            cls.env,
            "inv_accountant",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Camille Martin", "email": "camille@example.com"}
        )

    @classmethod
    def _member(cls, name, headcount=5):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.split()[-1].lower()}@example.com",
                "mediation_headcount": headcount,
            }
        )

    def _contract(self, partner, start, kind="individual", members=None):
        contract = self.Contract._mediation_prepare_proposal(
            partner, kind, date_start=start, members=members
        )
        contract.action_mediation_activate()
        return contract

    def _case(self, professional, state):
        """A case of ``professional`` brought to ``state`` by the actions."""
        case = self.env["mediation.case"].create(
            {
                "consumer_id": self.consumer.id,
                "professional_id": professional.id,
                "mediator_id": self.mediator.id,
                "date_complaint": self.today - timedelta(days=30),
                "description": "<p>The sofa delivered was torn.</p>",
            }
        )
        steps = ["review", "admitted", "waiting", "mediation", "closed"]
        for step in steps[: steps.index(state) + 1]:
            {
                "review": case.action_start_review,
                "admitted": case.action_admit,
                "waiting": case.action_notify_saisine,
                "mediation": case.action_professional_agree,
                "closed": case.action_close,
            }[step]()
        return case

    def _run(self, date_ref=None, **kwargs):
        return self.Engine._run(date_ref or self.today, **kwargs)

    def _invoices(self, contract):
        return self.env["account.move"].search(
            [("mediation_contract_id", "in", contract.ids)], order="id"
        )


@tagged("post_install", "-at_install")
class TestMediationInvoicingFees(MediationInvoicingCommon):
    def test_annual_fee_by_tier(self):
        start = date(2025, 3, 1)
        expected = {5: 45.0, 30: 85.0, 80: 120.0}
        contracts = {
            headcount: self._contract(
                self._member(f"Member {headcount}", headcount), start
            )
            for headcount in expected
        }
        invoices, failed = self._run(start)
        self.assertFalse(failed)
        self.assertEqual(len(invoices), 3)
        for headcount, contract in contracts.items():
            invoice = self._invoices(contract)
            self.assertEqual(invoice.amount_untaxed, expected[headcount])
            self.assertEqual(invoice.partner_id, contract.partner_id)
            self.assertEqual(
                invoice.journal_id, self.company_data["default_journal_sale"]
            )
            self.assertEqual(invoice.invoice_date, start)
            # Taxes come from the configuration of the company.
            self.assertEqual(
                invoice.invoice_line_ids.tax_ids, self.company_data["default_tax_sale"]
            )
            self.assertEqual(contract.recurring_next_date, date(2026, 3, 1))

    def test_mediator_not_subject_to_vat(self):
        self.annual_product.taxes_id = False
        contract = self._contract(self._member("Exempt Client"), date(2025, 3, 1))
        self._run(date(2025, 3, 1))
        invoice = self._invoices(contract)
        self.assertFalse(invoice.invoice_line_ids.tax_ids)
        self.assertEqual(invoice.amount_total, 45.0)

    def test_first_year_full_or_pro_rata(self):
        full = self._contract(self._member("Full Year"), date(2025, 7, 1))
        self._run(date(2025, 7, 1))
        self.assertEqual(self._invoices(full).amount_untaxed, 45.0)
        self.assertEqual(full.recurring_next_date, date(2026, 7, 1))
        self.company.mediation_first_year_billing = "prorata"
        prorata = self._contract(self._member("Pro Rata"), date(2025, 7, 1))
        self._run(date(2025, 7, 1))
        first = self._invoices(prorata)
        # 1 July to 31 December: 184 days of 365.
        self.assertEqual(first.amount_untaxed, round(45 * 184 / 365, 2))
        self.assertIn("184/365", first.invoice_line_ids.name)
        self.assertEqual(prorata.recurring_next_date, date(2026, 1, 1))
        self._run(date(2026, 1, 1))
        second = self._invoices(prorata) - first
        self.assertEqual(second.amount_untaxed, 45.0)
        self.assertEqual(second.invoice_date, date(2026, 1, 1))
        self.assertEqual(prorata.recurring_next_date, date(2027, 1, 1))

    def test_late_contract_gets_one_invoice_per_year(self):
        contract = self._contract(self._member("Late Payer"), date(2023, 5, 1))
        self._run(date(2025, 5, 1))
        invoices = self._invoices(contract)
        self.assertEqual(
            invoices.mapped("invoice_date"),
            [date(2023, 5, 1), date(2024, 5, 1), date(2025, 5, 1)],
        )

    def test_case_fee_on_each_trigger_event(self):
        # The state before the event, and the state the event reaches.
        events = {
            "admission": ("review", "admitted"),
            "agreement": ("waiting", "mediation"),
            "closure": ("mediation", "closed"),
        }
        start = self.today - timedelta(days=30)
        for trigger, (before, after) in events.items():
            with self.subTest(trigger=trigger):
                member = self._member(f"Pro {trigger}")
                contract = self._contract(member, start)
                contract.write(
                    {
                        "mediation_fee_trigger": trigger,
                        "mediation_fee_admissibility": 0,
                        "mediation_fee_decline": 0,
                    }
                )
                case = self._case(member, before)
                self._run()
                self.assertFalse(case.fee_ids, "the event has not happened yet")
                self._case_action(case, after)
                # Due from the event on, before any run: the forecast.
                self.assertEqual(case.fee_ids.state, "to_invoice")
                self._run()
                fee = case.fee_ids
                self.assertEqual(fee.kind, "case")
                self.assertEqual(fee.amount, 280.0)
                self.assertEqual(fee.state, "invoiced")
                self.assertEqual(fee.invoice_line_id.mediation_case_fee_id, fee)
                self.assertEqual(fee.invoice_id.partner_id, member)
                self.assertIn(case.name, fee.invoice_line_id.name)
                self.assertEqual(fee.invoice_line_id.price_subtotal, 280.0)

    def _case_action(self, case, state):
        {
            "admitted": case.action_admit,
            "mediation": case.action_professional_agree,
            "closed": case.action_close,
        }[state]()

    def test_complex_admissibility_and_decline_fees(self):
        member = self._member("Complex Pro")
        self._contract(member, self.today - timedelta(days=30))
        complex_case = self._case(member, "review")
        complex_case.fee_complex = True
        complex_case.action_admit()
        declined = self._case(member, "waiting")
        declined.action_professional_decline()
        self._run()
        self.assertEqual(
            {(f.kind, f.amount) for f in complex_case.fee_ids},
            {("case", 600.0), ("admissibility", 30.0)},
        )
        self.assertEqual(
            {(f.kind, f.amount) for f in declined.fee_ids},
            {("case", 280.0), ("admissibility", 30.0), ("decline", 50.0)},
        )
        self.assertEqual(
            complex_case.fee_ids.filtered(lambda f: f.kind == "case").product_id,
            self.env.ref("consumer_mediation.product_mediation_case_fee_complex"),
        )

    def test_convention_split(self):
        federation = self._member("Fédération Test", 3)
        federation.mediation_is_federation = True
        member = self._member("Stand Martin", 4)
        start = self.today - timedelta(days=30)
        convention = self._contract(
            federation, start, kind="convention", members=member
        )
        self.assertEqual(convention.mediation_case_fee_payer, "member")
        case = self._case(member, "mediation")
        self._run()
        annual = self._invoices(convention).filtered(
            lambda m: m.partner_id == federation
        )
        self.assertEqual(annual.amount_untaxed, 600.0)
        self.assertEqual(case.fee_ids.invoice_id.partner_id, member)
        self.assertEqual(case.fee_ids.amount, 150.0)
        # The convention may make the federation pay the case fees instead.
        convention.mediation_case_fee_payer = "federation"
        other = self._case(member, "mediation")
        self._run()
        self.assertEqual(other.fee_ids.invoice_id.partner_id, federation)

    def test_fees_to_invoice_from_their_event(self):
        """The accountant's list shows each fee as soon as the mediator's
        action makes it due, follows the complex rate, and is what the run
        bills, once."""
        member = self._member("Forecast Co")
        self._contract(member, self.today - timedelta(days=30))
        case = self._case(member, "review")
        Fee = self.env["mediation.case.fee"].with_user(self.accountant)
        to_invoice = [("state", "=", "to_invoice"), ("case_reference", "=", case.name)]
        self.assertFalse(Fee.search(to_invoice))
        mediator_case = case.with_user(self.mediator)
        mediator_case.action_admit()
        fees = Fee.search(to_invoice)
        self.assertEqual(
            {(f.kind, f.amount, f.date) for f in fees},
            {("case", 280.0, self.today), ("admissibility", 30.0, self.today)},
        )
        mediator_case.fee_complex = True
        case_fee = fees.filtered(lambda f: f.kind == "case")
        self.assertEqual(case_fee.amount, 600.0)
        self.assertEqual(
            case_fee.product_id,
            self.env.ref("consumer_mediation.product_mediation_case_fee_complex"),
        )
        mediator_case.action_notify_saisine()
        mediator_case.action_professional_decline()
        decline = Fee.search(to_invoice) - fees
        self.assertEqual((decline.kind, decline.amount), ("decline", 50.0))
        invoices, __ = self.Engine.with_user(self.accountant)._run(self.today)
        self.assertEqual(
            invoices.invoice_line_ids.mediation_case_fee_id, fees | decline
        )
        self.assertFalse(Fee.search(to_invoice))
        # An invoiced fee keeps its amount.
        mediator_case.fee_complex = False
        self.assertEqual(case_fee.amount, 600.0)
        self.assertEqual(len(case.fee_ids), 3)

    def test_wizard_narrowed_by_member_and_kind(self):
        alpha, beta = self._member("Alpha Co"), self._member("Beta Co")
        for member in (alpha, beta):
            self._contract(member, self.today - timedelta(days=30))
            self._case(member, "admitted")
        wizard = Form(self.env["mediation.invoice.wizard"].with_user(self.accountant))
        # Two annual fees, two case fees, two admissibility fees.
        self.assertEqual(wizard.preview_count, 6)
        wizard.partner_ids.add(alpha)
        self.assertEqual(wizard.preview_count, 3)
        wizard.fee_kind = "case"
        self.assertEqual(wizard.preview_count, 1)
        self.assertEqual(wizard.preview_total, 280.0)
        self.assertNotIn("Beta Co", wizard.preview_html)
        action = wizard.save().action_invoice()
        invoice = self.env["account.move"].search(action["domain"])
        self.assertEqual(invoice.partner_id, alpha)
        self.assertEqual(invoice.invoice_line_ids.mediation_case_fee_id.kind, "case")
        self.assertEqual(invoice.amount_untaxed, 280.0)
        # The rest is still due: the next run without narrowing bills it.
        wizard = Form(self.env["mediation.invoice.wizard"].with_user(self.accountant))
        self.assertEqual(wizard.preview_count, 5)
        wizard.fee_kind = "membership"
        self.assertEqual(wizard.preview_count, 2)
        self.assertEqual(wizard.preview_total, 90.0)

    def test_wizard_preview_then_invoice(self):
        contract = self._contract(self._member("Preview Co"), self.today)
        wizard = Form(self.env["mediation.invoice.wizard"])
        wizard.date_to = self.today
        self.assertEqual(wizard.preview_count, 1)
        self.assertEqual(wizard.preview_total, 45.0)
        self.assertIn("Preview Co", wizard.preview_html)
        self.assertFalse(self._invoices(contract), "a preview bills nothing")
        action = wizard.save().action_invoice()
        self.assertEqual(
            self.env["account.move"].search(action["domain"]), self._invoices(contract)
        )


@tagged("post_install", "-at_install")
class TestMediationInvoicingRuns(MediationInvoicingCommon):
    def test_run_twice_bills_once(self):
        member = self._member("Twice Co")
        contract = self._contract(member, self.today - timedelta(days=30))
        case = self._case(member, "admitted")
        first, __ = self._run()
        second, __ = self._run()
        self.assertEqual(len(first), 2)  # annual fee, case fees
        self.assertFalse(second)
        self.assertEqual(len(self._invoices(contract)), 2)
        self.assertEqual(len(case.fee_ids), 2)  # case fee, admissibility

    def test_invoices_name_their_contract(self):
        member = self._member("Origin Co")
        contract = self._contract(member, self.today - timedelta(days=30))
        self._case(member, "admitted")
        invoices, __ = self._run()
        self.assertEqual(len(invoices), 2)  # annual fee, case fees
        for invoice in invoices:
            self.assertEqual(invoice.mediation_contract_id, contract)
            notes = invoice.message_ids.filtered(
                lambda m: "by contract" in m.body and contract.name in m.body
            )
            self.assertEqual(len(notes), 1, invoice.name)

    def test_interrupted_run_resumes_without_double_billing(self):
        contracts = self.Contract.concat(
            *(self._contract(self._member(f"Batch {i}"), self.today) for i in range(3))
        )
        original = MediationInvoicing._invoice_batch
        calls = []

        def crash_on_second_batch(engine, batch, date_ref):
            calls.append(batch)
            if len(calls) == 2:
                raise KeyboardInterrupt("worker killed")
            return original(engine, batch, date_ref)

        with patch.object(MediationInvoicing, "_invoice_batch", crash_on_second_batch):
            interrupted = False
            try:
                self._run(batch_size=1)
            except KeyboardInterrupt:
                interrupted = True
        self.assertTrue(interrupted)
        self.assertEqual(len(self._invoices(contracts)), 1)
        invoices, __ = self._run(batch_size=1)
        self.assertEqual(len(invoices), 2)
        for contract in contracts:
            self.assertEqual(len(self._invoices(contract)), 1)

    def test_cron_one_batch_per_call_with_progress(self):
        for i in range(3):
            self._contract(self._member(f"Cron {i}"), self.today)
        with patch.object(type(self.env["ir.cron"]), "_notify_progress") as notify:
            remaining = self.Engine._cron_invoice(batch_size=2)
        self.assertEqual(remaining, 1)
        notify.assert_called_once_with(done=2, remaining=1)
        self.assertEqual(self.Engine._cron_invoice(batch_size=2), 0)
        self.assertEqual(self.Engine._cron_invoice(batch_size=2), 0)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("mediation_contract_id", "!=", False)]
            ),
            3,
        )

    def test_failure_isolation(self):
        good = self._contract(self._member("Good One"), self.today)
        broken = self._contract(self._member("Broken One"), self.today)
        other_good = self._contract(self._member("Good Two"), self.today)
        gadget = self.env["product.product"].create(
            {"name": "Retired gadget", "type": "service"}
        )
        broken.contract_line_ids = [
            Command.create(
                {
                    **self.Contract._mediation_fee_line_vals(10.0, self.today),
                    "product_id": gadget.id,
                    "name": "Retired gadget",
                }
            )
        ]
        gadget.active = False
        self.company.mediation_invoicing_user_id = self.accountant
        invoices, failed = self._run(batch_size=2)
        self.assertEqual(failed, broken)
        self.assertEqual(invoices.mediation_contract_id, good | other_good)
        self.assertFalse(self._invoices(broken))
        self.assertIn("Retired gadget", broken.message_ids[0].body)
        self.assertIn("archived", broken.message_ids[0].body)
        activity = broken.activity_ids
        self.assertEqual(activity.user_id, self.accountant)
        self.assertEqual(broken.mediation_invoicing_failed_on, self.today)
        # Nothing of the broken contract was marked as invoiced.
        self.assertEqual(broken.recurring_next_date, self.today)
        # The cron leaves it for tomorrow instead of retrying it in a loop.
        self.assertEqual(self.Engine._cron_invoice(), 0)
        # Once repaired, the next run bills it.
        gadget.active = True
        invoices, failed = self._run()
        self.assertEqual(invoices.mediation_contract_id, broken)
        self.assertFalse(broken.mediation_invoicing_failed_on)

    def test_missing_income_account_fails_alone(self):
        good = self._contract(self._member("Fine Co"), self.today)
        broken = self._contract(self._member("No Account Co"), self.today)
        category = self.env["product.category"].create({"name": "No accounts"})
        category.property_account_income_categ_id = False
        product = self.env["product.product"].create(
            {"name": "Unaccounted", "type": "service", "categ_id": category.id}
        )
        product.property_account_income_id = False
        broken.contract_line_ids.product_id = product
        invoices, failed = self._run()
        self.assertEqual(failed, broken)
        self.assertEqual(invoices.mediation_contract_id, good)
        self.assertIn("no income account", broken.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestMediationInvoicingFollowUp(MediationInvoicingCommon):
    def test_cancelled_case_fee_credit_note(self):
        self.company.mediation_invoice_auto_post = True
        member = self._member("Refund Co")
        self._contract(member, self.today - timedelta(days=30))
        case = self._case(member, "admitted")
        self._run()
        fee = case.fee_ids.filtered(lambda f: f.kind == "case")
        self.assertEqual(fee.invoice_id.state, "posted")
        fee.action_cancel()
        self.assertEqual(fee.state, "cancelled")
        self.assertEqual(fee.refund_id.move_type, "out_refund")
        self.assertEqual(fee.refund_id.amount_untaxed, 280.0)
        self.assertEqual(fee.refund_id.reversed_entry_id, fee.invoice_id)
        # The policy may give nothing back.
        self.company.mediation_credit_note_policy = "none"
        other = case.fee_ids - fee
        other.action_cancel()
        self.assertEqual(other.state, "cancelled")
        self.assertFalse(other.refund_id)
        with self.assertRaises(UserError):
            other.action_cancel()

    def test_early_termination_credit_note(self):
        self.company.mediation_invoice_auto_post = True
        contract = self._contract(self._member("Leaving Co"), date(2025, 1, 1))
        self._run(date(2025, 1, 1))
        contract._mediation_terminate(date(2025, 6, 30), "Company closed")
        refund = self._invoices(contract).filtered(
            lambda m: m.move_type == "out_refund"
        )
        # 1 July to 31 December unused: 184 days of 365.
        self.assertEqual(refund.amount_untaxed, round(45 * 184 / 365, 2))
        self.assertEqual(refund.state, "posted")
        self.assertFalse(self._run(date(2026, 1, 1))[0], "nothing after the end")

    def test_early_termination_without_credit_note(self):
        self.company.mediation_credit_note_policy = "none"
        contract = self._contract(self._member("Quiet Leaver"), date(2025, 1, 1))
        self._run(date(2025, 1, 1))
        contract._mediation_terminate(date(2025, 6, 30), "Company closed")
        self.assertEqual(len(self._invoices(contract)), 1)
        self.assertEqual(contract.mediation_state, "terminated")

    def test_unpaid_flag_and_suspension(self):
        self.company.write(
            {"mediation_invoice_auto_post": True, "mediation_unpaid_suspend": True}
        )
        late = self._contract(self._member("Late Co"), self.today - timedelta(days=60))
        recent = self._contract(
            self._member("Recent Co"), self.today - timedelta(days=5)
        )
        self._run()
        self.Engine._cron_follow_up()
        self.assertTrue(late.mediation_unpaid)
        self.assertEqual(late.mediation_state, "suspended")
        self.assertFalse(recent.mediation_unpaid, "still within the delay")
        self.assertEqual(recent.mediation_state, "active")
        self.assertEqual(self.Contract.search([("mediation_unpaid", "=", True)]), late)
        invoice = self._invoices(late)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.Engine._cron_follow_up()
        self.assertFalse(late.mediation_unpaid)

    def test_invoices_posted_and_sent_automatically(self):
        self.company.write(
            {"mediation_invoice_auto_post": True, "mediation_invoice_auto_send": True}
        )
        member = self._member("Mail Co")
        contract = self._contract(member, self.today)
        self._run()
        invoice = self._invoices(contract)
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.is_move_sent)
        sent = invoice.message_ids.filtered(lambda m: member in m.partner_ids)
        self.assertTrue(sent, "the invoice was e-mailed to the member")

    def test_member_sees_invoices_in_portal(self):
        self.company.mediation_invoice_auto_post = True
        member = self._member("Portal Co")
        contact = self.env["res.partner"].create(
            {
                "name": "Jeanne Portal",
                "parent_id": member.id,
                "email": "j@portal.example",
            }
        )
        portal_user = new_test_user(
            self.env, "inv_portal", groups="base.group_portal", partner_id=contact.id
        )
        contract = self._contract(member, self.today)
        self._run()
        invoice = self._invoices(contract)
        visible = (
            self.env["account.move"]
            .with_user(portal_user)
            .search([("move_type", "=", "out_invoice")])
        )
        self.assertEqual(visible, invoice)


@tagged("post_install", "-at_install")
class TestMediationInvoicingAccess(MediationInvoicingCommon):
    def test_accountant_invoices_without_reading_cases(self):
        member = self._member("Secret Co")
        self._contract(member, self.today - timedelta(days=30))
        case = self._case(member, "admitted")
        Engine = self.Engine.with_user(self.accountant)
        invoices, failed = Engine._run(self.today)
        self.assertFalse(failed)
        self.assertEqual(len(invoices), 2)
        fees = (
            self.env["mediation.case.fee"]
            .with_user(self.accountant)
            .search([("contract_id.partner_id", "=", member.id)])
        )
        self.assertEqual(set(fees.mapped("case_reference")), {case.name})
        with self.assertRaises(AccessError):
            self.env["mediation.case"].with_user(self.accountant).search([])
        with self.assertRaises(AccessError):
            fees[0].read(["case_id"])
        # Fees can be cancelled by accounting, not by mediators.
        with self.assertRaises(UserError):
            fees.with_user(self.mediator).action_cancel()
        with self.assertRaises(UserError):
            self.Engine.with_user(self.mediator)._run(self.today)

    def test_mediator_event_makes_fees_mediator_cannot_touch(self):
        """The mediator's action creates the fees through the engine; the
        mediator still cannot change, cancel or invoice them, narrowed or not."""
        member = self._member("Guarded Co")
        self._contract(member, self.today - timedelta(days=30))
        case = self._case(member, "review")
        case.with_user(self.mediator).action_admit()
        fees = case.fee_ids.with_user(self.mediator)
        self.assertEqual(len(fees), 2)
        with self.assertRaises(AccessError):
            fees.write({"amount": 1.0})
        with self.assertRaises(AccessError):
            fees.unlink()
        with self.assertRaises(UserError):
            fees.action_cancel()
        with self.assertRaises(AccessError):
            self.env["mediation.invoice.wizard"].with_user(self.mediator).create({})
        with self.assertRaises(UserError):
            self.Engine.with_user(self.mediator).with_context(
                mediation_invoice_partner_ids=member.ids,
                mediation_invoice_kind="case",
            )._run(self.today)
        self.assertEqual(set(case.fee_ids.mapped("state")), {"to_invoice"})
        self.assertEqual(set(case.fee_ids.mapped("amount")), {280.0, 30.0})


@tagged("post_install", "-at_install")
class TestMediationInvoicingDemo(MediationInvoicingCommon):
    def test_demo_year_invoices(self):
        starts = [self.today - timedelta(days=days) for days in (800, 400, 100)]
        contracts = self.Contract.concat(
            *(
                self._contract(self._member(f"Demo {i}"), start)
                for i, start in enumerate(starts)
            )
        )
        invoices = self.Engine._generate_demo_invoices(today=self.today, paid_ratio=1.0)
        year_start = self.today - timedelta(days=366)
        for contract in contracts:
            invoice = self._invoices(contract)
            self.assertEqual(len(invoice), 1, "only the demo year is billed")
            self.assertGreaterEqual(invoice.invoice_date, year_start)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertLessEqual(
            set(invoices.mapped("payment_state")), {"paid", "in_payment"}
        )
