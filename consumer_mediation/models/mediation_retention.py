import logging
from ast import literal_eval

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .mediation_case import FINAL_STATES, OPEN_STATES

_logger = logging.getLogger(__name__)

# Free texts of a case: cleared. Everything else on the case (dates, grounds,
# outcomes, subject, sector, amount, professional, mediator) is statistics.
CASE_FREE_TEXTS = (
    "description",
    "proposal_text",
    "refusal_note",
    "interruption_note",
    "reopen_reason",
    "conflict_text",
    "documents_request_note",
)
# Identifying fields of a person; the country stays (cross-border statistics).
PARTNER_IDENTITY = (
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "website",
    "vat",
    "ref",
    "comment",
    "function",
    "title",
    "image_1920",
    "company_name",
)


class MediationRetention(models.AbstractModel):
    """Retention policy (domain §4.3): after closure a case stays current for
    ``mediation_archive_months``, then archived until court action is
    time-barred (``mediation_retention_years``, C. civ. 2224), then its
    personal data is removed. The single engine for the scheduled action and
    the erasure requests."""

    _name = "mediation.retention"
    _description = "Retention and Anonymisation of Mediation Data"

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------
    @api.model
    def _cron_anonymise_expired(self, batch_size=200):
        """Anonymise one batch of expired cases, each in its own savepoint: a
        case that fails is set aside with the reason and an activity for the
        managers, and the others go on. The cron runner calls again while
        some remain."""
        Case = self.env["mediation.case"].sudo()
        domain = self._expired_cases_domain()
        cases = Case.search(domain, limit=batch_size, order="date_outcome, id")
        for case in cases:
            try:
                with self.env.cr.savepoint():
                    self._anonymise_cases(case)
            except Exception as error:  # noqa: BLE001  # pylint: disable=broad-except
                # Whatever the cause, the case is set aside, never the batch.
                self._set_aside(case, error)
        if cases:
            self._collect_removed_files()
        remaining = Case.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(cases), remaining=remaining)
        return remaining

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _closed_before_domain(self, setting, unit):
        """Finished cases whose outcome is older than each company's
        ``setting`` (in ``unit``: months or years)."""
        today = fields.Date.context_today(self)
        per_company = [
            [
                ("company_id", "=", company.id),
                (
                    "date_outcome",
                    "<",
                    today - relativedelta(**{unit: company[setting]}),
                ),
            ]
            for company in self.env["res.company"].sudo().search([])
        ]
        return expression.AND(
            [[("state", "in", FINAL_STATES)], expression.OR(per_company)]
        )

    @api.model
    def _expired_cases_domain(self):
        return expression.AND(
            [
                self._closed_before_domain("mediation_retention_years", "years"),
                [
                    ("date_anonymised", "=", False),
                    ("legal_hold", "=", False),
                    ("anonymisation_failure", "=", False),
                ],
            ]
        )

    @api.model
    def _set_aside(self, case, error):
        """Record why ``case`` could not be anonymised and ask its managers to
        act; the scheduled action skips it until a manager retries it."""
        _logger.warning("Case %s could not be anonymised: %s", case.name, error)
        case.anonymisation_failure = str(error) or type(error).__name__
        managers = self.env.ref("consumer_mediation.group_mediation_manager").users
        for manager in managers.filtered(lambda u: case.company_id in u.company_ids):
            case.activity_schedule(
                "consumer_mediation.mail_activity_anonymisation_failed",
                user_id=manager.id,
                note=self.env._(
                    "The personal data of this case could not be removed: "
                    "%(reason)s. Fix the cause, then click Retry Anonymisation.",
                    reason=case.anonymisation_failure,
                ),
            )

    @api.model
    def _collect_removed_files(self):
        """Removing an attachment only marks its file for Odoo's collection of
        the filestore, run once a day: removed personal data must leave the
        disk now. The collection needs its own transaction (it commits and
        locks the attachments), so it is triggered to run right after ours."""
        self.env.ref(
            "consumer_mediation.ir_cron_mediation_filestore_gc"
        ).sudo()._trigger()

    @api.model
    def _anonymise_cases(self, cases):
        """Remove the personal data of ``cases`` (finished, not on hold) and
        of the persons who have no other case left; keep their statistics."""
        if not cases:
            return
        # Superuser mode: the free text of the documents requested and the
        # reasons of the extensions are written by the actions only.
        cases = cases.sudo().with_context(tracking_disable=True)
        persons = (cases.consumer_id | cases.representative_ids.partner_id).filtered(
            lambda p: not p.is_company
        )
        cases.extension_ids.write({"reason": self.env._("Anonymised")})
        cases.representative_ids.unlink()
        cases.signature_ids._anonymise()
        cases._write_decision(
            "anonymisation",
            {
                **dict.fromkeys(CASE_FREE_TEXTS, False),
                "clock_reminders": False,
                "access_token": False,
                "anonymisation_failure": False,
                "date_anonymised": fields.Date.context_today(self),
            },
        )
        self._remove_records_data("mediation.case", cases.ids)
        # The confirmed online request of a case holds the filer's e-mail.
        self.env["mediation.web.request"].sudo().search(
            [("case_id", "in", cases.ids)]
        ).unlink()
        self._remove_attachments(cases.complaint_attachment_ids)
        for case in cases:
            case.message_post(
                body=self.env._(
                    "Personal data removed under the retention policy; the "
                    "statistics of the case are kept."
                )
            )
        self._anonymise_partners(persons - self._persons_with_live_cases(persons))

    @api.model
    def _persons_with_live_cases(self, persons):
        live = (
            self.env["mediation.case"]
            .sudo()
            .search(
                [
                    ("date_anonymised", "=", False),
                    "|",
                    ("consumer_id", "in", persons.ids),
                    ("representative_ids.partner_id", "in", persons.ids),
                ]
            )
        )
        return persons & (live.consumer_id | live.representative_ids.partner_id)

    @api.model
    def _anonymise_partners(self, partners):
        """Replace the identity of ``partners`` (persons) and of their child
        contacts and addresses. Anyone with accounting entries (kept 10
        years) or an internal user is left as is."""
        Partner = self.env["res.partner"].sudo()
        persons = partners.sudo().filtered(lambda p: not p.is_company)
        partners = Partner.with_context(active_test=False).search(
            [("id", "child_of", persons.ids)]
        )
        partners = partners.filtered(
            lambda p: not p.user_ids.filtered(lambda u: not u.share)
        )
        partners -= self._partners_with_accounting(partners)
        if not partners:
            return
        users = partners.with_context(active_test=False).user_ids
        # The accounts go first: Odoo refuses to archive a contact whose
        # user is active.
        self._anonymise_users(users)
        # Then the e-mails to the person, including the security notice Odoo
        # sends about the login just changed.
        self._remove_mails_to(partners)
        self.env["mediation.case.signature"].sudo().search(
            ["|", ("partner_id", "in", partners.ids), ("user_id", "in", users.ids)]
        )._anonymise()
        for partner in partners.with_context(active_test=True, tracking_disable=True):
            partner.write(
                {
                    **dict.fromkeys(PARTNER_IDENTITY, False),
                    "name": self.env._("Anonymised Person #%(id)s", id=partner.id),
                    "active": False,
                }
            )
        partners.bank_ids.unlink()
        self.env["mail.followers"].sudo().search(
            [("partner_id", "in", partners.ids)]
        ).unlink()
        self._remove_records_data("res.partner", partners.ids)
        self._remove_records_data("res.users", users.ids)

    @api.model
    def _anonymise_users(self, users):
        """Deactivate the portal accounts and strip them of login, name,
        e-mail, password, signature, API keys and sessions. Their id stays:
        the decision log names the account that took each decision."""
        if not users:
            return
        devices = self.env["res.device"].sudo().search([("user_id", "in", users.ids)])
        devices._revoke()
        self.env["res.device.log"].sudo().search(
            [("user_id", "in", users.ids)]
        ).unlink()
        users.api_key_ids._remove()
        for user in users:
            user.write(
                {"login": f"anonymised-{user.id}", "signature": False, "active": False}
            )
        # The password field's inverse always stores a hash; no hash at all
        # is left instead.
        self.env.cr.execute(
            "UPDATE res_users SET password = NULL WHERE id IN %s", (tuple(users.ids),)
        )
        users.invalidate_recordset(["password"])

    @api.model
    def _partners_with_accounting(self, partners):
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search([("partner_id", "in", partners.ids)])
        )
        return partners & lines.partner_id

    @api.model
    def _remove_records_data(self, model, ids):
        """Messages (with their tracking values), attachments, activities and
        followers of the records."""
        domain = [("model", "=", model), ("res_id", "in", ids)]
        self._remove_messages(self.env["mail.message"].sudo().search(domain))
        self._remove_attachments(
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", model), ("res_id", "in", ids)])
        )
        # Letter composers are transient but hold the letters' text until
        # Odoo vacuums them.
        self.env["mail.compose.message"].sudo().search(
            [("model", "=", model)]
        ).filtered(lambda c: set(literal_eval(c.res_ids or "[]")) & set(ids)).unlink()
        self.env["mail.activity"].sudo().search(
            [("res_model", "=", model), ("res_id", "in", ids)]
        ).unlink()
        self.env["mail.followers"].sudo().search(
            [("res_model", "=", model), ("res_id", "in", ids)]
        ).unlink()

    @api.model
    def _remove_mails_to(self, partners):
        """E-mails addressed to ``partners`` (their account invitations
        among them), sent or not."""
        emails = [p.email_normalized for p in partners if p.email_normalized]
        domain = expression.OR(
            [[("recipient_ids", "in", partners.ids)]]
            + [[("email_to", "ilike", email)] for email in emails]
        )
        mails = self.env["mail.mail"].sudo().search(domain)
        self._remove_messages(mails.mail_message_id)

    @api.model
    def _remove_messages(self, messages):
        """Messages with their attachments (and, by cascade, their tracking
        values, e-mails and notifications)."""
        attachments = messages.attachment_ids
        messages.unlink()
        self._remove_attachments(attachments)

    @api.model
    def _remove_attachments(self, attachments):
        """The cases' letters and documents are proof and evidence that no
        user may delete (ir_attachment.py): this job removes them, as the
        superuser, once it decided they are past their retention."""
        attachments.with_user(SUPERUSER_ID).unlink()

    @api.model
    def _erase_person(self, partner):
        """Erasure request (GDPR art. 17): the person's cases as consumer are
        anonymised, their representations removed, then the person."""
        if not self.env.user.has_group("consumer_mediation.group_mediation_manager"):
            raise UserError(
                self.env._("Only a mediation manager can process an erasure request.")
            )
        blockers = self._erasure_blockers(partner)
        if blockers:
            raise UserError(
                self.env._(
                    "The data of %(person)s cannot be erased:\n%(reasons)s",
                    person=partner.display_name,
                    reasons="\n".join(f"- {reason}" for reason in blockers),
                )
            )
        # Before the e-mail is anonymised: it is what finds them.
        self._erase_pending_requests(partner)
        cases = self._person_cases(partner)
        own = cases.filtered(lambda c: c.consumer_id == partner)
        self._anonymise_cases(own)
        represented = cases - own
        represented.representative_ids.filtered(
            lambda r: r.partner_id == partner
        ).unlink()
        self._remove_messages(
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "mediation.case"),
                    ("res_id", "in", represented.ids),
                    ("author_id", "=", partner.id),
                ]
            )
        )
        represented.message_unsubscribe(partner_ids=partner.ids)
        # A party to a case of another mediation body keeps their identity there.
        self._anonymise_partners(partner - self._persons_with_live_cases(partner))
        self._collect_removed_files()

    @api.model
    def _erase_pending_requests(self, partner):
        """Delete the online requests sent from the person's e-mail and never
        confirmed (with their documents): they hold what the person typed,
        and their link would still file it."""
        email = partner.sudo().email_normalized
        if email:
            self.env["mediation.web.request"].sudo().search(
                [("state", "=", "pending"), ("email", "=", email)]
            ).unlink()

    @api.model
    def _person_cases(self, partner):
        """The person's cases in the mediation bodies of the current user."""
        return (
            self.env["mediation.case"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.env.companies.ids),
                    ("date_anonymised", "=", False),
                    "|",
                    ("consumer_id", "=", partner.id),
                    ("representative_ids.partner_id", "=", partner.id),
                ]
            )
        )

    @api.model
    def _erasure_blockers(self, partner):
        """Why the person's data must be kept, as user-facing sentences."""
        partner = partner.sudo()
        if partner.is_company:
            return [
                self.env._(
                    "a company is a professional party: its data is not personal "
                    "data and is kept."
                )
            ]
        blockers = []
        if partner.user_ids.filtered(lambda u: not u.share):
            blockers.append(self.env._("the person is an internal user."))
        if self._partners_with_accounting(partner):
            blockers.append(
                self.env._(
                    "the person has accounting entries, kept 10 years (accounting "
                    "retention)."
                )
            )
        cases = self._person_cases(partner)
        open_cases = cases.filtered(lambda c: c.state in OPEN_STATES)
        if open_cases:
            blockers.append(
                self.env._(
                    "cases still open: %(cases)s.",
                    cases=", ".join(open_cases.mapped("name")),
                )
            )
        for case in cases.filtered("legal_hold"):
            blockers.append(
                self.env._(
                    "%(case)s is under legal hold: %(reason)s",
                    case=case.name,
                    reason=case.legal_hold_reason,
                )
            )
        return blockers
