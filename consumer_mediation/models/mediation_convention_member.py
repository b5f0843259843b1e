from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MediationConventionMember(models.Model):
    _name = "mediation.convention.member"
    _description = "Member Company of a Collective Convention"
    _order = "contract_id, partner_id"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "contract.contract",
        string="Convention",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        domain="[('mediation_kind', '=', 'convention')]",
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Member Company",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
    )
    date_join = fields.Date(
        string="Joined On",
        required=True,
        default=fields.Date.context_today,
    )
    date_leave = fields.Date(
        string="Left On", help="Last day the convention covers this member."
    )

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_leave IS NULL OR date_leave >= date_join)",
            "A member cannot leave a convention before joining it.",
        ),
    ]

    @api.constrains("partner_id")
    def _check_partner_is_company(self):
        for member in self:
            if not member.partner_id.is_company:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a company: only companies can be members "
                        "of a collective convention.",
                        partner=member.partner_id.display_name,
                    )
                )
