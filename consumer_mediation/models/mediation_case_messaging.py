"""Messages of a case: incoming e-mail and posting hooks."""

from odoo import api, models
from odoo.tools import email_normalize


class MediationCase(models.Model):
    # The case model is split by concern, one file each, on purpose.
    _inherit = "mediation.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Incoming e-mail
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A request sent to the mediation alias: a new case from the sender."""
        consumer = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not consumer and email_normalize(msg_dict.get("email_from") or ""):
            consumer = self.env["res.partner"].find_or_create(msg_dict["email_from"])
        values = {
            "name": "/",
            "consumer_id": consumer.id,
            "channel": "email",
            "description": msg_dict.get("body"),
            **(custom_values or {}),
        }
        return super().message_new(msg_dict, custom_values=values)

    def _message_post_after_hook(self, message, msg_vals):
        # The consumer of a case opened by e-mail is created after the
        # incoming message was routed: link that message to them.
        if (
            not message.author_id
            and self.consumer_id.email_normalized
            and email_normalize(message.email_from or "")
            == self.consumer_id.email_normalized
        ):
            message.author_id = self.consumer_id
        return super()._message_post_after_hook(message, msg_vals)

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for case in self:
            case._message_add_suggested_recipient(
                recipients, partner=case.consumer_id, reason=self.env._("Consumer")
            )
        return recipients
