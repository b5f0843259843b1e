from odoo import fields, models

OUTCOME_KINDS = [
    ("refused", "Refused"),
    ("interrupted", "Interrupted"),
    ("completed", "Completed"),
]


class MediationOutcome(models.Model):
    """How a case ended (§3.4): the interrupted outcomes are also the
    interruption causes offered when a case is interrupted."""

    _name = "mediation.outcome"
    _inherit = "mediation.config.mixin"
    _description = "Case Outcome"

    kind = fields.Selection(
        OUTCOME_KINDS,
        required=True,
    )
    has_solution = fields.Boolean(
        string="Solution Agreed",
        help="The parties agreed on a solution whose execution can be followed.",
    )
