from odoo import api, fields, models
from odoo.tools import format_date


class AccountMove(models.Model):
    _inherit = "account.move"

    mediation_contract_id = fields.Many2one(
        "contract.contract",
        string="Membership Contract",
        compute="_compute_mediation_contract_id",
        store=True,
        index="btree_not_null",
        help="Membership whose annual fee or case fees this invoice bills; its "
        "payment follow-up flags that contract.",
    )
    mediation_reminder_date = fields.Date(
        string="Payment Reminder Sent On",
        readonly=True,
        copy=False,
        help="The member was sent a payment reminder of this overdue invoice "
        "on this day.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "invoice_line_ids.contract_line_id", "invoice_line_ids.mediation_case_fee_id"
    )
    def _compute_mediation_contract_id(self):
        # Whoever made the invoice (the mediation run, OCA's button, a credit
        # note), its lines tell which membership it bills.
        for move in self:
            lines = move.invoice_line_ids
            contracts = (
                lines.contract_line_id.contract_id.filtered("mediation_kind")
                | lines.mediation_case_fee_id.contract_id
            )
            move.mediation_contract_id = contracts[:1]

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _mediation_service_period(self):
        """(first day, last day) of the services the invoice bills, or
        (False, False) when its lines do not say."""
        self.ensure_one()
        lines = self.invoice_line_ids.filtered("mediation_period_start")
        if not lines:
            return False, False
        return (
            min(lines.mapped("mediation_period_start")),
            max(lines.mapped("mediation_period_end")),
        )

    @api.model
    def _mediation_period_text(self, start, end):
        """ "from <start> to <end>" in the language of the document."""
        if not start:
            return ""
        if not end:
            return self.env._("from %(start)s", start=format_date(self.env, start))
        return self.env._(
            "from %(start)s to %(end)s",
            start=format_date(self.env, start),
            end=format_date(self.env, end),
        )

    def _mediation_send_payment_reminder(self):
        """E-mail each overdue invoice's member a payment reminder with the
        reminder PDF, once per invoice."""
        template = self.env.ref(
            "consumer_mediation.mail_template_mediation_payment_reminder"
        )
        for move in self.filtered(lambda m: m.partner_id.email):
            # The reminder is dated the day it is sent.
            move.mediation_reminder_date = fields.Date.context_today(move)
            template.send_mail(
                move.id, email_layout_xmlid="mail.mail_notification_light"
            )
            move.message_post(
                body=self.env._(
                    "Payment reminder sent to %(email)s.", email=move.partner_id.email
                )
            )
