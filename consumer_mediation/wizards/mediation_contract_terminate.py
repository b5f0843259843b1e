from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class MediationContractTerminate(models.TransientModel):
    _name = "mediation.contract.terminate"
    _description = "Terminate Membership Contracts"

    contract_ids = fields.Many2many("contract.contract", required=True)
    reason = fields.Text(required=True)
    date_end = fields.Date(
        string="Coverage Ends On",
        required=True,
        default=lambda self: self._default_date_end(),
        help="Last day of coverage. By default, the end of the current term if "
        "the notice period is respected, else the end of the next term.",
    )

    @api.model
    def _default_date_end(self):
        contracts = self.env["contract.contract"].browse(
            self.env.context.get("default_contract_ids") or []
        )
        contract = contracts[:1]
        if not contract.mediation_term_end:
            return fields.Date.context_today(self)
        today = fields.Date.context_today(self)
        if today <= contract.mediation_notice_deadline:
            return contract.mediation_term_end
        return contract.mediation_term_end + relativedelta(
            years=contract.mediation_term_years
        )

    def action_terminate(self):
        self.ensure_one()
        self.contract_ids._mediation_terminate(self.date_end, self.reason)
        return {"type": "ir.actions.act_window_close"}
