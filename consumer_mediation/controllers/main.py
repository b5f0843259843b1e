import difflib
import logging
import math
import re
import secrets
from datetime import date, datetime

from psycopg2 import DataError, IntegrityError

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
# Longest values the public forms accept (the inputs carry them as maxlength).
FIELD_LIMITS = {
    "name": 128,
    "email": 254,
    "phone": 32,
    "street": 128,
    "zip": 16,
    "city": 64,
    "description": 10000,
    "search": 128,
}
MAX_AMOUNT = 10_000_000
# The form tokens of the requests this browser filed or confirmed (session).
FILED_TOKENS_KEY = "mediation_filed_tokens"
FILED_TOKENS_KEPT = 10
OLDEST_DATE = date(1900, 1, 1)


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
                ("company_registry", "=", digits[:9]),
                ("siret", "=", digits),
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
        companies = [("is_company", "=", True), ("id", "in", members.ids)]
        partners = Partner.search([*companies, *domain], limit=limit, order="name")
        if not partners and not digits.isdigit():
            partners = self._close_professionals(term, Partner.search(companies))[
                :limit
            ]
        return [(partner, bool(partner._mediation_coverage())) for partner in partners]

    @staticmethod
    def _close_professionals(term, partners):
        """The ``partners`` whose name, or a word of it, is close to ``term``
        (a typo: "Meuble Lefor"), closest first."""
        term = term.casefold()

        def closeness(partner):
            name = partner.name.casefold()
            return max(
                difflib.SequenceMatcher(None, term, candidate).ratio()
                for candidate in (name, *name.split())
            )

        scored = [(closeness(partner), partner) for partner in partners]
        close = sorted(
            (item for item in scored if item[0] >= 0.8),
            key=lambda item: (-item[0], item[1].name),
        )
        return partners.browse([partner.id for _score, partner in close])

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
        """A date between 1900 and today, None when empty, else False. Typed
        day/month/year as the form asks (the browser's date control, in the
        browser's language, is not used), or ISO."""
        value = (value or "").strip()
        try:
            if "/" in value:
                parsed = datetime.strptime(value, "%d/%m/%Y").date()
            else:
                parsed = fields.Date.to_date(value) if value else None
        except ValueError:
            return False
        if parsed and not OLDEST_DATE <= parsed <= date.today():
            return False
        return parsed

    @staticmethod
    def _parse_amount(value):
        """A positive amount typed the French or the English way, up to
        MAX_AMOUNT, or None."""
        try:
            amount = float((value or "0").replace(" ", "").replace(",", "."))
        except ValueError:
            return None
        return amount if math.isfinite(amount) and 0 <= amount <= MAX_AMOUNT else None

    @staticmethod
    def _format_limit(number):
        """A limit as the French write it: 10 000 000."""
        return f"{number:,}".replace(",", "\N{NO-BREAK SPACE}")

    @staticmethod
    def _check_lengths(values, limits):
        """Errors of the values longer than their limit."""
        return {
            name: request.env._(
                "This field is limited to %(limit)s characters.", limit=limit
            )
            for name, limit in limits.items()
            if len(values.get(name) or "") > limit
        }

    def _render_saisine(self, step, values, errors=None, **extra):
        return request.render(
            "consumer_mediation.portal_mediation_saisine",
            {
                "step": step,
                "values": values,
                "errors": errors or {},
                "subjects": request.env["mediation.case.subject"].sudo().search([]),
                "field_limits": FIELD_LIMITS,
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
            if date_complaint is None:
                errors["date_complaint"] = request.env._(
                    "Give the date of your written complaint."
                )
            elif not date_complaint:
                errors["date_complaint"] = request.env._(
                    "Give a valid date of the complaint, after 1900 and not in "
                    "the future."
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
        """Step 2 posted: file the case (a logged-in user) or send the
        confirmation e-mail (a visitor), or show the form again with the
        errors next to the fields and everything typed or uploaded kept."""
        self._mediation_lang()
        if refused := throttled("filing", post.get("email"), post.get("web_token")):
            return refused
        # Honeypot: a field people do not see; bots fill it.
        if post.get("website_url"):
            return request.render("consumer_mediation.portal_mediation_check_mailbox")
        Case = request.env["mediation.case"].sudo()
        values = {key: post.get(key, "") for key in (*STEP1_FIELDS, *STEP2_FIELDS)}
        if not values["web_token"] or len(values["web_token"]) > 64:
            values["web_token"] = secrets.token_urlsafe(16)
        token = values["web_token"]
        if Case.search_count([("web_token", "=", token)]):
            return request.redirect(f"/mediation/saisine/done?token={token}")
        if (
            request.env["mediation.web.request"]
            .sudo()
            .search_count([("form_token", "=", token)])
        ):
            return request.render("consumer_mediation.portal_mediation_check_mailbox")
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
        if not errors:
            case_values = {
                "professional_id": professional.id,
                "date_complaint": date_complaint or False,
                "subject_id": int(values["subject_id"] or 0) or False,
                "date_purchase": self._parse_date(values["date_purchase"]) or False,
                "amount": self._parse_amount(values["amount"]) or 0.0,
                "description": plaintext2html(values["description"]),
            }
            try:
                with request.env.cr.savepoint():
                    return self._saisine_file(values, case_values, drafts)
            except (IntegrityError, DataError) as error:
                request.env.invalidate_all()
                if error.diag.constraint_name == "mediation_case_web_token_unique":
                    # The same form submitted twice at once: the first one wins.
                    _logger.info("Online mediation request %s already filed", token)
                    return request.redirect(f"/mediation/saisine/done?token={token}")
                _logger.exception("Online mediation request %s not filed", token)
                errors["general"] = request.env._(
                    "Your request could not be registered. Nothing was lost: "
                    "check it and send it again; if this happens again, write "
                    "to us."
                )
        return self._render_saisine(
            2,
            values,
            errors,
            professional=professional,
            prequalification=self._prequalify(values, date_complaint)
            if professional
            else None,
            drafts=drafts.exists(),
        )

    def _saisine_file(self, values, case_values, drafts):
        """A logged-in user's case is filed at once; a visitor first confirms
        their e-mail address: nothing is filed, nobody else is e-mailed and no
        contact is made until then."""
        user = request.env.user
        token = values["web_token"]
        if not user._is_public():
            request.env["mediation.case"].sudo()._web_file(
                {**case_values, "consumer_id": user.partner_id.id}, drafts, token
            )
            self._remember_filed(token)
            return request.redirect(f"/mediation/saisine/done?token={token}")
        request.env["mediation.web.request"].sudo()._submit(
            "case",
            values["email"],
            {
                "case": {
                    key: fields.Date.to_string(value)
                    if isinstance(value, date)
                    else value
                    for key, value in case_values.items()
                },
                "contact": {
                    name: values[name].strip()
                    for name in ("name", "phone", "street", "zip", "city")
                },
            },
            token,
            drafts,
        )
        return request.render(
            "consumer_mediation.portal_mediation_check_mailbox",
            {"email": values["email"]},
        )

    @staticmethod
    def _remember_filed(token):
        """The done page names the case of a form ``token`` to the browser
        that filed or confirmed it only: whoever sends a form chooses its
        token, and may give someone else's e-mail."""
        tokens = request.session.get(FILED_TOKENS_KEY, [])
        request.session[FILED_TOKENS_KEY] = [*tokens[-(FILED_TOKENS_KEPT - 1) :], token]

    def _check_step2(self, values):
        _ = request.env._
        errors = self._check_lengths(values, FIELD_LIMITS)
        if not values["name"].strip():
            errors["name"] = _("Give your full name.")
        if not email_normalize(values["email"]):
            errors["email"] = _("Give a valid e-mail address: we write to you there.")
        if not values["description"].strip():
            errors["description"] = _("Describe your dispute.")
        subjects = request.env["mediation.case.subject"].sudo().search([])
        if values["subject_id"] and values["subject_id"] not in {
            str(subject_id) for subject_id in subjects.ids
        }:
            errors["subject_id"] = _("Choose a subject in the list.")
        if values["date_purchase"] and not self._parse_date(values["date_purchase"]):
            errors["date_purchase"] = _(
                "Give a valid date, after 1900 and not in the future."
            )
        if values["amount"] and self._parse_amount(values["amount"]) is None:
            errors["amount"] = _(
                "Give the amount as a positive number, up to %(max)s.",
                max=self._format_limit(MAX_AMOUNT),
            )
        if not values["consent"]:
            errors["consent"] = _(
                "Confirm that your information is accurate and that the mediator "
                "may process it for your mediation."
            )
        return errors

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
        if token and token in request.session.get(FILED_TOKENS_KEY, []):
            case = case.sudo().search([("web_token", "=", token)], limit=1)
        return request.render(
            "consumer_mediation.portal_mediation_saisine_done",
            {
                "case_name": case.name,
                # A consumer who never logged in chooses a password first.
                "new_account": bool(
                    case
                    and request.env.user._is_public()
                    and not case.consumer_id.with_context(
                        active_test=False
                    ).user_ids.filtered("login_date")
                ),
            },
        )

    # ------------------------------------------------------------------
    # Confirmation of a visitor's request from their mailbox
    # ------------------------------------------------------------------
    @http.route(
        "/mediation/confirm/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def mediation_confirm(self, token, **post):
        """The link of the confirmation e-mail. Mail scanners open links: the
        GET only shows the button; the POST (CSRF-checked) files the request."""
        self._mediation_lang()
        web_request = request.env["mediation.web.request"]._from_token(token)
        refusal = (
            web_request._refusal()
            if web_request
            else request.env._(
                "This link is not valid: it may have expired, or been copied "
                "incompletely from the e-mail."
            )
        )
        if not refusal and request.httprequest.method == "POST":
            refusal = web_request._confirm()
            if not refusal:
                self._remember_filed(web_request.form_token)
                if web_request.kind == "membership":
                    return request.render(
                        "consumer_mediation.mediation_adhesion_thanks"
                    )
                return request.redirect(
                    f"/mediation/saisine/done?token={web_request.form_token}"
                )
        return request.render(
            "consumer_mediation.portal_mediation_confirm",
            {"web_request": web_request, "refusal": refusal, "token": token},
        )
