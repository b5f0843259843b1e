from odoo import fields, models


class MediationTariffVersion(models.TransientModel):
    _name = "mediation.tariff.version"
    _description = "Create a New Version of a Tariff"

    tariff_id = fields.Many2one("mediation.tariff", required=True)
    date_from = fields.Date(
        string="Valid From", required=True, default=fields.Date.context_today
    )

    def action_create(self):
        self.ensure_one()
        version = self.tariff_id._create_version(self.date_from)
        return {
            "type": "ir.actions.act_window",
            "res_model": "mediation.tariff",
            "res_id": version.id,
            "view_mode": "form",
        }
