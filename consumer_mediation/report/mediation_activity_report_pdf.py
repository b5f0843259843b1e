from odoo import api, models


class MediationActivityReportPdf(models.AbstractModel):
    _name = "report.consumer_mediation.report_activity"
    _description = "Activity Report Document"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["mediation.activity.report"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "mediation.activity.report",
            "docs": docs,
            "figures": {doc.id: doc._compute_figures() for doc in docs},
            "format_share": self._format_share,
            "format_days": self._format_days,
            "favour_labels": dict(
                self.env["mediation.case"]
                ._fields["proposal_favours"]
                ._description_selection(self.env)
            ),
        }

    @api.model
    def _format_share(self, share):
        return "-" if share is None else f"{share * 100:.1f} %"

    @api.model
    def _format_days(self, days):
        return "-" if days is None else f"{days:.1f}"
