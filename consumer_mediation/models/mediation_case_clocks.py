"""Legal clocks of a case: due dates, their status and the daily check."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from .mediation_case import (
    MEDIATION_DAYS,
    REFUSAL_NOTICE_DAYS,
    RUNNING_CLOCK_DOMAIN,
)


class MediationCase(models.Model):
    # The case model is split by concern, one file each, on purpose.
    _inherit = "mediation.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Clocks
    # ------------------------------------------------------------------
    date_refusal_due = fields.Date(
        string="Refusal Notice Due",
        compute="_compute_clocks",
        store=True,
        help="A refusal must reach the consumer within 21 days of receipt of the "
        "complete file; no due date while documents are awaited.",
    )
    date_entry_due = fields.Date(
        string="Professional Entry Due", compute="_compute_clocks", store=True
    )
    date_mediation_due = fields.Date(
        string="Mediation Deadline",
        compute="_compute_clocks",
        store=True,
        help="90 days from the notification of the saisine, moved by each "
        "extension (R612-5). Binds the mediator: the outcome of the mediation "
        "by then.",
    )
    date_proposal_answer_due = fields.Date(
        string="Proposal Answer Due",
        compute="_compute_clocks",
        store=True,
        help="Set by the mediator with the proposal (R612-4), it binds the "
        "parties; it is not cut short to fit the mediation deadline, after "
        "which it may fall.",
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
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "date_file_complete",
        "date_professional_requested",
        "professional_entry_days",
        "date_saisine_notified",
        "extension_ids.new_deadline",
        "date_proposal_notified",
        "proposal_answer_days",
    )
    def _compute_clocks(self):
        for case in self:
            # L612-2: from the receipt of the complete file.
            case.date_refusal_due = case._add_days(
                case.date_file_complete, REFUSAL_NOTICE_DAYS
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

    def _active_clocks(self):
        """The clocks still running in the current state: {clock: due date}."""
        self.ensure_one()
        clocks = {}
        if self.state in ("received", "review"):
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

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------
    @api.model
    def _cron_check_clocks(self, batch_size=500):
        """Follow up the documents requested from the consumers, refresh the
        overdue flags and remind the assigned mediator
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
        cases._follow_up_documents(today)
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
