import re

from odoo.tests import HttpCase, new_test_user, tagged

from .test_portal import MediationConfirmationMixin


@tagged("post_install", "-at_install")
class TestMembershipPortal(MediationConfirmationMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.mediation_mediator_name = "Médiateur Test Conso"
        cls.bakery = cls.env["res.partner"].create(
            {
                "name": "Boulangerie Dupont",
                "is_company": True,
                "email": "dupont@example.com",
                "mediation_headcount": 7,
            }
        )
        cls.portal_user = new_test_user(
            cls.env, "dupont_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.bakery
        cls.contract = cls.env["contract.contract"]._mediation_prepare_proposal(
            cls.bakery, "individual"
        )

    def _csrf(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def _accept(self, **data):
        return self.url_open(
            f"/my/contracts/{self.contract.id}/mediation/accept", data=data
        )

    def test_online_acceptance(self):
        self.authenticate("dupont_portal", "dupont_portal")
        # The information kit is a member's: not offered before the membership.
        self.assertNotIn("/my/mediation/kit", self.url_open("/my").text)
        page = self.url_open(f"/my/contracts/{self.contract.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Accept the proposal", page.text)
        token = self._csrf(page.text)

        refused = self._accept(signatory="Jeanne Dupont", consent="1")
        self.assertEqual(refused.status_code, 400, "no CSRF token")
        self.assertEqual(self.contract.mediation_state, "proposal")

        no_consent = self._accept(csrf_token=token, signatory="Jeanne Dupont")
        self.assertIn("Tick the box", no_consent.text)
        self.assertIn('value="Jeanne Dupont"', no_consent.text, "typed name kept")
        self.assertEqual(self.contract.mediation_state, "proposal")

        accepted = self._accept(
            csrf_token=token, signatory="Jeanne Dupont", consent="1"
        )
        self.assertEqual(accepted.status_code, 200)
        self.assertIn("your membership is active", accepted.text)
        self.contract.invalidate_recordset()
        self.assertEqual(self.contract.mediation_state, "active")
        self.assertEqual(self.contract.mediation_accepted_name, "Jeanne Dupont")
        self.assertTrue(self.contract.mediation_accepted_ip)

        again = self._accept(csrf_token=token, signatory="Someone Else", consent="1")
        self.assertIn("already been accepted", again.text)
        self.contract.invalidate_recordset()
        self.assertEqual(self.contract.mediation_accepted_name, "Jeanne Dupont")

        self.assertIn("/my/mediation/kit", self.url_open("/my").text)
        kit = self.url_open("/my/mediation/kit")
        self.assertIn("Médiateur Test Conso", kit.text)
        self.assertIn(f"/mediation/saisine?professional={self.bakery.id}", kit.text)
        self.assertNotIn("ec.europa.eu", kit.text)

    def test_refused_activation_keeps_nothing(self):
        other = self.env["contract.contract"]._mediation_prepare_proposal(
            self.bakery, "individual"
        )
        other.action_mediation_activate()
        self.authenticate("dupont_portal", "dupont_portal")
        page = self.url_open(f"/my/contracts/{self.contract.id}")
        response = self._accept(
            csrf_token=self._csrf(page.text), signatory="Jeanne Dupont", consent="1"
        )
        self.assertIn("already covered by", response.text)
        self.contract.invalidate_recordset()
        self.assertEqual(self.contract.mediation_state, "proposal")
        self.assertFalse(self.contract.mediation_accepted_name)

    def test_other_company_cannot_accept(self):
        new_test_user(self.env, "intruder", groups="base.group_portal")
        self.authenticate("intruder", "intruder")
        page = self.url_open("/mediation/adhesion")
        response = self._accept(
            csrf_token=self._csrf(page.text), signatory="Intruder", consent="1"
        )
        self.assertTrue(response.url.endswith("/my"))
        self.assertEqual(self.contract.mediation_state, "proposal")

    def test_information_request_form(self):
        page = self.url_open("/mediation/adhesion")
        self.assertEqual(page.status_code, 200)
        token = self._csrf(page.text)
        Lead = self.env["crm.lead"]
        before = Lead.search_count([("mediation_request", "=", True)])

        invalid = self.url_open(
            "/mediation/adhesion",
            data={
                "csrf_token": token,
                "company": "Cave des Halles",
                "siren": "123456789",
                "contact_name": "",
                "email": "luc@cave.example.com",
            },
        )
        self.assertIn("n&#39;est pas un numéro SIREN valide", invalid.text)
        self.assertIn("Ce champ est obligatoire", invalid.text)
        self.assertIn('value="Cave des Halles"', invalid.text)
        self.assertEqual(Lead.search_count([("mediation_request", "=", True)]), before)

        valid = {
            "csrf_token": token,
            "company": "Cave des Halles",
            "siren": "443 061 841",
            "contact_name": "Luc Moreau",
            "email": "luc@cave.example.com",
            "headcount": "12",
            "activity": "Wine shop",
        }
        self.url_open("/mediation/adhesion", data={**valid, "fax_number": "bot"})
        self.assertEqual(Lead.search_count([("mediation_request", "=", True)]), before)
        done = self.url_open("/mediation/adhesion", data=valid)
        self.assertIn("Vérifiez votre boîte e-mail", done.text)
        self.assertEqual(Lead.search_count([("mediation_request", "=", True)]), before)
        done = self._confirm("luc@cave.example.com")
        self.assertIn("Merci", done.text)
        lead = Lead.search([("mediation_request", "=", True)], order="id desc", limit=1)
        self.assertEqual(lead.partner_name, "Cave des Halles")
        self.assertEqual(lead.company_registry, "443061841")
        self.assertEqual(lead.mediation_headcount, 12)
        self.assertEqual(lead.type, "opportunity")
