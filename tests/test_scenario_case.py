"""End-to-end scenario: a consumer's request goes from intake to closure,
through the legal steps and their letters (run with pytest-odoo on an
installed DB)."""

from datetime import timedelta

from scenario_data import active_membership

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCaseScenario(TransactionCase):
    def test_case_from_intake_to_closure(self):
        today = fields.Date.context_today(self.env["mediation.case"])
        mediator = new_test_user(
            self.env,
            "scn_case_mediator",
            groups="consumer_mediation.group_mediation_user",
        )
        colleague = new_test_user(
            self.env,
            "scn_case_colleague",
            groups="consumer_mediation.group_mediation_user",
        )
        contract = active_membership(self.env, "Voyages Azur", "azur@example.com")
        professional = contract.partner_id
        consumer = self.env["res.partner"].create(
            {"name": "Jules Moreau", "email": "jules@example.com"}
        )

        # Pre-qualification before filing: the complaint was sent.
        check = self.env["mediation.prequalification"]._prequalify(
            {
                "complaint_sent": True,
                "date_complaint": today - timedelta(days=40),
                "professional_id": professional.id,
            }
        )
        self.assertTrue(check["admissible"])

        Case = self.env["mediation.case"].with_user(mediator)
        case = Case.create(
            {
                "consumer_id": consumer.id,
                "professional_id": professional.id,
                "date_complaint": today - timedelta(days=40),
                "channel": "web",
                "description": "<p>Cancelled flight never refunded.</p>",
            }
        )
        self.assertEqual(case.contract_id, contract)
        self.assertTrue(
            case.suggested_mediator_id.has_group(
                "consumer_mediation.group_mediation_user"
            )
        )
        case.mediator_id = mediator
        with self.assertRaises(AccessError):
            case.with_user(colleague).read(["description"])

        case.action_send_acknowledgement()
        case.action_start_review()
        case.action_admit()
        case.action_notify_saisine()
        self.assertEqual(case.date_mediation_due, today + timedelta(days=90))
        case.action_professional_agree()
        case._extend(today + timedelta(days=120), "Airline documents awaited")
        self.assertEqual(case.date_mediation_due, today + timedelta(days=120))
        case.proposal_text = "<p>Voyages Azur refunds 640 EUR.</p>"
        case.proposal_favours = "consumer"
        case.action_send_proposal()
        case.action_consumer_accept()
        case.action_professional_accept()
        case.action_close()
        case.action_send_closing()
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.outcome_id.code, "accepted_both")
        for date_field in (
            "date_acknowledged",
            "date_admissibility_decided",
            "date_admissibility_notified",
            "date_saisine_notified",
            "date_professional_entry",
            "date_proposal_notified",
            "date_outcome",
            "date_closing_notified",
        ):
            self.assertEqual(case[date_field], today, date_field)
        self.assertEqual(case.extension_ids.date_notified, today)
        self.assertFalse(case.is_overdue)
