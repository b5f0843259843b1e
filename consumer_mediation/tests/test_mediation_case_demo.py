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
