from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MediationMemberCommon


@tagged("post_install", "-at_install")
class TestMediationCoverage(MediationMemberCommon):
    def test_individual_contract_across_dates(self):
        contract = self._active_contract(self.bakery, self.d("2026-02-01"))
        coverage = self.bakery._mediation_coverage
        self.assertFalse(coverage(self.d("2026-01-31")), "before the start")
        self.assertEqual(coverage(self.d("2026-02-01")), contract)
        self.assertEqual(coverage(self.d("2027-06-30")), contract)
        contract._mediation_terminate(self.d("2027-06-30"), "Closed the shop")
        self.assertEqual(coverage(self.d("2027-06-30")), contract, "last day")
        self.assertFalse(coverage(self.d("2027-07-01")), "after termination")
        # a contact of the company is covered through it
        employee = self.env["res.partner"].create(
            {"name": "Jeanne Dupont", "parent_id": self.bakery.id}
        )
        self.assertEqual(employee._mediation_coverage(self.d("2026-05-01")), contract)

    def test_proposal_does_not_cover(self):
        self.Contract._mediation_prepare_proposal(
            self.bakery, "individual", date_start=self.d("2026-02-01")
        )
        self.assertFalse(self.bakery._mediation_coverage(self.d("2026-03-01")))

    def test_convention_across_dates_and_member_leaving(self):
        convention = self._active_contract(
            self.federation,
            self.d("2026-01-01"),
            kind="convention",
            members=self.exhibitor,
        )
        late = self.env["mediation.convention.member"].create(
            {
                "contract_id": convention.id,
                "partner_id": self.other_exhibitor.id,
                "date_join": self.d("2026-06-01"),
            }
        )
        member = convention.mediation_member_ids.filtered(
            lambda m: m.partner_id == self.exhibitor
        )
        member.date_leave = self.d("2026-09-30")
        self.assertFalse(self.exhibitor._mediation_coverage(self.d("2025-12-31")))
        self.assertEqual(
            self.exhibitor._mediation_coverage(self.d("2026-09-30")), convention
        )
        self.assertFalse(
            self.exhibitor._mediation_coverage(self.d("2026-10-01")), "member left"
        )
        self.assertFalse(self.other_exhibitor._mediation_coverage(self.d("2026-05-31")))
        self.assertEqual(
            self.other_exhibitor._mediation_coverage(self.d("2026-06-01")), convention
        )
        convention._mediation_terminate(self.d("2026-12-31"), "Federation dissolved")
        self.assertFalse(
            self.other_exhibitor._mediation_coverage(self.d("2027-01-01")),
            "after the convention's termination",
        )
        self.assertEqual(late.federation_id, self.federation)
        self.assertIn(late, self.federation.mediation_federation_member_ids)

    def test_own_contract_comes_before_convention(self):
        convention = self._active_contract(
            self.federation,
            self.d("2026-01-01"),
            kind="convention",
            members=self.exhibitor,
        )
        own = self._active_contract(self.exhibitor, self.d("2026-04-01"))
        self.assertEqual(
            self.exhibitor._mediation_coverage(self.d("2026-03-01")), convention
        )
        self.assertEqual(self.exhibitor._mediation_coverage(self.d("2026-04-01")), own)

    def test_suspension_suspends_coverage(self):
        contract = self._active_contract(self.bakery, self.d("2026-01-01"))
        contract.action_mediation_suspend()
        self.assertFalse(self.bakery.mediation_covered)
        contract.action_mediation_reactivate()
        self.assertTrue(self.bakery.mediation_covered)
        self.assertEqual(self.bakery.mediation_coverage_contract_id, contract)
        self.assertEqual(self.bakery.mediation_contract_count, 1)

    def test_convention_member_must_be_a_company(self):
        convention = self.Contract._mediation_prepare_proposal(
            self.federation, "convention", date_start=self.d("2026-01-01")
        )
        person = self.env["res.partner"].create({"name": "Paul Martin"})
        with self.assertRaisesText(ValidationError, "not a company"):
            self.env["mediation.convention.member"].create(
                {"contract_id": convention.id, "partner_id": person.id}
            )

    def test_member_cannot_join_twice_over_same_dates(self):
        convention = self.Contract._mediation_prepare_proposal(
            self.federation,
            "convention",
            date_start=self.d("2026-01-01"),
            members=self.exhibitor,
        )
        with self.assertRaisesText(ValidationError, "already a member"):
            self.env["mediation.convention.member"].create(
                {
                    "contract_id": convention.id,
                    "partner_id": self.exhibitor.id,
                    "date_join": self.d("2026-05-01"),
                }
            )

    def test_overlapping_individual_contracts_are_refused(self):
        first = self._active_contract(self.bakery, self.d("2026-01-01"))
        second = self.Contract._mediation_prepare_proposal(
            self.bakery, "individual", date_start=self.d("2026-06-01")
        )
        with self.assertRaisesText(ValidationError, "already covered by"):
            second.action_mediation_activate()
        self.assertEqual(second.mediation_state, "proposal")
        # still covered until the last day of a terminated membership
        first._mediation_terminate(self.d("2026-12-31"), "Moving to a new contract")
        with self.assertRaisesText(ValidationError, "already covered by"):
            second.action_mediation_activate()
        second.date_start = self.d("2027-01-01")
        second.action_mediation_activate()
        self.assertEqual(self.bakery._mediation_coverage(self.d("2026-12-31")), first)
        self.assertEqual(self.bakery._mediation_coverage(self.d("2027-01-01")), second)
