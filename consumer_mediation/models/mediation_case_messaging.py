"""Messages of a case: incoming e-mail, the threads of each audience and
the guards that keep every message within its audience
(mediation_case_audience.py holds the rule)."""

import hashlib

import psycopg2
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize, mute_logger, parse_contact_from_email

from .mediation_case import FINAL_STATES
from .mediation_case_audience import PRIVATE_AUDIENCES

# The threads of the Exchanges tab and the audiences each shows: the
# documents filed with the request open the consumer's.
THREADS_AUDIENCES = {
    "consumer": ("filing", "consumer"),
    "professional": ("professional",),
    "parties": ("parties",),
}
# What the mediator may share with both parties.
SHAREABLE_AUDIENCES = (*PRIVATE_AUDIENCES, "filing")


class MediationCase(models.Model):
    # The case model is split by concern, one file each, on purpose.
    _inherit = "mediation.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Threads
    # ------------------------------------------------------------------
    message_consumer_ids = fields.Many2many(
        "mail.message",
        string="With the Consumer",
        compute="_compute_thread_messages",
        groups="consumer_mediation.group_mediation_user",
    )
    message_professional_ids = fields.Many2many(
        "mail.message",
        string="With the Professional",
        compute="_compute_thread_messages",
        groups="consumer_mediation.group_mediation_user",
    )
    message_parties_ids = fields.Many2many(
        "mail.message",
        string="With Both Parties",
        compute="_compute_thread_messages",
        groups="consumer_mediation.group_mediation_user",
    )

    @api.depends("message_ids")
    def _compute_thread_messages(self):
        messages = self.env["mail.message"].search(
            [
                ("model", "=", self._name),
                ("res_id", "in", self.ids),
                ("message_type", "in", ("comment", "email")),
                (
                    "mediation_audience",
                    "in",
                    [a for audiences in THREADS_AUDIENCES.values() for a in audiences],
                ),
            ]
        )
        for case in self:
            own = messages.filtered(lambda m, c=case: m.res_id == c.id)
            for thread, audiences in THREADS_AUDIENCES.items():
                case[f"message_{thread}_ids"] = own.filtered(
                    lambda m, a=audiences: m.mediation_audience in a
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_write_to_consumer(self):
        return self._action_write_to("consumer")

    def action_write_to_professional(self):
        return self._action_write_to("professional")

    def action_write_to_parties(self):
        return self._action_write_to("parties")

    def _action_write_to(self, audience):
        """The composer, addressed to the parties of ``audience``; what is
        sent there is posted in that thread."""
        self.ensure_one()
        self.check_access("write")
        if audience != "consumer" and not self.is_professional_involved:
            raise UserError(
                self.env._(
                    "The professional is not involved in %(case)s yet: write to "
                    "the consumer only.",
                    case=self.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_message_type": "comment",
                "default_subtype_xmlid": "mail.mt_comment",
                "default_partner_ids": self._mediation_party_partners(audience).ids,
                "mediation_audience": audience,
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _mediation_party_partners(self, audience):
        """The parties and representatives ``audience`` reaches."""
        self.ensure_one()
        case = self.sudo()
        candidates = (
            case.consumer_id | case.professional_id | case.representative_ids.partner_id
        )
        return case._mediation_audience_partners(audience, candidates) - (
            self.env.user.partner_id
        )

    def _mediation_post(self, audience, body, attachments=None, author=None):
        """Post ``body`` in the thread of ``audience``, with ``attachments``
        of the case; the only way the parties' portal posts."""
        self.ensure_one()
        if self.state in FINAL_STATES:
            raise UserError(
                self.env._(
                    "%(case)s is %(state)s: nothing more can be sent on it.",
                    case=self.name,
                    state=self._state_label(),
                )
            )
        message = self.message_post(
            body=body,
            author_id=(author or self.env.user.partner_id).id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            mediation_audience=audience,
        )
        if attachments:
            # Linked after posting: message_post drops attachments a portal
            # or public user did not create.
            attachments.sudo().write(
                {"res_model": self._name, "res_id": self.id, "access_token": False}
            )
            message.sudo().attachment_ids = [Command.set(attachments.ids)]
        return message

    def _mediation_share(self, message):
        """Share the documents of a private ``message`` with both parties:
        posted, with its author and date, in the joint thread."""
        self.ensure_one()
        self.check_access("write")
        message = message.sudo()
        if (
            message.model != self._name
            or message.res_id != self.id
            or message.mediation_audience not in SHAREABLE_AUDIENCES
            or not message.attachment_ids
        ):
            raise UserError(
                self.env._("Only documents of a private exchange can be shared.")
            )
        if not self.is_professional_involved:
            raise UserError(
                self.env._(
                    "The professional is not involved in %(case)s yet.",
                    case=self.name,
                )
            )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "Documents shared with both parties by the mediator (sent by "
                "%(author)s on %(date)s):",
                author=message.author_id.name or "",
                date=fields.Date.to_string(message.date.date()),
            ),
            Markup().join(
                Markup("<li>%s</li>") % name
                for name in message.attachment_ids.mapped("name")
            ),
        )
        shared = self.message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            mediation_audience="parties",
            partner_ids=self._mediation_party_partners("parties").ids,
        )
        shared.sudo().attachment_ids = [Command.set(message.attachment_ids.ids)]
        return shared

    def _mediation_check_party_call(self):
        # The mail API is the team's; the parties go through the portal
        # routes, which call it in sudo once they checked the caller.
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(
                self.env._("Parties write to the mediator from the page of their case.")
            )

    # ------------------------------------------------------------------
    # Mail API overrides
    # ------------------------------------------------------------------
    def message_post(self, **kwargs):
        self._mediation_check_party_call()
        return super().message_post(**kwargs)

    def message_notify(self, **kwargs):
        self._mediation_check_party_call()
        return super().message_notify(**kwargs)

    def message_mail_with_source(self, source_ref, **kwargs):
        self._mediation_check_party_call()
        return super().message_mail_with_source(source_ref, **kwargs)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        self._mediation_check_party_call()
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def message_unsubscribe(self, partner_ids=None):
        self._mediation_check_party_call()
        return super().message_unsubscribe(partner_ids=partner_ids)

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        """A party posting twice at once on a case (two tabs, a double
        click) is subscribed by both requests: the second, which could not
        see the first's follower, hit the unique constraint and the party
        got an error page (production rehearsal). Retry it as a concurrent
        update: on a fresh snapshot the follower is there."""
        try:
            with self.env.cr.savepoint(flush=False):
                return super()._message_subscribe(
                    partner_ids=partner_ids,
                    subtype_ids=subtype_ids,
                    customer_ids=customer_ids,
                )
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.table_name != "mail_followers":
                raise
            # Failed as a concurrent update fails (SQLSTATE 40001), an
            # expected and retried failure: not an error for the log.
            with mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    "DO $$BEGIN RAISE EXCEPTION USING "
                    "ERRCODE = 'serialization_failure', "
                    "MESSAGE = 'follower added concurrently'; END$$"
                )

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # Odoo's generic chatter routes (thread data, post, upload, portal
        # chatter by token) are for the team only. A token or a signed link
        # never opens a case (portal.mixin would read its chatter in sudo):
        # the record rules and the audience rule decide, whoever holds one.
        if not self.env.user._is_internal() or any(
            kwargs.get(key) for key in ("token", "hash", "pid")
        ):
            return self.browse()
        return super()._get_thread_with_access(thread_id, mode=mode, **kwargs)

    def _message_update_content(
        self, message, body, attachment_ids=None, partner_ids=None, **kwargs
    ):
        # Odoo's route to edit a message writes it in superuser mode: the
        # documents it adds are checked here as mail.message.write does.
        if attachment_ids:
            added = self.env["ir.attachment"].browse(attachment_ids)
            message._mediation_check_attachments(
                {message: added - message.sudo().attachment_ids}
            )
        return super()._message_update_content(
            message,
            body,
            attachment_ids=attachment_ids,
            partner_ids=partner_ids,
            **kwargs,
        )

    @api.model
    def _get_message_create_valid_field_names(self):
        return super()._get_message_create_valid_field_names() | {"mediation_audience"}

    def _message_create(self, values_list):
        audience = self.env.context.get("mediation_audience") or "team"
        for values in values_list:
            values.setdefault("mediation_audience", audience)
        return super()._message_create(values_list)

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if len(self) != 1 or not recipients:
            return recipients
        partners = self.env["res.partner"].browse(r["id"] for r in recipients)
        allowed = self._mediation_audience_partners(
            message.sudo().mediation_audience or "team", partners
        )
        return [r for r in recipients if r["id"] in allowed.ids]

    # ------------------------------------------------------------------
    # Incoming e-mail
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A request sent to the mediation alias: a new case from the sender."""
        self._mediation_check_gateway()
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

    def message_update(self, msg_dict, update_vals=None):
        self._mediation_check_gateway()
        return super().message_update(msg_dict, update_vals=update_vals)

    @api.model
    def _mediation_mail_request(self, msg_dict):
        """Keep a new request e-mailed from an account's address as the
        online form keeps a visitor's (mediation.web.request): filed in that
        account once confirmed from its mailbox. Returns whether it was."""
        email = email_normalize(msg_dict.get("email_from") or "")
        account = self._web_account(email)
        if not account:
            return False
        name = parse_contact_from_email(msg_dict["email_from"])[0]
        drafts = self._portal_create_drafts(
            [
                (
                    attachment.fname,
                    attachment.content.encode()
                    if isinstance(attachment.content, str)
                    else attachment.content,
                )
                for attachment in msg_dict.get("attachments") or ()
            ]
        )
        digest = hashlib.sha256(msg_dict["message_id"].encode()).hexdigest()
        self.env["mediation.web.request"].sudo().with_context(
            lang=account.lang
        )._submit(
            "case",
            email,
            {
                "case": {"channel": "email", "description": msg_dict.get("body")},
                "contact": {"name": name},
            },
            f"mail-{digest[:40]}",
            drafts,
        )
        return True

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
        # A party's e-mail is its private exchange with the mediator.
        if (
            message.author_id
            and message.message_type == "email"
            and message.mediation_audience == "team"
        ):
            sides = self._mediation_sides(message.author_id)
            if len(sides) == 1:
                message.sudo().mediation_audience = sides.pop()
        return super()._message_post_after_hook(message, msg_vals)
