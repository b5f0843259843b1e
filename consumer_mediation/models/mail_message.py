from odoo import api, fields, models
from odoo.exceptions import AccessError
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
        if operation in ("create", "write"):
            forbidden |= self.browse(cases.ids)._mediation_forbidden_posts()
        return forbidden

    def _mediation_forbidden_posts(self):
        """The case messages among these that the user may not post or
        change: Odoo lets a follower post and an author edit whatever it can
        no longer read; here the audience rule decides, as for reading (a
        mediator the case was taken from, the secretariat in a private
        thread)."""
        user = self.env.user
        Case = self.env["mediation.case"]
        return self.filtered(
            lambda m: (
                m.message_type != "user_notification"
                and not Case.browse(m.sudo().res_id)._mediation_team_admits(
                    m.sudo().mediation_audience or "team", user
                )
            )
        )

    @api.model
    def _get_with_access(self, message_id, operation, **kwargs):
        # Odoo falls back on the rights on the case (or its token) when the
        # message itself is refused: the reaction route would let the
        # secretariat, or a mediator the case was taken from, react to a
        # message of an audience it is not in.
        message = super()._get_with_access(message_id, operation, **kwargs)
        if (
            operation != "read"
            and message
            and message.sudo().model == "mediation.case"
            and message.sudo(False)._get_forbidden_access(operation)
        ):
            return self.browse()
        return message

    # ------------------------------------------------------------------
    # Writes
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        if not self.env.su:
            messages._mediation_check_attachments(
                {message: message.sudo().attachment_ids for message in messages}
            )
        return messages

    def write(self, vals):
        if self.env.su or not self.sudo().filtered(
            lambda m: m.model == "mediation.case"
        ):
            return super().write(vals)
        if {"mediation_audience", "model", "res_id"} & set(vals):
            raise AccessError(
                self.env._(
                    "The audience of a message of a case is set when it is "
                    "posted: it cannot be changed."
                )
            )
        before = {message: message.sudo().attachment_ids for message in self}
        result = super().write(vals)
        self._mediation_check_attachments(
            {
                message: message.sudo().attachment_ids - attachments
                for message, attachments in before.items()
            }
        )
        return result

    def _mediation_check_attachments(self, added):
        """A document joins a message of a case only from that case and
        without crossing audiences: ``added`` ({message: attachments}) must
        belong to the message's case and to no message of another audience
        (the mediator shares a party's documents with Share, which posts them
        in the joint thread)."""
        for message, attachments in added.items():
            message = message.sudo()
            if message.model != "mediation.case" or not attachments:
                continue
            elsewhere = self.sudo().search(
                [
                    ("attachment_ids", "in", attachments.ids),
                    ("id", "!=", message.id),
                    "|",
                    ("model", "!=", message.model),
                    "|",
                    ("res_id", "!=", message.res_id),
                    ("mediation_audience", "!=", message.mediation_audience),
                ],
                limit=1,
            )
            foreign = attachments.sudo().filtered(
                lambda a, m=message: (
                    a.res_id and (a.res_model, a.res_id) != (m.model, m.res_id)
                )
            )
            if elsewhere or foreign:
                raise AccessError(
                    self.env._(
                        "A document of a case reaches another audience by the "
                        "mediator's action Share with Both Parties only."
                    )
                )

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
