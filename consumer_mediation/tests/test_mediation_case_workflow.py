from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import MediationCaseCommon


@tagged("post_install", "-at_install")
class TestMediationCaseWorkflow(MediationCaseCommon):
    def test_intake_number_and_coverage(self):
        case = self._case()
        self.assertRegex(case.name, rf"^MED/{self.today.year}/\d{{5}}$")
        self.assertEqual(case.state, "received")
        self.assertEqual(case.contract_id, self.contract)
        self.assertFalse(case.is_out_of_coverage)
        uncovered = self._case(professional_id=self.uncovered.id)
        self.assertFalse(uncovered.contract_id)
        self.assertTrue(uncovered.is_out_of_coverage)
        # Not covered on the receipt date: before the membership started.
        early = self._case(
            date_received=self.today - timedelta(days=500), date_complaint=False
        )
        self.assertTrue(early.is_out_of_coverage)

    def test_review_needs_professional(self):
        case = self._case(professional_id=False)
        with self.assertRaises(UserError):
            case.action_start_review()
        case.professional_id = self.professional
        case.action_start_review()
        self.assertEqual(case.state, "review")
        with self.assertRaises(UserError):
            case.action_start_review()

    def test_refusal_stamps_decision_and_notification(self):
        case = self._case(date_complaint=False)
        wizard = Form(
            self.env["mediation.case.refuse.wizard"].with_context(
                default_case_ids=case.ids
            )
        )
        wizard.ground_id = self.ground_no_complaint
        wizard.save().action_confirm()
        self.assertEqual(case.state, "refused")
        self.assertEqual(case.refusal_ground_id, self.ground_no_complaint)
        self.assertEqual(case.date_admissibility_decided, self.today)
        self.assertEqual(case.date_admissibility_notified, self.today)
        self.assertEqual(case.outcome_id.code, "refused")
        self.assertTrue(self._letters(case, self.consumer))
        with self.assertRaises(UserError):
            case._refuse(self.ground_no_complaint)

    def test_refuse_wizard_proposes_the_ground_found(self):
        case = self._case(date_complaint=False)
        action = case.action_open_refuse_wizard()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(wizard.ground_id, self.ground_no_complaint)

    def test_refusal_needs_ground(self):
        case = self._case()
        with self.assertRaises(UserError):
            case._refuse(self.env["mediation.refusal.ground"])
        self.assertEqual(case.state, "received")

    def test_admit_preconditions(self):
        uncovered = self._case(professional_id=self.uncovered.id)
        uncovered.action_start_review()
        with self.assertRaisesRegex(UserError, "not covered"):
            uncovered.action_admit()
        no_complaint = self._case(date_complaint=False)
        no_complaint.action_start_review()
        with self.assertRaisesRegex(UserError, "written complaint"):
            no_complaint.action_admit()
        unassigned = self._case(mediator_id=False)
        unassigned.action_start_review()
        with self.assertRaisesRegex(UserError, "mediator"):
            unassigned.action_admit()
        received = self._case()
        with self.assertRaises(UserError):
            received.action_admit()

    def test_saisine_to_both_parties(self):
        case = self._case_in("admitted")
        self.assertEqual(case.date_admissibility_decided, self.today)
        case.action_notify_saisine()
        self.assertEqual(case.state, "waiting")
        self.assertEqual(case.date_saisine_notified, self.today)
        self.assertEqual(case.date_admissibility_notified, self.today)
        self.assertEqual(case.date_professional_requested, self.today)
        self.assertEqual(case.professional_entry_days, 21)
        self.assertTrue(self._letters(case, self.consumer))
        # Notification of the saisine and request to enter.
        self.assertEqual(len(self._letters(case, self.professional)), 2)

    def test_professional_agrees_then_proposal_accepted(self):
        case = self._case_in("mediation")
        self.assertEqual(case.professional_entry, "agreed")
        self.assertEqual(case.date_professional_entry, self.today)
        with self.assertRaisesRegex(UserError, "proposed solution"):
            case.action_send_proposal()
        case.proposal_text = "<p>Refund of 300 EUR.</p>"
        with self.assertRaisesRegex(UserError, "favours"):
            case.action_send_proposal()
        case.proposal_favours = "consumer"
        case.proposal_answer_days = 0
        with self.assertRaisesRegex(UserError, "deadline"):
            case.action_send_proposal()
        case.proposal_answer_days = 10
        case.action_send_proposal()
        self.assertEqual(case.state, "proposal")
        self.assertEqual(case.date_proposal_notified, self.today)
        with self.assertRaisesRegex(UserError, "answers of both parties"):
            case.action_close()
        case.action_consumer_accept()
        with self.assertRaises(UserError):
            case.action_consumer_refuse()
        with self.assertRaisesRegex(UserError, "answers of both parties"):
            case.action_close()
        case.action_professional_accept()
        self.assertEqual(case.date_consumer_answer, self.today)
        self.assertEqual(case.date_professional_answer, self.today)
        case.action_close()
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.outcome_id.code, "accepted_both")
        self.assertEqual(case.date_outcome, self.today)
        case.action_execution_done()
        self.assertEqual(case.execution, "done")
        self.assertEqual(case.date_execution, self.today)
        case.action_send_closing()
        self.assertEqual(case.date_closing_notified, self.today)
        case.action_send_certificate()
        self.assertEqual(case.date_certificate_issued, self.today)

    def test_proposal_refused_outcomes(self):
        by_consumer = self._case_in("proposal")
        by_consumer.action_consumer_refuse()
        by_consumer.action_close()
        self.assertEqual(by_consumer.outcome_id.code, "refused_consumer")
        with self.assertRaisesRegex(UserError, "agreed solution"):
            by_consumer.action_execution_done()
        by_professional = self._case_in("proposal")
        by_professional.action_consumer_accept()
        by_professional.action_professional_refuse()
        by_professional.action_close()
        self.assertEqual(by_professional.outcome_id.code, "refused_professional")

    def test_amicable_agreement_during_mediation(self):
        case = self._case_in("mediation")
        case.action_close()
        self.assertEqual(case.outcome_id.code, "agreement")
        self.assertEqual(case.outcome_kind, "completed")

    def test_professional_declines(self):
        case = self._case_in("waiting")
        case.action_professional_decline()
        self.assertEqual(case.state, "interrupted")
        self.assertEqual(case.professional_entry, "declined")
        self.assertEqual(case.date_professional_entry, self.today)
        self.assertEqual(case.outcome_id.code, "professional_declined")
        # A certificate of attempted mediation is what the consumer needs now.
        case.action_send_certificate()
        self.assertEqual(case.date_certificate_issued, self.today)

    def test_certificate_needs_a_saisine(self):
        case = self._case()
        cause = self.env.ref("consumer_mediation.outcome_withdrawn_consumer")
        case._interrupt(cause)
        with self.assertRaisesRegex(UserError, "never reached"):
            case.action_send_certificate()

    def test_withdrawal_at_any_time(self):
        cause = self.env.ref("consumer_mediation.outcome_withdrawn_consumer")
        for state in ("received", "review", "admitted", "waiting", "mediation"):
            case = self._case_in(state) if state != "received" else self._case()
            self.env["mediation.case.interrupt.wizard"].create(
                {"case_ids": case.ids, "cause_id": cause.id, "note": "Settled alone"}
            ).action_confirm()
            self.assertEqual(case.state, "interrupted")
            self.assertEqual(case.outcome_id, cause)
            self.assertEqual(case.date_outcome, self.today)
            self.assertEqual(case.interruption_note, "Settled alone")
        with self.assertRaises(UserError):
            case._interrupt(cause)
        with self.assertRaisesRegex(UserError, "cause"):
            self._case()._interrupt(
                self.env.ref("consumer_mediation.outcome_agreement")
            )

    def test_conflict_of_interest(self):
        case = self._case_in("mediation")
        objection = self.env.ref("consumer_mediation.outcome_conflict_objection")
        with self.assertRaisesRegex(UserError, "No conflict of interest"):
            case._interrupt(objection)
        with self.assertRaisesRegex(UserError, "impartiality"):
            case.action_declare_conflict()
        case.conflict_text = "The mediator was once a client of the professional."
        case.action_declare_conflict()
        self.assertEqual(case.date_conflict_declared, self.today)
        self.assertEqual(case.state, "mediation")
        case._interrupt(objection)
        self.assertEqual(case.state, "interrupted")
        self.assertEqual(case.outcome_id.code, "conflict_objection")

    def test_reopen_managers_only_with_reason(self):
        case = self._case_in("mediation")
        case.action_close()
        with self.assertRaisesRegex(UserError, "manager"):
            case.with_user(self.mediator).action_open_reopen_wizard()
        with self.assertRaisesRegex(UserError, "reason"):
            case.with_user(self.manager)._reopen(" ")
        self.env["mediation.case.reopen.wizard"].with_user(self.manager).create(
            {"case_ids": case.ids, "reason": "The professional did not pay."}
        ).action_confirm()
        self.assertEqual(case.state, "mediation")
        self.assertFalse(case.outcome_id)
        self.assertEqual(case.reopen_reason, "The professional did not pay.")
        self.assertEqual(case.date_reopened, self.today)
        refused = self._case()
        refused._refuse(self.ground_no_complaint)
        refused.with_user(self.manager)._reopen("Complaint found in the file")
        self.assertEqual(refused.state, "review")
        self.assertFalse(refused.refusal_ground_id)
        with self.assertRaises(UserError):
            case.with_user(self.manager)._reopen("Again")

    def test_transitions_are_tracked(self):
        case = self._case()
        # Tracking starts once the creating transaction is committed.
        self.env.cr.precommit.run()
        case.action_start_review()
        self.env.cr.precommit.run()
        tracked = case.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(tracked.new_value_char, "Admissibility Review")

    def test_date_consistency(self):
        with self.assertRaises(ValidationError):
            self._case(date_complaint=self.today + timedelta(days=1))

    def test_mediator_must_be_in_group(self):
        accountant = self.env["res.users"].create(
            {"name": "Accountant", "login": "acc_case"}
        )
        with self.assertRaises(ValidationError):
            self._case(mediator_id=accountant.id)

    def test_suggest_least_loaded_mediator(self):
        self._case()
        self._case()
        self._case(mediator_id=self.other_mediator.id)
        case = self._case(mediator_id=False)
        loads = {
            user: self.env["mediation.case"].search_count(
                [
                    ("mediator_id", "=", user.id),
                    ("state", "not in", ("refused", "closed", "interrupted")),
                ]
            )
            for user in self.env.ref("consumer_mediation.group_mediation_user").users
            if not user.share
        }
        self.assertEqual(loads[case.suggested_mediator_id], min(loads.values()))
        self.assertNotEqual(case.suggested_mediator_id, self.mediator)
        case.action_assign_suggested_mediator()
        self.assertEqual(case.mediator_id, case.suggested_mediator_id)

    def test_legal_configuration_protected(self):
        for xmlid in (
            "consumer_mediation.ground_no_complaint",
            "consumer_mediation.outcome_refused",
            "consumer_mediation.subject_delivery",
        ):
            with self.assertRaises(UserError):
                self.env.ref(xmlid).unlink()
        own = self.env["mediation.case.subject"].create(
            {"name": "Timeshare", "code": "timeshare"}
        )
        own.unlink()
        self.assertFalse(own.exists())

    def test_refuse_out_of_coverage_as_outside_competence(self):
        case = self._case(professional_id=self.uncovered.id)
        case.action_start_review()
        self.env["mediation.case.refuse.wizard"].create(
            {
                "case_ids": case.ids,
                "ground_id": self.ground_competence.id,
                "send_letter": False,
            }
        ).action_confirm()
        self.assertEqual(case.state, "refused")
        self.assertEqual(case.refusal_ground_id.legal_reference, "L612-2 5°")
        self.assertFalse(case.date_admissibility_notified)

    def test_execution_unknown(self):
        case = self._case_in("mediation")
        case.action_close()
        case.action_execution_unknown()
        self.assertEqual(case.execution, "unknown")
        with self.assertRaises(UserError):
            case.action_open_interrupt_wizard()

    def test_back_office_views_open_for_a_mediator(self):
        views = (
            self.env["mediation.case"]
            .with_user(self.mediator)
            .get_views(
                [
                    (False, view_type)
                    for view_type in (
                        "kanban",
                        "list",
                        "form",
                        "calendar",
                        "pivot",
                        "graph",
                        "activity",
                        "search",
                    )
                ]
            )
        )
        self.assertIn("date_mediation_due", views["views"]["form"]["arch"])
        self.assertIn("deadline_status", views["views"]["kanban"]["arch"])
        self.assertIn("next_due_date", views["views"]["calendar"]["arch"])
