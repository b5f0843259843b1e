from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MediationCaseCommon


@tagged("post_install", "-at_install")
class TestMediationCaseClocks(MediationCaseCommon):
    def test_refusal_notice_clock(self):
        case = self._case(date_received=self.today - timedelta(days=25))
        self.assertEqual(case.date_refusal_due, self.today - timedelta(days=4))
        self.assertEqual(case.next_due_clock, "refusal")
        self.assertTrue(case.is_overdue)
        self.assertEqual(case.deadline_status, "overdue")
        case._refuse(self.ground_no_complaint)
        # The refusal stops the clocks: its letter still to send is work of
        # its own (the "Refusal Letter to Send" filter), not an overdue clock.
        self.assertFalse(case.is_overdue)
        self.assertEqual(case.deadline_status, "none")

    def test_recent_case_is_on_track(self):
        case = self._case()
        self.assertEqual(case.date_refusal_due, self.today + timedelta(days=21))
        self.assertEqual(case.deadline_status, "ok")
        near = self._case(date_received=self.today - timedelta(days=18))
        self.assertEqual(near.deadline_status, "soon")

    def test_entry_and_mediation_clocks(self):
        self.company.mediation_professional_entry_days = 10
        case = self._case_in("waiting")
        self.assertEqual(case.date_entry_due, self.today + timedelta(days=10))
        self.assertEqual(case.date_mediation_due, self.today + timedelta(days=90))
        self.assertEqual(case.next_due_clock, "entry")
        self.assertFalse(case.date_refusal_due < self.today and case.is_overdue)
        # The setting applies to later requests, not to this one.
        self.company.mediation_professional_entry_days = 30
        self.assertEqual(case.date_entry_due, self.today + timedelta(days=10))
        case.action_professional_agree()
        self.assertEqual(case.next_due_clock, "mediation")
        self.assertEqual(case.next_due_date, self.today + timedelta(days=90))

    def test_extensions_move_the_mediation_deadline(self):
        case = self._case_in("mediation")
        first = self.today + timedelta(days=120)
        wizard = self.env["mediation.case.extend.wizard"].create(
            {"case_ids": case.ids, "new_deadline": first, "reason": "Expertise"}
        )
        self.assertEqual(wizard.current_deadline, self.today + timedelta(days=90))
        wizard.action_confirm()
        self.assertEqual(case.date_mediation_due, first)
        extension = case.extension_ids
        self.assertEqual(extension.previous_deadline, self.today + timedelta(days=90))
        self.assertEqual(extension.date_notified, self.today)
        # Both parties are told the new deadline at once (R612-5).
        for party in (self.consumer, self.professional):
            letter = self._letters(case, party)[:1]
            self.assertIn("extends the mediation", letter.body)
        with self.assertRaisesRegex(UserError, "after the current one"):
            case._extend(first, "Again")
        second = self.today + timedelta(days=150)
        case._extend(second, "Second expertise")
        self.assertEqual(len(case.extension_ids), 2)
        self.assertEqual(case.date_mediation_due, second)
        with self.assertRaisesRegex(UserError, "reason"):
            case._extend(second + timedelta(days=1), "")

    def test_proposal_answer_clock(self):
        case = self._case_in("mediation")
        self.assertEqual(case.proposal_answer_days, 15)
        case.proposal_answer_days = 8
        case.proposal_text = "<p>Refund.</p>"
        case.proposal_favours = "balanced"
        case.action_send_proposal()
        self.assertEqual(case.date_proposal_answer_due, self.today + timedelta(days=8))
        self.assertEqual(case.next_due_clock, "proposal")
        case.action_consumer_accept()
        case.action_professional_accept()
        self.assertEqual(case.next_due_clock, "mediation")

    def test_closed_case_has_no_running_clock(self):
        case = self._case_in("mediation")
        case.action_close()
        self.assertEqual(case.deadline_status, "none")
        self.assertFalse(case.next_due_date)
        # The legal deadline itself stays on record for the reports.
        self.assertEqual(case.date_mediation_due, self.today + timedelta(days=90))


@tagged("post_install", "-at_install")
class TestMediationCaseCron(MediationCaseCommon):
    def _activities(self, case):
        return case.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("consumer_mediation.mail_activity_type_deadline")
            )
        )

    def test_reminder_once_per_clock(self):
        self.company.mediation_reminder_days = 5
        near = self._case(date_received=self.today - timedelta(days=17))
        far = self._case(date_received=self.today - timedelta(days=2))
        unassigned = self._case(
            date_received=self.today - timedelta(days=17), mediator_id=False
        )
        self.env["mediation.case"]._cron_check_clocks()
        activity = self._activities(near)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.mediator)
        self.assertEqual(activity.date_deadline, near.date_refusal_due)
        self.assertFalse(self._activities(far))
        self.assertFalse(self._activities(unassigned))
        # Next run, same deadline: no second reminder.
        near.date_clocks_checked = self.today - timedelta(days=1)
        self.env["mediation.case"]._cron_check_clocks()
        self.assertEqual(len(self._activities(near)), 1)

    def test_extension_gets_its_own_reminder(self):
        case = self._case_in("mediation")
        case.date_saisine_notified = self.today - timedelta(days=87)
        self.env["mediation.case"]._cron_check_clocks()
        self.assertEqual(len(self._activities(case)), 1)
        case._extend(self.today + timedelta(days=4), "Expertise")
        case.date_clocks_checked = False
        self.env["mediation.case"]._cron_check_clocks()
        self.assertEqual(len(self._activities(case)), 2)

    def test_cron_marks_overdue_and_works_in_batches(self):
        cases = self._case() | self._case() | self._case()
        self.assertFalse(any(cases.mapped("is_overdue")))
        # Days pass: the stored deadline is now behind us, no field changed.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mediation_case SET date_refusal_due = %s WHERE id IN %s",
            [self.today - timedelta(days=1), tuple(cases.ids)],
        )
        self.env.invalidate_all()
        self.assertFalse(any(cases.mapped("is_overdue")))
        cron = self.env["mediation.case"]
        pending = cron.search_count([("date_clocks_checked", "=", False)])
        remaining = cron._cron_check_clocks(batch_size=2)
        self.assertEqual(remaining, pending - 2)
        while remaining:
            remaining = cron._cron_check_clocks(batch_size=2)
        self.assertTrue(all(cases.mapped("is_overdue")))
        self.assertEqual(set(cases.mapped("deadline_status")), {"overdue"})
        self.assertEqual(cases.mapped("date_clocks_checked"), [self.today] * 3)
        self.assertEqual(cron.search_count([("is_overdue", "=", True)]), 3)

    def test_scheduled_action_reports_progress(self):
        cron = self.env.ref("consumer_mediation.ir_cron_mediation_case_clocks")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        cases = self._case() | self._case()
        cron.method_direct_trigger()
        self.assertEqual(cases.mapped("date_clocks_checked"), [self.today] * 2)
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        self.assertEqual(progress.remaining, 0)
        self.assertGreaterEqual(progress.done, 2)

    def test_cron_skips_finished_cases(self):
        notified = self._case()
        notified._refuse(self.ground_no_complaint)
        notified.action_send_refusal()
        pending = self._case()
        pending._refuse(self.ground_no_complaint)
        running = self._case()
        self.env["mediation.case"]._cron_check_clocks()
        self.assertFalse(notified.date_clocks_checked)
        # A refusal stops the clocks, notified or not.
        self.assertFalse(pending.date_clocks_checked)
        self.assertEqual(running.date_clocks_checked, self.today)

    def test_two_clocks_due_on_one_case_give_two_reminders(self):
        self.company.mediation_reminder_days = 5
        case = self._case_in("waiting")
        case.write(
            {
                "date_professional_requested": self.today - timedelta(days=18),
                "date_saisine_notified": self.today - timedelta(days=87),
            }
        )
        self.env["mediation.case"]._cron_check_clocks()
        self.assertEqual(
            set(self._activities(case).mapped("date_deadline")),
            {case.date_entry_due, case.date_mediation_due},
        )
        self.assertIn(self.mediator.partner_id, case.message_partner_ids)
