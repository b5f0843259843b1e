from odoo import fields, models


class MediationCaseReopenWizard(models.TransientModel):
    _name = "mediation.case.reopen.wizard"
    _description = "Reopen a Mediation Case"

    case_ids = fields.Many2many("mediation.case", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.case_ids._reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
