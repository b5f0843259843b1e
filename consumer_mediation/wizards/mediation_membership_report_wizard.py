from datetime import date

from odoo import fields, models


class MediationMembershipReportWizard(models.TransientModel):
    _name = "mediation.membership.report.wizard"
    _description = "Members and Contracts Report"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda s: date(fields.Date.context_today(s).year, 1, 1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)

    def action_export(self):
        self.ensure_one()
        return self.env.ref(
            "consumer_mediation.action_report_membership_xlsx"
        ).report_action(
            self,
            data={
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            },
            config=False,
        )
