from odoo import fields, models


class MediationRefusalGround(models.Model):
    _name = "mediation.refusal.ground"
    _inherit = "mediation.config.mixin"
    _description = "Refusal Ground"

    legal_reference = fields.Char(help="Article of the Code de la consommation.")
    explanation = fields.Text(
        translate=True,
        help="Plain-language explanation given to the consumer in the refusal "
        "letter and by the pre-qualification.",
    )
    curable = fields.Boolean(
        help="The consumer can remove the cause (e.g. send the missing written "
        "complaint): the refusal letter invites a new request."
    )
