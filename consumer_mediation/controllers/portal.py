from markupsafe import Markup
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.mediation_case import FINAL_STATES

# Archived cases (finished long ago) are listed only on request.
CURRENT_DOMAIN = [("is_archived", "=", False)]


class MediationPortal(CustomerPortal):
    """The parties' portal: their cases, the legal steps, messages,
    documents, letters and their online decisions."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "mediation_case_count" in counters:
            Case = request.env["mediation.case"]
            values["mediation_case_count"] = (
                Case.search_count(CURRENT_DOMAIN) if Case.has_access("read") else 0
            )
        return values

    def _mediation_case(self, case_id):
        """The case in sudo, once the caller proved they may read it (the
        record rules give the parties and their representatives only); the
        caller stays the environment's user, the author of what they do."""
        try:
            case = self._document_check_access("mediation.case", case_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return case.with_user(request.env.user).sudo()

    def _redirect_case(self, case, **params):
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return request.redirect(
            f"{case.access_url}?{query}" if query else case.access_url
        )

    @http.route(
        ["/my/mediation-cases", "/my/mediation-cases/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_mediation_cases(self, page=1, archived=None, **kwargs):
        Case = request.env["mediation.case"]
        domain = [] if archived else CURRENT_DOMAIN
        count = Case.search_count(domain) if Case.has_access("read") else 0
        pager = portal_pager(
            url="/my/mediation-cases",
            url_args={"archived": 1} if archived else None,
            total=count,
            page=page,
            step=self._items_per_page,
        )
        # Searched as the user (the record rules keep their cases only), then
        # read in sudo: the other party's name is not a contact they may read.
        cases = (
            Case.search(domain, limit=self._items_per_page, offset=pager["offset"])
            if count
            else Case
        ).sudo()
        request.session["my_mediation_cases_history"] = cases.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "cases": cases,
                "archived": bool(archived),
                "pager": pager,
                "page_name": "mediation_cases",
                "default_url": "/my/mediation-cases",
            }
        )
        return request.render("consumer_mediation.portal_my_mediation_cases", values)

    @http.route(
        "/my/mediation-cases/<int:case_id>", type="http", auth="user", website=True
    )
    def portal_my_mediation_case(self, case_id, **kwargs):
        return self._render_case(
            self._mediation_case(case_id), message=kwargs.get("message")
        )

    def _render_case(self, case, upload=None, **extra):
        """The case page; ``upload`` is the message form sent back after an
        error: its ``body``, ``audience``, ``drafts`` (kept) and ``errors``."""
        roles = case._mediation_sides(request.env.user.partner_id)
        messages = case._portal_messages().sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "case": case,
                "roles": roles,
                "decisions": case._portal_decisions(roles),
                "timeline": case._portal_timeline(),
                "letters": case._portal_letters(roles),
                "private_messages": messages.filtered(
                    lambda m: m.mediation_audience != "parties"
                ),
                "joint_messages": messages.filtered(
                    lambda m: m.mediation_audience == "parties"
                ),
                "documents": case._portal_documents(messages),
                "signatures": case.signature_ids,
                "page_name": "mediation_case",
                "upload": upload
                or {"body": "", "drafts": request.env["ir.attachment"], "errors": {}},
                "decision_error": None,
                "error": None,
                "message": None,
                **extra,
            }
        )
        values = self._get_page_view_values(
            case, None, values, "my_mediation_cases_history", False
        )
        return request.render("consumer_mediation.portal_my_mediation_case", values)

    @http.route(
        "/my/mediation-cases/<int:case_id>/decide",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_mediation_case_decide(
        self, case_id, party=None, decision=None, signer_name=None, confirm=None, **kw
    ):
        case = self._mediation_case(case_id)
        error = None
        if not confirm:
            error = request.env._("Tick the statement to confirm your decision.")
        else:
            try:
                case._portal_decide(
                    party, decision, signer_name, request.httprequest.remote_addr
                )
            except UserError as exception:
                error = exception.args[0]
        if error:
            # Shown again next to its block, with the name typed.
            return self._render_case(
                case,
                decision_error={
                    "decision": decision,
                    "message": error,
                    "signer_name": signer_name or "",
                },
            )
        return self._redirect_case(case, message="decided")

    @http.route(
        "/my/mediation-cases/<int:case_id>/documents",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_mediation_case_upload(self, case_id, body="", audience="mediator", **kw):
        """A party's message and documents, "to the mediator only" (its
        side's private thread) or "to both parties" (the joint thread). A
        refused file stops the sending: the page comes back with each refused
        file named with its reason, the message typed and the files accepted
        kept. Nothing is stored on a finished case."""
        case = self._mediation_case(case_id)
        sides = case._mediation_sides(request.env.user.partner_id)
        if not sides:
            raise NotFound()
        if case.state in FINAL_STATES:
            return self._render_case(
                case, error=request.env._("Nothing was sent: this case is finished.")
            )
        target = None
        if audience == "parties" and case.is_professional_involved:
            target = "parties"
        elif audience == "mediator" and len(sides) == 1:
            target = next(iter(sides))
        drafts = case._portal_find_drafts(request.httprequest.form.getlist("drafts"))
        accepted, refused = case._portal_check_uploads(
            request.httprequest.files.getlist("documents"),
            kept_size=sum(drafts.mapped("file_size")),
        )
        drafts |= case._portal_create_drafts(accepted)
        errors = {}
        if refused:
            errors["documents"] = case._portal_refused_message(refused)
        elif not (drafts or body.strip()):
            errors["body"] = request.env._("Write a message or add documents.")
        if not target:
            errors["audience"] = request.env._(
                "Nothing was sent: choose who your message is for."
            )
        if errors:
            return self._render_case(
                case,
                upload={
                    "body": body,
                    "audience": audience,
                    "drafts": drafts,
                    "errors": errors,
                },
            )
        case._mediation_post(
            target, plaintext2html(body) if body.strip() else Markup(""), drafts
        )
        return self._redirect_case(
            case, message="sent_parties" if target == "parties" else "sent"
        )

    @http.route(
        "/my/mediation-cases/<int:case_id>/documents/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_mediation_case_document(self, case_id, attachment_id, **kw):
        case = self._mediation_case(case_id)
        attachment = case._portal_documents().filtered(lambda a: a.id == attachment_id)
        if not attachment:
            raise NotFound()
        return (
            request.env["ir.binary"]
            ._get_stream_from(attachment)
            .get_response(as_attachment=True)
        )

    @http.route(
        "/my/mediation-cases/<int:case_id>/letters/<string:step>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_mediation_case_letter(self, case_id, step, report_type="pdf", **kw):
        case = self._mediation_case(case_id)
        letters = dict(
            case._portal_letters(case._mediation_sides(request.env.user.partner_id))
        )
        if step not in letters:
            raise NotFound()
        report = letters[step]
        report_type = report_type if report_type in ("pdf", "html") else "pdf"
        # Rendered as the party (not Odoo's _show_report, which renders in
        # sudo): the report's own check gives it its side's copies only.
        content = getattr(
            request.env["ir.actions.report"], f"_render_qweb_{report_type}"
        )(report.report_name, case.ids)[0]
        headers = [
            (
                "Content-Type",
                "application/pdf" if report_type == "pdf" else "text/html",
            ),
            ("Content-Length", len(content)),
        ]
        if report_type == "pdf":
            headers.append(
                (
                    "Content-Disposition",
                    content_disposition(f"{case.name} - {report.name}.pdf"),
                )
            )
        return request.make_response(content, headers=headers)
