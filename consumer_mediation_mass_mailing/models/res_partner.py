from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Members' mailing list
    # ------------------------------------------------------------------
    mediation_mailing_sync_date = fields.Date(
        string="Members' List Synced On",
        readonly=True,
        copy=False,
        help="Last day the scheduled action checked this company's contacts "
        "against the members' mailing list.",
    )

    mediation_newsletter_sent_on = fields.Datetime(
        string="Last Newsletter Sent On",
        compute="_compute_mediation_newsletter_sent_on",
        groups="consumer_mediation.group_mediation_user",
        help="Last mass mailing delivered to the company's address or its managers.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_mediation_newsletter_sent_on(self):
        recipients = {
            partner: set(
                partner._mediation_mailing_recipients().mapped("email_normalized")
            )
            for partner in self
        }
        emails = set().union(*recipients.values()) if recipients else set()
        # A date only: the mediation groups do not read the mailing traces.
        groups = (
            self.env["mailing.trace"]
            .sudo()
            ._read_group(
                [
                    ("email", "in", list(emails)),
                    ("trace_status", "in", ("pending", "sent", "open", "reply")),
                ],
                ["email"],
                ["sent_datetime:max"],
            )
            if emails
            else []
        )
        last_by_email = dict(groups)
        for partner in self:
            dates = [
                last_by_email[email]
                for email in recipients[partner]
                if last_by_email.get(email)
            ]
            partner.mediation_newsletter_sent_on = max(dates, default=False)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _mediation_mailing_recipients(self):
        """Who receives the members' news for these companies: the company's
        own address and the managers on its Mediation tab, those with an
        e-mail. Other contacts (invoicing, delivery, staff) do not."""
        companies = self.commercial_partner_id
        return (companies | companies.mediation_manager_ids).filtered(
            "email_normalized"
        )

    def _mediation_sync_mailing_list(self):
        """Subscribe the recipients of the companies in ``self`` covered
        today, take off those of the others unless a company covered today
        has the same address."""
        mailing_list = self.env["mailing.list"]._mediation_members_list()
        if not mailing_list or not self:
            return
        # The list follows the contracts whoever changed them: the mediation
        # groups neither manage mailing lists nor read every contract.
        mailing_list = mailing_list.sudo()
        companies = self.sudo().commercial_partner_id
        today = fields.Date.context_today(self)
        covered = companies.filtered(lambda c: c._mediation_coverage(today))
        wanted = covered._mediation_mailing_recipients()
        gone = set(
            (companies - covered)
            ._mediation_mailing_recipients()
            .mapped("email_normalized")
        ) - set(wanted.mapped("email_normalized"))
        mailing_list._mediation_subscribe(wanted)
        mailing_list._mediation_unsubscribe(gone - self._mediation_mailing_wanted(gone))

    @api.model
    def _mediation_mailing_wanted(self, emails):
        """The addresses among ``emails`` that a company covered today has
        among its recipients."""
        if not emails:
            return set()
        partners = self.sudo().search([("email_normalized", "in", list(emails))])
        companies = partners.commercial_partner_id | self.sudo().search(
            [("mediation_manager_ids", "in", partners.ids)]
        )
        today = fields.Date.context_today(self)
        covered = companies.filtered(lambda c: c._mediation_coverage(today))
        return set(emails) & set(
            covered._mediation_mailing_recipients().mapped("email_normalized")
        )

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_mediation_sync_mailing_list(self, batch_size=200):
        """Catch what no write sees: a start, a leave or an end date reached
        today, a changed address or manager. One batch of member companies
        per call; once all are done, addresses no covered company has any
        more leave the list."""
        today = fields.Date.context_today(self)
        contracts = (
            self.env["contract.contract"]
            .with_context(active_test=False)
            .search([("mediation_kind", "=", "individual")])
        )
        members = (
            self.env["mediation.convention.member"]
            .with_context(active_test=False)
            .search([])
        )
        domain = [
            (
                "id",
                "in",
                (contracts.partner_id.commercial_partner_id | members.partner_id).ids,
            ),
            "|",
            ("mediation_mailing_sync_date", "=", False),
            ("mediation_mailing_sync_date", "<", today),
        ]
        companies = self.with_context(active_test=False).search(
            domain, limit=batch_size, order="id"
        )
        companies._mediation_sync_mailing_list()
        companies.write({"mediation_mailing_sync_date": today})
        remaining = self.with_context(active_test=False).search_count(domain)
        if not remaining:
            self._mediation_mailing_drop_stale()
        self.env["ir.cron"]._notify_progress(done=len(companies), remaining=remaining)
        return remaining

    @api.model
    def _mediation_mailing_drop_stale(self):
        mailing_list = self.env["mailing.list"]._mediation_members_list().sudo()
        if not mailing_list:
            return
        subscriptions = (
            self.env["mailing.subscription"]
            .sudo()
            .search([("list_id", "=", mailing_list.id), ("opt_out", "=", False)])
        )
        emails = set(subscriptions.contact_id.mapped("email_normalized")) - {False}
        mailing_list._mediation_unsubscribe(
            emails - self._mediation_mailing_wanted(emails)
        )
