from odoo import http
from odoo.http import request


class MediationReportsController(http.Controller):
    """Public page of the published annual activity reports (L614-1)."""

    def _published_reports(self, domain=()):
        # Public visitors read nothing else: only published reports, only the
        # document stored when they were published.
        return (
            request.env["mediation.activity.report"]
            .sudo()
            .search(
                [
                    ("is_published", "=", True),
                    ("attachment_id", "!=", False),
                    *domain,
                ]
            )
        )

    @http.route(
        "/mediation/reports",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def reports(self, **kwargs):
        return request.render(
            "consumer_mediation.mediation_reports_page",
            {"reports": self._published_reports()},
        )

    @http.route(
        "/mediation/reports/<int:report_id>/download",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def report_download(self, report_id, **kwargs):
        report = self._published_reports([("id", "=", report_id)])
        if not report:
            raise request.not_found()
        return (
            request.env["ir.binary"]
            ._get_stream_from(report.attachment_id)
            .get_response(as_attachment=True)
        )
