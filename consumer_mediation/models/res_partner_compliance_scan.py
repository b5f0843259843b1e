import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import str2bool

from ..tools.mediator_mention import Reading
from ..tools.website_fetcher import FetchError, WebsiteFetcher, user_agent

_logger = logging.getLogger(__name__)

# System parameters of the fetch (technical: only an administrator sets them).
PARAM_PREFIX = "consumer_mediation.scan_"
FETCH_DEFAULTS = {
    "timeout": 10.0,
    "max_kb": 300,
    "max_redirects": 3,
    "host_delay": 1.0,
}


class ResPartner(models.Model):
    # The member's model is split by concern, one file each, on purpose.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Compliance scan of the member's website
    # ------------------------------------------------------------------
    mediation_terms_url = fields.Char(
        string="Terms and Conditions URL",
        groups="consumer_mediation.group_mediation_user",
        help="Page of the member's terms and conditions (CGV). Leave empty to "
        "let the scan find it from the links of the website's home page.",
    )
    mediation_scan_exclusion = fields.Selection(
        [
            ("no_website", "No website"),
            ("shop_only", "Shop only (window notice)"),
            ("other", "Other reason"),
        ],
        string="Excluded From the Scan",
        groups="consumer_mediation.group_mediation_user",
        tracking=True,
    )
    mediation_scan_exclusion_note = fields.Char(
        string="Exclusion Reason",
        groups="consumer_mediation.group_mediation_user",
    )
    mediation_scan_date = fields.Datetime(
        string="Last Website Scan",
        readonly=True,
        copy=False,
        groups="consumer_mediation.group_mediation_user",
    )
    mediation_scan_result = fields.Selection(
        [
            ("compliant", "Compliant"),
            ("missing", "Not compliant"),
            ("failed", "Could not check"),
        ],
        string="Website Scan Result",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="consumer_mediation.group_mediation_user",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("mediation_terms_url")
    def _check_mediation_terms_url(self):
        for partner in self:
            url = partner.mediation_terms_url
            if url and not url.lower().startswith(("http://", "https://")):
                raise ValidationError(
                    self.env._(
                        "The terms and conditions URL must start with http:// or "
                        "https://, e.g. https://www.example.fr/cgv."
                    )
                )

    @api.constrains("mediation_scan_exclusion", "mediation_scan_exclusion_note")
    def _check_mediation_scan_exclusion_note(self):
        for partner in self:
            if (
                partner.mediation_scan_exclusion == "other"
                and not partner.mediation_scan_exclusion_note
            ):
                raise ValidationError(
                    self.env._("Give the reason why this member is not scanned.")
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mediation_scan_website(self):
        """Scan now, from the member's form."""
        self.ensure_one()
        # Checked before anything is fetched on the user's behalf.
        if not self.env.user.has_group("consumer_mediation.group_mediation_user"):
            raise AccessError(self.env._("Only the mediation team scans websites."))
        if not self.website:
            raise UserError(self.env._("This member has no website to scan."))
        fetcher = self._mediation_website_fetcher()
        try:
            self._mediation_scan_website(fetcher)
        finally:
            fetcher.close()
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _mediation_website_fetcher(self):
        params = self.env["ir.config_parameter"].sudo()

        def param(key):
            return float(params.get_param(PARAM_PREFIX + key) or FETCH_DEFAULTS[key])

        company = self.env.company
        return WebsiteFetcher(
            user_agent(
                company._mediation_mediator_display_name(), self._mediation_site_url()
            ),
            timeout=param("timeout"),
            max_bytes=int(param("max_kb") * 1024),
            max_redirects=int(param("max_redirects")),
            host_delay=param("host_delay"),
            allow_private=str2bool(
                params.get_param(PARAM_PREFIX + "allow_private_addresses")
            ),
        )

    @api.model
    def _mediation_site_url(self):
        """The mediator's website: the company's, else this database's
        address (where the filing page is)."""
        return self.env.company.website or self.get_base_url()

    def _mediation_scan_website(self, fetcher):
        """Fetch the home page and the terms and conditions, record what they
        show in the compliance checklist, then follow up. A failure of any
        kind is recorded as the member's result: it never stops a batch.
        Notes and activities are written in the mediation body's language,
        whoever runs the scan (the scheduled action runs as OdooBot)."""
        self.ensure_one()
        partner = self.with_context(
            lang=self.env.company.partner_id.lang or self.env.lang
        )
        now = fields.Datetime.now()
        try:
            with self.env.cr.savepoint():
                checks = partner._mediation_scan_pages(fetcher, now)
                return partner._mediation_scan_record(checks, now)
        except Exception as error:  # pylint: disable=broad-except
            _logger.exception("Website scan of partner %s failed", self.id)
            check = partner._mediation_scan_check_vals(
                "website", self.website, now, "error", note=repr(error)
            )
            return partner._mediation_scan_record([check], now, follow_up=False)

    def _mediation_scan_record(self, checks, now, follow_up=True):
        self.env["mediation.compliance.check"].create(checks)
        results = {check["scan_result"] for check in checks}
        if "compliant" in results:
            result = "compliant"
        elif results <= {"incomplete", "missing"}:
            result = "missing"
        else:
            result = "failed"
        self.write({"mediation_scan_date": now, "mediation_scan_result": result})
        if follow_up:
            self._mediation_scan_follow_up(result)
        return result

    def _mediation_scan_pages(self, fetcher, now):
        """Values of the checklist lines: the home page, then the terms and
        conditions page (the one set on the member, else the one linked)."""
        checks = []
        terms_url = self.mediation_terms_url
        home = self._mediation_scan_page(fetcher, self.website, "website", now)
        checks.append(home["vals"])
        if not terms_url and home["reading"]:
            terms_url = home["reading"].terms_url()
        if terms_url and terms_url not in (self.website, home["vals"]["evidence_url"]):
            checks.append(
                self._mediation_scan_page(fetcher, terms_url, "cgv", now)["vals"]
            )
        elif home["reading"] and not terms_url:
            home["vals"]["note"] = "; ".join(
                [
                    home["vals"]["note"],
                    self.env._("no link to terms and conditions found"),
                ]
            )
        return checks

    def _mediation_scan_page(self, fetcher, url, channel, now):
        try:
            page = fetcher.fetch(url)
        except FetchError as error:
            return {
                "reading": None,
                "vals": self._mediation_scan_check_vals(
                    channel,
                    error.url,
                    now,
                    error.code,
                    note=error.detail,
                ),
            }
        reading = Reading.of(page.text(), page.url)
        company = self.env.company
        name_found, address_found, excerpt = reading.mention(
            company._mediation_mediator_display_name(),
            [self._mediation_site_url(), self._mediation_filing_url()],
        )
        if name_found and address_found:
            result = "compliant"
        elif page.truncated:
            result = "too_large"
        elif name_found or address_found:
            result = "incomplete"
        else:
            result = "missing"
        notes = [f"HTTP {page.status}, {page.content_type}"]
        if page.redirects:
            notes.append(self.env._("%(count)s redirect(s)", count=page.redirects))
        if page.truncated:
            notes.append(
                self.env._("only the first %(kb)s KB read", kb=len(page.body) // 1024)
            )
        if result == "incomplete":
            notes.append(
                self.env._("mediator's website address not found")
                if name_found
                else self.env._("mediator's name not found")
            )
        return {
            "reading": reading,
            "vals": self._mediation_scan_check_vals(
                channel,
                page.url,
                now,
                result,
                excerpt=excerpt or self.env._("Not found"),
                sha256=page.sha256,
                note="; ".join(notes),
            ),
        }

    def _mediation_scan_check_vals(
        self, channel, url, now, result, excerpt=False, sha256=False, note=False
    ):
        return {
            "partner_id": self.id,
            "company_id": self.env.company.id,
            "channel": channel,
            "source": "scan",
            "date_checked": fields.Date.context_today(self, now),
            "evidence_fetched_at": now,
            "evidence_url": url,
            "scan_result": result,
            "compliant": result == "compliant",
            "evidence_excerpt": excerpt,
            "evidence_sha256": sha256,
            "note": note or False,
            "user_id": False,
        }

    def _mediation_scan_follow_up(self, result):
        """A member not compliant, or whose pages could not be read, gets one
        open activity for the mediation team (none added while one is open);
        a compliant one has it marked done. The reminder e-mail goes to the
        members whose pages were read without the mention, if the setting
        says so."""
        activity_type = "consumer_mediation.mail_activity_type_compliance"
        if result == "compliant":
            self.activity_feedback([activity_type])
            return
        company = self.env.company
        open_activity = self.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(activity_type)
        )
        if not open_activity:
            self.activity_schedule(
                activity_type,
                summary=self.env._("Mediator's details not shown on the website")
                if result == "missing"
                else self.env._("Website could not be checked: check it by hand"),
                user_id=(company.mediation_scan_user_id or self.env.user).id,
            )
        if result == "missing" and company.mediation_scan_reminder and self.email:
            self.env.ref(
                "consumer_mediation.mail_template_mediation_compliance_reminder"
            ).send_mail(self.id, email_layout_xmlid="mail.mail_notification_light")
            self.message_post(
                body=self.env._(
                    "Reminder of the mediator's details sent to %(email)s.",
                    email=self.email,
                )
            )

    @api.model
    def _mediation_scan_due_domain(self):
        company = self.env.company
        due_before = fields.Datetime.now() - timedelta(
            days=company.mediation_scan_interval_days
        )
        return [
            *self._mediation_covered_domain(fields.Date.context_today(self)),
            ("website", "!=", False),
            ("mediation_scan_exclusion", "=", False),
            "|",
            ("mediation_scan_date", "=", False),
            ("mediation_scan_date", "<", due_before),
        ]

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_mediation_scan_websites(self, batch_size=20):
        """Scan the covered members' websites not scanned for
        ``mediation_scan_interval_days``, never-scanned first. One batch per
        call; the cron runner commits and calls again while members remain."""
        domain = self._mediation_scan_due_domain()
        partners = self.search(
            domain, limit=batch_size, order="mediation_scan_date asc nulls first, id"
        )
        fetcher = self._mediation_website_fetcher()
        try:
            for partner in partners:
                partner._mediation_scan_website(fetcher)
        finally:
            fetcher.close()
        remaining = self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        return remaining
