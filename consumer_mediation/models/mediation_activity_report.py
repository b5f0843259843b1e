from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .mediation_case import MEDIATION_DAYS

# Which cases a period counts (kept identical in the workbook, the PDF and
# the tests):
# - "received": date_received within the period (item 1, subjects, sectors,
#   monthly receipts);
# - "concluded": an outcome dated within the period, whatever the receipt
#   date (items 3 to 6 and 8, durations, deadline compliance).
# A case received in the period and still open is received, not concluded; a
# case received the year before and closed in the period is concluded only.
CASE_CHUNK = 5000


class MediationActivityReport(models.Model):
    """Annual activity report (L613-1, R614-2): the period and the free
    texts are kept per report; the figures are computed from the cases."""

    _name = "mediation.activity.report"
    _description = "Mediation Activity Report"
    _order = "date_from desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Period
    # ------------------------------------------------------------------
    name = fields.Char(required=True, default=lambda s: s._default_name())
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda s: date(fields.Date.context_today(s).year - 1, 1, 1),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda s: date(fields.Date.context_today(s).year - 1, 12, 31),
    )
    mediator_ids = fields.Many2many(
        "res.users",
        string="Mediators",
        domain=lambda s: [
            ("groups_id", "in", s.env.ref("consumer_mediation.group_mediation_user").id)
        ],
        help="Restrict the report to the cases of these mediators; empty for all.",
    )

    # ------------------------------------------------------------------
    # Free texts (R614-2 2°, 7°, 8°; Directive 2013/11/EU art. 19(3))
    # ------------------------------------------------------------------
    recommendations = fields.Text(
        help="Recommendations to avoid the issues met most often (R614-2 2°)."
    )
    networks_text = fields.Text(
        string="Cooperation in Networks",
        help="Cooperation within networks of mediators for cross-border "
        "disputes (R614-2 7°).",
    )
    include_item8 = fields.Boolean(
        string="Include Item 8",
        help="Only for a mediator paid by a single professional (R614-2 8°).",
    )
    item8_text = fields.Text(
        string="Item 8 Comments",
        help="Share of solutions in favour of the consumer or of the professional.",
    )
    training_text = fields.Text(string="Training Given")
    self_assessment_text = fields.Text(string="Self-Assessment")

    # ------------------------------------------------------------------
    # Publication
    # ------------------------------------------------------------------
    is_published = fields.Boolean(string="Published", readonly=True, copy=False)
    date_published = fields.Date(string="Published On", readonly=True, copy=False)
    attachment_id = fields.Many2one(
        "ir.attachment", string="Published Document", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    _sql_constraints = [
        (
            "period_ordered",
            "CHECK(date_to >= date_from)",
            "The period must end after it starts.",
        ),
    ]

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------
    @api.model
    def _default_name(self):
        year = fields.Date.context_today(self).year - 1
        return self.env._("Activity Report %(year)s", year=year)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_download_xlsx(self):
        self.ensure_one()
        return self.env.ref(
            "consumer_mediation.action_report_activity_xlsx"
        ).report_action(self, config=False)

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref(
            "consumer_mediation.action_report_activity_pdf"
        ).report_action(self, config=False)

    def action_publish(self):
        """Render the PDF once and keep it: the public page serves that
        document, so later changes to the cases do not alter a published
        report."""
        report = self.env["ir.actions.report"]
        for activity in self:
            content, kind = report._render_qweb_pdf(
                "consumer_mediation.action_report_activity_pdf", activity.ids
            )
            old = activity.attachment_id
            activity.attachment_id = self.env["ir.attachment"].create(
                {
                    "name": f"{activity.name}.{kind}",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": activity.id,
                    "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                }
            )
            old.unlink()
        self.write(
            {"is_published": True, "date_published": fields.Date.context_today(self)}
        )
        return True

    def action_unpublish(self):
        for activity in self:
            if not activity.is_published:
                raise UserError(
                    self.env._(
                        "%(report)s is not published.", report=activity.display_name
                    )
                )
        self.write({"is_published": False})
        return True

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def _scope(self, alias="c"):
        """Company and mediators of the report, as a WHERE condition."""
        self.ensure_one()
        condition = SQL("%s.company_id = %s", SQL.identifier(alias), self.company_id.id)
        if self.mediator_ids:
            condition = SQL(
                "%s AND %s.mediator_id IN %s",
                condition,
                SQL.identifier(alias),
                tuple(self.mediator_ids.ids),
            )
        return condition

    def _received(self, alias="c"):
        return SQL(
            "%s AND %s.date_received BETWEEN %s AND %s",
            self._scope(alias),
            SQL.identifier(alias),
            self.date_from,
            self.date_to,
        )

    def _concluded(self, alias="c"):
        return SQL(
            "%s AND %s.outcome_id IS NOT NULL AND %s.date_outcome BETWEEN %s AND %s",
            self._scope(alias),
            SQL.identifier(alias),
            SQL.identifier(alias),
            self.date_from,
            self.date_to,
        )

    def _name_sql(self, alias):
        """The translated name of a configuration record in the user's lang."""
        return SQL(
            "COALESCE(%s.name->>%s, %s.name->>'en_US')",
            SQL.identifier(alias),
            self.env.lang or "en_US",
            SQL.identifier(alias),
        )

    def _fetch(self, query):
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    def _compute_figures(self):
        """Every figure of the report, in one dict; shares are fractions."""
        self.ensure_one()
        self.env["mediation.case"].flush_model()
        self.env["mediation.case.extension"].flush_model()
        received = self._fetch(
            SQL("SELECT COUNT(*) FROM mediation_case c WHERE %s", self._received())
        )[0][0]
        by_subject = self._fetch(
            SQL(
                """SELECT COALESCE(%s, ''), COUNT(*) FROM mediation_case c
                   LEFT JOIN mediation_case_subject s ON s.id = c.subject_id
                   WHERE %s GROUP BY 1 ORDER BY 2 DESC, 1""",
                self._name_sql("s"),
                self._received(),
            )
        )
        by_sector = self._fetch(
            SQL(
                """SELECT COALESCE(%s, ''), COUNT(*) FROM mediation_case c
                   LEFT JOIN res_partner_industry i ON i.id = c.industry_id
                   WHERE %s GROUP BY 1 ORDER BY 2 DESC, 1""",
                self._name_sql("i"),
                self._received(),
            )
        )
        (
            concluded,
            refused,
            interrupted,
            completed,
            days_receipt,
            days_saisine,
            solutions,
            executed,
            not_executed,
        ) = self._fetch(
            SQL(
                """SELECT COUNT(*),
                    COUNT(*) FILTER (WHERE o.kind = 'refused'),
                    COUNT(*) FILTER (WHERE o.kind = 'interrupted'),
                    COUNT(*) FILTER (WHERE o.kind = 'completed'),
                    AVG(c.date_outcome - c.date_received),
                    AVG(c.date_outcome - c.date_saisine_notified),
                    COUNT(*) FILTER (WHERE o.has_solution),
                    COUNT(*) FILTER (WHERE o.has_solution AND c.execution = 'done'),
                    COUNT(*) FILTER (WHERE o.has_solution
                                     AND c.execution = 'not_done')
                   FROM mediation_case c
                   JOIN mediation_outcome o ON o.id = c.outcome_id
                   WHERE %s""",
                self._concluded(),
            )
        )[0]
        by_ground = self._fetch(
            SQL(
                """SELECT COALESCE(%s, ''), COUNT(*) FROM mediation_case c
                   JOIN mediation_outcome o ON o.id = c.outcome_id
                   LEFT JOIN mediation_refusal_ground g ON g.id = c.refusal_ground_id
                   WHERE %s AND o.kind = 'refused' GROUP BY 1 ORDER BY 2 DESC, 1""",
                self._name_sql("g"),
                self._concluded(),
            )
        )
        by_outcome = self._fetch(
            SQL(
                """SELECT o.kind, %s, COUNT(*) FROM mediation_case c
                   JOIN mediation_outcome o ON o.id = c.outcome_id
                   WHERE %s GROUP BY o.kind, o.sequence, 2 ORDER BY o.sequence""",
                self._name_sql("o"),
                self._concluded(),
            )
        )
        mediations = interrupted + completed
        known = executed + not_executed
        return {
            "received": received,
            "by_subject": by_subject,
            "by_sector": by_sector,
            "concluded": concluded,
            "refused": refused,
            "refused_share": self._share(refused, concluded),
            "by_ground": [(n, c, self._share(c, refused)) for n, c in by_ground],
            "mediations": mediations,
            "interrupted": interrupted,
            "interrupted_share": self._share(interrupted, mediations),
            "by_cause": [
                (n, c, self._share(c, interrupted))
                for kind, n, c in by_outcome
                if kind == "interrupted"
            ],
            "completed": completed,
            "completed_share": self._share(completed, mediations),
            "by_completion": [
                (n, c, self._share(c, mediations))
                for kind, n, c in by_outcome
                if kind == "completed"
            ],
            "days_receipt": float(days_receipt) if days_receipt is not None else None,
            "days_saisine": float(days_saisine) if days_saisine is not None else None,
            "solutions": solutions,
            "executed": executed,
            "execution_known": known,
            "executed_share": self._share(executed, known),
            "amicable_share": self._share(solutions, mediations),
            "monthly": self._monthly(),
            "compliance": self._compliance(),
        }

    @api.model
    def _share(self, part, whole):
        return part / whole if whole else None

    def _monthly(self):
        """[(first day of month, received, concluded, refused)] for each month
        of the period."""
        received = dict(
            self._fetch(
                SQL(
                    """SELECT date_trunc('month', c.date_received)::date, COUNT(*)
                       FROM mediation_case c WHERE %s GROUP BY 1""",
                    self._received(),
                )
            )
        )
        concluded = {
            month: (total, refused)
            for month, total, refused in self._fetch(
                SQL(
                    """SELECT date_trunc('month', c.date_outcome)::date, COUNT(*),
                              COUNT(*) FILTER (WHERE c.outcome_kind = 'refused')
                       FROM mediation_case c WHERE %s GROUP BY 1""",
                    self._concluded(),
                )
            )
        }
        months = []
        month = self.date_from.replace(day=1)
        while month <= self.date_to:
            total, refused = concluded.get(month, (0, 0))
            months.append((month, received.get(month, 0), total, refused))
            month += relativedelta(months=1)
        return months

    def _compliance(self):
        """Deadline compliance of the concluded cases, per mediator and in
        total: [(mediator, refusals, notified in time, mediations, ended in
        90 days, ended in the extended deadline)]."""
        rows = self._fetch(
            SQL(
                """SELECT COALESCE(p.name, ''),
                    COUNT(*) FILTER (WHERE c.outcome_kind = 'refused'),
                    COUNT(*) FILTER (WHERE c.outcome_kind = 'refused'
                        AND c.date_admissibility_notified <= c.date_refusal_due),
                    COUNT(*) FILTER (WHERE c.date_saisine_notified IS NOT NULL),
                    COUNT(*) FILTER (WHERE c.date_saisine_notified IS NOT NULL
                        AND c.date_outcome <= c.date_saisine_notified + %s),
                    COUNT(*) FILTER (WHERE c.date_saisine_notified IS NOT NULL
                        AND c.date_outcome > c.date_saisine_notified + %s
                        AND c.date_outcome <= c.date_mediation_due)
                   FROM mediation_case c
                   LEFT JOIN res_users u ON u.id = c.mediator_id
                   LEFT JOIN res_partner p ON p.id = u.partner_id
                   WHERE %s GROUP BY 1 ORDER BY 1""",
                MEDIATION_DAYS,
                MEDIATION_DAYS,
                self._concluded(),
            )
        )
        total = tuple(sum(row[i] for row in rows) for i in range(1, 6))
        return {"rows": rows, "total": total}

    def _iter_cases(self):
        """The CECMC per-case rows of the cases received or concluded in the
        period, fetched by chunks (keyset on the id) so that a large year
        never sits in memory at once."""
        self.ensure_one()
        self.env["mediation.case"].flush_model()
        self.env["mediation.case.extension"].flush_model()
        last_id = 0
        while True:
            rows = self._fetch(
                SQL(
                    """SELECT c.id, c.name, COALESCE(p.name, ''), c.date_received,
                        c.date_saisine_notified, c.date_admissibility_notified,
                        COALESCE(%s, ''), e.date_notified,
                        c.date_proposal_notified, COALESCE(%s, ''), c.date_outcome
                       FROM mediation_case c
                       LEFT JOIN res_users u ON u.id = c.mediator_id
                       LEFT JOIN res_partner p ON p.id = u.partner_id
                       LEFT JOIN mediation_refusal_ground g
                            ON g.id = c.refusal_ground_id
                       LEFT JOIN mediation_outcome o ON o.id = c.outcome_id
                       LEFT JOIN LATERAL (
                            SELECT MAX(date_notified) AS date_notified
                            FROM mediation_case_extension WHERE case_id = c.id
                       ) e ON TRUE
                       WHERE c.id > %s AND ((%s) OR (%s))
                       ORDER BY c.id LIMIT %s""",
                    self._name_sql("g"),
                    self._name_sql("o"),
                    last_id,
                    self._received(),
                    self._concluded(),
                    CASE_CHUNK,
                )
            )
            if not rows:
                return
            for row in rows:
                yield row[1:]
            last_id = rows[-1][0]
