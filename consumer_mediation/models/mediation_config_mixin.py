from odoo import api, fields, models
from odoo.exceptions import UserError


class MediationConfigMixin(models.AbstractModel):
    """Shared by the configuration lists the annual report and the letters
    rely on: the records delivered by the module are protected."""

    _name = "mediation.config.mixin"
    _description = "Mediation Configuration Record"
    _order = "sequence, id"

    # ------------------------------------------------------------------
    # Identification
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical code used by the letters, the reports and the "
        "statistics sent to the CECMC.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_legal = fields.Boolean(
        string="Delivered by the Module",
        readonly=True,
        help="Delivered with the module (legal list or reporting category): it "
        "can be archived or renamed, not deleted.",
    )

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "The code must be unique."),
    ]

    # ------------------------------------------------------------------
    # CRUD overrides
    # ------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_legal(self):
        legal = self.filtered("is_legal")
        if legal:
            raise UserError(
                self.env._(
                    "%(records)s are delivered by the module and used by the legal "
                    "reports: archive them instead of deleting them.",
                    records=", ".join(legal.mapped("display_name")),
                )
            )
