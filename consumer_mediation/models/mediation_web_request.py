import hashlib
import logging
import secrets
from datetime import timedelta

from markupsafe import Markup
from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.tools import SQL, email_normalize

_logger = logging.getLogger(__name__)

# Contact details typed in the filing form, kept for the new contact or, when
# the e-mail is an account's, shown to the team next to the account's.
CONTACT_FIELDS = ("name", "phone", "street", "zip", "city")


def _hash(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


class MediationWebRequest(models.Model):
    """A request sent from a public form by a visitor who is not logged in,
    waiting for its sender to confirm their e-mail address: not a case (not
    numbered, nobody else e-mailed, not in the reports) nor a lead until the
    link of the confirmation e-mail is used. Holds personal data: the
    managers read it (to answer "I never got the e-mail"), nobody else."""

    _name = "mediation.web.request"
    _description = "Online Request Awaiting E-mail Confirmation"
    _order = "id desc"
    _rec_name = "email"

    # ------------------------------------------------------------------
    # Request
    # ------------------------------------------------------------------
    kind = fields.Selection(
        [("case", "Mediation request"), ("membership", "Membership request")],
        required=True,
        readonly=True,
    )
    email = fields.Char(string="E-mail", required=True, readonly=True)
    lang = fields.Char(string="Language", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )
    values = fields.Json(
        string="Typed Values",
        readonly=True,
        help="What the sender typed, filed as it is once confirmed.",
    )
    attachment_ids = fields.One2many(
        "ir.attachment",
        "res_id",
        string="Documents",
        domain=[("res_model", "=", _name)],
        readonly=True,
    )
    form_token = fields.Char(
        required=True,
        readonly=True,
        help="Token of the form: the same form sent again finds this request.",
    )

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------
    token_hash = fields.Char(
        required=True,
        readonly=True,
        groups="base.group_system",
        help="SHA-256 of the confirmation link's token: the link itself is "
        "only in the e-mail.",
    )
    date_expiry = fields.Datetime(
        string="Link Valid Until", required=True, readonly=True
    )
    state = fields.Selection(
        [("pending", "Awaiting confirmation"), ("confirmed", "Confirmed")],
        default="pending",
        required=True,
        readonly=True,
    )
    date_confirmed = fields.Datetime(readonly=True)
    case_id = fields.Many2one("mediation.case", readonly=True, ondelete="set null")
    lead_id = fields.Many2one("crm.lead", readonly=True, ondelete="set null")

    _sql_constraints = [
        (
            "form_token_unique",
            "UNIQUE(form_token)",
            "This online form was already sent.",
        ),
        (
            "token_hash_unique",
            "UNIQUE(token_hash)",
            "A confirmation link is unique.",
        ),
    ]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_documents(self):
        # Attachments of a model are not deleted with its records.
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _submit(self, kind, email, values, form_token, attachments=None):
        """Keep a request of a visitor and send them the confirmation link.
        The same form sent again, even at the same instant, makes no second
        request nor e-mail: returns False then."""
        token = secrets.token_urlsafe(32)
        hours = self.env.company.mediation_confirmation_hours
        try:
            with self.env.cr.savepoint():
                web_request = self.create(
                    {
                        "kind": kind,
                        "email": email_normalize(email),
                        "lang": self.env.lang,
                        "values": values,
                        "form_token": form_token,
                        "token_hash": _hash(token),
                        "date_expiry": fields.Datetime.now() + timedelta(hours=hours),
                    }
                )
        except IntegrityError as error:
            if error.diag.constraint_name != f"{self._table}_form_token_unique":
                raise
            _logger.info("Online form %s sent again", form_token)
            return False
        if attachments:
            attachments.sudo().write(
                {
                    "res_model": self._name,
                    "res_id": web_request.id,
                    "access_token": False,
                }
            )
        web_request._send_confirmation(token)
        return web_request

    def _confirmation_summary(self):
        """What the link files and for whom, in the confirmation e-mail: the
        filer recognises their request (or one they did not make), in the
        language of the form."""
        self.ensure_one()
        env = self.with_context(lang=self.lang or self.env.lang).env
        values = self.values or {}
        if self.kind == "case":
            professional = (
                env["res.partner"]
                .sudo()
                .browse(values["case"].get("professional_id"))
                .exists()
            )
            return env._(
                "A mediation request about %(professional)s, in the name of %(name)s.",
                professional=professional.name or "",
                name=values["contact"].get("name") or "",
            )
        return env._(
            "A membership request for %(company)s, by %(name)s.",
            company=values["lead"].get("partner_name") or "",
            name=values["lead"].get("contact_name") or "",
        )

    def _send_confirmation(self, token):
        self.ensure_one()
        url = f"{self.get_base_url()}/mediation/confirm/{token}"
        # Not attached to the request: its readers (the managers) would read
        # the link in the queued message, or in a mail that failed, and could
        # confirm in the place of the mailbox's owner.
        self.env.ref(
            "consumer_mediation.mail_template_web_request_confirmation"
        ).with_context(confirm_url=url).sudo().send_mail(
            self.id, email_values={"model": False, "res_id": False}
        )
        # Queued: without this, Odoo's queue sends it within the hour, while
        # the visitor waits for it with the form just sent.
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()

    @api.model
    def _from_token(self, token):
        """The request of a confirmation link's ``token``, or an empty
        recordset."""
        if not token:
            return self.browse()
        digest = _hash(token)
        web_request = self.sudo().search([("token_hash", "=", digest)], limit=1)
        if web_request and secrets.compare_digest(web_request.token_hash, digest):
            return web_request
        return self.browse()

    def _refusal(self):
        """Why the link of this request cannot be used, or None."""
        self.ensure_one()
        if self.state != "pending":
            return self.env._(
                "This link was already used: your request is registered. Each "
                "link can be used once."
            )
        if self.date_expiry < fields.Datetime.now():
            return self.env._(
                "This link has expired: requests not confirmed in time are "
                "deleted. Please fill in the form again."
            )
        return None

    def _confirm(self):
        """File the request once its sender confirmed from their mailbox:
        the case (through the online filing) or the membership lead. The row
        is locked first, so that concurrent confirmations file it once and
        create one contact. Returns the refusal message, or None."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = %s FOR UPDATE",
                SQL.identifier(self._table),
                self.id,
            )
        )
        self.invalidate_recordset()
        refusal = self._refusal()
        if refusal:
            return refusal
        if self.kind == "case":
            self.case_id = self._file_case()
        else:
            self.lead_id = self.env["crm.lead"].sudo().create(self.values["lead"])
        # What was typed now lives in the case or the lead only.
        self.write(
            {
                "state": "confirmed",
                "date_confirmed": fields.Datetime.now(),
                "values": False,
            }
        )
        return None

    def _file_case(self):
        values = self.values
        contact = {name: (values["contact"].get(name) or "") for name in CONTACT_FIELDS}
        account = self.env["mediation.case"]._web_account(self.email)
        consumer = account.partner_id or self.env["res.partner"].sudo().create(
            {**contact, "email": self.email, "lang": self.lang}
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "=", self.id)])
        )
        case = (
            self.env["mediation.case"]
            .sudo()
            ._web_file(
                {**values["case"], "consumer_id": consumer.id},
                attachments,
                self.form_token,
            )
        )
        if account:
            self._note_typed_contact(case, consumer, contact)
        return case

    def _note_typed_contact(self, case, partner, contact):
        """The account's contact is never overwritten by a form: what was
        typed, when it differs, is left to the team on the case."""
        differing = {
            name: typed
            for name, typed in contact.items()
            if typed and typed != (partner[name] or "")
        }
        if not differing:
            return
        labels = partner.fields_get(list(differing), ["string"])
        items = Markup("").join(
            Markup("<li>%s: %s</li>") % (labels[name]["string"], typed)
            for name, typed in differing.items()
        )
        case.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "Contact details typed in the online form, different from the "
                    "account's (not applied):"
                ),
                items,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            mediation_audience="team",
        )

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.autovacuum
    def _gc_web_requests(self):
        """Requests whose link expired are deleted with their documents: the
        unconfirmed ones were never filed, the confirmed ones live on in their
        case or lead."""
        self.sudo().search([("date_expiry", "<", fields.Datetime.now())]).unlink()
