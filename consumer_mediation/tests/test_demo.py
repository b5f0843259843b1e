from datetime import date

from stdnum.fr import siren, siret

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMediationDemo(TransactionCase):
    def _generate(self):
        return self.env["mediation.demo"]._generate(
            count=30, seed=7, today=date(2026, 11, 1)
        )

    def test_generator_is_deterministic_and_consistent(self):
        members = self._generate()
        self.assertEqual(len(members), 30)
        self.assertTrue(all(siren.is_valid(p.mediation_siren) for p in members))
        self.assertTrue(all(siret.is_valid(p.mediation_siret) for p in members))
        self.assertTrue(all(p.industry_id and p.mediation_headcount for p in members))
        Contract = self.env["contract.contract"]
        states = {
            state: Contract.search_count(
                [("partner_id", "in", members.ids), ("mediation_state", "=", state)]
            )
            for state in ("proposal", "active", "terminated")
        }
        self.assertTrue(all(states.values()), states)
        federations = self.env["res.partner"].search(
            [("mediation_is_federation", "=", True), ("id", ">", members[-1].id)]
        )
        self.assertEqual(len(federations), 3)
        fair = federations.filtered(lambda f: "Foires" in f.name)
        self.assertEqual(len(fair.mediation_federation_member_ids), 4)
        covered = fair.mediation_federation_member_ids.partner_id[:1]
        self.assertEqual(covered._mediation_coverage().partner_id, fair)
        self.assertEqual(
            self.env["res.users"]
            .search([("login", "=", "claire.rousseau")])
            .has_group("consumer_mediation.group_mediation_manager"),
            True,
        )
        names = members.mapped("name")
        again = self._generate()
        self.assertEqual(again.mapped("name"), names)
        self.assertEqual(
            again.mapped("mediation_siren"), members.mapped("mediation_siren")
        )
