from odoo import fields, models


class MediationCaseExtension(models.Model):
    _name = "mediation.case.extension"
    _description = "Extension of the Mediation Deadline"
    _order = "case_id, new_deadline, id"

    case_id = fields.Many2one(
        "mediation.case", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    previous_deadline = fields.Date(readonly=True)
    new_deadline = fields.Date(required=True)
    reason = fields.Text(required=True)
    date_notified = fields.Date(
        string="Notified On",
        readonly=True,
        help="Day the new deadline was sent to both parties (R612-5).",
    )
