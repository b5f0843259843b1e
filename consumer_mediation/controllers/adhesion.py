from odoo import http
from odoo.http import request

from .main import MediationPublic
from .throttle import throttled

REQUEST_FIELDS = (
    "company",
    "siren",
    "contact_name",
    "email",
    "phone",
    "headcount",
    "activity",
    "is_federation",
    "description",
)
# Bots fill every input; people never see this one.
HONEYPOT = "fax_number"


class MediationAdhesion(MediationPublic):
    @http.route(
        "/mediation/adhesion",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
    )
    def mediation_adhesion(self, **post):
        """Public information request: a lead in the members pipeline."""
        self._mediation_lang()
        if request.httprequest.method == "GET":
            return request.render(
                "consumer_mediation.mediation_adhesion_page",
                {"values": {}, "errors": {}},
            )
        if refused := throttled("adhesion"):
            return refused
        values = {name: (post.get(name) or "").strip() for name in REQUEST_FIELDS}
        if post.get(HONEYPOT):
            return request.render("consumer_mediation.mediation_adhesion_thanks")
        errors = self._adhesion_errors(values)
        if errors:
            return request.render(
                "consumer_mediation.mediation_adhesion_page",
                {"values": values, "errors": errors},
            )
        request.env["crm.lead"].sudo().create(self._adhesion_lead_values(values))
        return request.render("consumer_mediation.mediation_adhesion_thanks")

    def _adhesion_errors(self, values):
        env = request.env
        errors = {}
        for name in ("company", "contact_name", "email"):
            if not values[name]:
                errors[name] = env._("This field is required.")
        if values["email"] and "@" not in values["email"]:
            errors["email"] = env._("Enter a valid e-mail address.")
        if values["headcount"] and not values["headcount"].isdigit():
            errors["headcount"] = env._("Enter a whole number of employees.")
        siren_error = env["res.partner"]._mediation_siren_error(values["siren"])
        if siren_error:
            errors["siren"] = siren_error
        return errors

    def _adhesion_lead_values(self, values):
        env = request.env
        return {
            "name": env._(
                "Mediation membership: %(company)s", company=values["company"]
            ),
            "type": "opportunity",
            "mediation_request": True,
            "user_id": False,
            "partner_name": values["company"],
            "contact_name": values["contact_name"],
            "email_from": values["email"],
            "phone": values["phone"],
            "mediation_siren": values["siren"].replace(" ", ""),
            "mediation_headcount": int(values["headcount"] or 0),
            "mediation_activity": values["activity"],
            "mediation_is_federation": bool(values["is_federation"]),
            "description": values["description"],
        }
