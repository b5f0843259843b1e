from odoo import api, fields, models


class MediationCaseExtendWizard(models.TransientModel):
    _name = "mediation.case.extend.wizard"
    _description = "Extend the Mediation Deadline"

    case_ids = fields.Many2many("mediation.case", required=True)
    current_deadline = fields.Date(compute="_compute_current_deadline")
    new_deadline = fields.Date(required=True)
    reason = fields.Text(required=True, help="Why the dispute is complex (R612-5).")

    @api.depends("case_ids")
    def _compute_current_deadline(self):
        for wizard in self:
            wizard.current_deadline = min(
                wizard.case_ids.mapped("date_mediation_due"), default=False
            )

    def action_confirm(self):
        self.ensure_one()
        for case in self.case_ids:
            case._extend(self.new_deadline, self.reason)
        return {"type": "ir.actions.act_window_close"}
