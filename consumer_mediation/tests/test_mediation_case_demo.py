from odoo.tests import tagged

from .common import MediationCaseCommon


@tagged("post_install", "-at_install")
class TestMediationCaseDemo(MediationCaseCommon):
    def test_generator_mix(self):
        cases = self.env["mediation.demo"]._generate_demo_cases(count=200)
        self.assertEqual(len(cases), 200)
        refused = cases.filtered(lambda c: c.state == "refused")
        self.assertTrue(0.35 < len(refused) / len(cases) < 0.6)
        grounds = [case.refusal_ground_id.code for case in refused]
        self.assertEqual(max(set(grounds) - {False}, key=grounds.count), "no_complaint")
        states = set(cases.mapped("state"))
        self.assertTrue({"closed", "interrupted", "mediation", "refused"} <= states)
        self.assertTrue(cases.extension_ids)
        self.assertLessEqual(
            max(cases.extension_ids.mapped("date_notified")), self.today
        )
        self.assertEqual(
            len(cases.mapped("mediator_id")),
            len(
                self.env.ref("consumer_mediation.group_mediation_user").users.filtered(
                    lambda u: not u.share
                )
            ),
        )
        self.assertTrue(cases.filtered("is_overdue"))
        self.assertEqual(
            set(cases.filtered(lambda c: c.state == "closed").mapped("outcome_kind")),
            {"completed"},
        )
        self.assertFalse(cases.filtered("is_out_of_coverage"))
        # Legal dates are in order.
        for case in cases.filtered("date_saisine_notified"):
            self.assertLessEqual(case.date_received, case.date_saisine_notified)
            if case.date_outcome:
                self.assertLessEqual(case.date_saisine_notified, case.date_outcome)

    def test_generator_is_deterministic(self):
        first = self.env["mediation.demo"]._generate_demo_cases(count=30)
        second = self.env["mediation.demo"]._generate_demo_cases(count=30)
        self.assertEqual(first.mapped("state"), second.mapped("state"))
        self.assertEqual(first.mapped("date_received"), second.mapped("date_received"))

    def test_cases_have_a_history_and_work_to_do(self):
        """The showcase cases carry their letters, state changes and notes on
        their dates; the mediators have reminders and checks to do, some of
        them late (what "Overdue" and the activity view show)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        demo = self.env["mediation.demo"].with_context(lang="fr_FR")
        cases = demo._generate_demo_cases(count=300)
        self.assertTrue(
            cases.filtered(lambda c: c.state == "mediation" and c.is_overdue)
        )
        with_history = cases.filtered(lambda c: len(c.message_ids) >= 3)
        self.assertGreaterEqual(len(with_history), 20)
        messages = with_history.message_ids
        self.assertTrue(messages.filtered(lambda m: m.tracking_value_ids))
        letters = messages.filtered(lambda m: m.subject and m.partner_ids)
        self.assertTrue(letters)
        # In French: the letters and the state changes.
        self.assertTrue(all("Madame, Monsieur" in str(m.body) for m in letters))
        self.assertNotIn("Madam, Sir", "".join(letters.mapped("body")))
        self.assertIn(
            "En médiation",
            messages.tracking_value_ids.mapped("new_value_char"),
        )
        self.assertFalse(
            self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
        )
        for case in with_history:
            self.assertTrue(all(m.date.date() <= self.today for m in case.message_ids))
            self.assertEqual(
                min(case.message_ids.mapped("date")).date(), case.date_received
            )
        activities = cases.activity_ids
        deadline = self.env.ref("consumer_mediation.mail_activity_type_deadline")
        reminders = activities.filtered(lambda a: a.activity_type_id == deadline)
        self.assertTrue(reminders)
        self.assertIn("Échéance de la médiation", reminders.mapped("summary"))
        self.assertTrue(activities.filtered(lambda a: a.date_deadline < self.today))
        self.assertTrue(activities.filtered(lambda a: a.date_deadline > self.today))
        self.assertEqual(activities.user_id, cases.filtered("activity_ids").mediator_id)
        # A few new files wait for documents: their refusal clock waits too.
        incomplete = cases.filtered("is_awaiting_documents")
        self.assertTrue(incomplete)
        for case in incomplete:
            self.assertTrue(case.document_type_ids)
            self.assertFalse(case.date_file_complete)
            self.assertFalse(case.date_refusal_due)
        described = cases.filtered("description")
        self.assertEqual(described, cases)
        proposals = cases.filtered("date_proposal_notified")
        self.assertTrue(
            all("Le professionnel" in str(c.proposal_text) for c in proposals)
        )
