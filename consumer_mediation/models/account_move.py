from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    mediation_contract_id = fields.Many2one(
        "contract.contract",
        string="Membership Contract",
        compute="_compute_mediation_contract_id",
        store=True,
        index="btree_not_null",
        help="Membership whose annual fee or case fees this invoice bills; its "
        "payment follow-up flags that contract.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "invoice_line_ids.contract_line_id", "invoice_line_ids.mediation_case_fee_id"
    )
    def _compute_mediation_contract_id(self):
        # Whoever made the invoice (the mediation run, OCA's button, a credit
        # note), its lines tell which membership it bills.
        for move in self:
            lines = move.invoice_line_ids
            contracts = (
                lines.contract_line_id.contract_id.filtered("mediation_kind")
                | lines.mediation_case_fee_id.contract_id
            )
            move.mediation_contract_id = contracts[:1]
