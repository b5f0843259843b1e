"""Workflow of a case: the actions that move it, each checking its state
and logging the decision it records."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, html2plaintext

from .mediation_case import (
    FINAL_STATES,
    OPEN_STATES,
    SEALED_FIELDS,
)


class MediationCase(models.Model):
    # The case model is split by concern, one file each, on purpose.
    _inherit = "mediation.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Actions: admissibility
    # ------------------------------------------------------------------
    def action_start_review(self):
        """The file is complete: hand it over to the mediator's admissibility
        review (the secretariat's check of a registered case)."""
        self._check_state("received")
        for case in self:
            missing = case._missing_for_review()
            if missing:
                raise UserError(
                    self.env._(
                        "%(case)s is not complete: %(missing)s.",
                        case=case.name,
                        missing=", ".join(missing),
                    )
                )
        self._write_sealed({"state": "review"})
        self.activity_feedback(["consumer_mediation.mail_activity_type_file_check"])
        return True

    def _missing_for_review(self):
        """What a mediator needs to judge admissibility and is not there yet."""
        self.ensure_one()
        missing = []
        if self.is_awaiting_documents:
            missing.append(self.env._("receive the documents requested"))
        if not self.professional_id:
            missing.append(self.env._("identify the professional"))
        if not html2plaintext(self.description or "").strip():
            missing.append(self.env._("describe the dispute"))
        return missing

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
                        date=format_date(self.env, case.date_received),
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
        self._write_sealed({"state": "waiting"})
        return True

    def action_professional_agree(self):
        self._check_state("waiting")
        self._write_sealed(
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
                    date=format_date(self.env, self.date_mediation_due),
                )
            )
        self.check_access("write")
        self._check_mediator_act({"date_mediation_due": new_deadline})
        extension = (
            self.env["mediation.case.extension"]
            .sudo()
            .create(
                {
                    "case_id": self.id,
                    "previous_deadline": self.date_mediation_due,
                    "new_deadline": new_deadline,
                    "reason": reason,
                }
            )
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
            if not case.proposal_favours:
                raise UserError(
                    self.env._(
                        "Say whom the proposal of %(case)s favours: the annual "
                        "report counts it (R614-2 8°).",
                        case=case.name,
                    )
                )
            if case.proposal_answer_days <= 0:
                raise UserError(
                    self.env._("Give the parties a deadline to answer the proposal.")
                )
        self._send_letter("proposal")
        self._write_sealed({"state": "proposal"})
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

    def action_open_close_wizard(self):
        self._check_state("mediation", "proposal")
        for case in self:
            case._closing_outcome()
        return self._open_wizard(
            "mediation.case.close.wizard", self.env._("Close the Case")
        )

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
        # A mediation ending without a proposal: both parties are told in
        # writing at once; the limitation period restarts from that notice
        # (C. civ. 2238).
        self.filtered("date_saisine_notified")._send_letter("closing")

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
    # Business methods
    # ------------------------------------------------------------------
    def _write_decision(self, kind, vals):
        """Write a legal decision and append it to the tamper-evident log:
        the only way the decision fields change once written."""
        self._write_sealed(vals)
        return self.env["mediation.decision.log"]._append(self, kind)

    def _write_sealed(self, vals):
        """Write fields of SEALED_FIELDS for an action that checked the
        case's state: the caller's rights on the case and role are checked
        here, then the values are written in superuser mode, the only one
        write() accepts them in (a JSON-RPC caller chooses its context)."""
        self.check_access("write")
        self._check_mediator_act(vals)
        return self.sudo().write(vals)

    @api.model
    def _sealed_fields(self):
        # The stored computes too (clocks, archiving, the professional's
        # involvement, which opens the case to it): only the ORM sets them.
        return SEALED_FIELDS | {
            name
            for name, field in self._fields.items()
            if field.store and field.compute and field.readonly
        }

    def _check_sealed_write(self, vals):
        if self.env.su:
            return
        protected = self._sealed_fields().intersection(vals)
        # A sent proposal is a decision; a reopened mediation drafts a new one.
        for name in {"proposal_text", "proposal_favours"}.intersection(vals):
            if any(
                case.date_proposal_notified and case.state != "mediation"
                for case in self
            ):
                protected.add(name)
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
