"""Completeness of a case's file: the documents asked from the consumer, the
date the file became complete (which starts the refusal clock, L612-2) and
the follow-up of a request left unanswered."""

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .mediation_case import FINAL_STATES

# Written only by the actions of this file (and, for the completeness date,
# by its compute at receipt): they date the start of the refusal clock.
FILE_FIELDS = {
    "document_type_ids",
    "documents_request_note",
    "date_documents_requested",
    "documents_requested_by_id",
    "date_documents_reminded",
    "date_file_complete",
    "is_awaiting_documents",
}
# A file is checked for completeness before the admissibility decision.
REQUEST_STATES = ("received", "review")


class MediationCase(models.Model):
    # The case model is split by concern, one file each, on purpose.
    _inherit = "mediation.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Completeness of the file
    # ------------------------------------------------------------------
    document_type_ids = fields.Many2many(
        "mediation.document.type",
        string="Documents Requested",
        readonly=True,
        copy=False,
    )
    documents_request_note = fields.Text(
        string="Other Documents Requested", readonly=True, copy=False
    )
    date_documents_requested = fields.Date(
        string="Documents Requested On",
        readonly=True,
        copy=False,
        tracking=True,
        help="Missing documents asked from the consumer: the refusal clock waits "
        "for the complete file.",
    )
    documents_requested_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        help="Told when the consumer sends documents, if no mediator is assigned.",
    )
    date_documents_reminded = fields.Date(
        string="Documents Reminder On", readonly=True, copy=False
    )
    date_file_complete = fields.Date(
        string="File Complete On",
        compute="_compute_date_file_complete",
        store=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Receipt of the complete file (L612-2): starts the three-week "
        "refusal clock. The receipt date when no document was requested.",
    )
    is_awaiting_documents = fields.Boolean(
        string="Awaiting Documents",
        compute="_compute_is_awaiting_documents",
        store=True,
        index=True,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("date_received", "date_documents_requested")
    def _compute_date_file_complete(self):
        # Once documents were requested, only action_mark_file_complete
        # dates the complete file: the value is kept as it is.
        for case in self:
            if not case.date_documents_requested:
                case.date_file_complete = case.date_received

    @api.depends("state", "date_documents_requested", "date_file_complete")
    def _compute_is_awaiting_documents(self):
        for case in self:
            case.is_awaiting_documents = bool(
                case.state not in FINAL_STATES
                and case.date_documents_requested
                and not case.date_file_complete
            )

    # ------------------------------------------------------------------
    # CRUD overrides
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_file_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_file_write(vals)
        return super().write(vals)

    @api.model
    def _check_file_write(self, vals):
        # A JSON-RPC caller sets any context key: the actions write in
        # superuser mode, once they checked the user.
        if FILE_FIELDS.intersection(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "The documents requested and the date the file is complete "
                    "change only through the actions Request Documents and "
                    "Documents Received."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_documents_wizard(self):
        self._check_documents_request()
        return self._open_wizard(
            "mediation.case.documents.wizard", self.env._("Request Documents")
        )

    def _request_documents(self, document_types, note=False):
        """Ask the consumer for the missing documents: the refusal clock
        stops until the file is complete."""
        self._check_documents_request()
        note = (note or "").strip()
        if not document_types and not note:
            raise UserError(
                self.env._("Choose the missing documents or describe them.")
            )
        # The letter gives the consumer the address of the case page.
        self._letter_check_public_url()
        self._file_step().write(
            {
                "document_type_ids": [Command.set(document_types.ids)],
                "documents_request_note": note or False,
                "documents_requested_by_id": self.env.uid,
                "date_documents_reminded": False,
                "date_file_complete": False,
            }
        )
        self._file_step()._send_team_letter("documents_request")
        for case in self:
            case.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._("Documents requested from the consumer:"),
                    Markup().join(
                        Markup("<li>%s</li>") % name
                        for name in case._documents_requested()
                    ),
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_mark_file_complete(self):
        """The documents requested were received: the file is complete
        today, which starts the refusal clock."""
        self._check_documents_access()
        for case in self:
            if not case.is_awaiting_documents:
                raise UserError(
                    self.env._(
                        "%(case)s is not waiting for documents: there is nothing "
                        "to mark as received.",
                        case=case.name,
                    )
                )
        self._file_step().write({"date_file_complete": fields.Date.context_today(self)})
        self.activity_feedback(["consumer_mediation.mail_activity_type_documents"])
        self._file_step()._send_team_letter("file_complete")
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _file_step(self):
        """The case as the file's actions write it, after their checks."""
        return self.sudo()

    def _check_documents_access(self):
        """The secretariat and the mediators check files; the parties and
        the other users of the company do not."""
        self.check_access("write")
        user = self.env.user
        if not self.env.su and not (
            self._is_mediator()
            or user.has_group("consumer_mediation.group_mediation_secretariat")
        ):
            raise UserError(
                self.env._("Only the mediation team checks that a file is complete.")
            )

    def _check_documents_request(self):
        self._check_documents_access()
        self._check_state(*REQUEST_STATES)
        for case in self:
            if case.date_admissibility_decided:
                raise UserError(
                    self.env._(
                        "The admissibility of %(case)s is decided: documents are "
                        "no longer requested to complete the file.",
                        case=case.name,
                    )
                )

    def _documents_requested(self):
        """The documents asked from the consumer, as the letters and the
        portal list them."""
        self.ensure_one()
        names = self.document_type_ids.sorted(lambda d: (d.sequence, d.id)).mapped(
            "name"
        )
        if self.documents_request_note:
            names.append(self.documents_request_note)
        return names

    def _documents_due_dates(self):
        """(reminder date, closing date) of a request still unanswered."""
        self.ensure_one()
        company = self.company_id
        # A case reopened by a manager gets its delays again from then.
        start = max(filter(None, (self.date_documents_requested, self.date_reopened)))
        return (
            self._add_days(start, company.mediation_documents_reminder_days),
            self._add_days(start, company.mediation_documents_close_days),
        )

    def _mediation_post(self, audience, body, attachments=None, author=None):
        message = super()._mediation_post(
            audience, body, attachments=attachments, author=author
        )
        if self.is_awaiting_documents and audience == "consumer" and attachments:
            self._notify_documents_received(attachments)
        return message

    def _notify_documents_received(self, attachments):
        """The consumer sent documents while the file waits for them: they
        are the documents of the file, which the whole team checks (the
        secretariat too, which does not see the consumer's exchanges with
        the mediator); the mediator, or else whoever asked for them, is given
        the check to do."""
        self.ensure_one()
        note = self.sudo().message_post(
            body=Markup("<p>%s</p>")
            % self.env._("Documents sent by the consumer for the incomplete file."),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            mediation_audience="team",
        )
        note.attachment_ids = [
            Command.link(attachment.id) for attachment in attachments
        ]
        xmlid = "consumer_mediation.mail_activity_type_documents"
        if self.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(xmlid)
        ):
            return
        self.sudo().activity_schedule(
            xmlid,
            user_id=(self.mediator_id or self.documents_requested_by_id).id,
            note=Markup("<p>%s</p>")
            % self.env._(
                "The consumer sent documents: check them and mark the file "
                "complete, or ask again."
            ),
        )

    def _follow_up_documents(self, today):
        """Remind the consumer of the missing documents once, then close the
        case whose file stayed incomplete (the daily clocks check)."""
        cause = self.env.ref("consumer_mediation.outcome_incomplete_file")
        for case in self.filtered("is_awaiting_documents"):
            remind_on, close_on = case._documents_due_dates()
            if close_on <= today:
                case._interrupt(cause)
                case._send_letter("closing")
            elif remind_on <= today and not case.date_documents_reminded:
                case._file_step().sudo()._send_letter("documents_reminder")
