from datetime import date

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMediationReportsPublication(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reports = cls.env["mediation.activity.report"]
        cls.published = reports.create(
            {
                "name": "Activity Report 2024",
                "date_from": date(2024, 1, 1),
                "date_to": date(2024, 12, 31),
                "networks_text": "FIN-NET",
                "recommendations": "Keep the delivery note.",
            }
        )
        cls.draft = reports.create(
            {
                "name": "Activity Report 2025 (draft)",
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 12, 31),
            }
        )

    def test_published_report_is_public(self):
        self.published.action_publish()
        self.assertTrue(self.published.attachment_id)
        page = self.url_open("/mediation/reports")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Activity Report 2024", page.text)
        self.assertNotIn("Activity Report 2025 (draft)", page.text)
        url = f"/mediation/reports/{self.published.id}/download"
        self.assertIn(url, page.text)
        document = self.url_open(url)
        self.assertEqual(document.status_code, 200)
        self.assertIn(b"FIN-NET", document.content)
        self.assertEqual(
            self.url_open(f"/mediation/reports/{self.draft.id}/download").status_code,
            404,
        )

    def test_unpublished_report_disappears(self):
        self.published.action_publish()
        self.published.action_unpublish()
        page = self.url_open("/mediation/reports")
        self.assertNotIn("Activity Report 2024", page.text)
        self.assertIn("No activity report is published yet.", page.text)
        url = f"/mediation/reports/{self.published.id}/download"
        self.assertEqual(self.url_open(url).status_code, 404)
