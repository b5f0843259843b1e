from odoo import api, fields, models


class MediationCaseRepresentative(models.Model):
    """A lawyer or any person assisting a party at every stage (R612-1)."""

    _name = "mediation.case.representative"
    _description = "Representative of a Party"
    _order = "case_id, party, id"

    case_id = fields.Many2one(
        "mediation.case", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True)
    party = fields.Selection(
        [("consumer", "Consumer"), ("professional", "Professional")],
        string="Represents",
        required=True,
        default="consumer",
    )
    role = fields.Selection(
        [("lawyer", "Lawyer"), ("assistant", "Assisting Person"), ("expert", "Expert")],
        required=True,
        default="lawyer",
    )

    @api.model_create_multi
    def create(self, vals_list):
        representatives = super().create(vals_list)
        # A representative acts for its party on the portal (R612-1): it is
        # invited to it when added.
        for representative in representatives:
            representative.case_id._mediation_grant_portal(representative.partner_id)
        return representatives
