import os
import secrets
from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize, escape_psql, format_date
from odoo.tools.mimetypes import guess_mimetype

from .mediation_case import LETTERS, OPEN_STATES
from .mediation_case_audience import AUDIENCE_SIDES

# Documents the parties may send online: PDF, images, office documents, text
# and e-mail files. Content sniffed as a browser-executable type is refused
# whatever its extension.
UPLOAD_EXTENSIONS = {
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".heic",
    ".tif",
    ".tiff",
    ".doc",
    ".docx",
    ".odt",
    ".rtf",
    ".xls",
    ".xlsx",
    ".ods",
    ".csv",
    ".ppt",
    ".pptx",
    ".odp",
    ".txt",
    ".eml",
    ".msg",
}
UPLOAD_FORBIDDEN_MIMETYPES = {
    "text/html",
    "image/svg+xml",
    "application/xhtml+xml",
    "application/javascript",
    "text/javascript",
    "application/x-msdownload",
    "application/x-dosexec",
    "application/x-executable",
}
UPLOAD_IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff"}
MEGABYTE = 1024 * 1024

# Online decisions: (party, decision) -> state the case must be in.
PORTAL_DECISIONS = {
    ("professional", "entry_agreed"): "waiting",
    ("professional", "entry_declined"): "waiting",
    ("consumer", "proposal_accepted"): "proposal",
    ("consumer", "proposal_refused"): "proposal",
    ("professional", "proposal_accepted"): "proposal",
    ("professional", "proposal_refused"): "proposal",
    ("consumer", "withdrawal"): OPEN_STATES,
}


class MediationCase(models.Model):
    """What the parties see and do in the portal and the online filing."""

    _inherit = "mediation.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Online filing and decisions
    # ------------------------------------------------------------------
    signature_ids = fields.One2many(
        "mediation.case.signature", "case_id", string="Online Decisions", readonly=True
    )
    # portal.mixin's token would open the case to whoever holds it (Odoo's
    # token routes read in sudo): the parties log in, nobody reads it but
    # the system.
    access_token = fields.Char(groups="base.group_system")
    web_token = fields.Char(
        string="Online Form Token",
        readonly=True,
        groups="consumer_mediation.group_mediation_user",
        copy=False,
        index=True,
        help="Token of the online filing form: submitting it twice finds this "
        "case instead of creating another.",
    )

    _sql_constraints = [
        (
            "web_token_unique",
            "UNIQUE(web_token)",
            "This online request was already filed.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_access_url(self):
        res = super()._compute_access_url()
        for case in self:
            case.access_url = f"/my/mediation-cases/{case.id}"
        return res

    # ------------------------------------------------------------------
    # Business methods: portal
    # ------------------------------------------------------------------
    def _portal_decisions(self, roles):
        """(party, decision) pairs open to someone acting for ``roles``."""
        self.ensure_one()
        decisions = []
        for (party, decision), states in PORTAL_DECISIONS.items():
            if party not in roles or self.state not in states:
                continue
            if decision.startswith("proposal_") and self[f"{party}_answer"]:
                continue
            decisions.append((party, decision))
        return decisions

    def _portal_choice_label(self, decision):
        """A decision as its party says it when choosing it (the signature's
        selection reads as what was done)."""
        _ = self.env._
        return {
            "entry_agreed": _("I agree to enter the mediation"),
            "entry_declined": _("I decline to enter the mediation"),
            "proposal_accepted": _("I accept the proposal"),
            "proposal_refused": _("I refuse the proposal"),
            "withdrawal": _("I withdraw from the mediation"),
        }[decision]

    def _portal_statement(self, decision):
        self.ensure_one()
        _ = self.env._
        texts = {
            "entry_agreed": _(
                "On behalf of %(professional)s, I agree to enter the mediation of "
                "case %(case)s and to take part in it in good faith.",
                professional=self.professional_id.name,
                case=self.name,
            ),
            "entry_declined": _(
                "On behalf of %(professional)s, I decline to enter the mediation of "
                "case %(case)s. I understand that the mediation ends.",
                professional=self.professional_id.name,
                case=self.name,
            ),
            "proposal_accepted": _(
                "I accept the solution proposed by the mediator in case %(case)s. I "
                "know that I was free to refuse it, that it may differ from what a "
                "court would decide, and that by accepting it I commit to carry it "
                "out.",
                case=self.name,
            ),
            "proposal_refused": _(
                "I refuse the solution proposed by the mediator in case %(case)s. I "
                "know that I remain free to go to court.",
                case=self.name,
            ),
            "withdrawal": _(
                "I withdraw from the mediation of case %(case)s. I understand that "
                "the mediation ends.",
                case=self.name,
            ),
        }
        return texts[decision]

    def _portal_decide(self, party, decision, signer_name, ip_address):
        """Apply a party's online decision through the case's actions and keep
        its proof. Called on the case in sudo by the portal, once the caller
        was checked as a party; the roles are checked again here."""
        self.ensure_one()
        partner = self.env.user.partner_id
        if (party, decision) not in self._portal_decisions(
            self._mediation_sides(partner)
        ):
            raise UserError(
                self.env._(
                    "This decision is not open to you on %(case)s.", case=self.name
                )
            )
        signer_name = (signer_name or "").strip()
        if not signer_name:
            raise UserError(self.env._("Type your full name to sign your decision."))
        statement = self._portal_statement(decision)
        actions = {
            ("professional", "entry_agreed"): self.action_professional_agree,
            ("professional", "entry_declined"): self.action_professional_decline,
            ("consumer", "proposal_accepted"): self.action_consumer_accept,
            ("consumer", "proposal_refused"): self.action_consumer_refuse,
            ("professional", "proposal_accepted"): self.action_professional_accept,
            ("professional", "proposal_refused"): self.action_professional_refuse,
            ("consumer", "withdrawal"): lambda: self._interrupt(
                self.env.ref("consumer_mediation.outcome_withdrawn_consumer"),
                note=statement,
            ),
        }
        actions[(party, decision)]()
        signature = self.env["mediation.case.signature"].create(
            {
                "case_id": self.id,
                "party": party,
                "decision": decision,
                "signer_name": signer_name,
                "statement": statement,
                "user_id": self.env.user.id,
                "partner_id": partner.id,
                "ip_address": ip_address,
            }
        )
        # The signed statement is the signer's side's, like its letters.
        self.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (statement, self.env._("Signed online by %(name)s.", name=signer_name)),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            mediation_audience=party,
        )
        return signature

    def _portal_timeline(self):
        """The legal steps shown to the parties: dicts with ``label``,
        ``date`` (when it happened) and ``due`` (deadline still running)."""
        self.ensure_one()
        _ = self.env._
        state = self.state
        steps = [
            (_("Request received"), self.date_received, False),
            (_("Acknowledgement of receipt"), self.date_acknowledged, False),
            (_("Missing documents requested"), self.date_documents_requested, False),
            (
                _("File complete"),
                self.date_documents_requested and self.date_file_complete,
                False,
            ),
            (
                _("Admissibility decision notified"),
                self.date_admissibility_notified,
                state in ("received", "review") and self.date_refusal_due,
            ),
            (_("Saisine notified to both parties"), self.date_saisine_notified, False),
            (
                _("Professional's decision to enter the mediation"),
                self.date_professional_entry,
                state == "waiting" and self.date_entry_due,
            ),
        ]
        steps += [
            (
                _(
                    "Mediation extended until %(date)s",
                    date=format_date(self.env, extension.new_deadline),
                ),
                extension.date_notified,
                False,
            )
            for extension in self.extension_ids
        ]
        steps += [
            (
                _("Proposal of solution notified"),
                self.date_proposal_notified,
                state in ("waiting", "mediation") and self.date_mediation_due,
            ),
            (
                _("Consumer's answer to the proposal"),
                self.date_consumer_answer,
                state == "proposal"
                and not self.consumer_answer
                and self.date_proposal_answer_due,
            ),
            (
                _("Professional's answer to the proposal"),
                self.date_professional_answer,
                state == "proposal"
                and not self.professional_answer
                and self.date_proposal_answer_due,
            ),
            (
                _("Outcome: %(outcome)s", outcome=self.outcome_id.name),
                self.date_outcome,
                False,
            ),
        ]
        today = fields.Date.context_today(self)
        return [
            {"label": label, "date": date, "due": due, "overdue": due and due < today}
            for label, date, due in steps
            if date or due
        ]

    def _portal_letters(self, roles):
        """Letters of the case's steps already sent to a party of the sides
        ``roles``: [(step, report)]."""
        self.ensure_one()
        sent = []
        for step in self._applicable_letters():
            date_field, recipients = LETTERS[step]
            done = (
                self[date_field]
                if date_field
                else any(self.extension_ids.mapped("date_notified"))
            )
            if done and roles.intersection(recipients):
                sent.append(step)
        return self._letter_reports(sent)

    def _portal_messages(self):
        """The exchanges of this case the environment's user may see (the
        audience rule of mail.message applies), oldest first."""
        self.ensure_one()
        return (
            self.env["mail.message"]
            .sudo(False)
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("message_type", "in", ("comment", "email")),
                    # Every audience of a party (the team's are not).
                    (
                        "mediation_audience",
                        "in",
                        [a for a, sides in AUDIENCE_SIDES.items() if sides],
                    ),
                ],
                order="id",
            )
        )

    def _portal_documents(self, messages=None):
        """The documents of the exchanges the environment's user may see
        (``messages``, when already read), without the kept copies of the
        letters: those are listed, and reprinted, with the letters."""
        self.ensure_one()
        messages = self._portal_messages() if messages is None else messages
        letters = (
            self.env["mediation.decision.log"]
            .sudo()
            .search([("case_id", "=", self.id), ("kind", "=", "letter")])
            .attachment_ids
        )
        return (messages.sudo().attachment_ids - letters).sorted("id")

    # ------------------------------------------------------------------
    # Business methods: online filing
    # ------------------------------------------------------------------
    @api.model
    def _web_file(self, values, attachments, token):
        """Create the case of an online request (``values`` checked by the
        form), attach its documents, give the consumer the portal and send
        the acknowledgement with the case number. A second submission of the
        same form (same ``token``) returns the first case."""
        existing = self.search([("web_token", "=", token)], limit=1)
        if existing:
            return existing
        case = self.create({"channel": "web", **values, "web_token": token})
        consumer = case.consumer_id
        case.message_subscribe(partner_ids=consumer.ids)
        if attachments:
            case._mediation_post(
                "filing",
                Markup("<p>%s</p>")
                % self.env._("Documents filed with the online request."),
                attachments,
                author=consumer,
            )
        case._web_grant_portal()
        case.action_send_acknowledgement()
        return case

    @api.model
    def _web_account(self, email):
        """The account (any group, active or not) of ``email``: its login or
        its contact's address."""
        email = email_normalize(email)
        if not email:
            return self.env["res.users"]
        return (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    # An e-mail may hold "_", a wildcard of ilike.
                    ("login", "=ilike", escape_psql(email)),
                    ("partner_id.email_normalized", "=", email),
                ],
                limit=1,
            )
        )

    def _web_grant_portal(self):
        """Give the consumer a portal account, unless it has one."""
        self.ensure_one()
        self._mediation_grant_portal(self.consumer_id)

    def _mediation_grant_portal(self, partner):
        """Give ``partner`` (a party or a representative of this case) a
        portal account, unless it has one or has no e-mail of its own, and
        send it the mediator's invitation to choose a password (Odoo creates
        it without any). Called once the caller may act on the case (it
        filed it, or added the representative)."""
        self.ensure_one()
        login = email_normalize(partner.email)
        if (
            not login
            or partner.with_context(active_test=False).user_ids
            or self._web_account(login)
        ):
            return
        self.env["res.users"].sudo()._create_user_from_template(
            {
                "login": login,
                "email": partner.email,
                "partner_id": partner.id,
                "company_id": self.company_id.id,
                "company_ids": [Command.set(self.company_id.ids)],
            }
        )._mediation_send_invitation()

    # ------------------------------------------------------------------
    # Business methods: uploads
    # ------------------------------------------------------------------
    @api.model
    def _portal_check_uploads(self, files, kept_size=0):
        """Check the uploaded ``files`` (werkzeug FileStorage) against the
        company's limits and the allowed types. Returns the accepted
        [(name, content)] and the refusals [(name, reason)]; ``kept_size``
        is what the same submission already holds."""
        company = self.env.company
        file_limit = company.mediation_upload_file_mb * MEGABYTE
        total_limit = company.mediation_upload_total_mb * MEGABYTE
        accepted, refused = [], []
        total = kept_size
        for upload in files:
            name = os.path.basename(upload.filename or "")
            if not name:
                continue
            content = upload.read()
            if not self._portal_upload_type_allowed(name, content):
                refused.append(
                    (
                        name,
                        self.env._(
                            "this type of file is not accepted (PDF, images, office "
                            "documents, text and e-mail files are)"
                        ),
                    )
                )
            elif len(content) > file_limit:
                refused.append(
                    (
                        name,
                        self.env._(
                            "the file is larger than %(limit)s MB",
                            limit=company.mediation_upload_file_mb,
                        ),
                    )
                )
            elif total + len(content) > total_limit:
                refused.append(
                    (
                        name,
                        self.env._(
                            "the documents sent together exceed %(limit)s MB",
                            limit=company.mediation_upload_total_mb,
                        ),
                    )
                )
            elif not content:
                refused.append((name, self.env._("the file is empty")))
            else:
                total += len(content)
                accepted.append((name, content))
        return accepted, refused

    @api.model
    def _portal_refused_message(self, refused):
        """The refusals of ``_portal_check_uploads``: each file named with its
        reason."""
        return "; ".join(
            self.env._("%(file)s: %(reason)s", file=name, reason=reason)
            for name, reason in refused
        )

    @api.model
    def _portal_upload_type_allowed(self, name, content):
        """Allowed extension, and content that does not contradict it: a PDF
        or an image must be one; nothing may be a browser-executable type."""
        extension = os.path.splitext(name)[1].lower()
        mimetype = guess_mimetype(content, default="")
        head = content[:1024].lstrip().lower()
        if (
            extension not in UPLOAD_EXTENSIONS
            or mimetype in UPLOAD_FORBIDDEN_MIMETYPES
            or head.startswith((b"<!doctype html", b"<html", b"<script", b"<svg"))
        ):
            return False
        if extension == ".pdf":
            return content.startswith(b"%PDF-")
        if extension in UPLOAD_IMAGE_EXTENSIONS:
            return mimetype.startswith("image/")
        return True

    @api.model
    def _portal_create_drafts(self, accepted):
        """Store accepted uploads as drafts awaiting their case, readable by
        nobody but with their token (the form keeps them after an error)."""
        return (
            self.env["ir.attachment"]
            .with_user(SUPERUSER_ID)
            .create(
                [
                    {
                        "name": name,
                        "raw": content,
                        "res_model": self._name,
                        "res_id": 0,
                        "access_token": secrets.token_urlsafe(24),
                    }
                    for name, content in accepted
                ]
            )
        )

    @api.autovacuum
    def _gc_portal_drafts(self):
        """Documents uploaded with a form that was never sent: kept one day
        for the sender to correct the form, then deleted."""
        self.env["ir.attachment"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", 0),
                ("access_token", "!=", False),
                ("create_date", "<", fields.Datetime.now() - timedelta(days=1)),
            ]
        ).unlink()

    @api.model
    def _portal_find_drafts(self, references):
        """Drafts named by the form as "id:token"; anything else is ignored."""
        drafts = self.env["ir.attachment"]
        for reference in references:
            attachment_id, _sep, token = (reference or "").partition(":")
            if not attachment_id.isdigit() or not token:
                continue
            draft = self.env["ir.attachment"].sudo().browse(int(attachment_id)).exists()
            if (
                draft
                and draft.res_model == self._name
                and not draft.res_id
                and draft.access_token
                and secrets.compare_digest(draft.access_token, token)
            ):
                drafts |= draft
        return drafts
