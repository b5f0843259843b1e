from odoo import api, models


class MediationConventionMember(models.Model):
    _inherit = "mediation.convention.member"

    # ------------------------------------------------------------------
    # CRUD: a company joining or leaving a convention joins or leaves the
    # members' list (dates in the future are caught by the daily cron)
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        members.partner_id._mediation_sync_mailing_list()
        return members

    def write(self, vals):
        before = self.partner_id
        result = super().write(vals)
        (before | self.partner_id)._mediation_sync_mailing_list()
        return result

    def unlink(self):
        partners = self.partner_id
        result = super().unlink()
        partners._mediation_sync_mailing_list()
        return result
