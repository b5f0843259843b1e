from datetime import timedelta

from odoo import fields
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
        self.assertEqual(lead.company_registry, "732829320")

    def test_mediator_handles_a_case_to_its_closure(self):
        mediator = self.role_user(
            "tour_case_mediator", "consumer_mediation.group_mediation_user"
        )
        shop = self.env["res.partner"].create(
            {"name": "Meubles Tour", "is_company": True, "mediation_headcount": 8}
        )
        contract = self.env["contract.contract"]._mediation_prepare_proposal(
            shop, "individual", date_start=fields.Date.today() - timedelta(days=100)
        )
        contract.action_mediation_activate()
        consumer = self.env["res.partner"].create(
            {"name": "Camille Tour", "email": "camille.tour@example.com"}
        )
        case = self.env["mediation.case"].create(
            {
                "consumer_id": consumer.id,
                "professional_id": shop.id,
                "mediator_id": mediator.id,
                "channel": "web",
                "date_complaint": fields.Date.today() - timedelta(days=20),
                "description": "<p>Canapé livré déchiré.</p>",
            }
        )
        self.start_role_tour(
            "/odoo",
            "consumer_mediation_mediator_case_tour",
            login="tour_case_mediator",
        )
        self.assertEqual(case.state, "closed")
        self.assertEqual(
            case.outcome_id, self.env.ref("consumer_mediation.outcome_accepted_both")
        )
        self.assertTrue(case.date_closing_notified)
        self.assertTrue(case.date_certificate_issued)
        self.assertEqual(case.date_complaint, fields.Date.today() - timedelta(days=40))


@tagged("post_install", "-at_install")
class TestSecretariatRoleUi(MediationRoleTourCase):
    """The secretariat's day, as a Mediation / Secretariat only, in French."""

    def test_secretariat_registers_and_assigns_a_case_by_post(self):
        self.role_user(
            "tour_secretary", "consumer_mediation.group_mediation_secretariat"
        )
        mediator = self.role_user(
            "tour_assigned_mediator",
            "consumer_mediation.group_mediation_user",
            name="Médiatrice Tour",
        )
        self.env["res.partner"].create(
            {"name": "Agence Tour Voyages", "is_company": True}
        )
        self.start_role_tour(
            "/odoo", "consumer_mediation_secretariat_tour", login="tour_secretary"
        )
        case = self.env["mediation.case"].search(
            [("consumer_id.name", "=", "Lucie Courrier")]
        )
        self.assertEqual(len(case), 1)
        # The consumer did not exist: the secretariat created them.
        self.assertEqual(case.consumer_id.city, "Lyon")
        self.assertEqual(case.consumer_id.create_uid.login, "tour_secretary")
        self.assertEqual(case.channel, "post")
        self.assertEqual(case.state, "review")
        self.assertEqual(case.mediator_id, mediator)
        self.assertTrue(case.date_acknowledged)
        self.assertEqual(case.professional_id.name, "Agence Tour Voyages")
