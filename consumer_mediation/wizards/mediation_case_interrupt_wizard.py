from odoo import fields, models


class MediationCaseInterruptWizard(models.TransientModel):
    _name = "mediation.case.interrupt.wizard"
    _description = "Interrupt a Mediation Case"

    case_ids = fields.Many2many("mediation.case", required=True)
    cause_id = fields.Many2one(
        "mediation.outcome",
        required=True,
        domain="[('kind', '=', 'interrupted')]",
    )
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.case_ids._interrupt(self.cause_id, self.note)
        return {"type": "ir.actions.act_window_close"}
