from odoo import fields, models


class MediationCaseDocumentsWizard(models.TransientModel):
    _name = "mediation.case.documents.wizard"
    _description = "Request Missing Documents"

    case_ids = fields.Many2many("mediation.case", required=True)
    document_type_ids = fields.Many2many(
        "mediation.document.type", string="Documents Missing"
    )
    note = fields.Text(
        string="Other Documents",
        help="Documents not in the list, as the consumer will read them.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.case_ids._request_documents(self.document_type_ids, self.note)
        return {"type": "ir.actions.act_window_close"}
