import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import format_amount, format_date

from ..models.mediation_case_fee import FEE_KINDS

_logger = logging.getLogger(__name__)


class MediationInvoiceWizard(models.TransientModel):
    _name = "mediation.invoice.wizard"
    _description = "Invoice Due Membership and Case Fees"

    date_to = fields.Date(
        string="Invoice Fees Due Up To",
        required=True,
        default=fields.Date.context_today,
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Members",
        domain=[
            "|",
            ("contract_ids.mediation_kind", "!=", False),
            ("mediation_convention_membership_ids", "!=", False),
        ],
        help="Invoice only these members (the fees they pay, the annual fees "
        "of their contracts); all members when empty.",
    )
    fee_kind = fields.Selection(
        [("membership", "Annual Fee"), *FEE_KINDS],
        string="Kind of Fee",
        help="Invoice only this kind of fee; every kind when empty.",
    )
    preview_html = fields.Html(
        string="Preview", compute="_compute_preview", sanitize=False
    )
    preview_count = fields.Integer(compute="_compute_preview")
    preview_total = fields.Monetary(
        compute="_compute_preview", currency_field="currency_id"
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("date_to", "partner_ids", "fee_kind")
    def _compute_preview(self):
        for wizard in self:
            rows = wizard._engine()._preview(wizard.date_to) if wizard.date_to else []
            wizard.preview_count = len(rows)
            wizard.preview_total = sum(row["amount"] for row in rows)
            wizard.preview_html = wizard._render_preview(rows)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_invoice(self):
        self.ensure_one()
        invoices, failed = self._engine()._run(
            self.date_to, on_progress=self._log_progress
        )
        if failed:
            self.env.user._bus_send(
                "simple_notification",
                {
                    "type": "warning",
                    "sticky": True,
                    "message": self.env._(
                        "%(count)s contract(s) could not be invoiced; the reason "
                        "is on each contract, with an activity.",
                        count=len(failed),
                    ),
                },
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _engine(self):
        """The invoicing engine narrowed to the members and kind chosen."""
        self.ensure_one()
        return self.env["mediation.invoicing"].with_context(
            mediation_invoice_partner_ids=self.partner_ids._origin.ids,
            mediation_invoice_kind=self.fee_kind,
        )

    @staticmethod
    def _log_progress(done, remaining):
        _logger.info(
            "Membership invoicing: %s contracts done, %s left", done, remaining
        )

    def _render_preview(self, rows):
        if not rows:
            return Markup("<p>%s</p>") % self.env._("Nothing is due up to this date.")
        head = Markup("").join(
            Markup("<th>%s</th>") % label
            for label in (
                self.env._("Contract"),
                self.env._("Invoiced To"),
                self.env._("Fee"),
                self.env._("Due On"),
                self.env._("Amount"),
            )
        )
        body = Markup("").join(
            Markup(
                "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                '<td class="text-end">%s</td></tr>'
            )
            % (
                escape(row["contract"]),
                escape(row["partner"]),
                escape(row["description"]),
                format_date(self.env, row["date"]),
                format_amount(self.env, row["amount"], self.currency_id),
            )
            for row in rows
        )
        return (
            Markup('<table class="table table-sm"><thead><tr>%s</tr></thead>') % head
            + Markup("<tbody>%s</tbody></table>") % body
        )
