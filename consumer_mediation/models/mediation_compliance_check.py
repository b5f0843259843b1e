from odoo import fields, models

# What the website scan found on one page (res_partner_compliance_scan.py).
SCAN_RESULTS = [
    ("compliant", "Mention found"),
    ("incomplete", "Incomplete mention"),
    ("missing", "Mention not found"),
    ("too_large", "Page too large to check"),
    ("not_html", "Not a web page"),
    ("http_error", "Error page"),
    ("robots_disallowed", "Refused by robots.txt"),
    ("timeout", "Timed out"),
    ("unreachable", "Unreachable"),
    ("refused_address", "Private address refused"),
    ("too_many_redirects", "Too many redirects"),
    ("invalid_url", "Invalid address"),
    ("error", "Scan error"),
]


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
    # ------------------------------------------------------------------
    # Evidence of the website scan
    # ------------------------------------------------------------------
    source = fields.Selection(
        [("manual", "By hand"), ("scan", "Website scan")],
        required=True,
        default="manual",
        readonly=True,
    )
    scan_result = fields.Selection(SCAN_RESULTS, readonly=True)
    evidence_fetched_at = fields.Datetime(string="Fetched On", readonly=True)
    evidence_excerpt = fields.Text(
        string="Excerpt",
        readonly=True,
        help="The page's text around the mediator's details, as fetched.",
    )
    evidence_sha256 = fields.Char(
        string="SHA-256 of the Page",
        readonly=True,
        help="Hash of the bytes read, to show later that the page was this one.",
    )
