from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMediationUi(HttpCase):
    def test_login_page_answers(self):
        response = self.url_open("/web/login")
        self.assertEqual(response.status_code, 200)

    def test_settings_tour(self):
        company = self.env.ref("base.main_company")
        new_test_user(
            self.env,
            "tour_settings",
            groups="base.group_system,consumer_mediation.group_mediation_manager",
        )
        self.start_tour(
            "/odoo", "consumer_mediation_settings_tour", login="tour_settings"
        )
        self.assertEqual(company.mediation_proposal_answer_days, 20)
