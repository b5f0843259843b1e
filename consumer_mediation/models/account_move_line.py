from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    mediation_case_fee_id = fields.Many2one(
        "mediation.case.fee",
        string="Case Fee",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
