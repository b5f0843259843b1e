from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, create_index

from .mediation_invoicing import FEE_EVENT_FIELDS

REFUSAL_NOTICE_DAYS = 21  # L612-2, last paragraph
MEDIATION_DAYS = 90  # R612-5
# Shared by the models that show a case's state (analysis, export): a
# selection given as a list is translated, one computed from another field's
# is not.
CASE_STATES = [
    ("received", "Received"),
    ("review", "Admissibility Review"),
    ("refused", "Refused"),
    ("admitted", "Admitted"),
    ("waiting", "Awaiting Professional"),
    ("mediation", "In Mediation"),
    ("proposal", "Proposal Sent"),
    ("closed", "Closed"),
    ("interrupted", "Interrupted"),
]
OPEN_STATES = ("received", "review", "admitted", "waiting", "mediation", "proposal")


def state_ordered_groupby(groupby_terms):
    """``groupby_terms`` of a read_group, the state (when grouped by) sorted
    in the order of a case's life instead of its technical key's: pivots and
    graphs read received, review, refused, admitted..."""
    if "state" not in groupby_terms:
        return groupby_terms
    return dict(
        groupby_terms,
        state=SQL(
            "array_position(%s::varchar[], %s)",
            [state for state, _label in CASE_STATES],
            groupby_terms["state"],
        ),
    )


FINAL_STATES = ("refused", "closed", "interrupted")
# Cases whose legal clocks still run: the open ones. A refusal stops the
# clocks; its letter still to send is work of its own, not an overdue clock.
RUNNING_CLOCK_DOMAIN = [("state", "in", OPEN_STATES)]
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
# The mediator's acts (L612-2, R612-2, R612-4, R612-5, R613-1): the secretariat
# registers and prepares cases but changes none of these.
MEDIATOR_FIELDS = DECISION_FIELDS | {
    "state",
    "date_mediation_due",
    "date_conflict_declared",
    "proposal_text",
    "proposal_answer_days",
    "fee_complex",
}
MEDIATOR_GROUP = "consumer_mediation.group_mediation_user"
# Written by the actions only, in superuser mode once they checked the
# caller's role: the decisions, the state and (mediation_case_clocks.py) the
# legal clocks, with the other stored computes (_sealed_fields).
SEALED_FIELDS = DECISION_FIELDS | {"state"}

# Letter steps: mail template, legal date the sending stamps, recipients.
LETTERS = {
    "acknowledgement": ("date_acknowledged", ("consumer",)),
    "documents_request": ("date_documents_requested", ("consumer",)),
    "documents_reminder": ("date_documents_reminded", ("consumer",)),
    "file_complete": ("date_file_complete", ("consumer",)),
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
        CASE_STATES,
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
        groups="consumer_mediation.group_mediation_user,"
        "consumer_mediation.group_mediation_secretariat",
        help="Mediator with the fewest open cases.",
    )

    # ------------------------------------------------------------------
    # Coverage
    # ------------------------------------------------------------------
    contract_id = fields.Many2one(
        "contract.contract",
        string="Covering Contract",
        compute="_compute_contract_id",
        groups="consumer_mediation.group_mediation_user,"
        "consumer_mediation.group_mediation_secretariat",
        store=True,
        index=True,
        help="Membership contract covering the professional on the receipt date.",
    )
    is_out_of_coverage = fields.Boolean(
        string="Out of Coverage",
        compute="_compute_contract_id",
        groups="consumer_mediation.group_mediation_user,"
        "consumer_mediation.group_mediation_secretariat",
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
        "ir.attachment",
        string="Proof of the Complaint",
        groups="consumer_mediation.group_mediation_user,"
        "consumer_mediation.group_mediation_secretariat",
    )
    description = fields.Html()
    admissibility_warning = fields.Html(
        compute="_compute_admissibility_warning",
        groups="consumer_mediation.group_mediation_user,"
        "consumer_mediation.group_mediation_secretariat",
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
    # Stated to the consumer by the refusal letter only (it may hold health
    # or family details).
    refusal_note = fields.Text(
        readonly=True, copy=False, groups="consumer_mediation.group_mediation_user"
    )

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
    proposal_favours = fields.Selection(
        [
            ("consumer", "The consumer"),
            ("professional", "The professional"),
            ("balanced", "Balanced"),
        ],
        copy=False,
        tracking=True,
        help="Whom the proposed solution favours, in the mediator's judgement "
        "when sending it: item 8 of the annual report (R614-2) for a mediator "
        "paid by a single professional.",
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
    interruption_note = fields.Text(
        readonly=True, copy=False, groups="consumer_mediation.group_mediation_user"
    )
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
    reopen_reason = fields.Text(
        readonly=True,
        copy=False,
        tracking=True,
        groups="consumer_mediation.group_mediation_user",
    )
    date_reopened = fields.Date(string="Reopened On", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Data protection
    # ------------------------------------------------------------------
    decision_log_ids = fields.One2many(
        "mediation.decision.log",
        "case_id",
        readonly=True,
        groups="consumer_mediation.group_mediation_user,"
        "consumer_mediation.group_mediation_secretariat",
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
        store=True,
        index=True,
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
    anonymisation_failure = fields.Text(
        readonly=True,
        copy=False,
        groups="consumer_mediation.group_mediation_manager",
        help="Why the scheduled anonymisation could not remove the personal data "
        "of this case; it skips the case until a manager retries it.",
    )

    # ------------------------------------------------------------------
    # Fees owed by the professional's contract
    # ------------------------------------------------------------------
    fee_complex = fields.Boolean(
        string="Complex Case",
        tracking=True,
        groups="consumer_mediation.group_mediation_user",
        help="Set by the mediator: the case fee is billed at the complex rate "
        "of the professional's contract.",
    )
    fee_ids = fields.One2many(
        "mediation.case.fee",
        "case_id",
        string="Fees",
        groups="consumer_mediation.group_mediation_user",
    )

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
        """Time passing archives cases too: the daily scheduled action
        recomputes the ones that crossed the line."""
        today = fields.Date.context_today(self)
        for case in self:
            case.is_archived = bool(
                case.state in FINAL_STATES
                and case.date_outcome
                and case.date_outcome
                < today - relativedelta(months=case.company_id.mediation_archive_months)
            )

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
            if case.date_received > fields.Date.context_today(case):
                raise ValidationError(
                    self.env._("A request cannot be received in the future.")
                )
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
            # A new case starts received, with no decision nor clock.
            self._check_sealed_write(
                {
                    name: value
                    for name, value in vals.items()
                    if value and not (name == "state" and value == "received")
                }
            )
        cases = super().create(vals_list)
        # Numbered once created and checked: a save refused (a date in the
        # future...) draws no number, which a rollback would not give back.
        for case in cases.filtered(lambda c: c.name == "/"):
            case.name = (
                self.env["ir.sequence"]
                .with_company(case.company_id)
                .next_by_code("mediation.case", sequence_date=case.date_received)
            )
        if any(FEE_EVENT_FIELDS.intersection(vals) for vals in vals_list):
            cases._sync_fees()
        return cases

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """Fold the columns of finished cases in the kanban by status."""
        groups = super().read_group(
            domain, fields, groupby, offset, limit, orderby, lazy
        )
        first = [groupby] if isinstance(groupby, str) else groupby[:1]
        if first == ["state"]:
            for group in groups:
                group["__fold"] = group.get("state") in FINAL_STATES
        return groups

    def write(self, vals):
        self._check_mediator_act(vals)
        self._check_sealed_write(vals)
        result = super().write(vals)
        if FEE_EVENT_FIELDS.intersection(vals):
            self._sync_fees()
        return result

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        return super()._read_group_orderby(
            order, state_ordered_groupby(groupby_terms), query
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_retry_anonymisation(self):
        """The cause of a failed anonymisation is fixed: the next run of the
        scheduled action takes the case again."""
        if not self.env.user.has_group("consumer_mediation.group_mediation_manager"):
            raise UserError(
                self.env._("Only a mediation manager can retry an anonymisation.")
            )
        self.sudo().anonymisation_failure = False
        self.activity_unlink(["consumer_mediation.mail_activity_anonymisation_failed"])

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _sync_fees(self):
        """The fees made due by the event just written exist at once, to
        invoice: accounting forecasts from them. Mediators cannot write fees;
        the engine does, for these cases only."""
        self.env["mediation.invoicing"].sudo()._sync_case_fees(self)

    @api.model
    def _is_mediator(self, user=None):
        """Whether ``user`` (default: the current one) acts as a mediator:
        decides on cases and reads what the parties confide to the mediator
        only. The secretariat alone does not: a rule or check about those
        confidences names MEDIATOR_GROUP or calls this method."""
        return (user or self.env.user).has_group(MEDIATOR_GROUP)

    def _check_mediator_act(self, vals):
        """Refuse a mediator's act to the secretariat, which only hands a
        complete file over to the admissibility review."""
        protected = MEDIATOR_FIELDS.intersection(vals)
        if not protected or self.env.su or self._is_mediator():
            return
        if protected == {"state"} and vals["state"] == "review":
            return
        raise AccessError(
            self.env._(
                "Only a mediator can take this step on a case: the secretariat "
                "registers, completes and assigns cases."
            )
        )

    @api.model
    def _add_days(self, date, days):
        return date + timedelta(days=days) if date else False

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

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------
    @api.model
    def _cron_archive_finished(self):
        """Archive the finished cases whose current period ended since the
        last run (the archiving depends on today's date)."""
        cases = self.sudo().search(
            [("is_archived", "=", False)]
            + self.env["mediation.retention"]._closed_before_domain(
                "mediation_archive_months", "months"
            )
        )
        self.env.add_to_compute(self._fields["is_archived"], cases)
        cases.flush_recordset(["is_archived"])
