from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    mediation_professional_entry_days = fields.Integer(
        related="company_id.mediation_professional_entry_days", readonly=False
    )
    mediation_proposal_answer_days = fields.Integer(
        related="company_id.mediation_proposal_answer_days", readonly=False
    )
    mediation_reminder_days = fields.Integer(
        related="company_id.mediation_reminder_days", readonly=False
    )
    mediation_archive_months = fields.Integer(
        related="company_id.mediation_archive_months", readonly=False
    )
    mediation_retention_years = fields.Integer(
        related="company_id.mediation_retention_years", readonly=False
    )
