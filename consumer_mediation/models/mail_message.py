from odoo import api, fields, models
from odoo.osv import expression

from .mediation_case_audience import AUDIENCES


class MailMessage(models.Model):
    """Messages of mediation cases reach their audience only: every read
    path applies mediation.case._mediation_message_domain."""

    _inherit = "mail.message"

    mediation_audience = fields.Selection(
        AUDIENCES,
        string="Audience",
        readonly=True,
        help="Who sees this message of a mediation case, besides the mediator.",
    )

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    @api.model
    def _get_search_domain_share(self):
        # Searches by portal users, and the portal chatter's fetch in sudo.
        return expression.AND(
            [
                super()._get_search_domain_share(),
                self.env["mediation.case"]._mediation_message_domain(),
            ]
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Internal users do not get the share domain: same rule for them.
        if not self.env.is_superuser() and self.env.user._is_internal():
            audience = self.env["mediation.case"]._mediation_message_domain()
            if audience:
                domain = expression.AND([audience, domain])
        return super()._search(domain, offset, limit, order)

    def _get_forbidden_access(self, operation):
        forbidden = super()._get_forbidden_access(operation)
        cases = (
            (self - forbidden).sudo().filtered(lambda m: m.model == "mediation.case")
        )
        if not cases:
            return forbidden
        if operation != "read" and not self.env.user._is_internal():
            # The parties write only through the case's portal routes.
            return forbidden | self.browse(cases.ids)
        audience = self.env["mediation.case"]._mediation_message_domain()
        if audience:
            visible = cases.search(
                expression.AND([[("id", "in", cases.ids)], audience])
            )
            forbidden |= self.browse((cases - visible).ids)
        return forbidden

    def _extras_to_store(self, store, format_reply):
        # The chatter shows the team to whom each message of a case went.
        super()._extras_to_store(store, format_reply=format_reply)
        if not self.env.user._is_internal():
            return
        labels = dict(
            self._fields["mediation_audience"]._description_selection(self.env)
        )
        for message in self.sudo().filtered("mediation_audience"):
            store.add(
                message,
                {"mediation_audience_label": labels[message.mediation_audience]},
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mediation_share(self):
        """Share the documents of a party's private message with both
        parties (mediation team only: the case checks it)."""
        self.ensure_one()
        message = self.sudo()
        if message.model != "mediation.case":
            return False
        self.env["mediation.case"].browse(message.res_id)._mediation_share(self)
        return True
