import secrets

from odoo import http
from odoo.http import request
from odoo.tools import email_normalize

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
# Longest values the form accepts (the inputs carry them as maxlength).
ADHESION_LIMITS = {
    "company": 128,
    "siren": 20,
    "contact_name": 128,
    "email": 254,
    "phone": 32,
    "headcount": 7,
    "activity": 2000,
    "description": 5000,
}
MAX_HEADCOUNT = 1_000_000


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
            return self._render_adhesion({"web_token": secrets.token_urlsafe(16)})
        if refused := throttled("adhesion"):
            return refused
        values = {name: (post.get(name) or "").strip() for name in REQUEST_FIELDS}
        values["web_token"] = post.get("web_token") or ""
        if len(values["web_token"]) not in range(16, 65):
            values["web_token"] = secrets.token_urlsafe(16)
        if post.get(HONEYPOT):
            return request.render("consumer_mediation.portal_mediation_check_mailbox")
        errors = self._adhesion_errors(values)
        if errors:
            return self._render_adhesion(values, errors)
        lead_values = self._adhesion_lead_values(values)
        if not request.env.user._is_public():
            request.env["crm.lead"].sudo().create(lead_values)
            return request.render("consumer_mediation.mediation_adhesion_thanks")
        # A visitor confirms their e-mail address before the lead is made.
        request.env["mediation.web.request"].sudo()._submit(
            "membership", values["email"], {"lead": lead_values}, values["web_token"]
        )
        return request.render(
            "consumer_mediation.portal_mediation_check_mailbox",
            {"email": values["email"]},
        )

    def _render_adhesion(self, values, errors=None):
        return request.render(
            "consumer_mediation.mediation_adhesion_page",
            {"values": values, "errors": errors or {}, "field_limits": ADHESION_LIMITS},
        )

    def _adhesion_errors(self, values):
        env = request.env
        errors = self._check_lengths(values, ADHESION_LIMITS)
        for name in ("company", "contact_name", "email"):
            if not values[name]:
                errors[name] = env._("This field is required.")
        if values["email"] and not email_normalize(values["email"]):
            errors["email"] = env._("Enter a valid e-mail address.")
        headcount = values["headcount"]
        if headcount and not (
            headcount.isascii()
            and headcount.isdigit()
            and int(headcount) <= MAX_HEADCOUNT
        ):
            errors["headcount"] = env._(
                "Enter a whole number of employees, up to %(max)s.",
                max=self._format_limit(MAX_HEADCOUNT),
            )
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
            "company_registry": values["siren"].replace(" ", ""),
            "mediation_headcount": int(values["headcount"] or 0),
            "mediation_activity": values["activity"],
            "mediation_is_federation": bool(values["is_federation"]),
            "description": values["description"],
        }
