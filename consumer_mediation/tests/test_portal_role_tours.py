"""The portal's roles, each walked in a browser by its own user, in French."""

from odoo.tests import tagged

from .common import MediationCaseCommon
from .test_portal import MediationConfirmationMixin
from .tour_common import MediationRoleTourCase

PORTAL = "base.group_portal"


@tagged("post_install", "-at_install")
class TestMediationPortalRoleTours(
    MediationConfirmationMixin, MediationCaseCommon, MediationRoleTourCase
):
    """Fixtures that exist before each journey: a covered professional with
    its cases (walked by the mediators' actions), a company holding a
    membership proposal; the parties' portal accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumer_user = cls._party_user("tour_consumer", cls.consumer)
        cls.employee = cls.env["res.partner"].create(
            {
                "name": "Paul Lefort",
                "parent_id": cls.professional.id,
                "email": "paul@example.com",
            }
        )
        cls.pro_user = cls._party_user("tour_pro", cls.employee)
        cls.other_consumer = cls.env["res.partner"].create(
            {"name": "Hugo Dubois", "email": "hugo@example.com"}
        )

    @classmethod
    def _party_user(cls, login, partner):
        """The portal account of ``partner``, as its invitation makes it."""
        return cls.role_user(login, PORTAL, partner_id=partner.id, name=partner.name)

    def test_visitor_files_a_case_and_asks_for_membership(self):
        Lead = self.env["crm.lead"]
        # In French as a French link gives it: the test browser has already
        # been answered in English (the test session's language) when the
        # tour starts.
        self.start_role_tour(
            "/fr/mediation/saisine", "consumer_mediation_visitor_tour", login=None
        )
        Case = self.env["mediation.case"]
        self.assertFalse(Case.search([("channel", "=", "web")]), "not confirmed yet")
        self.assertFalse(Lead.search([("partner_name", "=", "Cave des Halles")]))
        # The visitor follows the link of the e-mail and confirms.
        _mail, path = self._confirmation_mail("lea.petit@example.com")
        self.start_role_tour(
            f"/fr{path}", "consumer_mediation_visitor_confirm_tour", login=None
        )
        case = Case.search([("channel", "=", "web")])
        self.assertEqual(len(case), 1, "the receipt reloaded filed nothing twice")
        self.assertEqual(case.professional_id, self.professional)
        self.assertEqual(case.consumer_id.email, "lea.petit@example.com")
        self.assertEqual(case.consumer_id.lang, "fr_FR")
        self.assertEqual(case._portal_documents().mapped("name"), ["facture.pdf"])
        self._confirm("luc@cave.example.com")
        lead = Lead.search([("partner_name", "=", "Cave des Halles")])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.company_registry, "443061841")
        self.assertFalse(lead.mediation_is_federation)
        # The consumer chose a password from the invitation, logs in, finds it.
        user = case.consumer_id.user_ids
        user.password = user.login
        self.start_role_tour("/my", "consumer_mediation_new_consumer_tour", user.login)

    def test_consumer_sends_a_document_and_accepts_the_proposal(self):
        case = self._case_in("proposal")
        self.start_role_tour("/my", "consumer_mediation_consumer_tour", "tour_consumer")
        self.assertEqual(case._portal_documents().mapped("name"), ["bon-livraison.pdf"])
        self.assertEqual(case.consumer_answer, "accepted")
        self.assertEqual(case.signature_ids.signer_name, "Camille Martin")
        self.assertEqual(case.signature_ids.user_id, self.consumer_user)

    def test_professional_enters_a_mediation_and_answers_a_proposal(self):
        waiting = self._case_in("waiting")
        proposal = self._case_in("proposal", consumer_id=self.other_consumer.id)
        self.start_role_tour(
            "/my/mediation-cases", "consumer_mediation_professional_tour", "tour_pro"
        )
        self.assertEqual(waiting.professional_entry, "agreed")
        self.assertEqual(waiting.state, "mediation")
        self.assertEqual(proposal.professional_answer, "accepted")
        self.assertEqual(
            (waiting | proposal).signature_ids.mapped("signer_name"),
            ["Paul Lefort", "Paul Lefort"],
        )

    def test_member_accepts_the_proposal_and_downloads_the_kit(self):
        bakery = self.env["res.partner"].create(
            {
                "name": "Boulangerie Dupont",
                "is_company": True,
                "email": "dupont@example.com",
                "mediation_headcount": 7,
            }
        )
        contact = self.env["res.partner"].create(
            {"name": "Jeanne Dupont", "parent_id": bakery.id, "email": "j@example.com"}
        )
        self._party_user("tour_member", contact)
        contract = self.env["contract.contract"]._mediation_prepare_proposal(
            bakery, "individual"
        )
        # The notices carry the public filing address: a local one is refused.
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://www.mediateur.example.com"
        )
        self.start_role_tour("/my", "consumer_mediation_member_tour", "tour_member")
        self.assertEqual(contract.mediation_state, "active")
        self.assertEqual(contract.mediation_accepted_name, "Jeanne Dupont")
        self.assertTrue(bakery.mediation_covered)
        # The window notice downloads count in the member's follow-up.
        self.assertTrue(bakery.mediation_notice_downloaded_on)

    def test_representative_follows_the_represented_case(self):
        case = self._case_in("mediation", consumer_id=self.other_consumer.id)
        lawyer = self.env["res.partner"].create(
            {"name": "Maître Roux", "email": "roux@example.com"}
        )
        self._party_user("tour_lawyer", lawyer)
        case.representative_ids = [
            (0, 0, {"partner_id": lawyer.id, "party": "consumer", "role": "lawyer"})
        ]
        self.start_role_tour(
            "/my", "consumer_mediation_representative_tour", "tour_lawyer"
        )
        message = case.message_ids.filtered(lambda m: m.author_id == lawyer)
        self.assertIn("Mon client maintient", message.body)
        self.assertEqual(case.state, "mediation")
