from odoo import fields, models


class MediationCaseSignature(models.Model):
    """A decision a party took online: who typed which name under which
    explicit statement, when and from where. Kept as the proof of the
    party's consent (accepting or refusing a proposal, entering the
    mediation, withdrawing)."""

    _name = "mediation.case.signature"
    _description = "Online Decision of a Party"
    _order = "date_signed desc, id desc"

    case_id = fields.Many2one(
        "mediation.case", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    party = fields.Selection(
        [("consumer", "Consumer"), ("professional", "Professional")],
        required=True,
        readonly=True,
    )
    decision = fields.Selection(
        [
            ("entry_agreed", "Agreed to enter the mediation"),
            ("entry_declined", "Declined to enter the mediation"),
            ("proposal_accepted", "Accepted the proposal"),
            ("proposal_refused", "Refused the proposal"),
            ("withdrawal", "Withdrew from the mediation"),
        ],
        required=True,
        readonly=True,
    )
    signer_name = fields.Char(string="Typed Name", required=True, readonly=True)
    statement = fields.Text(
        string="Confirmed Statement",
        required=True,
        readonly=True,
        help="The statement the party confirmed.",
    )
    user_id = fields.Many2one("res.users", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    date_signed = fields.Datetime(
        string="Signed On", required=True, readonly=True, default=fields.Datetime.now
    )
    ip_address = fields.Char(string="IP Address", readonly=True)
