from odoo import fields, models


class MediationCaseRefuseWizard(models.TransientModel):
    _name = "mediation.case.refuse.wizard"
    _description = "Refuse a Mediation Case"

    case_ids = fields.Many2many("mediation.case", required=True)
    ground_id = fields.Many2one("mediation.refusal.ground", required=True)
    note = fields.Text()
    send_letter = fields.Boolean(
        string="Send the Refusal Letter",
        default=True,
        help="The consumer must be told within three weeks of receipt (L612-2).",
    )

    def action_confirm(self):
        self.ensure_one()
        self.case_ids._refuse(self.ground_id, self.note)
        if self.send_letter:
            self.case_ids.action_send_refusal()
        return {"type": "ir.actions.act_window_close"}
