from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    mediation_contract_id = fields.Many2one(
        "contract.contract",
        string="Membership Contract",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Membership whose annual fee or case fees this invoice bills; its "
        "payment follow-up flags that contract.",
    )
