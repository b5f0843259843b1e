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
    federation_id = fields.Many2one(
        related="contract_id.partner_id", store=True, index=True, string="Federation"
    )
    contract_state = fields.Selection(
        related="contract_id.mediation_state", string="Convention Status"
    )
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

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
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

    @api.constrains("partner_id", "date_join", "date_leave", "contract_id")
    def _check_no_overlap(self):
        for member in self:
            others = member.contract_id.mediation_member_ids.filtered(
                lambda m, member=member: (
                    m != member
                    and m.partner_id == member.partner_id
                    and (not m.date_leave or m.date_leave >= member.date_join)
                    and (not member.date_leave or member.date_leave >= m.date_join)
                )
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is already a member of %(contract)s over "
                        "these dates.",
                        partner=member.partner_id.display_name,
                        contract=member.contract_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: a company joining an active convention gets its kit
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        today = fields.Date.context_today(self)
        members.filtered(
            lambda m: m.contract_id.mediation_state == "active" and m.date_join <= today
        ).partner_id._mediation_send_kit()
        return members
