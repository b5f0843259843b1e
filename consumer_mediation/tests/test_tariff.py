from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import MediationMemberCommon


@tagged("post_install", "-at_install")
class TestMediationTariff(MediationMemberCommon):
    def test_proposal_fee_follows_headcount_tier(self):
        expected = {2: 45.0, 10: 45.0, 11: 85.0, 60: 120.0, 800: 600.0, 5000: 2600.0}
        for headcount, fee in expected.items():
            with self.subTest(headcount=headcount):
                self.bakery.mediation_headcount = headcount
                contract = self.Contract._mediation_prepare_proposal(
                    self.bakery, "individual", date_start=self.d("2026-03-01")
                )
                self.assertEqual(contract.mediation_state, "proposal")
                self.assertEqual(contract.mediation_tariff_id, self.tariff)
                self.assertEqual(contract.mediation_annual_fee, fee)
                self.assertEqual(contract.mediation_fee_simple, 280.0)
                line = contract.contract_line_ids
                self.assertEqual(line.product_id.name, "Annual membership fee")
                self.assertEqual(line.recurring_rule_type, "yearly")
                self.assertEqual(line.date_start, self.d("2026-03-01"))

    def test_proposal_fee_is_adjustable_and_reapplied(self):
        contract = self.Contract._mediation_prepare_proposal(
            self.garage, "individual", date_start=self.d("2026-03-01")
        )
        contract.contract_line_ids.price_unit = 100.0
        contract.mediation_fee_simple = 200.0
        self.assertEqual(contract.mediation_annual_fee, 100.0)
        self.garage.mediation_headcount = 200
        contract.action_mediation_apply_tariff()
        self.assertEqual(contract.mediation_annual_fee, 300.0)
        self.assertEqual(len(contract.contract_line_ids), 1)

    def test_convention_counts_member_companies(self):
        members = self.exhibitor | self.other_exhibitor
        contract = self.Contract._mediation_prepare_proposal(
            self.federation,
            "convention",
            date_start=self.d("2026-03-01"),
            members=members,
        )
        self.assertEqual(contract.mediation_tariff_id, self.convention_tariff)
        self.assertEqual(contract.mediation_annual_fee, 600.0)
        self.assertEqual(contract.mediation_fee_trigger, "agreement")
        self.assertEqual(contract.mediation_case_fee_payer, "member")
        self.assertEqual(contract.mediation_member_ids.partner_id, members)

    def test_no_tariff_in_force_is_a_clear_error(self):
        with self.assertRaisesText(UserError, "No tariff"):
            self.Contract._mediation_prepare_proposal(
                self.bakery, "individual", date_start=self.d("2020-01-01")
            )

    def test_new_version_keeps_history_and_signed_contracts(self):
        contract = self._active_contract(self.bakery, self.d("2025-01-01"))
        with self.assertRaisesText(UserError, "new version"):
            self.tariff.case_fee_simple = 300.0
        with self.assertRaisesText(UserError, "new version"):
            self.tariff.line_ids[0].annual_fee = 50.0
        wizard = self.env["mediation.tariff.version"].create(
            {"tariff_id": self.tariff.id, "date_from": self.d("2027-01-01")}
        )
        action = wizard.action_create()
        new = self.env["mediation.tariff"].browse(action["res_id"])
        self.assertEqual(self.tariff.date_to, self.d("2026-12-31"))
        self.assertEqual((new.version, new.code), (2, "STANDARD"))
        new.line_ids.filtered(lambda line: line.count_max == 10).annual_fee = 55.0
        self.assertEqual(self.tariff.line_ids[0].annual_fee, 45.0)
        self.assertEqual(
            self.env["mediation.tariff"]._select("individual", self.d("2026-06-01")),
            self.tariff,
        )
        self.assertEqual(
            self.env["mediation.tariff"]._select("individual", self.d("2027-06-01")),
            new,
        )
        # the contract keeps the version it was signed on
        self.assertEqual(contract.mediation_tariff_id, self.tariff)
        self.assertEqual(contract.mediation_annual_fee, 45.0)
        # ... until its renewal on 2028-01-01, possible once notice is past
        with self.assertRaisesText(UserError, "notice deadline (09/30/2027)"):
            contract.action_mediation_renew()
        with self._today("2027-10-01"):
            contract.action_mediation_renew()
        self.assertEqual(contract.mediation_term_start, self.d("2028-01-01"))
        self.assertEqual(contract.mediation_tariff_id, new)
        self.assertEqual(contract.mediation_annual_fee, 55.0)

    def test_replaced_version_cannot_branch_again(self):
        self.tariff._create_version(self.d("2027-01-01"))
        with self.assertRaisesText(UserError, "already been replaced"):
            self.tariff._create_version(self.d("2028-01-01"))

    def test_overlapping_versions_are_refused(self):
        with self.assertRaisesText(ValidationError, "overlaps"):
            self.tariff.copy({"date_from": self.d("2026-01-01")})

    def test_overlapping_tiers_are_refused(self):
        with self.assertRaisesText(ValidationError, "overlap"):
            self.env["mediation.tariff.line"].create(
                {
                    "tariff_id": self.tariff.id,
                    "count_min": 5,
                    "count_max": 20,
                    "annual_fee": 1.0,
                }
            )
