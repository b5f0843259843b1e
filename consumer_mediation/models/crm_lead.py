from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner_sirene import HEADCOUNT_BANDS


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------------
    # Mediation information request
    # ------------------------------------------------------------------
    mediation_request = fields.Boolean(
        string="Mediation Membership Request",
        help="Information request about joining the consumer mediation.",
    )
    # Named after the partner's field (Odoo's SIREN carrier) that it fills
    # when the request is qualified: crm.lead has no registry number itself.
    company_registry = fields.Char(string="SIREN")
    mediation_headcount = fields.Integer(string="Headcount")
    # Filled from the SIRENE directory with the company's identity.
    mediation_legal_form = fields.Char(string="Legal Form")
    mediation_naf_code = fields.Char(string="NAF Code")
    mediation_headcount_band = fields.Selection(
        HEADCOUNT_BANDS, string="Headcount Band"
    )
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
    @api.constrains("company_registry")
    def _check_mediation_siren(self):
        for lead in self:
            error = self.env["res.partner"]._mediation_siren_error(
                lead.company_registry
            )
            if error:
                raise ValidationError(error)

    @api.onchange("company_registry")
    def _onchange_company_registry_sirene(self):
        if self.mediation_request:
            return self.env["res.partner"]._mediation_sirene_fill(self)

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
                self.company_registry
                and Partner.search(
                    [
                        ("is_company", "=", True),
                        ("company_registry", "=", self.company_registry),
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
                    "company_registry": self.company_registry,
                    "street": self.street,
                    "zip": self.zip,
                    "city": self.city,
                    "country_id": self.country_id.id,
                    "mediation_legal_form": self.mediation_legal_form,
                    "mediation_naf_code": self.mediation_naf_code,
                    "mediation_headcount_band": self.mediation_headcount_band,
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
