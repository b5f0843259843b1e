from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

FEE_KINDS = [
    ("case", "Case Fee"),
    ("admissibility", "Admissibility Study Fee"),
    ("decline", "Decline Fee"),
]


class MediationCaseFee(models.Model):
    """A fee a case owes under its covering contract, billed once.

    The fee copies what accounting needs (case reference, amount, payer) so
    that invoicing never has to read the case itself: accountants read fees,
    not cases (confidentiality, L612-3)."""

    _name = "mediation.case.fee"
    _description = "Mediation Case Fee"
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # What is owed, by whom
    # ------------------------------------------------------------------
    case_id = fields.Many2one(
        "mediation.case",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
        groups="consumer_mediation.group_mediation_user",
    )
    case_reference = fields.Char(required=True, readonly=True)
    kind = fields.Selection(FEE_KINDS, required=True, readonly=True)
    is_complex = fields.Boolean(
        string="Complex Case",
        readonly=True,
        help="Billed at the complex rate of the contract.",
    )
    date = fields.Date(
        string="Due On",
        required=True,
        readonly=True,
        help="Date of the event of the case that made the fee due.",
    )
    contract_id = fields.Many2one(
        "contract.contract",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Invoiced To",
        required=True,
        readonly=True,
        help="The contract's partner, or the member company when a convention "
        "makes members pay their case fees.",
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    amount = fields.Monetary(required=True, readonly=True)
    # ------------------------------------------------------------------
    # Billing
    # ------------------------------------------------------------------
    state = fields.Selection(
        [
            ("to_invoice", "To Invoice"),
            ("invoiced", "Invoiced"),
            ("cancelled", "Cancelled"),
        ],
        default="to_invoice",
        required=True,
        readonly=True,
        index=True,
    )
    invoice_line_id = fields.Many2one(
        "account.move.line", readonly=True, copy=False, index="btree_not_null"
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id", store=True, string="Invoice"
    )
    refund_line_id = fields.Many2one(
        "account.move.line", string="Credit Note Line", readonly=True, copy=False
    )
    refund_id = fields.Many2one(
        related="refund_line_id.move_id", string="Credit Note", store=True
    )

    _sql_constraints = [
        (
            "case_kind_unique",
            "unique(case_id, kind)",
            "A case owes each kind of fee only once.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("case_reference", "kind")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for fee in self:
            fee.display_name = f"{fee.case_reference} - {labels.get(fee.kind, '')}"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_cancel(self):
        """Cancel fees; an invoiced fee is credited when the company's
        policy says so."""
        self._check_invoicing_access()
        for fee in self:
            if fee.state == "cancelled":
                raise UserError(
                    self.env._(
                        "The fee %(fee)s is already cancelled.", fee=fee.display_name
                    )
                )
        for fee in self.sudo():
            if fee.state == "invoiced":
                fee._refund()
            fee.state = "cancelled"
        return True

    def action_open_invoice(self):
        self.ensure_one()
        return self.invoice_id._get_records_action()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _check_invoicing_access(self):
        """Invoicing entry points run the engine as superuser after this
        check: accounting users only (the scheduled action runs as root)."""
        if self.env.su:
            return
        if not self.env.user.has_group("account.group_account_invoice"):
            raise UserError(
                self.env._("Only accounting users can invoice or credit fees.")
            )
        self.env["account.move"].check_access("create")

    def _refund(self):
        """Credit the invoiced fee, unless the policy gives nothing back or
        the invoice is still a draft (then the line is simply removed)."""
        self.ensure_one()
        invoice = self.invoice_id
        if invoice.state == "draft":
            self.invoice_line_id.unlink()
            if not invoice.invoice_line_ids:
                invoice.unlink()
            return
        if self.company_id.mediation_credit_note_policy == "none":
            return
        line = self.invoice_line_id
        credit_note = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "journal_id": invoice.journal_id.id,
                "company_id": invoice.company_id.id,
                "currency_id": invoice.currency_id.id,
                "fiscal_position_id": invoice.fiscal_position_id.id,
                "invoice_date": fields.Date.context_today(self),
                "reversed_entry_id": invoice.id,
                "invoice_origin": invoice.name,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "quantity": line.quantity,
                            "price_unit": line.price_unit,
                            "tax_ids": [fields.Command.set(line.tax_ids.ids)],
                            "mediation_case_fee_id": self.id,
                            "mediation_period_start": line.mediation_period_start,
                            "mediation_period_end": line.mediation_period_end,
                        }
                    )
                ],
            }
        )
        self.refund_line_id = credit_note.invoice_line_ids[:1]
        self.env["mediation.invoicing"]._finalize(credit_note)

    def _invoice_line_vals(self):
        self.ensure_one()
        fee = self.with_context(lang=self.partner_id.lang)
        kind = dict(fee._fields["kind"]._description_selection(fee.env))[self.kind]
        return {
            "product_id": self.product_id.id,
            "name": fee.env._(
                "%(fee)s - case %(case)s of %(date)s",
                fee=kind,
                case=self.case_reference,
                date=format_date(fee.env, self.date),
            ),
            "quantity": 1,
            "price_unit": self.amount,
            "mediation_case_fee_id": self.id,
            "mediation_period_start": self.date,
            "mediation_period_end": self.date,
        }
