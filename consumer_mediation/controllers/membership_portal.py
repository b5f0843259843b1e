from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.contract.controllers.main import PortalContract


class MediationMembershipPortal(PortalContract):
    def _mediation_contract(self, contract_id, access_token):
        """The membership contract in sudo, once the caller proved they may
        read it (its company's contact, or its link's token); else None."""
        try:
            contract_sudo = self._document_check_access(
                "contract.contract", contract_id, access_token
            )
        except (AccessError, MissingError):
            return None
        return contract_sudo if contract_sudo.mediation_kind else None

    @http.route(
        "/my/contracts/<int:contract_id>/mediation/accept",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def mediation_accept(self, contract_id, access_token=None, **post):
        """Online acceptance of a membership proposal (name typed, explicit
        consent); the CSRF token is checked by the framework."""
        contract_sudo = self._mediation_contract(contract_id, access_token)
        if not contract_sudo:
            return request.redirect("/my")
        try:
            # nothing of a refused acceptance is kept (e.g. overlap on activation)
            with request.env.cr.savepoint():
                contract_sudo._mediation_accept_online(
                    post.get("signatory"),
                    bool(post.get("consent")),
                    request.httprequest.remote_addr,
                )
        except UserError as error:
            values = self._contract_get_page_view_values(contract_sudo, access_token)
            values.update(
                mediation_error=error.args[0],
                mediation_signatory=post.get("signatory") or "",
            )
            return request.render("contract.portal_contract_page", values)
        return request.redirect(
            contract_sudo.get_portal_url(query_string="&mediation_accepted=1")
        )

    @http.route(
        "/my/contracts/<int:contract_id>/mediation/proposal",
        type="http",
        auth="public",
        website=True,
    )
    def mediation_proposal(self, contract_id, access_token=None, **kw):
        """The membership proposal and its conditions (PDF), for whoever may
        read the contract page."""
        contract_sudo = self._mediation_contract(contract_id, access_token)
        if not contract_sudo:
            return request.redirect("/my")
        return self._show_report(
            model=contract_sudo,
            report_type="pdf",
            report_ref="consumer_mediation.action_report_mediation_proposal",
            download=True,
        )

    @http.route("/my/mediation/kit", type="http", auth="user", website=True)
    def mediation_kit(self, error=None, **kw):
        partner = request.env.user.partner_id.commercial_partner_id.sudo()
        message = None
        if error == "public_url":
            # Why a notice was refused: the site has no public address yet.
            message = request.env["res.company"]._mediation_public_url_error(
                partner.get_base_url()
            )
        return request.render(
            "consumer_mediation.portal_mediation_kit",
            {"partner": partner, "page_name": "mediation_kit", "error": message},
        )

    @http.route("/my/mediation/kit/notice/<string:paper>", type="http", auth="user")
    def mediation_kit_notice(self, paper, **kw):
        partner = request.env.user.partner_id.commercial_partner_id.sudo()
        if paper not in ("a4", "a5") or not partner.mediation_covered:
            return request.redirect("/my/mediation/kit")
        try:
            # Checked before rendering: inside QWeb the refusal becomes a crash.
            partner._mediation_check_public_url()
        except UserError:
            return request.redirect("/my/mediation/kit?error=public_url")
        response = self._show_report(
            model=partner,
            report_type="pdf",
            report_ref=f"consumer_mediation.action_report_mediation_window_notice_{paper}",
            download=True,
        )
        partner._mediation_record_notice_download()
        return response
