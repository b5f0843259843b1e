import logging

import requests
from stdnum.fr import siren as stdnum_siren

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# The State's free company directory (SIRENE data, no key needed).
SIRENE_URL = "https://recherche-entreprises.api.gouv.fr/search"
SIRENE_TIMEOUT = 5

# INSEE headcount bands (tranche d'effectif salarié).
HEADCOUNT_BANDS = [
    ("NN", "No employees (non-employing unit)"),
    ("00", "0 employees"),
    ("01", "1 or 2 employees"),
    ("02", "3 to 5 employees"),
    ("03", "6 to 9 employees"),
    ("11", "10 to 19 employees"),
    ("12", "20 to 49 employees"),
    ("21", "50 to 99 employees"),
    ("22", "100 to 199 employees"),
    ("31", "200 to 249 employees"),
    ("32", "250 to 499 employees"),
    ("41", "500 to 999 employees"),
    ("42", "1,000 to 1,999 employees"),
    ("51", "2,000 to 4,999 employees"),
    ("52", "5,000 to 9,999 employees"),
    ("53", "10,000 employees or more"),
]
# INSEE legal categories most members have; others keep their code.
LEGAL_FORMS = {
    "1000": "Entrepreneur individuel",
    "5410": "SARL nationale",
    "5498": "EURL",
    "5499": "SARL",
    "5599": "SA à conseil d'administration",
    "5699": "SA à directoire",
    "5710": "SAS",
    "5720": "SASU",
    "6540": "SCI",
    "9220": "Association déclarée",
}


class ResPartner(models.Model):
    # The member's model is split by concern, one file each, on purpose.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    mediation_legal_form = fields.Char(string="Legal Form")
    mediation_naf_code = fields.Char(
        string="NAF Code", help="Main activity code (APE) in the SIRENE directory."
    )
    mediation_headcount_band = fields.Selection(
        HEADCOUNT_BANDS,
        string="Headcount Band",
        help="Band of employees declared in the SIRENE directory.",
    )

    @api.onchange("company_registry")
    def _onchange_company_registry_sirene(self):
        if self.is_company and self._mediation_siren() is not False:
            return self._mediation_sirene_fill(self)

    @api.model
    def _mediation_sirene_fill(self, record):
        """Fill the empty identity fields of ``record`` (a partner or a
        request being edited) from the SIREN typed in it. Fields already
        typed are kept; when the directory cannot be reached, a warning says
        so and the form keeps everything."""
        siren = stdnum_siren.compact(record.company_registry or "")
        if not (siren.isdigit() and stdnum_siren.is_valid(siren)):
            return None
        found = self._mediation_sirene_lookup(siren)
        if found is None:
            return {
                "warning": {
                    "title": self.env._("SIRENE directory unreachable"),
                    "message": self.env._(
                        "The SIRENE directory cannot be reached right now: fill "
                        "in the company's details by hand, nothing you typed is "
                        "lost."
                    ),
                }
            }
        if not found:
            return None
        name_field = "partner_name" if record._name == "crm.lead" else "name"
        found[name_field] = found.pop("name")
        if record._name == "crm.lead":
            found.pop("siret")
        record.update(
            {
                field: value
                for field, value in found.items()
                if value and not record[field]
            }
        )
        return None

    @api.model
    def _mediation_sirene_lookup(self, siren):
        """The directory's identity of the company ``siren`` as field values,
        {} when it is unknown, None when the directory cannot be reached."""
        try:
            response = requests.get(
                SIRENE_URL,
                params={"q": siren, "page": 1, "per_page": 1},
                timeout=SIRENE_TIMEOUT,
            )
            response.raise_for_status()
            results = response.json().get("results") or []
        except (requests.RequestException, ValueError) as error:
            _logger.warning("SIRENE look-up of %s failed: %s", siren, error)
            return None
        company = next((r for r in results if r.get("siren") == siren), None)
        if not company:
            return {}
        seat = company.get("siege") or {}
        street = seat.get("adresse") or ""
        zip_code = seat.get("code_postal") or ""
        if zip_code and zip_code in street:
            street = street[: street.index(zip_code)].strip()
        legal_code = company.get("nature_juridique") or ""
        band = company.get("tranche_effectif_salarie")
        return {
            "name": company.get("nom_raison_sociale") or company.get("nom_complet"),
            "street": street,
            "zip": zip_code,
            "city": seat.get("libelle_commune"),
            "country_id": self.env.ref("base.fr").id,
            "siret": seat.get("siret"),
            "mediation_legal_form": LEGAL_FORMS.get(legal_code, legal_code),
            "mediation_naf_code": company.get("activite_principale"),
            "mediation_headcount_band": band
            if band in dict(HEADCOUNT_BANDS)
            else False,
        }
