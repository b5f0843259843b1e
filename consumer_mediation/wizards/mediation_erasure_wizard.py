from odoo import api, fields, models


class MediationErasureWizard(models.TransientModel):
    _name = "mediation.erasure.wizard"
    _description = "Erasure Request of a Person's Mediation Data"

    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        default=lambda s: s._default_partner_id(),
    )
    case_ids = fields.Many2many("mediation.case", compute="_compute_erasure")
    blockers = fields.Text(
        string="Cannot Be Erased Because", compute="_compute_erasure"
    )

    def _default_partner_id(self):
        if self.env.context.get("active_model") == "res.partner":
            return self.env.context.get("active_id")
        return False

    @api.depends("partner_id")
    def _compute_erasure(self):
        Retention = self.env["mediation.retention"]
        for wizard in self:
            partner = wizard.partner_id
            wizard.case_ids = partner and Retention._person_cases(partner)
            wizard.blockers = partner and "\n".join(
                Retention._erasure_blockers(partner)
            )

    def action_confirm(self):
        self.ensure_one()
        self.env["mediation.retention"]._erase_person(self.partner_id)
        return {"type": "ir.actions.act_window_close"}
