from odoo import fields, models
from odoo.tools import format_date


class MediationContractSignPaper(models.TransientModel):
    _name = "mediation.contract.sign.paper"
    _description = "Record a Signed Paper Copy of a Proposal"

    contract_id = fields.Many2one("contract.contract", required=True)
    signatory = fields.Char(required=True)
    date_signed = fields.Date(
        string="Signed On", required=True, default=fields.Date.context_today
    )
    signed_copy = fields.Binary(required=True)
    signed_copy_name = fields.Char()

    def action_record(self):
        self.ensure_one()
        contract = self.contract_id
        contract._mediation_check_state("proposal")
        contract.write(
            {
                "mediation_acceptance_mode": "paper",
                "mediation_accepted_name": self.signatory,
                "mediation_accepted_on": fields.Datetime.to_datetime(self.date_signed),
                "mediation_signed_copy": self.signed_copy,
                "mediation_signed_copy_name": self.signed_copy_name
                or self.env._("signed-proposal.pdf"),
            }
        )
        contract.message_post(
            body=self.env._(
                "Signed paper copy recorded (signed by %(name)s on %(date)s).",
                name=self.signatory,
                date=format_date(self.env, self.date_signed),
            )
        )
        contract.action_mediation_activate()
        return {"type": "ir.actions.act_window_close"}
