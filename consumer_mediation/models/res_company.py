import ipaddress
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Legal clocks (days); the legal ones are fixed by the Code de la
    # consommation, the others are the mediation body's practice.
    # ------------------------------------------------------------------
    mediation_professional_entry_days = fields.Integer(
        string="Professional Entry Deadline (days)",
        default=21,
        help="Days the professional has to agree to enter the mediation "
        "(practice, not fixed by law).",
    )
    mediation_proposal_answer_days = fields.Integer(
        string="Proposal Answer Deadline (days)",
        default=15,
        help="Default deadline the mediator gives the parties to answer a "
        "proposed solution (R612-4).",
    )
    mediation_reminder_days = fields.Integer(
        string="Reminder Before Due Date (days)",
        default=5,
        help="The assigned mediator gets an activity this many days before "
        "each legal deadline.",
    )
    mediation_documents_reminder_days = fields.Integer(
        string="Missing Documents Reminder (days)",
        default=15,
        help="Days after a request for missing documents when the consumer is "
        "reminded, if the file is still incomplete.",
    )
    mediation_documents_close_days = fields.Integer(
        string="Incomplete File Closing (days)",
        default=30,
        help="Days after a request for missing documents when a file still "
        "incomplete is closed.",
    )

    # ------------------------------------------------------------------
    # Retention (domain §4.3: no legal period; court action is time-barred
    # 5 years after the facts, C. civ. 2224)
    # ------------------------------------------------------------------
    mediation_archive_months = fields.Integer(
        string="Current After Closure (months)",
        default=6,
        help="A finished case stays among the current cases this many months "
        "after its outcome, then is archived.",
    )
    mediation_retention_years = fields.Integer(
        string="Anonymisation After Closure (years)",
        default=5,
        help="Years after its outcome when a finished case loses its personal "
        "data; its statistics are kept.",
    )

    # ------------------------------------------------------------------
    # Public information page (R614-1) and online filing
    # ------------------------------------------------------------------
    mediation_cecmc_listing = fields.Char(
        string="CECMC Listing",
        translate=True,
        help="Listing by the CECMC, e.g. its date and the published list.",
    )
    mediation_appointment = fields.Text(
        string="Appointment and Term",
        translate=True,
        help="How the mediators were appointed and the length of their term.",
    )
    mediation_mediators_info = fields.Text(
        string="Mediators",
        translate=True,
        help="Each mediator's name and professional background.",
    )
    mediation_networks = fields.Text(
        string="Networks of Mediators",
        translate=True,
        help="Networks the mediation body belongs to, e.g. for cross-border disputes.",
    )
    mediation_dispute_types = fields.Text(
        string="Types of Dispute Handled", translate=True
    )
    mediation_languages = fields.Char(
        string="Languages of the Mediation",
        translate=True,
        default="Français, English",
    )
    mediation_upload_file_mb = fields.Integer(
        string="Maximum File Size (MB)",
        default=10,
        help="Largest document a party can upload online.",
    )
    mediation_upload_total_mb = fields.Integer(
        string="Maximum Upload per Submission (MB)",
        default=25,
        help="Largest total of the documents sent at once online.",
    )
    mediation_confirmation_hours = fields.Integer(
        string="Confirmation Link Validity (Hours)",
        default=72,
        help="A visitor who is not logged in confirms their e-mail address "
        "before their online request is filed; the link of the confirmation "
        "e-mail is valid this long. Requests not confirmed in time are deleted "
        "with their documents.",
    )

    # ------------------------------------------------------------------
    # Limits of the public forms (mediation.web.throttle); 0: no limit
    # ------------------------------------------------------------------
    mediation_limit_filing_client = fields.Integer(
        string="Online Filings per Visitor per Hour",
        default=5,
        help="Online filings one visitor (IP address, or portal user) may send "
        "in an hour; the same form sent again after a mistake counts once. "
        "0: no limit.",
    )
    mediation_limit_filing_email = fields.Integer(
        string="Online Filings per E-mail per Day",
        default=3,
        help="Online filings for one e-mail address in 24 hours, whoever sends "
        "them. 0: no limit.",
    )
    mediation_limit_adhesion_client = fields.Integer(
        string="Membership Requests per Visitor per Hour",
        default=10,
        help="Membership request forms one visitor may send in an hour, each "
        "sending counted (also those refused for a mistake). 0: no limit.",
    )
    mediation_limit_upload_mb = fields.Integer(
        string="Uploads per Visitor per Day (MB)",
        default=40,
        help="Total size of the documents one visitor may upload with the "
        "online filing form in 24 hours, kept as drafts or filed. 0: no limit.",
    )
    mediation_limit_upload_files = fields.Integer(
        string="Uploaded Files per Visitor per Day",
        default=20,
        help="Number of documents one visitor may upload with the online "
        "filing form in 24 hours. 0: no limit.",
    )

    # ------------------------------------------------------------------
    # Membership terms and the information kit
    # ------------------------------------------------------------------
    mediation_mediator_name = fields.Char(
        string="Mediator Name",
        help="Name of the consumer mediator as professionals must display it "
        "(CGV, website, shop window). Defaults to the company name.",
    )
    mediation_term_years = fields.Integer(
        string="Membership Term (years)",
        default=3,
        help="Length of a membership term, aligned on the mediator's minimum "
        "3-year appointment (L613-1).",
    )
    mediation_tacit_renewal = fields.Boolean(
        string="Tacit Renewal",
        default=True,
        help="Memberships are renewed for a new term unless terminated.",
    )
    mediation_notice_months = fields.Integer(
        string="Notice Period (months)",
        default=3,
        help="Months before the end of a term by which a member must give "
        "notice to leave at that end.",
    )
    mediation_proposal_validity_days = fields.Integer(
        string="Proposal Validity (days)",
        default=30,
        help="Days a membership proposal can be accepted after it is created.",
    )

    # ------------------------------------------------------------------
    # Invoicing of the members
    # ------------------------------------------------------------------
    mediation_first_year_billing = fields.Selection(
        [
            ("full", "Full year from the start date"),
            ("prorata", "Pro rata until 31 December, then by calendar year"),
        ],
        string="First Membership Year",
        default="full",
        required=True,
    )
    mediation_invoice_auto_post = fields.Boolean(
        string="Post Invoices Automatically",
        help="Invoices made by the membership invoicing are posted at once.",
    )
    mediation_invoice_auto_send = fields.Boolean(
        string="Send Invoices Automatically",
        help="Posted membership invoices are e-mailed to the member.",
    )
    mediation_credit_note_policy = fields.Selection(
        [
            ("none", "No credit note"),
            ("prorata", "Credit note (pro rata of the unused membership)"),
        ],
        string="Credit Notes",
        default="prorata",
        required=True,
        help="What cancelling an invoiced case fee or ending a membership "
        "before the end of an invoiced year gives back.",
    )
    mediation_unpaid_days = fields.Integer(
        string="Unpaid After (days)",
        default=30,
        help="Days after its due date an open invoice flags its contract as unpaid.",
    )
    mediation_unpaid_suspend = fields.Boolean(
        string="Suspend Unpaid Memberships",
        help="Flagged contracts are suspended automatically; otherwise accounting "
        "suspends them by hand.",
    )
    mediation_invoicing_user_id = fields.Many2one(
        "res.users",
        string="Invoicing Responsible",
        help="Gets an activity when a contract cannot be invoiced. Defaults to "
        "the user running the invoicing.",
    )

    mediation_late_penalty_rate = fields.Char(
        string="Late-Payment Penalty Rate",
        help="Printed on invoices, credit notes, payment reminders and "
        'membership proposals, e.g. "the ECB rate plus 10 points". Empty: '
        "three times the legal interest rate, the minimum of article L441-10 "
        "of the Commercial Code.",
    )
    # Accounting documents print with the letters' layout (see
    # _mediation_use_document_layout).
    external_report_layout_id = fields.Many2one(
        default=lambda self: self.env.ref(
            "consumer_mediation.external_layout_mediation", raise_if_not_found=False
        )
    )
    paperformat_id = fields.Many2one(
        default=lambda self: (
            self.env.ref(
                "consumer_mediation.paperformat_mediation_letter",
                raise_if_not_found=False,
            )
            or self.env.ref("base.paperformat_euro", raise_if_not_found=False)
        )
    )

    # ------------------------------------------------------------------
    # Member follow-up: scan of the members' websites
    # ------------------------------------------------------------------
    mediation_scan_interval_days = fields.Integer(
        string="Website Scan Interval (days)",
        default=30,
        help="A covered member's website is scanned again this many days after "
        "its last scan.",
    )
    mediation_scan_reminder = fields.Boolean(
        string="Remind Non-Compliant Members",
        help="A member whose website and terms do not show the mediator's "
        "details gets a reminder e-mail with its information kit after each scan.",
    )
    mediation_scan_user_id = fields.Many2one(
        "res.users",
        string="Compliance Follow-up Responsible",
        help="Gets an activity for each member found not compliant or whose "
        "website could not be checked. Defaults to the user running the scan.",
    )

    # ------------------------------------------------------------------
    # Letters
    # ------------------------------------------------------------------
    mediation_letter_window = fields.Selection(
        [("right", "Right window"), ("left", "Left window")],
        string="Envelope Window",
        default="right",
        required=True,
        help="Where the window of the DL or C5 envelopes the letters are posted "
        "in is: the recipient's address is printed behind it.",
    )
    mediation_single_professional = fields.Boolean(
        string="Paid by a Single Professional",
        help="The mediator is employed or paid exclusively by one professional: "
        "the annual report then gives item 8 of R614-2 (share of solutions in "
        "favour of each party, share settled amicably).",
    )

    @api.constrains(
        "mediation_documents_reminder_days", "mediation_documents_close_days"
    )
    def _check_mediation_documents_days(self):
        for company in self:
            if not (
                0
                < company.mediation_documents_reminder_days
                < company.mediation_documents_close_days
            ):
                raise ValidationError(
                    self.env._(
                        "The reminder for missing documents must come after at "
                        "least one day, and before the closing of the incomplete "
                        "file."
                    )
                )

    def _mediation_mediator_display_name(self):
        self.ensure_one()
        return self.mediation_mediator_name or self.name

    def _mediation_postal_address(self):
        self.ensure_one()
        return ", ".join(
            filter(
                None,
                [
                    self.street,
                    self.street2,
                    " ".join(filter(None, [self.zip, self.city])),
                ],
            )
        )

    @api.constrains("mediation_confirmation_hours")
    def _check_mediation_confirmation_hours(self):
        if any(company.mediation_confirmation_hours < 1 for company in self):
            raise ValidationError(
                self.env._("The confirmation link must be valid at least one hour.")
            )

    @api.model
    def _mediation_public_url_error(self, url):
        """Why ``url`` cannot be printed for consumers, or False."""
        parts = urlsplit(url or "")
        host = (parts.hostname or "").lower()
        local = not host or host == "localhost" or host.endswith(".localhost")
        try:
            address = ipaddress.ip_address(host)
            local = local or address.is_private or address.is_loopback
        except ValueError:
            local = local or "." not in host
        if local:
            return self.env._(
                "The public address of the site (%(url)s) is a local address: "
                "consumers cannot reach it. Set the site's public address "
                "before sending the information kit, a letter with a link to the "
                "site or printing QR codes.",
                url=url,
            )
        if parts.scheme != "https":
            return self.env._(
                "The public address of the site (%(url)s) is not encrypted "
                "(https): set an https address before sending the information kit, "
                "a letter with a link to the site or printing QR codes.",
                url=url,
            )
        return False

    def _mediation_siren(self):
        self.ensure_one()
        return self.company_registry or ""

    def _mediation_late_penalty_text(self):
        self.ensure_one()
        return self.mediation_late_penalty_rate or self.env._(
            "three times the legal interest rate"
        )

    @api.model
    def _mediation_use_document_layout(self):
        """Print the documents of the companies still on Odoo's default
        layout with the addon's: everything in the page body, in fonts the
        PDF embeds, so invoices keep their issuer, mentions and text with
        every wkhtmltopdf build (Debian's ignores header and footer HTML)."""
        layout = self.env.ref("consumer_mediation.external_layout_mediation")
        paperformat = self.env.ref("consumer_mediation.paperformat_mediation_letter")
        self.sudo().search([("external_report_layout_id", "=", False)]).write(
            {"external_report_layout_id": layout.id, "paperformat_id": paperformat.id}
        )

    # ------------------------------------------------------------------
    # The managers' settings page
    # ------------------------------------------------------------------
    @api.model
    def _mediation_settings_fields(self):
        """The company fields of the mediation settings: those Odoo's
        Settings show (res_config_settings.py)."""
        return {
            field.related.split(".", 1)[1]
            for field in self.env["res.config.settings"]._fields.values()
            if field.related and field.related.startswith("company_id.mediation_")
        }

    @api.model
    def _action_mediation_settings(self):
        """The mediation settings of the current company, for its managers."""
        if not self.env.user.has_group("consumer_mediation.group_mediation_manager"):
            raise AccessError(
                self.env._("Only the mediation managers change its settings.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mediation Settings"),
            "res_model": self._name,
            "res_id": self.env.company.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "consumer_mediation.res_company_view_form_mediation_settings"
                    ).id,
                    "form",
                )
            ],
            "target": "current",
        }

    def write(self, vals):
        # The managers get write access to the company for the mediation
        # settings only: its name, addresses, currency, etc. stay the
        # administrators' (Access Rights).
        if not (
            self.env.su
            or self.env.user.has_group("base.group_erp_manager")
            or set(vals) <= self._mediation_settings_fields()
        ):
            raise AccessError(
                self.env._("You may change the mediation settings of the company only.")
            )
        return super().write(vals)
