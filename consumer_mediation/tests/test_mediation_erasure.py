from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import MediationCaseCommon


@tagged("post_install", "-at_install")
class TestMediationErasure(MediationCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lawyer = cls.env["res.partner"].create(
            {"name": "Maître Roux", "email": "roux@avocats.example.com"}
        )

    def _closed(self, **values):
        """Closed last year through the actions: within the retention period."""
        case = self._case_in("mediation", **values)
        case.action_close()
        return case

    def _wizard(self, partner, user=None):
        Wizard = self.env["mediation.erasure.wizard"].with_user(user or self.manager)
        return Form(
            Wizard.with_context(active_model="res.partner", active_id=partner.id)
        ).save()

    def test_erasure_anonymises_the_person_across_cases(self):
        first = self._closed()
        second = self._closed(amount=120)
        other = self._closed(
            consumer_id=self.env["res.partner"].create({"name": "X"}).id
        )
        wizard = self._wizard(self.consumer)
        self.assertEqual(wizard.case_ids, first | second)
        self.assertFalse(wizard.blockers)
        outcomes = (first | second).mapped("outcome_id")
        wizard.action_confirm()
        self.assertTrue(first.date_anonymised and second.date_anonymised)
        self.assertFalse(first.description)
        self.assertEqual((first | second).mapped("outcome_id"), outcomes)
        self.assertEqual(second.amount, 120)
        self.assertNotEqual(self.consumer.name, "Camille Martin")
        self.assertFalse(self.consumer.email)
        self.assertFalse(other.date_anonymised)
        self.assertTrue(other.description)

    def test_erasure_of_a_representative_keeps_the_case(self):
        case = self._closed()
        case.representative_ids = [(0, 0, {"partner_id": self.lawyer.id})]
        case.message_post(body="From the lawyer", author_id=self.lawyer.id)
        self._wizard(self.lawyer).action_confirm()
        self.assertFalse(case.representative_ids)
        self.assertFalse(
            case.message_ids.filtered(lambda m: m.author_id == self.lawyer)
        )
        self.assertFalse(case.date_anonymised)
        self.assertEqual(case.consumer_id.name, "Camille Martin")
        self.assertFalse(self.lawyer.email)

    def test_erasure_refused_for_open_case_legal_hold_or_company(self):
        open_case = self._case_in("review")
        wizard = self._wizard(self.consumer)
        self.assertIn(open_case.name, wizard.blockers)
        with self.assertRaisesRegex(UserError, open_case.name):
            wizard.action_confirm()
        open_case._interrupt(
            self.env.ref("consumer_mediation.outcome_withdrawn_consumer")
        )
        open_case.write({"legal_hold": True, "legal_hold_reason": "Appeal pending"})
        with self.assertRaisesRegex(UserError, "Appeal pending"):
            self._wizard(self.consumer).action_confirm()
        self.assertEqual(self.consumer.name, "Camille Martin")
        self.assertFalse(open_case.date_anonymised)
        with self.assertRaisesRegex(UserError, "company"):
            self._wizard(self.professional).action_confirm()
        self.assertEqual(self.professional.name, "Meubles Lefort")

    def test_erasure_is_for_managers(self):
        self._closed()
        with self.assertRaises(AccessError):
            self._wizard(self.consumer, user=self.mediator)
        with self.assertRaises(UserError):
            self.env["mediation.retention"].with_user(self.mediator)._erase_person(
                self.consumer
            )
        self.assertEqual(self.consumer.name, "Camille Martin")

    def test_old_cases_already_anonymised_are_skipped(self):
        case = self._closed()
        case.sudo().write({"date_outcome": self.today - relativedelta(years=6)})
        self.env["mediation.retention"]._cron_anonymise_expired()
        self.assertFalse(self._wizard(case.consumer_id).case_ids)
