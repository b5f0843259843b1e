import logging
import re
import secrets
from datetime import date

from psycopg2 import IntegrityError

from odoo import fields, http
from odoo.http import request
from odoo.tools import email_normalize, plaintext2html

from .throttle import throttled

_logger = logging.getLogger(__name__)

# Fields of the filing form kept from one step to the next.
STEP1_FIELDS = (
    "professional_id",
    "complaint_sent",
    "date_complaint",
    "already_examined",
    "acting_as_professional",
    "web_token",
)
STEP2_FIELDS = (
    "name",
    "email",
    "phone",
    "street",
    "zip",
    "city",
    "subject_id",
    "date_purchase",
    "amount",
    "description",
    "consent",
)


class MediationPublic(http.Controller):
    """The mediator's public pages: information (R614-1), online filing
    with its documents, covered members."""

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _mediation_lang(self):
        """French by default: a visitor who never chose a language reads the
        pages in French when it is installed; the language selector (cookie)
        and a logged-in user's language win."""
        if request.cookies.get("frontend_lang") or not request.env.user._is_public():
            return
        if "fr_FR" in request.env["res.lang"]._get_frontend():
            request.update_context(lang="fr_FR")
            request.lang = request.env["res.lang"]._get_data(code="fr_FR")
            request.future_response.set_cookie("frontend_lang", "fr_FR")

    def _search_professionals(self, term, by_postcode=True, limit=20):
        """Companies that are or were members, matching a name, a SIREN or
        SIRET (also found in the company registry or VAT number) or, for the
        filing form, a postcode: [(partner, covered)]. Only public facts are
        used."""
        term = (term or "").strip()
        if len(term) < 2:
            return []
        Partner = request.env["res.partner"].sudo()
        digits = re.sub(r"\s", "", term)
        domain = [("name", "ilike", term)]
        if digits.isdigit():
            domain = [
                "|",
                "|",
                "|",
                "|",
                *domain,
                ("mediation_siren", "=", digits[:9]),
                ("mediation_siret", "=", digits),
                ("company_registry", "=like", f"{digits}%"),
                ("vat", "ilike", digits),
            ]
            if by_postcode:
                domain = ["|", *domain, ("zip", "=", digits)]
        members = (
            request.env["contract.contract"]
            .sudo()
            .search([("mediation_kind", "!=", False)])
            .partner_id
            | request.env["mediation.convention.member"].sudo().search([]).partner_id
        )
        partners = Partner.search(
            [("is_company", "=", True), ("id", "in", members.ids), *domain],
            limit=limit,
            order="name",
        )
        return [(partner, bool(partner._mediation_coverage())) for partner in partners]

    def _covered_professional(self, professional_id):
        professional_id = str(professional_id or "")
        if not professional_id.isdigit():
            return request.env["res.partner"]
        partner = request.env["res.partner"].sudo().browse(int(professional_id))
        if partner.exists() and partner.is_company and partner._mediation_coverage():
            return partner
        return request.env["res.partner"]

    @staticmethod
    def _parse_date(value):
        try:
            return fields.Date.to_date(value) if value else None
        except ValueError:
            return False

    @staticmethod
    def _parse_amount(value):
        """A positive amount typed the French or the English way, or None."""
        try:
            amount = float((value or "0").replace(" ", "").replace(",", "."))
        except ValueError:
            return None
        return amount if amount >= 0 else None

    def _render_saisine(self, step, values, errors=None, **extra):
        return request.render(
            "consumer_mediation.portal_mediation_saisine",
            {
                "step": step,
                "values": values,
                "errors": errors or {},
                "subjects": request.env["mediation.case.subject"].sudo().search([]),
                "today": fields.Date.context_today(request.env.user),
                **extra,
            },
        )

    def _check_step1(self, values):
        errors = {}
        if values.get("complaint_sent") not in ("yes", "no"):
            errors["complaint_sent"] = request.env._(
                "Tell us whether you complained in writing to the professional."
            )
        date_complaint = self._parse_date(values.get("date_complaint"))
        if values.get("complaint_sent") == "yes":
            if not date_complaint:
                errors["date_complaint"] = request.env._(
                    "Give the date of your written complaint."
                )
            elif date_complaint > date.today():
                errors["date_complaint"] = request.env._(
                    "The date of the complaint cannot be in the future."
                )
        if not self._covered_professional(values.get("professional_id")):
            errors["professional_id"] = request.env._(
                "Find the professional and select it in the list."
            )
        return errors, date_complaint

    def _prequalify(self, values, date_complaint):
        return (
            request.env["mediation.prequalification"]
            .sudo()
            ._prequalify(
                {
                    "complaint_sent": values.get("complaint_sent") == "yes",
                    "date_complaint": date_complaint or None,
                    "professional_id": int(values["professional_id"]),
                    "already_examined": bool(values.get("already_examined")),
                    "acting_as_professional": bool(
                        values.get("acting_as_professional")
                    ),
                }
            )
        )

    # ------------------------------------------------------------------
    # Information and members
    # ------------------------------------------------------------------
    @http.route("/mediation", type="http", auth="public", website=True, sitemap=True)
    def mediation_info(self, **kwargs):
        self._mediation_lang()
        return request.render(
            "consumer_mediation.portal_mediation_info",
            {
                "company": request.env.company.sudo(),
                "grounds": request.env["mediation.refusal.ground"].sudo().search([]),
            },
        )

    @http.route(
        "/mediation/members", type="http", auth="public", website=True, sitemap=True
    )
    def mediation_members(self, search="", **kwargs):
        self._mediation_lang()
        return request.render(
            "consumer_mediation.portal_mediation_members",
            {
                "search": search,
                "results": self._search_professionals(search, by_postcode=False),
            },
        )

    # ------------------------------------------------------------------
    # Online filing
    # ------------------------------------------------------------------
    @http.route(
        "/mediation/saisine", type="http", auth="public", website=True, sitemap=True
    )
    def mediation_saisine(self, professional=None, **kwargs):
        """Step 1: the pre-qualification. ``professional`` (the QR code of
        the window notice) pre-selects a covered member."""
        self._mediation_lang()
        selected = self._covered_professional(professional)
        values = {
            "professional_id": selected.id or "",
            "web_token": secrets.token_urlsafe(16),
        }
        return self._render_saisine(
            1, values, found=[(selected, True)] if selected else []
        )

    @http.route(
        "/mediation/saisine/check",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def mediation_saisine_check(self, **post):
        """Step 1 posted: search the professional, or pre-qualify and show
        step 2 (the request itself)."""
        self._mediation_lang()
        values = {key: post.get(key, "") for key in (*STEP1_FIELDS, "search")}
        values["web_token"] = values["web_token"] or secrets.token_urlsafe(16)
        found = self._search_professionals(values["search"])
        selected = self._covered_professional(values["professional_id"])
        if selected and selected not in [partner for partner, _c in found]:
            found.insert(0, (selected, True))
        if post.get("action") == "search":
            return self._render_saisine(1, values, found=found)
        errors, date_complaint = self._check_step1(values)
        if errors:
            return self._render_saisine(1, values, errors, found=found)
        user = request.env.user
        if not user._is_public():
            values.update(name=user.partner_id.name, email=user.partner_id.email)
        return self._render_saisine(
            2,
            values,
            professional=selected,
            prequalification=self._prequalify(values, date_complaint),
            drafts=request.env["ir.attachment"],
        )

    @http.route(
        "/mediation/saisine/submit",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def mediation_saisine_submit(self, **post):
        """Step 2 posted: create the case, or show the form again with the
        errors next to the fields and everything typed or uploaded kept."""
        self._mediation_lang()
        if refused := throttled("filing", post.get("email"), post.get("web_token")):
            return refused
        # Honeypot: a field people do not see; bots fill it.
        if post.get("website_url"):
            return request.redirect("/mediation/saisine/done")
        Case = request.env["mediation.case"].sudo()
        values = {key: post.get(key, "") for key in (*STEP1_FIELDS, *STEP2_FIELDS)}
        token = values["web_token"]
        if token and Case.search_count([("web_token", "=", token)]):
            return request.redirect(f"/mediation/saisine/done?token={token}")
        errors, date_complaint = self._check_step1(values)
        errors.update(self._check_step2(values))
        drafts = Case._portal_find_drafts(request.httprequest.form.getlist("drafts"))
        accepted, refused = Case._portal_check_uploads(
            request.httprequest.files.getlist("documents"),
            kept_size=sum(drafts.mapped("file_size")),
        )
        drafts |= Case._portal_create_drafts(accepted)
        if refused:
            errors["documents"] = Case._portal_refused_message(refused)
        professional = self._covered_professional(values["professional_id"])
        if errors or not token:
            return self._render_saisine(
                2,
                values,
                errors,
                professional=professional,
                prequalification=self._prequalify(values, date_complaint)
                if professional
                else None,
                drafts=drafts,
            )
        case_values = {
            "consumer_id": self._consumer(values).id,
            "professional_id": professional.id,
            "date_complaint": date_complaint or False,
            "subject_id": int(values["subject_id"])
            if values["subject_id"].isdigit()
            else False,
            "date_purchase": self._parse_date(values["date_purchase"]) or False,
            "amount": self._parse_amount(values["amount"]) or 0.0,
            "description": plaintext2html(values["description"]),
        }
        try:
            with request.env.cr.savepoint():
                Case._web_file(case_values, drafts, token)
        except IntegrityError:
            # The same form submitted twice at once: the first one wins.
            _logger.info("Online mediation request %s already filed", token)
        return request.redirect(f"/mediation/saisine/done?token={token}")

    def _check_step2(self, values):
        _ = request.env._
        errors = {}
        if not values["name"].strip():
            errors["name"] = _("Give your full name.")
        if not email_normalize(values["email"]):
            errors["email"] = _("Give a valid e-mail address: we write to you there.")
        if not values["description"].strip():
            errors["description"] = _("Describe your dispute.")
        if values["date_purchase"]:
            purchase = self._parse_date(values["date_purchase"])
            if not purchase or purchase > date.today():
                errors["date_purchase"] = _("Give a valid date, not in the future.")
        if values["amount"] and self._parse_amount(values["amount"]) is None:
            errors["amount"] = _("Give the amount as a positive number.")
        if not values["consent"]:
            errors["consent"] = _(
                "Confirm that your information is accurate and that the mediator "
                "may process it for your mediation."
            )
        return errors

    def _consumer(self, values):
        """The consumer: the logged-in user, else the account of that e-mail,
        else a new contact (who gets a portal account with the case)."""
        user = request.env.user
        if not user._is_public():
            return user.partner_id
        email = email_normalize(values["email"])
        account = (
            request.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("login", "=ilike", email),
                    ("partner_id.email_normalized", "=", email),
                ],
                limit=1,
            )
        )
        if account:
            return account.partner_id
        return (
            request.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": values["name"].strip(),
                    "email": email,
                    "phone": values["phone"].strip(),
                    "street": values["street"].strip(),
                    "zip": values["zip"].strip(),
                    "city": values["city"].strip(),
                    "lang": request.env.lang,
                }
            )
        )

    @http.route(
        "/mediation/saisine/done",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def mediation_saisine_done(self, token=None, **kwargs):
        self._mediation_lang()
        case = request.env["mediation.case"]
        if token:
            case = case.sudo().search([("web_token", "=", token)], limit=1)
        return request.render(
            "consumer_mediation.portal_mediation_saisine_done",
            {"case_name": case.name},
        )
