from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------------
    # Mediation information request
    # ------------------------------------------------------------------
    mediation_request = fields.Boolean(
        string="Mediation Membership Request",
        help="Information request about joining the consumer mediation.",
    )
    mediation_siren = fields.Char(string="SIREN")
    mediation_headcount = fields.Integer(string="Headcount")
    mediation_activity = fields.Text(string="Activity")
    mediation_is_federation = fields.Boolean(string="Federation or Group")
    mediation_contract_ids = fields.One2many(
        "contract.contract", "mediation_lead_id", string="Membership Proposals"
    )
    mediation_contract_count = fields.Integer(
        compute="_compute_mediation_contract_count"
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("mediation_contract_ids")
    def _compute_mediation_contract_count(self):
        for lead in self:
            lead.mediation_contract_count = len(lead.mediation_contract_ids)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("mediation_siren")
    def _check_mediation_siren(self):
        for lead in self:
            error = self.env["res.partner"]._mediation_siren_error(lead.mediation_siren)
            if error:
                raise ValidationError(error)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mediation_create_proposal(self):
        """Qualify the company from the request and draft its proposal. A
        proposal still waiting for the company's answer is opened instead of
        drafting a second one (a repeated click makes no duplicate)."""
        self.ensure_one()
        contract = self.mediation_contract_ids.filtered(
            lambda c: c.mediation_state == "proposal"
        )[:1]
        if not contract:
            company = self._mediation_company()
            contract = self.env["contract.contract"]._mediation_prepare_proposal(
                company,
                "convention" if company.mediation_is_federation else "individual",
                lead=self,
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "consumer_mediation.action_mediation_contract"
        )
        form = self.env.ref("consumer_mediation.contract_contract_view_form_mediation")
        action.update(
            {"res_id": contract.id, "view_mode": "form", "views": [(form.id, "form")]}
        )
        return action

    def action_mediation_open_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "consumer_mediation.action_mediation_contract"
        )
        action["domain"] = [("mediation_lead_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _mediation_company(self):
        """The member company of the request, created from it if needed."""
        self.ensure_one()
        company = self.partner_id.commercial_partner_id
        if not company.is_company:
            Partner = self.env["res.partner"]
            company = (
                self.mediation_siren
                and Partner.search(
                    [
                        ("is_company", "=", True),
                        ("mediation_siren", "=", self.mediation_siren),
                    ],
                    limit=1,
                )
            ) or Partner.create(
                {
                    "name": self.partner_name or self.contact_name or self.name,
                    "is_company": True,
                    "email": self.email_from,
                    "phone": self.phone,
                    "website": self.website,
                    "mediation_siren": self.mediation_siren,
                }
            )
            if self.partner_id and not self.partner_id.parent_id:
                self.partner_id.parent_id = company
            self.partner_id = self.partner_id or company
        company.write(
            {
                "mediation_headcount": company.mediation_headcount
                or self.mediation_headcount,
                "mediation_activity": company.mediation_activity
                or self.mediation_activity,
                "mediation_is_federation": company.mediation_is_federation
                or self.mediation_is_federation,
            }
        )
        return company
