from odoo.tests import tagged

from .tour_common import MediationRoleTourCase


@tagged("post_install", "-at_install")
class TestMediatorRoleUi(MediationRoleTourCase):
    """The mediator's day, as a Mediation / User only, in French."""

    def test_mediator_takes_a_request_to_an_active_membership(self):
        self.role_user("tour_mediator", "consumer_mediation.group_mediation_user")
        lead = self.env["crm.lead"].create(
            {
                "name": "Adhésion Boulangerie du Tour",
                "type": "opportunity",
                "mediation_request": True,
                "partner_name": "Boulangerie du Tour",
                "contact_name": "Jeanne Tour",
                "email_from": "jeanne@boulangerie-tour.example.com",
                "mediation_headcount": 4,
            }
        )
        self.start_role_tour(
            "/odoo",
            "consumer_mediation_mediator_membership_tour",
            login="tour_mediator",
        )
        contract = lead.mediation_contract_ids
        self.assertEqual(len(contract), 1, "one proposal, no duplicate")
        self.assertEqual(contract.mediation_state, "active")
        self.assertEqual(contract.mediation_acceptance_mode, "paper")
        self.assertEqual(lead.mediation_siren, "732829320")
