import base64

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import MediationMemberCommon


@tagged("post_install", "-at_install")
class TestMediationContractLifecycle(MediationMemberCommon):
    def test_term_and_notice_from_settings(self):
        self.company.mediation_notice_months = 2
        contract = self._active_contract(self.bakery, self.d("2026-01-01"))
        self.assertEqual(contract.mediation_term_start, self.d("2026-01-01"))
        self.assertEqual(contract.mediation_term_end, self.d("2028-12-31"))
        self.assertEqual(contract.mediation_notice_deadline, self.d("2028-10-31"))

    def test_cron_renews_tacitly(self):
        contract = self._active_contract(self.bakery, self.d("2023-03-01"))
        with self._today("2026-03-02"):
            self.Contract._cron_mediation_renew()
        self.assertEqual(contract.mediation_state, "active")
        self.assertEqual(contract.mediation_term_start, self.d("2026-03-01"))
        self.assertEqual(contract.mediation_term_end, self.d("2029-02-28"))
        self.assertEqual(contract.mediation_date_renewed, self.d("2026-03-02"))

    def test_cron_expires_without_tacit_renewal(self):
        contract = self._active_contract(self.bakery, self.d("2023-01-01"))
        contract.mediation_tacit_renewal = False
        with self._today("2026-01-05"):
            self.Contract._cron_mediation_renew()
        self.assertEqual(contract.mediation_state, "expired")
        self.assertEqual(contract.mediation_date_terminated, self.d("2025-12-31"))
        self.assertEqual(contract.contract_line_ids.date_end, self.d("2025-12-31"))
        self.assertFalse(self.bakery._mediation_coverage(self.d("2026-01-01")))

    def test_termination_wizard_respects_notice(self):
        contract = self._active_contract(self.bakery, self.d("2026-01-01"))
        Wizard = self.env["mediation.contract.terminate"].with_context(
            default_contract_ids=contract.ids
        )
        with self._today("2028-09-01"):
            self.assertEqual(
                Wizard.create({"reason": "x"}).date_end, self.d("2028-12-31")
            )
        with self._today("2028-11-15"):
            wizard = Wizard.create({"reason": "Notice given late"})
            self.assertEqual(wizard.date_end, self.d("2031-12-31"))
        wizard.date_end = self.d("2027-06-30")
        wizard.action_terminate()
        self.assertEqual(contract.mediation_state, "terminated")
        self.assertEqual(contract.mediation_termination_reason, "Notice given late")
        with self.assertRaisesText(UserError, "not possible"):
            contract.action_mediation_renew()

    def test_termination_needs_reason_and_valid_date(self):
        contract = self._active_contract(self.bakery, self.d("2026-01-01"))
        with self.assertRaisesText(UserError, "reason"):
            contract._mediation_terminate(self.d("2026-06-30"), "")
        with self.assertRaisesText(UserError, "before it starts"):
            contract._mediation_terminate(self.d("2025-06-30"), "Oops")

    def test_online_acceptance_rules(self):
        contract = self.Contract._mediation_prepare_proposal(self.bakery, "individual")
        with self.assertRaisesText(UserError, "Tick the box"):
            contract._mediation_accept_online("Jeanne Dupont", False, "10.0.0.1")
        with self.assertRaisesText(UserError, "full name"):
            contract._mediation_accept_online("  ", True, "10.0.0.1")
        contract._mediation_accept_online("Jeanne Dupont", True, "10.0.0.1")
        self.assertEqual(contract.mediation_state, "active")
        self.assertEqual(contract.mediation_accepted_name, "Jeanne Dupont")
        self.assertEqual(contract.mediation_accepted_ip, "10.0.0.1")
        self.assertEqual(contract.mediation_acceptance_mode, "online")
        self.assertTrue(contract.mediation_accepted_on)
        with self.assertRaisesText(UserError, "already been accepted"):
            contract._mediation_accept_online("Someone Else", True, "10.0.0.2")
        self.assertEqual(contract.mediation_accepted_name, "Jeanne Dupont")

    def test_acceptance_after_expiry_is_refused(self):
        contract = self.Contract._mediation_prepare_proposal(self.bakery, "individual")
        contract.mediation_proposal_expiry = self.d("2026-01-31")
        with self._today("2026-02-01"), self.assertRaisesText(UserError, "expired"):
            contract._mediation_accept_online("Jeanne Dupont", True, "10.0.0.1")
        self.assertEqual(contract.mediation_state, "proposal")

    def test_signed_paper_copy_activates(self):
        contract = self.Contract._mediation_prepare_proposal(self.bakery, "individual")
        self.env["mediation.contract.sign.paper"].create(
            {
                "contract_id": contract.id,
                "signatory": "Jeanne Dupont",
                "signed_copy": base64.b64encode(b"%PDF-1.4 signed"),
                "signed_copy_name": "signed.pdf",
            }
        ).action_record()
        self.assertEqual(contract.mediation_state, "active")
        self.assertEqual(contract.mediation_acceptance_mode, "paper")
        self.assertEqual(
            base64.b64decode(contract.mediation_signed_copy), b"%PDF-1.4 signed"
        )

    def test_state_actions_check_preconditions(self):
        contract = self.Contract._mediation_prepare_proposal(self.bakery, "individual")
        with self.assertRaisesText(UserError, "not possible"):
            contract.action_mediation_suspend()
        with self.assertRaisesText(UserError, "not possible"):
            contract.action_mediation_send_kit()
        contract.action_mediation_activate()
        with self.assertRaisesText(UserError, "Only a proposal"):
            contract.action_mediation_activate()
        with self.assertRaisesText(UserError, "not possible"):
            contract.action_mediation_apply_tariff()

    def test_proposal_pdf_and_send_action(self):
        contract = self.Contract._mediation_prepare_proposal(self.garage, "individual")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "consumer_mediation.action_report_mediation_proposal", contract.ids
            )[0]
            .decode()
        )
        self.assertIn("Garage du Lac", html)
        self.assertIn("120.00", html)
        action = contract.action_mediation_send_proposal()
        self.assertEqual(
            action["context"]["default_template_id"],
            self.env.ref("consumer_mediation.mail_template_mediation_proposal").id,
        )
        composer = (
            self.env["mail.compose.message"]
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn(contract.get_portal_url().split("?")[0], composer.body)

    def test_siren_and_siret_errors(self):
        with self.assertRaisesText(ValidationError, "not a valid SIREN"):
            self.garage.company_registry = "123456789"
        with self.assertRaisesText(ValidationError, "not a valid SIRET"):
            self.bakery.siret = "73282932000075"
        with self.assertRaisesText(ValidationError, "does not belong"):
            self.bakery.siret = "35600000000048"
        self.bakery.siret = "732 829 320 00074"
        self.assertEqual(self.bakery.siret, "73282932000074")
        self.assertEqual(self.bakery.company_registry, "732829320")

    def test_lead_becomes_a_proposal(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Membership request",
                "type": "opportunity",
                "mediation_request": True,
                "partner_name": "Cave des Halles",
                "contact_name": "Luc Moreau",
                "email_from": "luc@cave.example.com",
                "company_registry": "443061841",
                "mediation_headcount": 30,
                "mediation_activity": "Wine shop",
            }
        )
        with self.assertRaisesText(ValidationError, "not a valid SIREN"):
            lead.company_registry = "111111111"
        action = lead.action_mediation_create_proposal()
        contract = self.Contract.browse(action["res_id"])
        company = contract.partner_id
        self.assertTrue(company.is_company)
        self.assertEqual(company.mediation_headcount, 30)
        self.assertEqual(company.mediation_activity, "Wine shop")
        self.assertEqual(contract.mediation_annual_fee, 85.0)
        self.assertEqual(lead.mediation_contract_count, 1)
