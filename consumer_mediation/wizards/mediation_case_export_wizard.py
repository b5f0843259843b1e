from odoo import fields, models

from ..models.mediation_case import CASE_STATES


class MediationCaseExportWizard(models.TransientModel):
    _name = "mediation.case.export.wizard"
    _description = "Export the Cases to a Workbook"

    date_from = fields.Date(string="Received From")
    date_to = fields.Date(string="Received To")
    state = fields.Selection(CASE_STATES)
    mediator_ids = fields.Many2many(
        "res.users",
        string="Mediators",
        domain=lambda s: [
            ("groups_id", "in", s.env.ref("consumer_mediation.group_mediation_user").id)
        ],
    )
    subject_ids = fields.Many2many("mediation.case.subject", string="Subjects")

    def _case_domain(self):
        """The cases the filters select; the record rules still apply."""
        self.ensure_one()
        domain = []
        if self.date_from:
            domain.append(
                ("date_received", ">=", fields.Date.to_string(self.date_from))
            )
        if self.date_to:
            domain.append(("date_received", "<=", fields.Date.to_string(self.date_to)))
        if self.state:
            domain.append(("state", "=", self.state))
        if self.mediator_ids:
            domain.append(("mediator_id", "in", self.mediator_ids.ids))
        if self.subject_ids:
            domain.append(("subject_id", "in", self.subject_ids.ids))
        return domain

    def action_export(self):
        self.ensure_one()
        return self.env.ref(
            "consumer_mediation.action_report_case_export_xlsx"
        ).report_action(self, data={"domain": self._case_domain()}, config=False)
