from odoo import models


class MediationActivityReport(models.Model):
    """The annex of the annual report: the signed head of the decision log,
    a printed copy out of the database's reach."""

    _inherit = "mediation.activity.report"

    def _chain_anchor(self):
        """The last signed head of the report's company."""
        self.ensure_one()
        return (
            self.env["mediation.decision.anchor"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], limit=1)
        )
