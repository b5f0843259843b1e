from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .tour_common import MediationRoleTourCase


@tagged("post_install", "-at_install")
class TestMediationMembersUi(MediationRoleTourCase):
    def test_mediator_browses_member_and_terminates(self):
        self.role_user("tour_mediator", "consumer_mediation.group_mediation_user")
        bakery = self.env["res.partner"].create(
            {
                "name": "Tour Bakery",
                "is_company": True,
                "email": "tour@example.com",
                "mediation_headcount": 3,
            }
        )
        contract = self.env["contract.contract"]._mediation_prepare_proposal(
            bakery, "individual"
        )
        contract.action_mediation_activate()
        self.start_role_tour(
            "/odoo", "consumer_mediation_members_tour", login="tour_mediator"
        )
        self.assertEqual(contract.mediation_state, "terminated")
        self.assertEqual(contract.mediation_termination_reason, "Fermeture du magasin")


@tagged("post_install", "-at_install")
class TestMediationTariffUi(HttpCase):
    def test_manager_versions_a_tariff(self):
        self.env["crm.lead"].create(
            {"name": "Tour request", "type": "opportunity", "mediation_request": True}
        )
        # Expiring within 90 days, but not unpaid: the filters are OR-ed.
        expiring = self.env["res.partner"].create(
            {"name": "Tour Expiring", "is_company": True, "mediation_headcount": 2}
        )
        start = fields.Date.today() - relativedelta(years=3, days=-30)
        contract = self.env["contract.contract"]._mediation_prepare_proposal(
            expiring, "individual", date_start=start
        )
        contract.action_mediation_activate()
        new_test_user(
            self.env,
            "tour_tariffs",
            groups="consumer_mediation.group_mediation_manager",
        )
        self.start_tour("/odoo", "consumer_mediation_tariff_tour", login="tour_tariffs")
        versions = self.env["mediation.tariff"].search([("code", "=", "STANDARD")])
        self.assertEqual(sorted(versions.mapped("version")), [1, 2])
        self.assertTrue(
            self.env.ref("consumer_mediation.tariff_individual_standard").date_to
        )
