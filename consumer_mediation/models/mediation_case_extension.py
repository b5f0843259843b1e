from odoo import api, fields, models
from odoo.exceptions import UserError


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

    @api.model_create_multi
    def create(self, vals_list):
        self._check_extension_write()
        return super().create(vals_list)

    def write(self, vals):
        self._check_extension_write()
        return super().write(vals)

    @api.model
    def _check_extension_write(self):
        # An extension moves the mediation deadline and is a logged decision
        # (mediation.decision.log): the Extend action writes it in superuser
        # mode once it checked the caller; a JSON-RPC caller chooses its
        # context, never its superuser mode.
        if not self.env.su:
            raise UserError(
                self.env._(
                    "An extension is made and notified by the action Extend only: "
                    "extend the mediation again instead."
                )
            )
