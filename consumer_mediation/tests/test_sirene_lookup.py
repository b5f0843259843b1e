from unittest.mock import patch

import requests

from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .common import load_french

# An answer of recherche-entreprises.api.gouv.fr/search?q=732829320, in the
# directory's format (fields the look-up reads, plus a few it ignores).
SIRENE_ANSWER = {
    "results": [
        {
            "siren": "732829320",
            "nom_complet": "BOULANGERIE DU TOUR (BDT)",
            "nom_raison_sociale": "BOULANGERIE DU TOUR",
            "nature_juridique": "5710",
            "activite_principale": "10.71C",
            "tranche_effectif_salarie": "03",
            "etat_administratif": "A",
            "siege": {
                "siret": "73282932000074",
                "adresse": "3 PLACE BELLECOUR 69002 LYON",
                "code_postal": "69002",
                "libelle_commune": "LYON",
                "activite_principale": "10.71C",
            },
        }
    ],
    "total_results": 1,
    "page": 1,
    "per_page": 1,
    "total_pages": 1,
}


class FakeResponse:
    def __init__(self, payload, status=200):
        self.payload, self.status_code = payload, status

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code} error")

    def json(self):
        return self.payload


@tagged("post_install", "-at_install")
class TestMediationSireneLookup(TransactionCase):
    """Typing a SIREN on a new member or a membership request fills the
    company's identity from the SIRENE directory (answers recorded, no
    network); an unreachable directory loses nothing typed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.mediation_user = new_test_user(
            cls.env,
            "sirene_mediator",
            groups="consumer_mediation.group_mediation_user",
            lang="fr_FR",
        )

    def _directory(self, answer):
        target = "odoo.addons.consumer_mediation.models.res_partner_sirene.requests.get"
        if isinstance(answer, Exception):
            return patch(target, side_effect=answer)
        return patch(target, return_value=FakeResponse(answer))

    def _member_form(self):
        partner = self.env["res.partner"].with_user(self.mediation_user)
        return Form(partner.with_context(lang="fr_FR", default_is_company=True))

    def test_member_filled_from_siren(self):
        form = self._member_form()
        with self._directory(SIRENE_ANSWER) as get:
            form.company_registry = "732 829 320"
        self.assertEqual(get.call_args.kwargs["params"]["q"], "732829320")
        self.assertEqual(form.name, "BOULANGERIE DU TOUR")
        self.assertEqual(form.street, "3 PLACE BELLECOUR")
        self.assertEqual((form.zip, form.city), ("69002", "LYON"))
        self.assertEqual(form.country_id, self.env.ref("base.fr"))
        self.assertEqual(form.siret, "73282932000074")
        self.assertEqual(form.mediation_legal_form, "SAS")
        self.assertEqual(form.mediation_naf_code, "10.71C")
        self.assertEqual(form.mediation_headcount_band, "03")
        member = form.save()
        self.assertEqual(member.company_registry, "732829320")

    def test_typed_values_are_kept(self):
        form = self._member_form()
        form.name = "Boulangerie du Tour, Lyon 2e"
        form.city = "Lyon"
        with self._directory(SIRENE_ANSWER):
            form.company_registry = "732829320"
        self.assertEqual(form.name, "Boulangerie du Tour, Lyon 2e")
        self.assertEqual(form.city, "Lyon")
        self.assertEqual(form.zip, "69002", "empty fields are filled")

    def test_unknown_siren_changes_nothing(self):
        form = self._member_form()
        form.name = "Nouvelle société"
        with self._directory({"results": [], "total_results": 0}):
            form.company_registry = "443061841"
        self.assertEqual(form.name, "Nouvelle société")
        self.assertFalse(form.street)

    def test_directory_unreachable(self):
        for failure in (
            requests.ConnectionError("no route to host"),
            requests.Timeout("read timed out"),
        ):
            with self.subTest(failure=failure):
                form = self._member_form()
                form.name = "Boulangerie du Tour"
                form.street = "3 place Bellecour"
                with (
                    self._directory(failure),
                    self.assertLogs("odoo.tests.form.onchange", "WARNING") as shown,
                    self.assertLogs(
                        "odoo.addons.consumer_mediation.models.res_partner_sirene",
                        "WARNING",
                    ),
                ):
                    form.company_registry = "732829320"
                self.assertIn("L'annuaire SIRENE est injoignable", shown.output[0])
                self.assertIn("rien de ce que vous avez saisi", shown.output[0])
                self.assertEqual(form.name, "Boulangerie du Tour")
                self.assertEqual(form.street, "3 place Bellecour")
                self.assertEqual(form.company_registry, "732829320")
                form.save()

    def test_request_qualified_from_siren(self):
        Lead = self.env["crm.lead"].with_user(self.mediation_user)
        context = {
            "lang": "fr_FR",
            "default_type": "opportunity",
            "default_mediation_request": True,
        }
        form = Form(Lead.with_context(**context))
        form.name = "Adhésion : Boulangerie"
        with self._directory(SIRENE_ANSWER):
            form.company_registry = "732829320"
        self.assertEqual(form.partner_name, "BOULANGERIE DU TOUR")
        self.assertEqual(form.mediation_naf_code, "10.71C")
        lead = form.save()
        company = lead._mediation_company()
        self.assertEqual(company.name, "BOULANGERIE DU TOUR")
        self.assertEqual(company.company_registry, "732829320")
        self.assertEqual(company.zip, "69002")
        self.assertEqual(
            (company.mediation_legal_form, company.mediation_headcount_band),
            ("SAS", "03"),
        )
