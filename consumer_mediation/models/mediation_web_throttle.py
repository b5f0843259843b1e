import math
from datetime import timedelta

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models, sql_db
from odoo.tools import SQL, email_normalize
from odoo.tools.misc import hmac
from odoo.tools.sql import create_index

HOUR = 3600
DAY = 24 * HOUR
MEGABYTE = 1024 * 1024


class MediationWebThrottle(models.Model):
    """One POST of an anonymous (or portal) visitor on a public form: the
    log the limits of the company are counted on. Kept in the database, not
    in a worker's memory, so that the limits hold across workers. Visitors
    are known only by keyed hashes (HMAC with the database secret) of their
    IP address or user, their e-mail and their form."""

    _name = "mediation.web.throttle"
    _description = "Public Form Submission Log"
    _order = "create_date desc, id desc"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    scope = fields.Selection(
        [("filing", "Online filing"), ("adhesion", "Membership request")],
        required=True,
        readonly=True,
    )
    client_key = fields.Char(required=True, readonly=True)
    email_key = fields.Char(readonly=True)
    submission_key = fields.Char(
        readonly=True,
        help="The form sent: sending it again after a mistake is not a new filing.",
    )
    size = fields.Integer(string="Uploaded Bytes", readonly=True)
    file_count = fields.Integer(string="Uploaded Files", readonly=True)

    def init(self):
        for column in ("client_key", "email_key", None):
            create_index(
                self.env.cr,
                f"mediation_web_throttle_{column or 'create_date'}_idx",
                self._table,
                [column, "create_date"] if column else ["create_date"],
            )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _check_and_record(
        self, scope, client, email=None, submission=None, size=0, files=0
    ):
        """Count one POST of ``scope`` by ``client`` (an IP address or a
        user) against the limits of the current company. Returns 0 when it is
        allowed (and then recorded), else the seconds to wait before the
        oldest hit in the way leaves its window (and nothing is recorded).

        Filings are counted by form (``submission``, the form's token): the
        same form sent again after a mistake is one filing. Membership
        requests have no such token: every POST counts. Uploads are counted
        in bytes and files, whatever the form."""
        company = self.env.company
        client_key = self._hash("client", client)
        email = email_normalize(email or "")
        email_key = self._hash("email", email) if email else None
        submission_key = self._hash("submission", submission) if submission else None
        per_hour = (
            company.mediation_limit_filing_client
            if scope == "filing"
            else company.mediation_limit_adhesion_client
        )
        checks = [("client_key", scope, "count", HOUR, per_hour)]
        if scope == "filing":
            per_day = company.mediation_limit_filing_email
            checks.append(("email_key", scope, "count", DAY, per_day))
        if files:
            # Uploads, whatever the form.
            upload_bytes = company.mediation_limit_upload_mb * MEGABYTE
            upload_files = company.mediation_limit_upload_files
            checks += [
                ("client_key", None, "size", DAY, upload_bytes),
                ("client_key", None, "file_count", DAY, upload_files),
            ]
        keys = {"client_key": client_key, "email_key": email_key}
        incoming = {"count": 1, "size": size, "file_count": files}
        with self.env.registry.cursor() as cr:
            throttle = self._on_cursor(cr)
            for key in sorted(filter(None, keys.values())):
                # One client's (or e-mail's) requests wait for each other.
                cr.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])
            now = fields.Datetime.now()
            wait = max(
                (
                    throttle._wait(
                        now,
                        field,
                        keys[field],
                        limit_scope,
                        measure,
                        window,
                        limit,
                        incoming[measure],
                        submission_key,
                    )
                    for field, limit_scope, measure, window, limit in checks
                    if keys[field] and limit > 0
                ),
                default=0,
            )
            if not wait:
                throttle.create(
                    {
                        "scope": scope,
                        "client_key": client_key,
                        "email_key": email_key,
                        "submission_key": submission_key,
                        "size": size,
                        "file_count": files,
                    }
                )
        return wait

    @api.model
    def _on_cursor(self, cr):
        """This model on ``cr``, its own transaction, reading what the other
        workers committed: each statement sees the rows committed before it
        (READ COMMITTED), so that a request that waited for another one's
        lock counts that one's hit. (A test's shared cursor cannot change its
        isolation.)"""
        if isinstance(cr, sql_db.Cursor):
            cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
        return self.with_env(self.env(cr=cr, su=True))

    def _wait(self, now, field, key, scope, measure, window, limit, incoming, sub):
        """Seconds until ``incoming`` fits under ``limit`` of ``measure`` over
        the hits of ``key`` in the last ``window`` seconds (0: it fits).
        Hits of one form are one group, which leaves when its last hit does."""
        self.env.cr.execute(
            SQL(
                """SELECT submission_key, max(create_date), sum(size), sum(file_count)
                     FROM mediation_web_throttle
                    WHERE %s = %s AND create_date > %s %s
                 GROUP BY coalesce(submission_key, id::varchar), submission_key
                 ORDER BY 2""",
                SQL.identifier(field),
                key,
                now - timedelta(seconds=window),
                SQL("AND scope = %s", scope) if scope else SQL(),
            )
        )
        groups = self.env.cr.fetchall()
        if measure == "count":
            if sub and any(group[0] == sub for group in groups):
                return 0
            amounts = [1] * len(groups)
        else:
            amounts = [group[2 if measure == "size" else 3] or 0 for group in groups]
        excess = sum(amounts) + incoming - limit
        if excess <= 0:
            return 0
        for (_sub, last, *_sums), amount in zip(groups, amounts, strict=True):
            excess -= amount
            if excess <= 0:
                expiry = last + timedelta(seconds=window) - now
                return min(window, max(1, math.ceil(expiry.total_seconds())))
        # More than the limit on its own: it never fits, say a whole window.
        return window

    @api.model
    def _hash(self, kind, value):
        return hmac(self.env(su=True), f"mediation-throttle-{kind}", value)

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.autovacuum
    def _gc_throttle(self):
        """Hits older than the longest window count for nothing."""
        self.search(
            [("create_date", "<", fields.Datetime.now() - timedelta(seconds=DAY))]
        ).unlink()
