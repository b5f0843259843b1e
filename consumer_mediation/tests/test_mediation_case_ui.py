from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMediationCaseUi(HttpCase):
    def test_case_tour_refuse_from_kanban(self):
        today = fields.Date.context_today(self.env["mediation.case"])
        professional = self.env["res.partner"].create(
            {"name": "Tour Shop", "is_company": True}
        )
        case = self.env["mediation.case"].create(
            {
                "consumer_id": self.env["res.partner"]
                .create({"name": "Tour Consumer", "email": "tour@example.com"})
                .id,
                "professional_id": professional.id,
                "date_received": today - timedelta(days=30),
                "description": "<p>The order never arrived.</p>",
            }
        )
        new_test_user(
            self.env,
            "tour_case_mediator",
            groups="consumer_mediation.group_mediation_user",
        )
        self.start_tour(
            "/odoo", "consumer_mediation_case_tour", login="tour_case_mediator"
        )
        self.assertEqual(case.state, "refused")
        self.assertEqual(case.refusal_ground_id.code, "no_complaint")
        self.assertEqual(case.date_admissibility_notified, today)
