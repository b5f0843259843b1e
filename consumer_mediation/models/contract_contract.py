import calendar
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .mediation_tariff import CASE_FEE_PAYERS, FEE_TRIGGERS


class ContractContract(models.Model):
    _inherit = "contract.contract"

    # ------------------------------------------------------------------
    # Membership
    # ------------------------------------------------------------------
    mediation_kind = fields.Selection(
        [("individual", "Individual"), ("convention", "Collective Convention")],
        string="Membership Kind",
        tracking=True,
        help="Empty for contracts that are not mediation memberships. A collective "
        "convention is signed by a federation and covers its member companies.",
    )
    mediation_state = fields.Selection(
        [
            ("proposal", "Proposal"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("terminated", "Terminated"),
            ("expired", "Expired"),
        ],
        string="Membership Status",
        default="proposal",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    # The coverage look-up and the members' lists filter on the member.
    partner_id = fields.Many2one(index=True)
    mediation_member_ids = fields.One2many(
        "mediation.convention.member",
        "contract_id",
        string="Convention Members",
        copy=False,
    )
    # ------------------------------------------------------------------
    # Legal and membership dates, written by the actions
    # ------------------------------------------------------------------
    mediation_date_activated = fields.Date(
        string="Activated On", copy=False, readonly=True, tracking=True
    )
    mediation_date_suspended = fields.Date(
        string="Suspended Since", copy=False, readonly=True, tracking=True
    )
    mediation_date_terminated = fields.Date(
        string="Coverage Ends On",
        copy=False,
        readonly=True,
        tracking=True,
        help="Last day the contract covers the professional, set on termination "
        "or expiry.",
    )
    mediation_termination_reason = fields.Text(
        string="Termination Reason", copy=False, readonly=True, tracking=True
    )
    mediation_date_renewed = fields.Date(
        string="Last Renewed On", copy=False, readonly=True, tracking=True
    )
    mediation_kit_sent_on = fields.Datetime(
        string="Information Kit Sent On",
        copy=False,
        readonly=True,
        help="Last time the information kit was sent for this contract.",
    )
    # ------------------------------------------------------------------
    # Term and renewal (defaults from the company settings)
    # ------------------------------------------------------------------
    mediation_term_years = fields.Integer(
        string="Term (years)",
        default=lambda self: self.env.company.mediation_term_years,
        tracking=True,
    )
    mediation_tacit_renewal = fields.Boolean(
        string="Tacit Renewal",
        default=lambda self: self.env.company.mediation_tacit_renewal,
        tracking=True,
    )
    mediation_notice_months = fields.Integer(
        string="Notice Period (months)",
        default=lambda self: self.env.company.mediation_notice_months,
    )
    mediation_term_start = fields.Date(
        string="Current Term Start",
        copy=False,
        readonly=True,
        help="Start of the current term: the start date, then each renewal.",
    )
    mediation_term_end = fields.Date(
        string="Current Term End",
        compute="_compute_mediation_term_end",
        store=True,
    )
    mediation_notice_deadline = fields.Date(
        string="Notice Deadline",
        compute="_compute_mediation_term_end",
        store=True,
        help="Last day to give notice to leave at the end of the current term.",
    )
    # ------------------------------------------------------------------
    # Tariff and per-case fee terms
    # ------------------------------------------------------------------
    mediation_tariff_id = fields.Many2one(
        "mediation.tariff",
        string="Tariff",
        tracking=True,
        check_company=True,
        copy=False,
        help="The tariff version the contract was signed on; it is kept until "
        "the next renewal.",
    )
    mediation_annual_fee = fields.Monetary(
        string="Annual Fee",
        compute="_compute_mediation_annual_fee",
        currency_field="currency_id",
    )
    mediation_fee_simple = fields.Monetary(
        string="Simple Case Fee", currency_field="currency_id", tracking=True
    )
    mediation_fee_complex = fields.Monetary(
        string="Complex Case Fee", currency_field="currency_id", tracking=True
    )
    mediation_fee_admissibility = fields.Monetary(
        string="Admissibility Study Fee", currency_field="currency_id"
    )
    mediation_fee_decline = fields.Monetary(
        string="Decline Fee", currency_field="currency_id"
    )
    mediation_fee_trigger = fields.Selection(
        FEE_TRIGGERS, string="Case Fee Due On", tracking=True
    )
    mediation_case_fee_payer = fields.Selection(
        CASE_FEE_PAYERS, string="Case Fees Paid By", tracking=True
    )
    # ------------------------------------------------------------------
    # Proposal and acceptance
    # ------------------------------------------------------------------
    mediation_proposal_expiry = fields.Date(
        string="Proposal Valid Until",
        copy=False,
        default=lambda self: (
            fields.Date.context_today(self)
            + timedelta(days=self.env.company.mediation_proposal_validity_days)
        ),
    )
    mediation_acceptance_mode = fields.Selection(
        [("online", "Online"), ("paper", "Signed Paper Copy")],
        string="Accepted By",
        copy=False,
        readonly=True,
    )
    mediation_accepted_name = fields.Char(string="Signatory", copy=False, readonly=True)
    mediation_accepted_on = fields.Datetime(
        string="Accepted On", copy=False, readonly=True
    )
    mediation_accepted_ip = fields.Char(
        string="Acceptance IP Address", copy=False, readonly=True
    )
    mediation_signed_copy = fields.Binary(
        string="Signed Copy", attachment=True, copy=False, readonly=True
    )
    mediation_signed_copy_name = fields.Char(copy=False, readonly=True)
    mediation_lead_id = fields.Many2one(
        "crm.lead", string="Information Request", copy=False, index="btree_not_null"
    )
    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------
    mediation_unpaid = fields.Boolean(
        string="Unpaid",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="An invoice of this contract is unpaid beyond the payment delay of "
        "the settings (set by the payment follow-up).",
    )
    mediation_invoicing_failed_on = fields.Date(
        string="Invoicing Failed On",
        readonly=True,
        copy=False,
        help="Last run that could not invoice this contract; the reason is in "
        "the chatter.",
    )
    mediation_case_fee_ids = fields.One2many(
        "mediation.case.fee", "contract_id", string="Case Fees", readonly=True
    )
    mediation_invoice_ids = fields.One2many(
        "account.move", "mediation_contract_id", string="Membership Invoices"
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "mediation_term_start", "mediation_term_years", "mediation_notice_months"
    )
    def _compute_mediation_term_end(self):
        for contract in self:
            start = contract.mediation_term_start
            if not start or contract.mediation_term_years <= 0:
                contract.mediation_term_end = False
                contract.mediation_notice_deadline = False
                continue
            end = start + relativedelta(years=contract.mediation_term_years, days=-1)
            contract.mediation_term_end = end
            contract.mediation_notice_deadline = end - relativedelta(
                months=contract.mediation_notice_months
            )

    @api.depends("contract_line_ids.price_subtotal", "contract_line_ids.product_id")
    def _compute_mediation_annual_fee(self):
        product = self._mediation_fee_product()
        for contract in self:
            contract.mediation_annual_fee = sum(
                contract.contract_line_ids.filtered(
                    lambda line: line.product_id == product
                ).mapped("price_subtotal")
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(
        "mediation_kind",
        "partner_id",
        "date_start",
        "mediation_state",
        "mediation_date_terminated",
    )
    def _check_mediation_overlap(self):
        """Two individual memberships of a professional never cover the same
        day (a terminated one still covers until its last day)."""
        signed = ("active", "suspended", "terminated", "expired")
        for contract in self.filtered(
            lambda c: c.mediation_kind == "individual" and c.mediation_state in signed
        ):
            domain = [
                ("id", "!=", contract.id),
                ("mediation_kind", "=", "individual"),
                ("mediation_state", "in", signed),
                ("partner_id", "=", contract.partner_id.id),
                ("company_id", "=", contract.company_id.id),
                "|",
                ("mediation_date_terminated", "=", False),
                ("mediation_date_terminated", ">=", contract.date_start),
            ]
            if contract.mediation_date_terminated:
                domain.append(("date_start", "<=", contract.mediation_date_terminated))
            other = self.search(domain, limit=1)
            if other:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is already covered by %(contract)s on these "
                        "dates: a new membership can only start after the last "
                        "day of the previous one.",
                        partner=contract.partner_id.display_name,
                        contract=other.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Overrides
    # ------------------------------------------------------------------
    def get_formview_id(self, access_uid=None):
        if len(self) == 1 and self.mediation_kind:
            return self.env.ref(
                "consumer_mediation.contract_contract_view_form_mediation"
            ).id
        return super().get_formview_id(access_uid=access_uid)

    @api.model
    def _add_contract_origin(self, invoices):
        """OCA's note on each invoice, logged in one batch for memberships
        instead of a search and a ``message_post`` per invoice: the batch
        invoicing of thousands of members spends its time there."""
        memberships = self.filtered("mediation_kind")
        moves = invoices.filtered(lambda m: m.mediation_contract_id in memberships)
        by_contract = self.env._("by contract")
        moves._message_log_batch(
            bodies={
                move.id: Markup("%s %s %s.")
                % (
                    move._creation_message(),
                    by_contract,
                    move.mediation_contract_id._get_html_link(
                        title=move.mediation_contract_id.display_name
                    ),
                )
                for move in moves
            }
        )
        return super(ContractContract, self - memberships)._add_contract_origin(
            invoices
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mediation_activate(self):
        for contract in self:
            if contract.mediation_state != "proposal":
                raise UserError(
                    self.env._(
                        "Only a proposal can be activated; %(contract)s is %(state)s.",
                        contract=contract.display_name,
                        state=contract._mediation_state_label(),
                    )
                )
            if not contract.mediation_kind:
                raise UserError(
                    self.env._(
                        "Choose whether the membership is individual or a "
                        "collective convention before activating it."
                    )
                )
            contract.write(
                {
                    "mediation_state": "active",
                    "mediation_date_activated": fields.Date.context_today(contract),
                    "mediation_term_start": contract.date_start,
                }
            )
            contract._mediation_send_kit()
        return True

    def action_mediation_apply_tariff(self):
        """Fill the proposal from the tariff in force and the profile:
        annual fee of the tier, per-case fee terms."""
        for contract in self:
            contract._mediation_check_state("proposal")
            tariff = contract.mediation_tariff_id or self.env[
                "mediation.tariff"
            ]._select(contract.mediation_kind, contract.date_start, contract.company_id)
            if not tariff:
                raise UserError(
                    self.env._(
                        "No tariff for this kind of membership is in force on "
                        "%(date)s: create one in Configuration > Tariffs.",
                        date=format_date(self.env, contract.date_start),
                    )
                )
            contract._mediation_apply_tariff(tariff)
        return True

    def action_mediation_send_proposal(self):
        self.ensure_one()
        self._mediation_check_state("proposal")
        self._portal_ensure_token()
        template = self.env.ref("consumer_mediation.mail_template_mediation_proposal")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_layout",
                "force_email": True,
            },
        }

    def action_mediation_sign_paper(self):
        self.ensure_one()
        self._mediation_check_state("proposal")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Signed Paper Copy"),
            "res_model": "mediation.contract.sign.paper",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    def action_mediation_terminate(self):
        self._mediation_check_state("active", "suspended")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Terminate Membership"),
            "res_model": "mediation.contract.terminate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_ids": self.ids},
        }

    def action_mediation_renew(self):
        """Start the next term the day after the current one ends, on the
        tariff version in force that day."""
        self._mediation_check_state("active", "suspended")
        today = fields.Date.context_today(self)
        for contract in self:
            if not contract.mediation_notice_deadline or (
                today <= contract.mediation_notice_deadline
            ):
                raise UserError(
                    self.env._(
                        "%(contract)s can be renewed once its notice deadline "
                        "(%(date)s) has passed: until then the member may still "
                        "leave at the end of the term.",
                        contract=contract.display_name,
                        date=format_date(self.env, contract.mediation_notice_deadline),
                    )
                )
            new_start = contract.mediation_term_end + timedelta(days=1)
            contract.write(
                {"mediation_term_start": new_start, "mediation_date_renewed": today}
            )
            tariff = contract.mediation_tariff_id._current_version(new_start)
            if tariff and tariff != contract.mediation_tariff_id:
                contract._mediation_apply_tariff(tariff)
        return True

    def action_mediation_send_kit(self):
        self._mediation_check_state("active")
        self._mediation_send_kit()
        return True

    def action_mediation_suspend(self):
        self._mediation_check_state("active")
        self.write(
            {
                "mediation_state": "suspended",
                "mediation_date_suspended": fields.Date.context_today(self),
            }
        )
        return True

    def action_mediation_reactivate(self):
        self._mediation_check_state("suspended")
        self.write({"mediation_state": "active", "mediation_date_suspended": False})
        return True

    def _mediation_terminate(self, end_date, reason, state="terminated"):
        """End the coverage on ``end_date`` (inclusive); the recurring lines
        stop there too so no period after it is invoiced."""
        self._mediation_check_state("active", "suspended")
        if not reason:
            raise UserError(self.env._("Give the reason for ending the membership."))
        for contract in self:
            if end_date < contract.date_start:
                raise UserError(
                    self.env._(
                        "The membership of %(contract)s cannot end before it "
                        "starts (%(start)s).",
                        contract=contract.display_name,
                        start=contract.date_start,
                    )
                )
            contract._mediation_credit_unused(end_date)
            contract.contract_line_ids.filtered(
                lambda line, end=end_date: not line.date_end or line.date_end > end
            ).write({"date_end": end_date})
        self.write(
            {
                "mediation_state": state,
                "mediation_date_terminated": end_date,
                "mediation_termination_reason": reason,
            }
        )
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_report_base_filename(self):
        """Name of the membership proposal downloaded from the portal."""
        self.ensure_one()
        return self.env._("Proposal - %(name)s", name=self.partner_id.name)

    def _mediation_state_label(self):
        return dict(self._fields["mediation_state"]._description_selection(self.env))[
            self.mediation_state
        ]

    def _mediation_check_state(self, *states):
        for contract in self:
            if contract.mediation_state not in states:
                raise UserError(
                    self.env._(
                        "This action is not possible on %(contract)s, which is "
                        "%(state)s.",
                        contract=contract.display_name,
                        state=contract._mediation_state_label(),
                    )
                )

    @api.model
    def _mediation_coverage_domain(self, on_date):
        """Contracts whose coverage includes ``on_date``: signed, started,
        not ended, not suspended on that day."""
        return [
            ("mediation_kind", "!=", False),
            ("mediation_state", "in", ("active", "suspended", "terminated", "expired")),
            ("date_start", "<=", on_date),
            "|",
            ("mediation_date_terminated", "=", False),
            ("mediation_date_terminated", ">=", on_date),
            "|",
            ("mediation_date_suspended", "=", False),
            ("mediation_date_suspended", ">", on_date),
        ]

    @api.model
    def _mediation_fee_product(self):
        return self.env.ref("consumer_mediation.product_mediation_annual_fee")

    @api.model
    def _mediation_prepare_proposal(
        self, partner, kind, date_start=None, lead=None, members=None
    ):
        """Create a proposal for ``partner`` with the tariff of its profile
        (for a convention, ``members`` are the companies it covers)."""
        date_start = date_start or fields.Date.context_today(self)
        contract = self.create(
            {
                "name": self.env._(
                    "Mediation membership - %(partner)s",
                    partner=partner.display_name,
                ),
                "partner_id": partner.id,
                "mediation_kind": kind,
                "mediation_lead_id": lead.id if lead else False,
                "date_start": date_start,
                "recurring_rule_type": "yearly",
                "recurring_interval": 1,
                "recurring_invoicing_type": "pre-paid",
                "mediation_member_ids": [
                    fields.Command.create(
                        {"partner_id": member.id, "date_join": date_start}
                    )
                    for member in (members or [])
                ],
            }
        )
        contract.action_mediation_apply_tariff()
        return contract

    def _mediation_profile_count(self):
        """What the tiers count: employees, or member companies of a
        convention."""
        self.ensure_one()
        if self.mediation_kind == "convention":
            return len(self.mediation_member_ids.filtered(lambda m: not m.date_leave))
        return self.partner_id.commercial_partner_id.mediation_headcount

    def _mediation_apply_tariff(self, tariff):
        self.ensure_one()
        fee = tariff._annual_fee(self._mediation_profile_count())
        product = self._mediation_fee_product()
        self.write(
            {
                "mediation_tariff_id": tariff.id,
                "mediation_fee_simple": tariff.case_fee_simple,
                "mediation_fee_complex": tariff.case_fee_complex,
                "mediation_fee_admissibility": tariff.admissibility_fee,
                "mediation_fee_decline": tariff.decline_fee,
                "mediation_fee_trigger": tariff.fee_trigger,
                "mediation_case_fee_payer": tariff.case_fee_payer
                if self.mediation_kind == "convention"
                else False,
            }
        )
        fee_lines = self.contract_line_ids.filtered(
            lambda line: line.product_id == product
        )
        if fee_lines:
            fee_lines.write({"price_unit": fee})
        else:
            self.write(
                {
                    "contract_line_ids": [
                        fields.Command.create(
                            self._mediation_fee_line_vals(
                                fee, self.date_start, self.partner_id.lang
                            )
                        )
                    ]
                }
            )

    @api.model
    def _mediation_fee_line_vals(self, fee, date_start, lang=None):
        """A yearly, invoiced in advance, annual fee line. The recurrence is
        set on the line too: its defaults would otherwise win over the
        contract's."""
        product = self._mediation_fee_product()
        return {
            "product_id": product.id,
            "name": product.with_context(lang=lang).name,
            "quantity": 1,
            "uom_id": product.uom_id.id,
            "automatic_price": False,
            "price_unit": fee,
            "date_start": date_start,
            "recurring_rule_type": "yearly",
            "recurring_interval": 1,
            "recurring_invoicing_type": "pre-paid",
        }

    def _mediation_accept_online(self, signatory, consent, ip_address):
        """Acceptance of the proposal by the professional on the portal."""
        self.ensure_one()
        signatory = (signatory or "").strip()
        if self.mediation_state != "proposal":
            raise UserError(
                self.env._("This proposal has already been accepted or withdrawn.")
            )
        if (
            self.mediation_proposal_expiry
            and self.mediation_proposal_expiry < fields.Date.context_today(self)
        ):
            raise UserError(
                self.env._(
                    "This proposal expired on %(date)s: ask us for a new one.",
                    date=format_date(self.env, self.mediation_proposal_expiry),
                )
            )
        if not signatory:
            raise UserError(self.env._("Type your full name to sign."))
        if not consent:
            raise UserError(
                self.env._("Tick the box to confirm that you accept the proposal.")
            )
        self.write(
            {
                "mediation_acceptance_mode": "online",
                "mediation_accepted_name": signatory,
                "mediation_accepted_on": fields.Datetime.now(),
                "mediation_accepted_ip": ip_address,
            }
        )
        self.message_post(
            body=self.env._(
                "Proposal accepted online by %(name)s from %(ip)s.",
                name=signatory,
                ip=ip_address,
            )
        )
        self.action_mediation_activate()

    def _mediation_covered_partners(self, on_date=None):
        """The professionals this contract covers on ``on_date``."""
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        if self.mediation_kind == "convention":
            return self.mediation_member_ids.filtered(
                lambda m: (
                    m.date_join <= on_date
                    and (not m.date_leave or m.date_leave >= on_date)
                )
            ).partner_id
        return self.partner_id.commercial_partner_id

    def _mediation_send_kit(self):
        for contract in self:
            contract._mediation_covered_partners()._mediation_send_kit()
            contract.mediation_kit_sent_on = fields.Datetime.now()

    @api.model
    def _get_contracts_to_invoice_domain(self, date_ref=None):
        """Memberships are invoiced by the mediation invoicing (pro rata,
        case fees, isolation), never by OCA's scheduled action as well."""
        return super()._get_contracts_to_invoice_domain(date_ref) + [
            ("mediation_kind", "=", False)
        ]

    def _mediation_credit_unused(self, end_date):
        """Before coverage ends on ``end_date``: the annual fee already
        invoiced beyond it is credited pro rata when the settings say so, and
        the lines stop being invoiced there."""
        self.ensure_one()
        product = self._mediation_fee_product()
        refund_lines = []
        for line in self.contract_line_ids.filtered(
            lambda li: li.last_date_invoiced and li.last_date_invoiced > end_date
        ):
            unused_days = (line.last_date_invoiced - end_date).days
            if line.product_id == product and unused_days > 0:
                year_days = 366 if calendar.isleap(end_date.year) else 365
                refund_lines.append(
                    fields.Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": self.env._(
                                "%(name)s: unused from %(start)s to %(end)s",
                                name=line.name,
                                start=end_date + timedelta(days=1),
                                end=line.last_date_invoiced,
                            ),
                            "quantity": 1,
                            "price_unit": self.currency_id.round(
                                line.price_unit
                                * min(unused_days, year_days)
                                / year_days
                            ),
                            "contract_line_id": line.id,
                            "mediation_period_start": end_date + timedelta(days=1),
                            "mediation_period_end": line.last_date_invoiced,
                        }
                    )
                )
            line.last_date_invoiced = end_date if end_date >= line.date_start else False
        if refund_lines and self.company_id.mediation_credit_note_policy == "prorata":
            vals = self._prepare_invoice(fields.Date.context_today(self))
            vals.update(
                {
                    "move_type": "out_refund",
                    "invoice_line_ids": refund_lines,
                }
            )
            refund = self.env["account.move"].sudo().create(vals)
            self.env["mediation.invoicing"].sudo()._finalize(refund)

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_mediation_renew(self):
        """Renew the memberships whose term has ended, or let them expire
        when they are not tacitly renewed."""
        today = fields.Date.context_today(self)
        ended = self.search(
            [
                ("mediation_state", "in", ("active", "suspended")),
                ("mediation_term_end", "<", today),
            ]
        )
        for contract in ended:
            if contract.mediation_tacit_renewal:
                while contract.mediation_term_end < today:
                    contract.action_mediation_renew()
            else:
                contract._mediation_terminate(
                    contract.mediation_term_end,
                    self.env._("Term ended without renewal."),
                    state="expired",
                )
