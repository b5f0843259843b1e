import logging
import random
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .mediation_demo import in_french

_logger = logging.getLogger(__name__)

# Event of the case making each fee due: the stored legal date written by the
# case action, plus what the case must show for the fee to apply.
CASE_FEE_EVENTS = {
    "admission": (
        "date_admissibility_decided",
        [
            ("refusal_ground_id", "=", False),
            ("state", "not in", ("received", "review", "refused")),
        ],
    ),
    "agreement": ("date_professional_entry", [("professional_entry", "=", "agreed")]),
    "closure": ("date_outcome", [("state", "=", "closed")]),
}
# What a case action writes when a fee becomes due or changes: the event
# dates, and the complex rate the mediator sets.
FEE_EVENT_FIELDS = {
    *(date_field for date_field, _domain in CASE_FEE_EVENTS.values()),
    "fee_complex",
}
FEE_PRODUCTS = {
    ("case", False): "consumer_mediation.product_mediation_case_fee_simple",
    ("case", True): "consumer_mediation.product_mediation_case_fee_complex",
    ("admissibility", False): "consumer_mediation.product_mediation_admissibility_fee",
    ("decline", False): "consumer_mediation.product_mediation_decline_fee",
}


class MediationInvoicing(models.AbstractModel):
    """The membership invoicing engine, shared by the scheduled action and
    the wizard. Entry points check that the user may invoice, then the engine
    works as superuser: it reads cases (for their dates only) and writes the
    contract lines' invoiced periods, which accountants cannot do directly.

    A batch is invoiced in one savepoint; if it fails, each of its contracts
    is invoiced in its own savepoint, so the one that fails is reported on
    its chatter and the others go on. A period is marked
    invoiced (OCA ``last_date_invoiced``) and a fee ``invoiced`` in the same
    savepoint as the invoice that bills it: a run repeated or resumed after
    an interruption finds nothing left to bill twice."""

    _name = "mediation.invoicing"
    _description = "Membership Invoicing"

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------
    @api.model
    def _run(self, date_ref, batch_size=200, on_progress=None):
        """Invoice everything due up to ``date_ref``, batch after batch, and
        return ``(invoices, failed_contracts)``."""
        self.env["mediation.case.fee"]._check_invoicing_access()
        engine = self.sudo()
        engine._generate_case_fees(date_ref)
        contracts = engine._due_contracts(date_ref)
        invoices = self.env["account.move"]
        failed = self.env["contract.contract"]
        total = len(contracts)
        for number, start in enumerate(range(0, total, batch_size), start=1):
            # Own prefetch set: reads stay within the batch, not 1,000 ahead.
            batch = contracts[start : start + batch_size].with_prefetch()
            batch_invoices, batch_failed = engine._invoice_batch(batch, date_ref)
            invoices |= batch_invoices
            failed |= batch_failed
            if not number & (number - 1):
                engine._refresh_accounting_statistics()
            if on_progress:
                on_progress(
                    done=start + len(batch), remaining=total - start - len(batch)
                )
        return invoices.sudo(False), failed.sudo(False)

    @api.model
    def _refresh_accounting_statistics(self):
        """Let PostgreSQL's planner count the invoices this run added.

        A run is one transaction: the planner's statistics do not see its
        own rows, and on a young database they say the accounting tables are
        empty, so account's payment-state query of each batch goes to nested
        loops over every line made so far (a 10,000-contract run took three
        times longer). ANALYZE counts the rows of the current transaction;
        after batches 1, 2, 4, 8… it costs a few ANALYZEs per run."""
        self.env.cr.execute("ANALYZE account_move, account_move_line")

    @api.model
    def _cron_invoice(self, batch_size=200):
        """One batch per call; the cron runner calls again while contracts
        remain. A contract that failed today is left for tomorrow so the
        runner does not retry it in a loop."""
        self.env["mediation.case.fee"]._check_invoicing_access()
        engine = self.sudo()
        today = fields.Date.context_today(self)
        engine._generate_case_fees(today)
        contracts = engine._due_contracts(today, skip_failed_on=today)
        batch = contracts[:batch_size]
        engine._invoice_batch(batch, today)
        remaining = len(contracts) - len(batch)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        return remaining

    @api.model
    def _preview(self, date_ref):
        """What a run up to ``date_ref`` would bill, without billing it:
        a list of dicts (contract, partner, description, amount)."""
        self.env["mediation.case.fee"]._check_invoicing_access()
        engine = self.sudo()
        rows = []
        periodic = engine._due_contracts(date_ref).filtered_domain(
            engine._scope_contract_domain()
        )
        for contract in periodic:
            for line in contract.contract_line_ids:
                if not line.display_type and line._can_be_invoiced(date_ref):
                    rows.append(
                        {
                            "contract": contract.display_name,
                            "partner": contract.invoice_partner_id.display_name,
                            "description": line.name,
                            "date": line.recurring_next_date,
                            "amount": line.price_subtotal,
                        }
                    )
        Fee = engine.env["mediation.case.fee"]
        fees = engine._pending_fees(date_ref) | Fee.concat(
            *(Fee.new(vals) for vals in engine._new_case_fee_values(date_ref))
        ).filtered_domain(engine._scope_fee_domain())
        for fee in fees:
            rows.append(
                {
                    "contract": fee.contract_id.display_name,
                    "partner": fee.partner_id.display_name,
                    "description": fee.display_name,
                    "date": fee.date,
                    "amount": fee.amount,
                }
            )
        return rows

    # ------------------------------------------------------------------
    # Case fees
    # ------------------------------------------------------------------
    @api.model
    def _generate_case_fees(self, date_ref):
        """Create the fees of the case events that happened up to
        ``date_ref``; the unique (case, kind) constraint and the search on
        existing fees make this safe to repeat."""
        return self.env["mediation.case.fee"].create(
            self._new_case_fee_values(date_ref)
        )

    @api.model
    def _new_case_fee_values(self, date_ref):
        vals_list = []
        for kind, cases in self._cases_owing(date_ref).items():
            for case in cases:
                vals = self._case_fee_values(case, kind)
                if vals:
                    vals_list.append(vals)
        return vals_list

    @api.model
    def _sync_case_fees(self, cases):
        """Create the fees ``cases`` owe since their events, "to invoice", and
        bring the fees not invoiced yet in line with the case (e.g. the
        complex rate set later): the accountants' forecast follows each
        event. Safe to repeat: a fee exists once per case and kind."""
        cases = cases.with_env(self.env)
        existing = {(fee.case_id, fee.kind): fee for fee in cases.fee_ids}
        vals_list = []
        for kind, domains in self._fee_event_domains(
            fields.Date.context_today(self)
        ).items():
            owing = cases.browse()
            for domain in domains:
                owing |= cases.filtered_domain(domain)
            for case in owing:
                vals = self._case_fee_values(case, kind)
                if not vals:
                    continue
                fee = existing.get((case, kind))
                if not fee:
                    vals_list.append(vals)
                elif fee.state == "to_invoice":
                    changes = {
                        name: value
                        for name, value in vals.items()
                        if fee._fields[name].convert_to_write(fee[name], fee) != value
                    }
                    if changes:
                        fee.write(changes)
        return self.env["mediation.case.fee"].create(vals_list)

    @api.model
    def _fee_event_domains(self, date_ref):
        """Per fee kind, the domains of the cases whose event making that
        fee due happened up to ``date_ref``."""
        base = [("contract_id.mediation_kind", "!=", False)]
        return {
            "case": [
                base
                + domain
                + [
                    ("contract_id.mediation_fee_trigger", "=", trigger),
                    (date_field, "<=", date_ref),
                ]
                for trigger, (date_field, domain) in CASE_FEE_EVENTS.items()
            ],
            "admissibility": [
                base
                + [
                    ("contract_id.mediation_fee_admissibility", ">", 0),
                    ("date_admissibility_decided", "<=", date_ref),
                ]
            ],
            "decline": [
                base
                + [
                    ("contract_id.mediation_fee_decline", ">", 0),
                    ("professional_entry", "=", "declined"),
                    ("date_professional_entry", "<=", date_ref),
                ]
            ],
        }

    @api.model
    def _cases_owing(self, date_ref):
        """Cases per fee kind whose event happened and whose fee of that kind
        does not exist yet: events recorded outside the case actions (imports,
        cases older than the fees made at their event)."""
        Case = self.env["mediation.case"]
        result = defaultdict(lambda: Case)
        for kind, domains in self._fee_event_domains(date_ref).items():
            for domain in domains:
                result[kind] |= Case.search(
                    domain + [("fee_ids", "not any", [("kind", "=", kind)])]
                )
        return result

    @api.model
    def _case_fee_values(self, case, kind):
        contract = case.contract_id
        is_complex = kind == "case" and case.fee_complex
        if kind == "case":
            amount = (
                contract.mediation_fee_complex
                if is_complex
                else contract.mediation_fee_simple
            )
            event_date = case[CASE_FEE_EVENTS[contract.mediation_fee_trigger][0]]
        elif kind == "admissibility":
            amount = contract.mediation_fee_admissibility
            event_date = case.date_admissibility_decided
        else:
            amount = contract.mediation_fee_decline
            event_date = case.date_professional_entry
        if not amount:
            return None
        return {
            "case_id": case.id,
            "case_reference": case.name,
            "kind": kind,
            "is_complex": is_complex,
            "date": event_date,
            "contract_id": contract.id,
            "partner_id": self._case_fee_payer(case).id,
            "product_id": self.env.ref(FEE_PRODUCTS[kind, is_complex]).id,
            "amount": amount,
        }

    @api.model
    def _case_fee_payer(self, case):
        contract = case.contract_id
        if (
            contract.mediation_kind == "convention"
            and contract.mediation_case_fee_payer == "member"
        ):
            return case.professional_id.commercial_partner_id
        return contract.invoice_partner_id or contract.partner_id

    @api.model
    def _pending_fees(self, date_ref, contracts=None):
        domain = [
            ("state", "=", "to_invoice"),
            ("date", "<=", date_ref),
            *self._scope_fee_domain(),
        ]
        if contracts is not None:
            domain.append(("contract_id", "in", contracts.ids))
        return self.env["mediation.case.fee"].search(domain, order="date, id")

    # ------------------------------------------------------------------
    # Scope: the wizard may narrow a run to some members and one kind
    # ------------------------------------------------------------------
    @api.model
    def _scope(self):
        """``(payers, kind)`` a run is narrowed to, from the context keys
        ``mediation_invoice_partner_ids`` (members, their contacts included)
        and ``mediation_invoice_kind`` ("membership" or a fee kind); each is
        None when the run bills everything due."""
        partner_ids = self.env.context.get("mediation_invoice_partner_ids")
        payers = None
        if partner_ids:
            payers = self.env["res.partner"].search([("id", "child_of", partner_ids)])
        return payers, self.env.context.get("mediation_invoice_kind") or None

    @api.model
    def _scope_contract_domain(self):
        """The contracts whose annual periods the run bills."""
        payers, kind = self._scope()
        if kind and kind != "membership":
            return [("id", "in", [])]
        return [("partner_id", "in", payers.ids)] if payers is not None else []

    @api.model
    def _scope_fee_domain(self):
        """The case fees the run bills."""
        payers, kind = self._scope()
        domain = [("kind", "=", kind)] if kind else []
        if payers is not None:
            domain.append(("partner_id", "in", payers.ids))
        return domain

    # ------------------------------------------------------------------
    # Contracts
    # ------------------------------------------------------------------
    @api.model
    def _due_contracts(self, date_ref, skip_failed_on=None):
        Contract = self.env["contract.contract"]
        domain = [
            ("mediation_kind", "!=", False),
            ("mediation_state", "!=", "proposal"),
            ("company_id", "in", self.env.companies.ids),
        ]
        if skip_failed_on:
            domain += [
                "|",
                ("mediation_invoicing_failed_on", "=", False),
                ("mediation_invoicing_failed_on", "!=", skip_failed_on),
            ]
        annual = Contract.search(
            domain
            + self._scope_contract_domain()
            + [("recurring_next_date", "<=", date_ref)]
        )
        with_fees = Contract.search(
            domain + [("id", "in", self._pending_fees(date_ref).contract_id.ids)]
        )
        return (annual | with_fees).sorted("id")

    @api.model
    def _invoice_batch(self, contracts, date_ref):
        """Invoice a batch in one savepoint and one ``account.move.create``;
        if anything fails, invoice it again contract by contract, each in its
        own savepoint, so the others are billed and the culprit reported."""
        Contract = self.env["contract.contract"]
        try:
            with self.env.cr.savepoint():
                invoices = self._invoice_contracts(contracts, date_ref)
            failed = Contract
        except Exception:  # noqa: BLE001 - the slow path isolates it
            invoices, failed = self.env["account.move"], Contract
            for contract in contracts:
                try:
                    with self.env.cr.savepoint():
                        invoices |= self._invoice_contracts(contract, date_ref)
                except Exception as error:  # noqa: BLE001 - isolate any failure
                    _logger.info(
                        "Invoicing of contract %s failed: %s", contract.id, error
                    )
                    failed |= contract
                    self._report_failure(contract, error, date_ref)
        (contracts.filtered("mediation_invoicing_failed_on") - failed).write(
            {"mediation_invoicing_failed_on": False}
        )
        # Keep memory flat over thousands of contracts.
        self.env.flush_all()
        self.env.invalidate_all()
        return invoices, failed

    @api.model
    def _invoice_contracts(self, contracts, date_ref):
        """Invoices of ``contracts`` up to ``date_ref``: one per annual period
        due, one per payer and contract for the case fees due."""
        fees = self._pending_fees(date_ref, contracts)
        vals_list = []
        periodic = contracts.filtered_domain(self._scope_contract_domain())
        for company, company_contracts in contracts.grouped("company_id").items():
            company_contracts = company_contracts.with_company(company)
            vals_list += self._period_invoice_values(
                company_contracts & periodic, date_ref
            )
            for contract in company_contracts:
                vals_list += self._fee_invoice_values(
                    contract,
                    date_ref,
                    fees.filtered(lambda fee, c=contract: fee.contract_id == c),
                )
        for vals in vals_list:
            self._complete_invoice_vals(vals)
        moves = self.env["account.move"].create(vals_list)
        for line in moves.invoice_line_ids.filtered("mediation_case_fee_id"):
            line.mediation_case_fee_id.write(
                {"invoice_line_id": line.id, "state": "invoiced"}
            )
        moves.mediation_contract_id._add_contract_origin(moves)
        self._finalize(moves)
        return moves

    @api.model
    def _period_invoice_values(self, contracts, date_ref):
        """One invoice per annual period due up to ``date_ref``, dated on its
        period: a contract late by several years gets one per year. Each pass
        prepares the next period of every contract still due, as OCA's own
        run does (OCA marks the period invoiced as it prepares it)."""
        vals_list = []
        due = contracts.filtered(
            lambda c: c.recurring_next_date and c.recurring_next_date <= date_ref
        )
        while due:
            period_of = {contract: contract.recurring_next_date for contract in due}
            for contract, period_date in period_of.items():
                lines = contract.contract_line_ids.filtered(
                    lambda line, d=period_date: (
                        not line.display_type and line._can_be_invoiced(d)
                    )
                )
                self._check_products(contract, lines.product_id)
            vals_list += due._prepare_recurring_invoices_values()
            due._compute_recurring_next_date()
            due = due.filtered(
                lambda c, before=period_of: (
                    c.recurring_next_date
                    and before[c] < c.recurring_next_date <= date_ref
                )
            )
        return vals_list

    @api.model
    def _fee_invoice_values(self, contract, date_ref, fees):
        """One invoice per payer of the case ``fees`` of ``contract``."""
        self._check_products(contract, fees.product_id)
        vals_list = []
        for partner in fees.partner_id:
            partner_fees = fees.filtered(lambda fee, p=partner: fee.partner_id == p)
            vals = contract._prepare_invoice(date_ref)
            if partner != contract.invoice_partner_id:
                # A member company pays its own fees on its own terms.
                vals.pop("fiscal_position_id", None)
                vals.pop("invoice_payment_term_id", None)
                vals["partner_id"] = partner.id
            vals["invoice_line_ids"] = [
                fields.Command.create(fee._invoice_line_vals()) for fee in partner_fees
            ]
            vals_list.append(vals)
        return vals_list

    @api.model
    def _complete_invoice_vals(self, vals):
        # Without payment terms, Odoo would make the invoice due on the day
        # it is created, not on its (possibly earlier) invoice date.
        vals["invoice_date_due"] = vals["invoice_date"]

    @api.model
    def _check_products(self, contract, products):
        for product in products:
            if not product.active:
                raise UserError(
                    self.env._(
                        "The product %(product)s is archived: restore it or "
                        "change the lines of %(contract)s.",
                        product=product.display_name,
                        contract=contract.display_name,
                    )
                )
            accounts = product.product_tmpl_id.with_company(
                contract.company_id
            )._get_product_accounts()
            if not accounts["income"]:
                raise UserError(
                    self.env._(
                        "The product %(product)s has no income account for "
                        "%(company)s: set one on the product or its category.",
                        product=product.display_name,
                        company=contract.company_id.name,
                    )
                )

    @api.model
    def _finalize(self, moves):
        """Post and send according to the company's options."""
        for company in moves.company_id:
            company_moves = moves.filtered(lambda m, c=company: m.company_id == c)
            if not company.mediation_invoice_auto_post:
                continue
            company_moves.action_post()
            if company.mediation_invoice_auto_send:
                to_send = company_moves.filtered(
                    lambda m: m.move_type == "out_invoice" and m.partner_id.email
                )
                if to_send:
                    self.env["account.move.send"]._generate_and_send_invoices(
                        to_send,
                        allow_raising=False,
                        allow_fallback_pdf=True,
                        sending_methods={"email"},
                    )

    @api.model
    def _report_failure(self, contract, error, date_ref):
        """Tell accounting on the contract why it was not invoiced."""
        message = str(error)
        contract.mediation_invoicing_failed_on = date_ref
        contract.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._(
                    "Invoicing up to %(date)s failed:",
                    date=format_date(self.env, date_ref),
                ),
                message,
            )
        )
        # The scheduled action runs as OdooBot, who reads no activity.
        user = (
            contract.company_id.mediation_invoicing_user_id
            or contract.user_id
            or (not self.env.user._is_superuser() and self.env.user)
            or self.env.ref("base.user_admin")
        )
        contract.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Membership invoice not made"),
            note=message,
            user_id=user.id,
        )

    # ------------------------------------------------------------------
    # Configuration
    # ------------------------------------------------------------------
    @api.model
    def _fee_product_templates(self):
        # Not found while the addon's data is being loaded (a chart loaded
        # then is configured by the data's own call).
        products = self.env["product.product"].sudo()
        for xmlid in (
            "consumer_mediation.product_mediation_annual_fee",
            *FEE_PRODUCTS.values(),
        ):
            products |= self.env.ref(xmlid, raise_if_not_found=False) or products
        return products.product_tmpl_id

    @api.model
    def _set_default_product_taxes(self):
        for company in self.env["res.company"].sudo().search([]):
            self._configure_fee_products(company)

    @api.model
    def _configure_fee_products(self, company):
        """Give the fee products the accounts and taxes of ``company``'s
        chart. On the French chart (PCG): 706 "Prestations de services" and
        the VAT at 20 % on services, due on collection; a company opting for
        VAT on debits changes it in the settings. On any other chart: the
        chart's income account and the company's default sales tax. A choice
        already made (a tax removed by a mediator not subject to VAT aside)
        is kept."""
        company = company.sudo()
        french = company.chart_template == "fr"
        products = self._fee_product_templates().with_company(company)
        income = french and self.env["account.chart.template"].with_company(
            company
        ).ref("pcg_706", raise_if_not_found=False)
        tax = (
            self._french_service_tax(company, on_debits=False)
            if french
            else company.account_sale_tax_id
        )
        for product in products:
            if income and product.property_account_income_id != income:
                product.property_account_income_id = income
            current = product.taxes_id.filtered(lambda t, c=company: t.company_id == c)
            # Loading a chart gives products the default sales tax, the
            # French one on goods: services take theirs instead.
            if tax and (
                not current
                or (french and any(t.tax_scope != "service" for t in current))
            ):
                product.taxes_id = product.taxes_id - current | tax

    @api.model
    def _french_service_tax(self, company, on_debits):
        """The French chart's VAT at 20 % on services of ``company``: due on
        collection ("TVA sur les encaissements", the rule for services), or
        on the invoice when the company opts for VAT on debits. The chart has
        no sales tax of the latter kind: it is the former, due on the
        invoice, made once."""
        collected = (
            self.env["account.chart.template"]
            .with_company(company)
            .ref("tva_normale_encaissement", raise_if_not_found=False)
        )
        if not collected or not on_debits:
            return collected
        Tax = self.env["account.tax"].sudo().with_context(active_test=False)
        return Tax.search(
            [
                ("company_id", "=", company.id),
                ("type_tax_use", "=", "sale"),
                ("tax_scope", "=", "service"),
                ("tax_exigibility", "=", "on_invoice"),
                ("amount_type", "=", "percent"),
                ("amount", "=", collected.amount),
                ("price_include", "=", False),
            ],
            limit=1,
        ) or collected.copy(
            {
                "name": self.env._("%(tax)s (debits)", tax=collected.name),
                "tax_exigibility": "on_invoice",
                "cash_basis_transition_account_id": False,
            }
        )

    @api.model
    def _vat_on_debits(self, company):
        """Whether the fee products of ``company`` carry VAT due on the
        invoice ("on debits"): the taxes are the truth Odoo's French invoice
        reads for its mention, so no setting is kept beside them."""
        taxes = self._fee_product_templates().taxes_id.filtered(
            lambda t: t.company_id == company
        )
        return bool(taxes) and all(t.tax_exigibility == "on_invoice" for t in taxes)

    @api.model
    def _set_vat_on_debits(self, company, on_debits):
        """Opt ``company`` (French chart) for VAT on debits, or back to VAT on
        collection: its fee products change tax; invoices already made keep
        theirs."""
        tax = self._french_service_tax(company, on_debits)
        if not tax:
            return
        for product in self._fee_product_templates():
            current = product.taxes_id.filtered(lambda t, c=company: t.company_id == c)
            product.taxes_id = product.taxes_id - current | tax

    # ------------------------------------------------------------------
    # Follow-up of payments
    # ------------------------------------------------------------------
    @api.model
    def _cron_follow_up(self, send_reminders=True):
        """Flag the contracts with an invoice open beyond the company's
        delay, clear the flag once paid, suspend flagged memberships when
        the company asks for it, and send each such invoice's member a
        payment reminder (once per invoice)."""
        self.env["mediation.case.fee"]._check_invoicing_access()
        engine = self.sudo()
        today = fields.Date.context_today(self)
        Contract = engine.env["contract.contract"]
        unpaid = Contract
        overdue = engine.env["account.move"]
        for company in engine.env.companies:
            limit = fields.Date.subtract(today, days=company.mediation_unpaid_days)
            moves = engine.env["account.move"].search(
                [
                    ("company_id", "=", company.id),
                    ("mediation_contract_id", "!=", False),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", limit),
                ]
            )
            unpaid |= moves.mediation_contract_id
            overdue |= moves
        flagged = Contract.search([("mediation_unpaid", "=", True)])
        (flagged - unpaid).write({"mediation_unpaid": False})
        newly = unpaid - flagged
        newly.write({"mediation_unpaid": True})
        for contract in newly:
            contract.message_post(
                body=self.env._(
                    "An invoice of this membership is unpaid beyond the payment delay."
                )
            )
        to_suspend = unpaid.filtered(
            lambda c: (
                c.company_id.mediation_unpaid_suspend and c.mediation_state == "active"
            )
        )
        to_suspend.action_mediation_suspend()
        if send_reminders:
            overdue.filtered(
                lambda m: not m.mediation_reminder_date
            )._mediation_send_payment_reminder()
        return unpaid

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    @in_french
    def _generate_demo_invoices(self, today=None, seed=2025, paid_ratio=0.85):
        """Invoices of the demo year: the membership periods starting in the
        last twelve months and the fees of the demo cases, posted; most are
        paid, the others left overdue for the follow-up. Earlier periods are
        history the demo does not bill. Returns the invoices."""
        today = today or fields.Date.context_today(self)
        company = self.env.company
        if not self.env["account.journal"].search_count(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        ):
            return self.env["account.move"]
        rng = random.Random(seed)
        year_start = today - relativedelta(years=1)
        contracts = self.env["contract.contract"].search(
            [("mediation_kind", "!=", False), ("mediation_state", "!=", "proposal")]
        )
        history = contracts.contract_line_ids.filtered(
            lambda li: not li.last_date_invoiced and li.date_start < year_start
        )
        for line in history:
            years = relativedelta(year_start, line.date_start).years
            if line.date_start + relativedelta(years=years) < year_start:
                years += 1
            end = line.date_start + relativedelta(years=years, days=-1)
            line.last_date_invoiced = min(end, line.date_end or end)
        # As OCA does after moving the invoiced dates: the next dates go
        # through non-stored period fields the ORM does not follow.
        history.invalidate_recordset(["next_period_date_start", "next_period_date_end"])
        history._compute_recurring_next_date()
        history.contract_id._compute_recurring_next_date()
        cases = self.env["mediation.case"].search([("date_outcome", "!=", False)])
        cases.filtered(lambda c: rng.random() < 0.15).with_context(
            tracking_disable=True
        ).write({"fee_complex": True})
        invoices, __ = self._run(today)
        invoices.action_post()
        paid = invoices.filtered(lambda m: rng.random() < paid_ratio)
        if paid:
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=paid.ids
            ).create({"group_payment": True})._create_payments()
        # The demo's overdue invoices are reminded by the first real run.
        self._cron_follow_up(send_reminders=False)
        return invoices
