import random
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import create_index, email_normalize, html2plaintext

REFUSAL_NOTICE_DAYS = 21  # L612-2, last paragraph
MEDIATION_DAYS = 90  # R612-5
OPEN_STATES = ("received", "review", "admitted", "waiting", "mediation", "proposal")
FINAL_STATES = ("refused", "closed", "interrupted")
# Cases whose legal clocks still run: open ones, and refusals not yet notified.
RUNNING_CLOCK_DOMAIN = [
    "|",
    ("state", "in", OPEN_STATES),
    "&",
    ("state", "=", "refused"),
    ("date_admissibility_notified", "=", False),
]
# Changed only by the actions, through _write_decision, which logs them.
DECISION_FIELDS = {
    "refusal_ground_id",
    "refusal_note",
    "date_admissibility_decided",
    "consumer_answer",
    "date_consumer_answer",
    "professional_answer",
    "date_professional_answer",
    "outcome_id",
    "date_outcome",
    "interruption_note",
    "execution",
    "date_execution",
    "reopen_reason",
    "date_reopened",
}

# Letter steps: mail template, legal date the sending stamps, recipients.
LETTERS = {
    "acknowledgement": ("date_acknowledged", ("consumer",)),
    "refusal": ("date_admissibility_notified", ("consumer",)),
    "saisine": ("date_saisine_notified", ("consumer", "professional")),
    "professional_request": ("date_professional_requested", ("professional",)),
    "extension": (None, ("consumer", "professional")),
    "proposal": ("date_proposal_notified", ("consumer", "professional")),
    "closing": ("date_closing_notified", ("consumer", "professional")),
    "certificate": ("date_certificate_issued", ("consumer",)),
}


class MediationCase(models.Model):
    _name = "mediation.case"
    _description = "Consumer Mediation Case"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_received desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Identification
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("received", "Received"),
            ("review", "Admissibility Review"),
            ("refused", "Refused"),
            ("admitted", "Admitted"),
            ("waiting", "Awaiting Professional"),
            ("mediation", "In Mediation"),
            ("proposal", "Proposal Sent"),
            ("closed", "Closed"),
            ("interrupted", "Interrupted"),
        ],
        default="received",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand=True,
    )
    channel = fields.Selection(
        [("web", "Web"), ("email", "E-mail"), ("post", "Post"), ("phone", "Phone")],
        default="post",
        required=True,
    )
    date_received = fields.Date(
        string="Received On",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Receipt of the request: starts the three-week refusal clock.",
    )

    # ------------------------------------------------------------------
    # Parties
    # ------------------------------------------------------------------
    consumer_id = fields.Many2one(
        "res.partner", required=True, index=True, tracking=True, check_company=True
    )
    professional_id = fields.Many2one(
        "res.partner",
        index=True,
        check_company=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    representative_ids = fields.One2many(
        "mediation.case.representative", "case_id", string="Representatives"
    )
    mediator_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        check_company=True,
        domain=lambda s: [
            ("groups_id", "in", s.env.ref("consumer_mediation.group_mediation_user").id)
        ],
    )
    suggested_mediator_id = fields.Many2one(
        "res.users",
        compute="_compute_suggested_mediator_id",
        help="Mediator with the fewest open cases.",
    )

    # ------------------------------------------------------------------
    # Coverage
    # ------------------------------------------------------------------
    contract_id = fields.Many2one(
        "contract.contract",
        string="Covering Contract",
        compute="_compute_contract_id",
        store=True,
        index=True,
        help="Membership contract covering the professional on the receipt date.",
    )
    is_out_of_coverage = fields.Boolean(
        string="Out of Coverage",
        compute="_compute_contract_id",
        store=True,
        help="The professional is not covered on the receipt date: the case can "
        "be refused as outside the mediator's competence (L612-2 5°).",
    )

    # ------------------------------------------------------------------
    # Dispute
    # ------------------------------------------------------------------
    subject_id = fields.Many2one("mediation.case.subject")
    industry_id = fields.Many2one("res.partner.industry", string="Sector")
    amount = fields.Monetary(string="Amount at Stake")
    date_purchase = fields.Date(string="Purchase or Contract Date")
    date_complaint = fields.Date(
        string="Written Complaint On",
        tracking=True,
        help="Date of the prior written complaint to the professional (L612-2 1° "
        "and 4°).",
    )
    complaint_attachment_ids = fields.Many2many(
        "ir.attachment", string="Proof of the Complaint"
    )
    description = fields.Html()
    admissibility_warning = fields.Html(
        compute="_compute_admissibility_warning",
        help="Refusal grounds the pre-qualification finds in the case as entered.",
    )

    # ------------------------------------------------------------------
    # Admissibility (legal dates)
    # ------------------------------------------------------------------
    date_acknowledged = fields.Date(string="Acknowledged On", readonly=True, copy=False)
    date_admissibility_decided = fields.Date(
        string="Admissibility Decided On", readonly=True, copy=False, tracking=True
    )
    date_admissibility_notified = fields.Date(
        string="Admissibility Notified On", readonly=True, copy=False, tracking=True
    )
    refusal_ground_id = fields.Many2one(
        "mediation.refusal.ground", readonly=True, copy=False, tracking=True
    )
    refusal_note = fields.Text(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Saisine and entry of the professional
    # ------------------------------------------------------------------
    date_saisine_notified = fields.Date(
        string="Saisine Notified On",
        readonly=True,
        copy=False,
        tracking=True,
        help="Notification to both parties (R612-2): starts the 90-day clock and "
        "suspends the limitation period.",
    )
    date_professional_requested = fields.Date(
        string="Professional Asked On", readonly=True, copy=False
    )
    professional_entry_days = fields.Integer(
        readonly=True,
        copy=False,
        help="Days given to the professional to agree to enter, copied from the "
        "settings when asked.",
    )
    professional_entry = fields.Selection(
        [("agreed", "Agreed"), ("declined", "Declined")],
        string="Professional's Decision",
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_professional_entry = fields.Date(
        string="Professional Decided On", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Extensions and proposal
    # ------------------------------------------------------------------
    extension_ids = fields.One2many(
        "mediation.case.extension", "case_id", string="Extensions", readonly=True
    )
    proposal_text = fields.Html(string="Proposed Solution", copy=False)
    proposal_answer_days = fields.Integer(
        string="Days to Answer",
        default=lambda s: s.env.company.mediation_proposal_answer_days,
        help="Deadline the mediator gives the parties to answer the proposal (R612-4).",
    )
    date_proposal_notified = fields.Date(
        string="Proposal Notified On", readonly=True, copy=False, tracking=True
    )
    consumer_answer = fields.Selection(
        [("accepted", "Accepted"), ("refused", "Refused")],
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_consumer_answer = fields.Date(
        string="Consumer Answered On", readonly=True, copy=False
    )
    professional_answer = fields.Selection(
        [("accepted", "Accepted"), ("refused", "Refused")],
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_professional_answer = fields.Date(
        string="Professional Answered On", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Outcome
    # ------------------------------------------------------------------
    outcome_id = fields.Many2one(
        "mediation.outcome", readonly=True, copy=False, tracking=True, index=True
    )
    outcome_kind = fields.Selection(related="outcome_id.kind", store=True)
    outcome_has_solution = fields.Boolean(related="outcome_id.has_solution")
    date_outcome = fields.Date(
        string="Outcome On", readonly=True, copy=False, tracking=True
    )
    interruption_note = fields.Text(readonly=True, copy=False)
    date_closing_notified = fields.Date(
        string="Closing Letter On", readonly=True, copy=False
    )
    date_certificate_issued = fields.Date(
        string="Certificate Issued On", readonly=True, copy=False
    )
    execution = fields.Selection(
        [
            ("done", "Carried Out"),
            ("not_done", "Not Carried Out"),
            ("unknown", "Unknown"),
        ],
        string="Execution of the Solution",
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_execution = fields.Date(string="Execution Known On", readonly=True, copy=False)
    conflict_text = fields.Text(
        string="Conflict of Interest",
        copy=False,
        help="Circumstance that may affect the mediator's independence or "
        "impartiality, disclosed to the parties (R613-1).",
    )
    date_conflict_declared = fields.Date(
        string="Conflict Declared On", readonly=True, copy=False, tracking=True
    )
    reopen_reason = fields.Text(readonly=True, copy=False, tracking=True)
    date_reopened = fields.Date(string="Reopened On", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Clocks
    # ------------------------------------------------------------------
    date_refusal_due = fields.Date(
        string="Refusal Notice Due",
        compute="_compute_clocks",
        store=True,
        help="A refusal must reach the consumer within 21 days of receipt.",
    )
    date_entry_due = fields.Date(
        string="Professional Entry Due", compute="_compute_clocks", store=True
    )
    date_mediation_due = fields.Date(
        string="Mediation Deadline",
        compute="_compute_clocks",
        store=True,
        help="90 days from the notification of the saisine, moved by each "
        "extension (R612-5).",
    )
    date_proposal_answer_due = fields.Date(
        string="Proposal Answer Due", compute="_compute_clocks", store=True
    )
    next_due_date = fields.Date(
        compute="_compute_deadline_status", store=True, index=True
    )
    next_due_clock = fields.Selection(
        [
            ("refusal", "Refusal notice"),
            ("entry", "Professional entry"),
            ("mediation", "Mediation deadline"),
            ("proposal", "Proposal answer"),
        ],
        compute="_compute_deadline_status",
        store=True,
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_deadline_status", store=True, index=True
    )
    deadline_status = fields.Selection(
        [
            ("none", "No Deadline"),
            ("ok", "On Track"),
            ("soon", "Due Soon"),
            ("overdue", "Overdue"),
        ],
        compute="_compute_deadline_status",
        store=True,
    )
    clock_reminders = fields.Json(
        copy=False, help="Due date of each clock the mediator was reminded of."
    )
    date_clocks_checked = fields.Date(readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Data protection
    # ------------------------------------------------------------------
    decision_log_ids = fields.One2many(
        "mediation.decision.log", "case_id", readonly=True
    )
    legal_hold = fields.Boolean(
        copy=False,
        tracking=True,
        groups="consumer_mediation.group_mediation_manager",
        help="Kept as it is, never anonymised, while a litigation or an authority "
        "needs the file.",
    )
    legal_hold_reason = fields.Text(
        copy=False, groups="consumer_mediation.group_mediation_manager"
    )
    is_archived = fields.Boolean(
        string="Archived",
        compute="_compute_is_archived",
        search="_search_is_archived",
        help="Finished longer ago than the company's archiving delay. Archived "
        "cases stay counted by the statistics.",
    )
    date_anonymised = fields.Date(
        string="Anonymised On",
        readonly=True,
        copy=False,
        index=True,
        help="Personal data removed; the statistics of the case are kept.",
    )

    # ------------------------------------------------------------------
    # Fees owed by the professional's contract
    # ------------------------------------------------------------------
    fee_complex = fields.Boolean(
        string="Complex Case",
        tracking=True,
        help="Set by the mediator: the case fee is billed at the complex rate "
        "of the professional's contract.",
    )
    fee_ids = fields.One2many("mediation.case.fee", "case_id", string="Fees")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("professional_id", "date_received")
    def _compute_contract_id(self):
        for case in self:
            contract = self.env["contract.contract"]
            if case.professional_id and case.date_received:
                # Coverage is decided by the membership side, which mediators
                # may not read; the case keeps the result.
                contract = case.professional_id.sudo()._mediation_coverage(
                    case.date_received
                )
            case.contract_id = contract
            case.is_out_of_coverage = bool(case.professional_id) and not contract

    @api.depends(
        "date_received",
        "date_professional_requested",
        "professional_entry_days",
        "date_saisine_notified",
        "extension_ids.new_deadline",
        "date_proposal_notified",
        "proposal_answer_days",
    )
    def _compute_clocks(self):
        for case in self:
            case.date_refusal_due = case._add_days(
                case.date_received, REFUSAL_NOTICE_DAYS
            )
            case.date_entry_due = case._add_days(
                case.date_professional_requested, case.professional_entry_days
            )
            last_extension = max(
                case.extension_ids.mapped("new_deadline"), default=None
            )
            case.date_mediation_due = last_extension or case._add_days(
                case.date_saisine_notified, MEDIATION_DAYS
            )
            case.date_proposal_answer_due = case._add_days(
                case.date_proposal_notified, case.proposal_answer_days
            )

    @api.depends(
        "state",
        "date_refusal_due",
        "date_entry_due",
        "date_mediation_due",
        "date_proposal_answer_due",
        "date_admissibility_notified",
        "consumer_answer",
        "professional_answer",
    )
    def _compute_deadline_status(self):
        # Depends on today as well: the daily scheduled action recomputes it.
        today = fields.Date.context_today(self)
        for case in self:
            clocks = case._active_clocks()
            if not clocks:
                case.update(
                    {
                        "next_due_date": False,
                        "next_due_clock": False,
                        "is_overdue": False,
                        "deadline_status": "none",
                    }
                )
                continue
            clock, due = min(clocks.items(), key=lambda item: item[1])
            soon = today + timedelta(days=case.company_id.mediation_reminder_days)
            case.update(
                {
                    "next_due_date": due,
                    "next_due_clock": clock,
                    "is_overdue": due < today,
                    "deadline_status": "overdue"
                    if due < today
                    else "soon"
                    if due <= soon
                    else "ok",
                }
            )

    @api.depends("company_id")
    def _compute_suggested_mediator_id(self):
        self.suggested_mediator_id = False
        for company in self.company_id:
            mediator = self._least_loaded_mediator(company)
            self.filtered(lambda c, co=company: c.company_id == co).update(
                {"suggested_mediator_id": mediator}
            )

    @api.depends("state", "date_outcome", "company_id.mediation_archive_months")
    def _compute_is_archived(self):
        archived = self.search([("id", "in", self.ids), ("is_archived", "=", True)])
        for case in self:
            case.is_archived = case in archived

    def _search_is_archived(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported."))
        domain = self.env["mediation.retention"]._closed_before_domain(
            "mediation_archive_months", "months"
        )
        archived = (operator == "=") == value
        return domain if archived else ["!", *domain]

    @api.depends(
        "date_complaint", "professional_id", "date_received", "is_out_of_coverage"
    )
    def _compute_admissibility_warning(self):
        for case in self:
            result = self.env["mediation.prequalification"]._prequalify(
                case._prequalification_values()
            )
            case.admissibility_warning = result["grounds_html"]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date_complaint", "date_received", "date_purchase")
    def _check_dates(self):
        for case in self:
            if case.date_complaint and case.date_complaint > case.date_received:
                raise ValidationError(
                    self.env._(
                        "The written complaint cannot be dated after the receipt "
                        "of the request."
                    )
                )
            if case.date_purchase and case.date_purchase > case.date_received:
                raise ValidationError(
                    self.env._(
                        "The purchase or contract date cannot be after the receipt "
                        "of the request."
                    )
                )

    @api.constrains("mediator_id")
    def _check_mediator_group(self):
        for case in self.filtered("mediator_id"):
            if not case.mediator_id.has_group(
                "consumer_mediation.group_mediation_user"
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a mediator: only users of the Mediation "
                        "group can be assigned a case.",
                        user=case.mediator_id.name,
                    )
                )

    @api.constrains("legal_hold", "legal_hold_reason")
    def _check_legal_hold_reason(self):
        for case in self.sudo():
            if case.legal_hold and not (case.legal_hold_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the reason of the legal hold on %(case)s.", case=case.name
                    )
                )

    # ------------------------------------------------------------------
    # CRUD overrides
    # ------------------------------------------------------------------
    def init(self):
        # The lists' default order, read a page at a time: served by one index
        # instead of sorting every case (bench/run.py shows the plan).
        create_index(
            self.env.cr,
            "mediation_case_list_order_index",
            self._table,
            ["date_received DESC", "id DESC"],
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code(
                        "mediation.case", sequence_date=vals.get("date_received")
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get("mediation_decision"):
            self._check_decision_write(vals)
        return super().write(vals)

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

    # ------------------------------------------------------------------
    # Actions: admissibility
    # ------------------------------------------------------------------
    def action_start_review(self):
        self._check_state("received")
        for case in self:
            if not case.professional_id:
                raise UserError(
                    self.env._(
                        "Identify the professional of %(case)s before reviewing "
                        "its admissibility.",
                        case=case.name,
                    )
                )
        self.write({"state": "review"})
        return True

    def action_open_refuse_wizard(self):
        self._check_state("received", "review")
        action = self._open_wizard(
            "mediation.case.refuse.wizard", self.env._("Refuse the Case")
        )
        if len(self) == 1:
            # Propose the first ground the pre-qualification finds.
            grounds = self.env["mediation.prequalification"]._prequalify(
                self._prequalification_values()
            )["grounds"]
            action["context"]["default_ground_id"] = grounds[:1].id
        return action

    def _refuse(self, ground, note=False):
        self._check_state("received", "review")
        if not ground:
            raise UserError(self.env._("A refusal needs its legal ground."))
        self._write_decision(
            "refusal",
            {
                "state": "refused",
                "refusal_ground_id": ground.id,
                "refusal_note": note,
                "date_admissibility_decided": fields.Date.context_today(self),
                "outcome_id": self.env.ref("consumer_mediation.outcome_refused").id,
                "date_outcome": fields.Date.context_today(self),
            },
        )

    def action_admit(self):
        self._check_state("review")
        for case in self:
            if case.is_out_of_coverage:
                raise UserError(
                    self.env._(
                        "%(professional)s is not covered by a membership on "
                        "%(date)s: refuse %(case)s as outside the mediator's "
                        "competence.",
                        professional=case.professional_id.display_name,
                        date=case.date_received,
                        case=case.name,
                    )
                )
            if not case.date_complaint:
                raise UserError(
                    self.env._(
                        "%(case)s has no prior written complaint: enter its date or "
                        "refuse the case (L612-2 1°).",
                        case=case.name,
                    )
                )
            if not case.mediator_id:
                raise UserError(
                    self.env._("Assign a mediator to %(case)s first.", case=case.name)
                )
        self._write_decision(
            "admissibility",
            {
                "state": "admitted",
                "date_admissibility_decided": fields.Date.context_today(self),
            },
        )
        return True

    def action_notify_saisine(self):
        """Notify the saisine to both parties and ask the professional to
        enter the mediation."""
        self._check_state("admitted")
        for case in self:
            company = case.company_id
            case.professional_entry_days = company.mediation_professional_entry_days
        self._send_letter("saisine")
        self._send_letter("professional_request")
        for case in self:
            if not case.date_admissibility_notified:
                case.date_admissibility_notified = case.date_saisine_notified
        self.write({"state": "waiting"})
        return True

    def action_professional_agree(self):
        self._check_state("waiting")
        self.write(
            {
                "state": "mediation",
                "professional_entry": "agreed",
                "date_professional_entry": fields.Date.context_today(self),
            }
        )
        return True

    def action_professional_decline(self):
        self._check_state("waiting")
        self.write(
            {
                "professional_entry": "declined",
                "date_professional_entry": fields.Date.context_today(self),
            }
        )
        self._interrupt(
            self.env.ref("consumer_mediation.outcome_professional_declined")
        )
        return True

    # ------------------------------------------------------------------
    # Actions: mediation
    # ------------------------------------------------------------------
    def action_open_extend_wizard(self):
        self._check_state("waiting", "mediation", "proposal")
        return self._open_wizard(
            "mediation.case.extend.wizard", self.env._("Extend the Mediation")
        )

    def _extend(self, new_deadline, reason):
        self.ensure_one()
        self._check_state("waiting", "mediation", "proposal")
        if not reason:
            raise UserError(self.env._("Give the reason for the extension."))
        if new_deadline <= self.date_mediation_due:
            raise UserError(
                self.env._(
                    "The new deadline must be after the current one (%(date)s).",
                    date=self.date_mediation_due,
                )
            )
        extension = self.env["mediation.case.extension"].create(
            {
                "case_id": self.id,
                "previous_deadline": self.date_mediation_due,
                "new_deadline": new_deadline,
                "reason": reason,
            }
        )
        # R612-5: the parties are told immediately.
        self._send_letter("extension")
        extension.date_notified = fields.Date.context_today(self)
        self.env["mediation.decision.log"]._append(self, "extension")
        return extension

    def action_send_proposal(self):
        self._check_state("mediation")
        for case in self:
            if not html2plaintext(case.proposal_text or "").strip():
                raise UserError(
                    self.env._(
                        "Write the proposed solution of %(case)s.", case=case.name
                    )
                )
            if case.proposal_answer_days <= 0:
                raise UserError(
                    self.env._("Give the parties a deadline to answer the proposal.")
                )
        self._send_letter("proposal")
        self.write({"state": "proposal"})
        self.env["mediation.decision.log"]._append(self, "proposal")
        return True

    def action_consumer_accept(self):
        return self._record_answer("consumer", "accepted")

    def action_consumer_refuse(self):
        return self._record_answer("consumer", "refused")

    def action_professional_accept(self):
        return self._record_answer("professional", "accepted")

    def action_professional_refuse(self):
        return self._record_answer("professional", "refused")

    def _record_answer(self, party, answer):
        self._check_state("proposal")
        for case in self:
            if case[f"{party}_answer"]:
                raise UserError(
                    self.env._(
                        "The answer of this party to the proposal of %(case)s is "
                        "already recorded.",
                        case=case.name,
                    )
                )
        self._write_decision(
            "answer",
            {
                f"{party}_answer": answer,
                f"date_{party}_answer": fields.Date.context_today(self),
            },
        )
        return True

    def action_close(self):
        """Close with the outcome the case's history gives: an amicable
        agreement during the mediation, or the parties' answers."""
        self._check_state("mediation", "proposal")
        for case in self:
            case._close(case._closing_outcome())
        return True

    def _closing_outcome(self):
        self.ensure_one()
        if self.state == "mediation":
            return self.env.ref("consumer_mediation.outcome_agreement")
        if self.consumer_answer == "refused":
            return self.env.ref("consumer_mediation.outcome_refused_consumer")
        if self.professional_answer == "refused":
            return self.env.ref("consumer_mediation.outcome_refused_professional")
        if self.consumer_answer == self.professional_answer == "accepted":
            return self.env.ref("consumer_mediation.outcome_accepted_both")
        raise UserError(
            self.env._(
                "Record the answers of both parties to the proposal of %(case)s "
                "before closing it.",
                case=self.name,
            )
        )

    def _close(self, outcome):
        self._write_decision(
            "outcome",
            {
                "state": "closed",
                "outcome_id": outcome.id,
                "date_outcome": fields.Date.context_today(self),
            },
        )

    def action_execution_done(self):
        return self._set_execution("done")

    def action_execution_not_done(self):
        return self._set_execution("not_done")

    def action_execution_unknown(self):
        return self._set_execution("unknown")

    def _set_execution(self, execution):
        self._check_state("closed")
        for case in self:
            if not case.outcome_id.has_solution:
                raise UserError(
                    self.env._(
                        "%(case)s did not end with an agreed solution: there is no "
                        "execution to follow.",
                        case=case.name,
                    )
                )
        self._write_decision(
            "execution",
            {"execution": execution, "date_execution": fields.Date.context_today(self)},
        )
        return True

    # ------------------------------------------------------------------
    # Actions: interruption, conflict of interest, reopening
    # ------------------------------------------------------------------
    def action_open_interrupt_wizard(self):
        self._check_state(*OPEN_STATES)
        return self._open_wizard(
            "mediation.case.interrupt.wizard", self.env._("Interrupt the Case")
        )

    def _interrupt(self, cause, note=False):
        self._check_state(*OPEN_STATES)
        if not cause or cause.kind != "interrupted":
            raise UserError(self.env._("Choose the cause of the interruption."))
        if cause == self.env.ref(
            "consumer_mediation.outcome_conflict_objection"
        ) and not all(self.mapped("date_conflict_declared")):
            raise UserError(
                self.env._(
                    "No conflict of interest was declared on this case: a party "
                    "cannot object to one."
                )
            )
        self._write_decision(
            "outcome",
            {
                "state": "interrupted",
                "outcome_id": cause.id,
                "interruption_note": note,
                "date_outcome": fields.Date.context_today(self),
            },
        )

    def action_declare_conflict(self):
        self._check_state(*OPEN_STATES)
        for case in self:
            if not (case.conflict_text or "").strip():
                raise UserError(
                    self.env._(
                        "Describe the circumstance that may affect the mediator's "
                        "independence or impartiality."
                    )
                )
        self.write({"date_conflict_declared": fields.Date.context_today(self)})
        return True

    def action_open_reopen_wizard(self):
        self._check_reopen_allowed()
        return self._open_wizard(
            "mediation.case.reopen.wizard", self.env._("Reopen the Case")
        )

    def _check_reopen_allowed(self):
        if not self.env.user.has_group("consumer_mediation.group_mediation_manager"):
            raise UserError(self.env._("Only a mediation manager can reopen a case."))
        self._check_state(*FINAL_STATES)

    def _reopen(self, reason):
        self._check_reopen_allowed()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for reopening the case."))
        for case in self:
            if case.professional_entry == "agreed":
                state = "mediation"
            elif case.date_saisine_notified:
                state = "waiting"
            else:
                state = "review"
            case._write_decision(
                "reopening",
                {
                    "state": state,
                    "reopen_reason": reason,
                    "date_reopened": fields.Date.context_today(case),
                    "outcome_id": False,
                    "date_outcome": False,
                    "refusal_ground_id": False,
                    "professional_entry": state == "mediation" and "agreed",
                    "consumer_answer": False,
                    "professional_answer": False,
                    "execution": False,
                },
            )

    def action_assign_suggested_mediator(self):
        for case in self:
            mediator = case.suggested_mediator_id
            if not mediator:
                raise UserError(self.env._("There is no mediator to suggest."))
            case.mediator_id = mediator
        return True

    # ------------------------------------------------------------------
    # Actions: letters
    # ------------------------------------------------------------------
    def action_send_acknowledgement(self):
        self._check_state(*OPEN_STATES)
        self._send_letter("acknowledgement")
        return True

    def action_send_refusal(self):
        self._check_state("refused")
        self._send_letter("refusal")
        return True

    def action_send_closing(self):
        self._check_state("closed", "interrupted")
        self._send_letter("closing")
        return True

    def action_send_certificate(self):
        self._check_state("closed", "interrupted")
        for case in self:
            if not case.date_saisine_notified:
                raise UserError(
                    self.env._(
                        "%(case)s never reached the mediation stage: there was no "
                        "attempted mediation to certify.",
                        case=case.name,
                    )
                )
        self._send_letter("certificate")
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _add_days(self, date, days):
        return date + timedelta(days=days) if date else False

    def _write_decision(self, kind, vals):
        """Write a legal decision and append it to the tamper-evident log:
        the only way the decision fields change once written."""
        self.with_context(mediation_decision=True).write(vals)
        return self.env["mediation.decision.log"]._append(self, kind)

    def _check_decision_write(self, vals):
        protected = DECISION_FIELDS.intersection(vals)
        # A sent proposal is a decision; a reopened mediation drafts a new one.
        if "proposal_text" in vals and any(
            case.date_proposal_notified and case.state != "mediation" for case in self
        ):
            protected.add("proposal_text")
        if protected:
            labels = [
                self._fields[name].get_description(self.env)["string"]
                for name in sorted(protected)
            ]
            raise UserError(
                self.env._(
                    "%(fields)s record a legal decision: they change only through "
                    "the case's actions, which log each decision.",
                    fields=", ".join(labels),
                )
            )

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_state(self, *states):
        for case in self:
            if case.state not in states:
                raise UserError(
                    self.env._(
                        "This action is not possible on %(case)s, which is %(state)s.",
                        case=case.name,
                        state=case._state_label(),
                    )
                )

    def _open_wizard(self, model, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_ids": self.ids},
        }

    def _active_clocks(self):
        """The clocks still running in the current state: {clock: due date}."""
        self.ensure_one()
        clocks = {}
        if self.state in ("received", "review") or (
            self.state == "refused" and not self.date_admissibility_notified
        ):
            clocks["refusal"] = self.date_refusal_due
        if self.state == "waiting":
            clocks["entry"] = self.date_entry_due
        if self.state in ("waiting", "mediation", "proposal"):
            clocks["mediation"] = self.date_mediation_due
        if self.state == "proposal" and not (
            self.consumer_answer and self.professional_answer
        ):
            clocks["proposal"] = self.date_proposal_answer_due
        return {clock: due for clock, due in clocks.items() if due}

    @api.model
    def _least_loaded_mediator(self, company):
        mediators = self.env.ref("consumer_mediation.group_mediation_user").users
        mediators = mediators.filtered(
            lambda u: company in u.company_ids and not u.share
        )
        if not mediators:
            return self.env["res.users"]
        # The workload counts every open case, also those this user cannot read.
        load = dict(
            self.sudo()._read_group(
                [("state", "in", OPEN_STATES), ("mediator_id", "in", mediators.ids)],
                ["mediator_id"],
                ["__count"],
            )
        )
        return min(mediators, key=lambda u: (load.get(u, 0), u.id))

    def _prequalification_values(self):
        self.ensure_one()
        return {
            "complaint_sent": bool(self.date_complaint),
            "date_complaint": self.date_complaint,
            "professional_id": self.professional_id.id,
            "date_request": self.date_received,
        }

    def _letter_recipients(self, step):
        """The parties the letter of ``step`` is for, and the lawyers or
        assisting persons representing them (R612-1)."""
        self.ensure_one()
        parties = LETTERS[step][1]
        recipients = self.env["res.partner"]
        if "consumer" in parties:
            recipients |= self.consumer_id
        if "professional" in parties:
            recipients |= self.professional_id
        return (
            recipients
            | self.representative_ids.filtered(lambda r: r.party in parties).partner_id
        )

    def _send_letter(self, step):
        """Post the letter of ``step`` to each recipient in their language
        and stamp the legal date it proves."""
        template = self.env.ref(f"consumer_mediation.mail_template_case_{step}")
        date_field = LETTERS[step][0]
        today = fields.Date.context_today(self)
        for case in self:
            recipients = case._letter_recipients(step)
            if not recipients:
                raise UserError(
                    self.env._(
                        "%(case)s has no recipient for this letter.", case=case.name
                    )
                )
            # Stamped first: the letter states the deadlines that date starts.
            if date_field:
                case[date_field] = today
            for partner in recipients:
                case.with_context(
                    letter_recipient_id=partner.id,
                    letter_recipient_lang=partner.lang,
                ).message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------
    @api.model
    def _cron_check_clocks(self, batch_size=500):
        """Refresh the overdue flags and remind the assigned mediator
        ``mediation_reminder_days`` before each due date, once per clock and
        due date. One batch per call; the cron runner calls again while cases
        remain."""
        today = fields.Date.context_today(self)
        domain = [
            *RUNNING_CLOCK_DOMAIN,
            "|",
            ("date_clocks_checked", "=", False),
            ("date_clocks_checked", "<", today),
        ]
        cases = self.search(domain, limit=batch_size, order="id")
        # The overdue flags depend on today, which no field dependency sees.
        status_fields = [
            "next_due_date",
            "next_due_clock",
            "is_overdue",
            "deadline_status",
        ]
        for fname in status_fields:
            self.env.add_to_compute(self._fields[fname], cases)
        cases.flush_recordset(status_fields)
        cases._remind_mediators(today)
        cases.write({"date_clocks_checked": today})
        remaining = self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(cases), remaining=remaining)
        return remaining

    def _remind_mediators(self, today):
        labels = dict(self._fields["next_due_clock"]._description_selection(self.env))
        activity_type = self.env.ref("consumer_mediation.mail_activity_type_deadline")
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_by_clock = defaultdict(list)
        for case in self.filtered("mediator_id"):
            reminded = dict(case.clock_reminders or {})
            lead = timedelta(days=case.company_id.mediation_reminder_days)
            for clock, due in case._active_clocks().items():
                if due - lead > today or reminded.get(clock) == str(due):
                    continue
                # What activity_schedule() writes, for the whole batch at once.
                vals_by_clock[clock].append(
                    {
                        "activity_type_id": activity_type.id,
                        "summary": labels[clock],
                        "note": activity_type.default_note,
                        "automated": True,
                        "date_deadline": due,
                        "res_model_id": model_id,
                        "res_id": case.id,
                        "user_id": case.mediator_id.id,
                    }
                )
                reminded[clock] = str(due)
            if reminded != (case.clock_reminders or {}):
                case.clock_reminders = reminded
        # One create per clock for the batch (mail subscribes the mediators
        # once per create and fails on a case listed twice). The activity in
        # the mediator's list is the reminder: no assignment e-mail for each
        # one (quick update), which would cost a mail and its queries per case.
        Activity = self.env["mail.activity"].with_context(
            mail_activity_quick_update=True
        )
        for vals_list in vals_by_clock.values():
            Activity.create(vals_list)

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _generate_demo_cases(self, count=1200, seed=42):
        """Deterministic demo cases over the last twelve months, against the
        covered professionals, with the mix the CECMC reports show (about
        half refused, mostly for lack of a written complaint). The legal
        dates are written directly: no letters are sent."""
        rng = random.Random(seed)
        today = fields.Date.context_today(self)
        coverage = self._demo_professionals()
        professionals = list(coverage)
        consumers = self._demo_consumers(rng)
        mediators = self._demo_mediators()
        subjects = self.env["mediation.case.subject"].search([])
        grounds = {g.code: g for g in self.env["mediation.refusal.ground"].search([])}
        vals_list, extensions = [], []
        for index in range(count):
            received = today - timedelta(days=rng.randint(0, 365))
            professional = rng.choice(professionals)
            vals = {
                "date_received": received,
                "consumer_id": rng.choice(consumers).id,
                "professional_id": professional.id,
                "contract_id": coverage[professional].id,
                "is_out_of_coverage": False,
                "mediator_id": rng.choice(mediators).id if mediators else False,
                "subject_id": rng.choice(subjects).id if subjects else False,
                "channel": rng.choice(["web", "web", "web", "email", "post"]),
                "amount": rng.choice([49, 120, 350, 780, 1500, 4200]),
                "date_purchase": received - timedelta(days=rng.randint(30, 300)),
                "date_complaint": received - timedelta(days=rng.randint(5, 120)),
                "date_acknowledged": received,
                "proposal_answer_days": 15,
                "professional_entry_days": 21,
            }
            elapsed = (today - received).days
            if rng.random() < 0.5:
                self._demo_refused(vals, rng, grounds, received, elapsed)
            else:
                ext = self._demo_mediation(vals, rng, received, today)
                if ext:
                    extensions.append((index, ext))
            vals_list.append(vals)
        cases = self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(vals_list)
        self.env["mediation.case.extension"].create(
            [
                {
                    "case_id": cases[index].id,
                    "previous_deadline": cases[index].date_mediation_due,
                    "new_deadline": new_deadline,
                    "reason": "Technical expertise needed.",
                    "date_notified": notified,
                }
                for index, (new_deadline, notified) in extensions
            ]
        )
        return cases

    def _demo_refused(self, vals, rng, grounds, received, elapsed):
        code = rng.choices(
            [
                "no_complaint",
                "late",
                "already_examined",
                "out_of_competence",
                "unfounded",
            ],
            weights=[65, 10, 10, 10, 5],
        )[0]
        if code == "no_complaint":
            vals["date_complaint"] = False
        elif code == "late":
            vals["date_complaint"] = received - timedelta(days=rng.randint(380, 700))
        if elapsed < 10:
            vals["state"] = rng.choice(["received", "review"])
            return
        decided = received + timedelta(days=rng.randint(2, min(elapsed, 20)))
        vals.update(
            {
                "state": "refused",
                "refusal_ground_id": grounds[code].id,
                "date_admissibility_decided": decided,
                "outcome_id": self.env.ref("consumer_mediation.outcome_refused").id,
                "date_outcome": decided,
            }
        )
        # A few refusals are never notified: they show up as overdue.
        if rng.random() > 0.03:
            vals["date_admissibility_notified"] = decided

    def _demo_mediation(self, vals, rng, received, today):
        """Walk an admissible case through the steps whose dates are past;
        returns the (new deadline, notified) of an extension, if any."""

        def day(base, low, high):
            return base + timedelta(days=rng.randint(low, high))

        ref = self.env.ref
        decided = day(received, 3, 15)
        if decided > today:
            vals["state"] = "review"
            return None
        vals.update({"date_admissibility_decided": decided, "state": "admitted"})
        notified = day(decided, 1, 15)
        if notified > today:
            return None
        vals.update(
            {
                "state": "waiting",
                "date_saisine_notified": notified,
                "date_admissibility_notified": notified,
                "date_professional_requested": notified,
            }
        )
        answered = day(notified, 2, 25)
        if answered > today:
            return None
        if rng.random() < 0.12:
            vals.update(
                {
                    "state": "interrupted",
                    "professional_entry": "declined",
                    "date_professional_entry": answered,
                    "outcome_id": ref(
                        "consumer_mediation.outcome_professional_declined"
                    ).id,
                    "date_outcome": answered,
                }
            )
            return None
        vals.update(
            {
                "state": "mediation",
                "professional_entry": "agreed",
                "date_professional_entry": answered,
            }
        )
        extension = None
        if rng.random() < 0.15:
            extended_on = day(notified, 60, 85)
            if extended_on <= today:
                extension = (day(notified, 120, 150), extended_on)
        if rng.random() < 0.06:
            withdrawn = day(answered, 5, 40)
            if withdrawn <= today:
                vals.update(
                    {
                        "state": "interrupted",
                        "outcome_id": ref(
                            "consumer_mediation.outcome_withdrawn_consumer"
                        ).id,
                        "date_outcome": withdrawn,
                    }
                )
            return extension
        proposed = day(answered, 15, 75)
        if proposed > today:
            return extension
        if rng.random() < 0.15:
            vals.update(
                {
                    "state": "closed",
                    "outcome_id": ref("consumer_mediation.outcome_agreement").id,
                    "date_outcome": proposed,
                    "execution": rng.choice(["done", "done", "unknown"]),
                }
            )
            return extension
        vals.update(
            {
                "state": "proposal",
                "proposal_text": "<p>The professional refunds half of the price.</p>",
                "date_proposal_notified": proposed,
            }
        )
        closed = day(proposed, 3, 20)
        if closed > today:
            return extension
        answers = rng.choices(
            [
                ("accepted", "accepted"),
                ("refused", "accepted"),
                ("accepted", "refused"),
            ],
            weights=[65, 22, 13],
        )[0]
        vals.update(
            {
                "consumer_answer": answers[0],
                "date_consumer_answer": closed,
                "professional_answer": answers[1],
                "date_professional_answer": closed,
                "state": "closed",
                "date_outcome": closed,
            }
        )
        vals["outcome_id"] = ref(
            "consumer_mediation.outcome_accepted_both"
            if answers == ("accepted", "accepted")
            else "consumer_mediation.outcome_refused_consumer"
            if answers[0] == "refused"
            else "consumer_mediation.outcome_refused_professional"
        ).id
        if answers == ("accepted", "accepted"):
            vals["execution"] = rng.choice(["done", "done", "not_done", "unknown"])
            vals["date_execution"] = closed
        return extension

    @api.model
    def _demo_professionals(self):
        """{professional: covering contract}; creates a few covered demo
        companies when no membership exists yet."""
        today = fields.Date.context_today(self)
        contracts = self.env["contract.contract"].search(
            [("mediation_kind", "=", "individual"), ("mediation_state", "=", "active")]
        )
        if not contracts:
            names = ["Meubles Lefort", "Voyages Azur", "Garage du Centre"]
            names += ["Cuisines Martin", "Optique Claire", "Salon Expo Lyon"]
            contracts = self.env["contract.contract"]
            for name in names:
                company = self.env["res.partner"].create(
                    {"name": name, "is_company": True}
                )
                contracts |= self.env["contract.contract"].create(
                    {
                        "name": f"Membership {name}",
                        "partner_id": company.id,
                        "mediation_kind": "individual",
                        "date_start": today - timedelta(days=800),
                        "contract_type": "sale",
                    }
                )
            contracts.action_mediation_activate()
        return {contract.partner_id: contract for contract in contracts}

    @api.model
    def _demo_mediators(self):
        """The mediators, with three demo ones added so the workload and the
        "my cases" rules have something to show."""
        group = self.env.ref("consumer_mediation.group_mediation_user")
        mediators = group.users.filtered(lambda u: not u.share)
        if len(mediators) < 3:
            mediators |= self.env["res.users"].create(
                [
                    {
                        "name": name,
                        "login": f"demo.mediator{index}",
                        "email": f"demo.mediator{index}@example.com",
                        "groups_id": [(4, group.id)],
                    }
                    for index, name in enumerate(
                        ["Claire Fontaine", "Marc Girard", "Sophie Lambert"], 1
                    )
                ]
            )
        return mediators

    @api.model
    def _demo_consumers(self, rng):
        first = ["Camille", "Louis", "Emma", "Hugo", "Léa", "Jules", "Chloé", "Lucas"]
        last = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit"]
        last += ["Durand", "Leroy", "Moreau"]
        names = [f"{f} {n}" for f in first for n in last]
        rng.shuffle(names)
        return self.env["res.partner"].create(
            [
                {"name": name, "email": f"demo.consumer{index}@example.com"}
                for index, name in enumerate(names)
            ]
        )
