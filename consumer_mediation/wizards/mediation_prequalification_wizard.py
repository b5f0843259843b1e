from odoo import api, fields, models


class MediationPrequalificationWizard(models.TransientModel):
    _name = "mediation.prequalification.wizard"
    _description = "Pre-qualify a Mediation Request"

    complaint_sent = fields.Boolean(string="Written Complaint Sent")
    date_complaint = fields.Date(string="Complaint Date")
    professional_id = fields.Many2one(
        "res.partner", domain="[('is_company', '=', True)]"
    )
    already_examined = fields.Boolean(
        string="Already Before a Court or Another Mediator"
    )
    acting_as_professional = fields.Boolean(string="Requester Acted as a Professional")
    is_admissible = fields.Boolean(compute="_compute_result")
    contract_id = fields.Many2one("contract.contract", compute="_compute_result")
    grounds_html = fields.Html(string="Grounds", compute="_compute_result")
    complaint_letter = fields.Text(
        string="Model Complaint Letter", compute="_compute_result"
    )

    @api.depends(
        "complaint_sent",
        "date_complaint",
        "professional_id",
        "already_examined",
        "acting_as_professional",
    )
    def _compute_result(self):
        for wizard in self:
            result = self.env["mediation.prequalification"]._prequalify(
                {
                    "complaint_sent": wizard.complaint_sent,
                    "date_complaint": wizard.date_complaint,
                    "professional_id": wizard.professional_id.id,
                    "already_examined": wizard.already_examined,
                    "acting_as_professional": wizard.acting_as_professional,
                }
            )
            wizard.is_admissible = result["admissible"]
            wizard.contract_id = result["contract"]
            wizard.grounds_html = result["grounds_html"]
            wizard.complaint_letter = result["complaint_letter"]

    def action_create_case(self):
        """Open a new case with what the pre-qualification collected."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Case"),
            "res_model": "mediation.case",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_professional_id": self.professional_id.id,
                "default_date_complaint": self.complaint_sent and self.date_complaint,
            },
        }
