from odoo import fields, models


class ResPartner(models.Model):
    # The member's model is split by concern, one file each, on purpose.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Member follow-up at a glance (the kit, the scan and the newsletter
    # have their own fields; these are what the follow-up list adds)
    # ------------------------------------------------------------------
    mediation_contract_id = fields.Many2one(
        "contract.contract",
        string="Membership",
        compute="_compute_mediation_contract",
        groups="consumer_mediation.group_mediation_user",
        help="The contract covering the member today, else its latest one.",
    )
    mediation_contract_state = fields.Selection(
        selection="_selection_mediation_contract_state",
        string="Contract Status",
        compute="_compute_mediation_contract",
        groups="consumer_mediation.group_mediation_user",
    )
    mediation_notice_downloaded_on = fields.Datetime(
        string="Window Notice Downloaded On",
        readonly=True,
        copy=False,
        groups="consumer_mediation.group_mediation_user",
        help="Last time the member downloaded its window notice from the portal.",
    )

    def _selection_mediation_contract_state(self):
        # The contract's own states, with their translations.
        return (
            self.env["contract.contract"]
            ._fields["mediation_state"]
            ._description_selection(self.env)
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_mediation_contract(self):
        Contract = self.env["contract.contract"]
        for partner in self:
            contract = partner.mediation_coverage_contract_id
            if not contract and partner.id:
                contract = Contract.search(
                    partner._mediation_contracts_domain(),
                    order="date_start desc, id desc",
                    limit=1,
                )
            partner.mediation_contract_id = contract
            partner.mediation_contract_state = contract.mediation_state

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _mediation_record_notice_download(self):
        """Called by the portal's window-notice download for the member's
        company (the route has checked who asks)."""
        self.commercial_partner_id.mediation_notice_downloaded_on = (
            fields.Datetime.now()
        )
