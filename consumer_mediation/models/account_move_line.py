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
    # The service period a line bills, printed on the invoice (a French
    # invoice states it): the membership year, or the day of the case event.
    mediation_period_start = fields.Date(string="Service Period Start", readonly=True)
    mediation_period_end = fields.Date(string="Service Period End", readonly=True)
