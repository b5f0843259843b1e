from odoo import api, fields, models


class MediationCaseCloseWizard(models.TransientModel):
    _name = "mediation.case.close.wizard"
    _description = "Close a Mediation Case"

    case_ids = fields.Many2many("mediation.case", required=True)
    outcome_id = fields.Many2one(
        "mediation.outcome",
        compute="_compute_outcome_id",
        help="The outcome the case's history gives: an agreement during the "
        "mediation, or the parties' answers to the proposal.",
    )
    can_certify = fields.Boolean(compute="_compute_outcome_id")
    send_closing = fields.Boolean(
        string="Send the Closing Letter",
        default=True,
        help="Tells both parties how the mediation ended.",
    )
    send_certificate = fields.Boolean(
        string="Send the Certificate of Attempted Mediation",
        default=True,
        help="Proves the attempt of an amicable settlement the consumer may need "
        "before going to court (art. 750-1 CPC).",
    )

    @api.depends("case_ids")
    def _compute_outcome_id(self):
        for wizard in self:
            outcomes = wizard.case_ids.mapped(lambda c: c._closing_outcome())
            wizard.outcome_id = outcomes if len(outcomes) == 1 else False
            wizard.can_certify = all(wizard.case_ids.mapped("date_saisine_notified"))

    def action_confirm(self):
        """Close, then send the ticked letters, in one transaction: a letter
        that cannot go leaves the case open."""
        self.ensure_one()
        self.case_ids.action_close()
        if self.send_closing:
            self.case_ids.action_send_closing()
        if self.send_certificate and self.can_certify:
            self.case_ids.action_send_certificate()
        return {"type": "ir.actions.act_window_close"}
