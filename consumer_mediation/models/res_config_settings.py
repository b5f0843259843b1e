from odoo import api, fields, models

from .mediation_decision_log import chain_key


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    mediation_professional_entry_days = fields.Integer(
        related="company_id.mediation_professional_entry_days", readonly=False
    )
    mediation_proposal_answer_days = fields.Integer(
        related="company_id.mediation_proposal_answer_days", readonly=False
    )
    mediation_reminder_days = fields.Integer(
        related="company_id.mediation_reminder_days", readonly=False
    )
    mediation_documents_reminder_days = fields.Integer(
        related="company_id.mediation_documents_reminder_days", readonly=False
    )
    mediation_documents_close_days = fields.Integer(
        related="company_id.mediation_documents_close_days", readonly=False
    )
    mediation_mediator_name = fields.Char(
        related="company_id.mediation_mediator_name", readonly=False
    )
    mediation_term_years = fields.Integer(
        related="company_id.mediation_term_years", readonly=False
    )
    mediation_tacit_renewal = fields.Boolean(
        related="company_id.mediation_tacit_renewal", readonly=False
    )
    mediation_notice_months = fields.Integer(
        related="company_id.mediation_notice_months", readonly=False
    )
    mediation_proposal_validity_days = fields.Integer(
        related="company_id.mediation_proposal_validity_days", readonly=False
    )
    mediation_letter_window = fields.Selection(
        related="company_id.mediation_letter_window", readonly=False
    )
    mediation_single_professional = fields.Boolean(
        related="company_id.mediation_single_professional", readonly=False
    )
    mediation_public_url_warning = fields.Char(
        compute="_compute_mediation_public_url_warning"
    )
    mediation_cecmc_listing = fields.Char(
        related="company_id.mediation_cecmc_listing", readonly=False
    )
    mediation_appointment = fields.Text(
        related="company_id.mediation_appointment", readonly=False
    )
    mediation_mediators_info = fields.Text(
        related="company_id.mediation_mediators_info", readonly=False
    )
    mediation_networks = fields.Text(
        related="company_id.mediation_networks", readonly=False
    )
    mediation_dispute_types = fields.Text(
        related="company_id.mediation_dispute_types", readonly=False
    )
    mediation_languages = fields.Char(
        related="company_id.mediation_languages", readonly=False
    )
    mediation_upload_file_mb = fields.Integer(
        related="company_id.mediation_upload_file_mb", readonly=False
    )
    mediation_upload_total_mb = fields.Integer(
        related="company_id.mediation_upload_total_mb", readonly=False
    )
    mediation_limit_filing_client = fields.Integer(
        related="company_id.mediation_limit_filing_client", readonly=False
    )
    mediation_limit_filing_email = fields.Integer(
        related="company_id.mediation_limit_filing_email", readonly=False
    )
    mediation_limit_adhesion_client = fields.Integer(
        related="company_id.mediation_limit_adhesion_client", readonly=False
    )
    mediation_limit_upload_mb = fields.Integer(
        related="company_id.mediation_limit_upload_mb", readonly=False
    )
    mediation_limit_upload_files = fields.Integer(
        related="company_id.mediation_limit_upload_files", readonly=False
    )
    mediation_confirmation_hours = fields.Integer(
        related="company_id.mediation_confirmation_hours", readonly=False
    )
    mediation_archive_months = fields.Integer(
        related="company_id.mediation_archive_months", readonly=False
    )
    mediation_retention_years = fields.Integer(
        related="company_id.mediation_retention_years", readonly=False
    )
    # Read from the server configuration each time the settings open.
    mediation_chain_key_missing = fields.Boolean(
        default=lambda self: not chain_key(), readonly=True
    )
    mediation_first_year_billing = fields.Selection(
        related="company_id.mediation_first_year_billing", readonly=False
    )
    mediation_invoice_auto_post = fields.Boolean(
        related="company_id.mediation_invoice_auto_post", readonly=False
    )
    mediation_invoice_auto_send = fields.Boolean(
        related="company_id.mediation_invoice_auto_send", readonly=False
    )
    mediation_credit_note_policy = fields.Selection(
        related="company_id.mediation_credit_note_policy", readonly=False
    )
    mediation_unpaid_days = fields.Integer(
        related="company_id.mediation_unpaid_days", readonly=False
    )
    mediation_unpaid_suspend = fields.Boolean(
        related="company_id.mediation_unpaid_suspend", readonly=False
    )
    mediation_invoicing_user_id = fields.Many2one(
        related="company_id.mediation_invoicing_user_id", readonly=False
    )
    mediation_late_penalty_rate = fields.Char(
        related="company_id.mediation_late_penalty_rate", readonly=False
    )
    # Not kept here: the fee products' taxes say it (see _vat_on_debits).
    mediation_vat_on_debits = fields.Boolean(
        string="VAT on Debits",
        help="Services owe VAT when paid (TVA sur les encaissements). A company "
        "that opted to pay it on debits owes it when invoicing: its membership "
        "and case fees then carry the VAT due on the invoice, and invoices "
        "state the option.",
    )
    mediation_scan_interval_days = fields.Integer(
        related="company_id.mediation_scan_interval_days", readonly=False
    )
    mediation_scan_reminder = fields.Boolean(
        related="company_id.mediation_scan_reminder", readonly=False
    )
    mediation_scan_user_id = fields.Many2one(
        related="company_id.mediation_scan_user_id", readonly=False
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        res["mediation_vat_on_debits"] = self.env["mediation.invoicing"]._vat_on_debits(
            self.env.company
        )
        return res

    def set_values(self):
        res = super().set_values()
        Engine = self.env["mediation.invoicing"]
        company = self.company_id
        if (
            company.chart_template == "fr"
            and Engine._vat_on_debits(company) != self.mediation_vat_on_debits
        ):
            Engine._set_vat_on_debits(company, self.mediation_vat_on_debits)
        return res

    @api.depends("company_id")
    def _compute_mediation_public_url_warning(self):
        for settings in self:
            settings.mediation_public_url_warning = self.env[
                "res.company"
            ]._mediation_public_url_error(settings.company_id.get_base_url())
