from odoo import fields, models


class MediationComplianceCheck(models.Model):
    _name = "mediation.compliance.check"
    _description = "Member Compliance Check of the Mediator's Details"
    _order = "partner_id, channel, date_checked desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        string="Mediation Body",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Member Company",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('is_company', '=', True)]",
    )
    channel = fields.Selection(
        [
            ("website", "Website"),
            ("cgv", "Terms and Conditions (CGV/CGS)"),
            ("order_form", "Order Forms"),
            ("window", "Shop Window"),
        ],
        required=True,
        help="Where the professional must show the mediator's details (L616-1, "
        "R616-1).",
    )
    date_checked = fields.Date(
        string="Checked On", required=True, default=fields.Date.context_today
    )
    compliant = fields.Boolean(
        help="The mediator's name and website address are shown visibly."
    )
    evidence_url = fields.Char(string="Evidence URL")
    evidence_file = fields.Binary(attachment=True)
    evidence_filename = fields.Char()
    user_id = fields.Many2one(
        "res.users", string="Checked By", default=lambda self: self.env.user
    )
    note = fields.Text()
