from datetime import timedelta

from odoo.tests import tagged

from .common import MediationCaseCommon


@tagged("post_install", "-at_install")
class TestMediationPrequalification(MediationCaseCommon):
    def _grounds(self, **values):
        base = {
            "complaint_sent": True,
            "date_complaint": self.today - timedelta(days=20),
            "professional_id": self.professional.id,
        }
        result = self.env["mediation.prequalification"]._prequalify({**base, **values})
        return result, set(result["grounds"].mapped("code"))

    def test_admissible_request(self):
        result, grounds = self._grounds()
        self.assertFalse(grounds)
        self.assertTrue(result["admissible"])
        self.assertEqual(result["contract"], self.contract)

    def test_no_written_complaint_gives_model_letter(self):
        result, grounds = self._grounds(complaint_sent=False, date_complaint=False)
        self.assertEqual(grounds, {"no_complaint"})
        self.assertFalse(result["admissible"])
        self.assertIn("complain in writing", result["explanations"]["no_complaint"])
        self.assertIn("Meubles Lefort", result["complaint_letter"])
        self.assertIn("formal written complaint", result["complaint_letter"])
        self.assertIn("L612-2 1°", result["grounds_html"])

    def test_complaint_older_than_one_year(self):
        _result, grounds = self._grounds(
            date_complaint=self.today - timedelta(days=370)
        )
        self.assertEqual(grounds, {"late"})
        _result, grounds = self._grounds(
            date_complaint=self.today - timedelta(days=360)
        )
        self.assertFalse(grounds)

    def test_already_examined(self):
        _result, grounds = self._grounds(already_examined=True)
        self.assertEqual(grounds, {"already_examined"})

    def test_professional_unknown_or_not_covered(self):
        result, grounds = self._grounds(professional_id=self.uncovered.id)
        self.assertEqual(grounds, {"out_of_competence"})
        self.assertIn("has not appointed", result["explanations"]["out_of_competence"])
        _result, grounds = self._grounds(professional_id=False)
        self.assertEqual(grounds, {"out_of_competence"})

    def test_dispute_between_professionals(self):
        _result, grounds = self._grounds(acting_as_professional=True)
        self.assertEqual(grounds, {"out_of_scope"})

    def test_several_grounds_and_wizard(self):
        wizard = self.env["mediation.prequalification.wizard"].create(
            {
                "complaint_sent": False,
                "professional_id": self.uncovered.id,
                "already_examined": True,
            }
        )
        self.assertFalse(wizard.is_admissible)
        for reference in ("L612-2 1°", "L612-2 3°", "L612-2 5°"):
            self.assertIn(reference, wizard.grounds_html)
        self.assertIn("Garage Sans Médiateur", wizard.complaint_letter)
        action = wizard.action_create_case()
        case = (
            self.env["mediation.case"]
            .with_context(**action["context"])
            .create({"consumer_id": self.consumer.id})
        )
        self.assertEqual(case.professional_id, self.uncovered)
        self.assertFalse(case.date_complaint)

    def test_case_form_shows_the_grounds(self):
        case = self._case(date_complaint=False)
        self.assertIn("L612-2 1°", case.admissibility_warning)
        self.assertFalse(self._case().admissibility_warning)
