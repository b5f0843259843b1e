"""End-to-end scenario: an information request becomes a proposal, the
company accepts it, is covered and receives its kit; a tariff change later
applies only from its renewal (run with pytest-odoo on an installed DB)."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMembersScenario(TransactionCase):
    def test_request_to_covered_member(self):
        mediator = new_test_user(
            self.env, "scn_members", groups="consumer_mediation.group_mediation_user"
        )
        env = self.env(user=mediator)
        lead = env["crm.lead"].create(
            {
                "name": "Membership request",
                "type": "opportunity",
                "mediation_request": True,
                "partner_name": "Optique des Alpes",
                "email_from": "contact@optique.example.com",
                "company_registry": "552081317",
                "mediation_headcount": 120,
            }
        )
        contract = env["contract.contract"].browse(
            lead.action_mediation_create_proposal()["res_id"]
        )
        company = contract.partner_id
        self.assertEqual(contract.mediation_annual_fee, 300.0)
        self.assertFalse(company._mediation_coverage())

        # The kit carries the public filing address: a local one holds it back.
        env["ir.config_parameter"].sudo().set_param(
            "web.base.url", "https://www.mediateur.example.com"
        )
        contract._mediation_accept_online("Anne Lambert", True, "192.0.2.7")
        self.assertEqual(company._mediation_coverage(), contract)
        self.assertTrue(company.mediation_kit_sent_on)

        tariff = contract.mediation_tariff_id
        new = tariff.sudo()._create_version(contract.mediation_term_end)
        self.assertEqual(contract.mediation_tariff_id, tariff)
        after_notice = contract.mediation_notice_deadline + timedelta(days=1)
        with patch.object(fields.Date, "context_today", lambda *a, **k: after_notice):
            contract.action_mediation_renew()
        self.assertEqual(contract.mediation_tariff_id, new)
