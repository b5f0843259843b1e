from collections import Counter, defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, formatLang

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
    item8_applies = fields.Boolean(
        related="company_id.mediation_single_professional",
        string="Item 8 Applies",
        help="Item 8 of R614-2 is only for a mediator employed or paid by a "
        "single professional (a setting of the company); otherwise the report "
        "states it does not apply.",
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
    # Figures shown before any export
    # ------------------------------------------------------------------
    summary_html = fields.Html(
        string="Key Figures",
        compute="_compute_summary_html",
        sanitize=False,
        help="The figures of the workbook's summary, for the period and "
        "mediators chosen.",
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
    # Computes
    # ------------------------------------------------------------------
    @api.depends("company_id", "date_from", "date_to", "mediator_ids", "item8_applies")
    def _compute_summary_html(self):
        """The summary lines of the workbook (same figures, same labels),
        without its free texts, which the form shows in their fields."""
        workbook = self.env["report.consumer_mediation.activity_report_xlsx"]
        for activity in self:
            if not (
                activity.company_id
                and activity.date_from
                and activity.date_to
                and activity.date_from <= activity.date_to
            ):
                activity.summary_html = False
                continue
            lines = workbook._summary_lines(activity, activity._compute_figures())
            activity.summary_html = activity._summary_table(
                [line for line in lines if line[4] != "text"]
            )

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
            activity._check_publishable()
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

    def _check_publishable(self):
        """R614-2 2° and 7° are texts only the mediator can write."""
        self.ensure_one()
        missing = [
            self._fields[name].get_description(self.env)["string"]
            for name in ("recommendations", "networks_text")
            if not (self[name] or "").strip()
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(report)s cannot be published without: %(fields)s "
                    "(R614-2 2° and 7°).",
                    report=self.display_name,
                    fields=", ".join(missing),
                )
            )

    def _item8_not_applicable(self):
        return self.env._(
            "Not applicable: the mediator is not employed or paid by a single "
            "professional; R614-2 8° concerns only such mediators."
        )

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
        """Every figure of the report, in one dict; shares are fractions.

        One scan of the period's cases: each case counts in the received
        groups (subject, sector, month) and, when concluded, in one fine
        group (outcome, ground, mediator, month) from which the items, the
        monthly series and the deadline sheet are summed."""
        self.ensure_one()
        self.env["mediation.case"].flush_model()
        rows = self._fetch(
            SQL(
                """SELECT GROUPING(c.subject_id, c.industry_id, month_received),
                    c.subject_id, c.industry_id, month_received, c.outcome_id,
                    c.refusal_ground_id, c.mediator_id, month_outcome, COUNT(*),
                    COALESCE(SUM(c.date_outcome - c.date_file_complete), 0),
                    COUNT(c.date_outcome - c.date_file_complete),
                    COALESCE(SUM(c.date_outcome - c.date_saisine_notified), 0),
                    COUNT(c.date_outcome - c.date_saisine_notified),
                    COUNT(*) FILTER (WHERE c.execution = 'done'),
                    COUNT(*) FILTER (WHERE c.execution = 'not_done'),
                    COUNT(*) FILTER (
                        WHERE c.date_admissibility_notified <= c.date_refusal_due),
                    COUNT(c.date_saisine_notified),
                    COUNT(*) FILTER (
                        WHERE c.date_outcome <= c.date_saisine_notified + %(days)s),
                    COUNT(*) FILTER (
                        WHERE c.date_outcome > c.date_saisine_notified + %(days)s
                        AND c.date_outcome <= c.date_mediation_due)
                   FROM mediation_case c,
                    LATERAL (SELECT %(received)s AS is_received,
                                    %(concluded)s AS is_concluded,
                                    date_trunc('month', c.date_received)::date
                                        AS month_received,
                                    date_trunc('month', c.date_outcome)::date
                                        AS month_outcome) k
                   WHERE k.is_received OR k.is_concluded
                   GROUP BY GROUPING SETS (
                    (k.is_received, c.subject_id),
                    (k.is_received, c.industry_id),
                    (k.is_received, month_received),
                    (k.is_concluded, c.outcome_id, c.refusal_ground_id,
                     c.mediator_id, month_outcome))
                   HAVING (GROUPING(c.outcome_id) = 0 AND k.is_concluded)
                    OR (GROUPING(c.outcome_id) = 1 AND k.is_received)""",
                days=MEDIATION_DAYS,
                received=self._received(),
                concluded=self._concluded(),
            )
        )
        by_subject, by_sector, received_monthly = Counter(), Counter(), Counter()
        concluded_rows = []
        for grouping, subject, sector, month, *fine in rows:
            # GROUPING() sets a bit for each of its columns left out.
            if grouping == 0b011:
                by_subject[subject] += fine[4]
            elif grouping == 0b101:
                by_sector[sector] += fine[4]
            elif grouping == 0b110:
                received_monthly[month] += fine[4]
            else:
                concluded_rows.append(fine)
        figures, concluded_monthly = self._concluded_figures(concluded_rows)
        figures.update(
            received=sum(by_subject.values()),
            by_subject=self._named_counts("mediation.case.subject", by_subject),
            by_sector=self._named_counts("res.partner.industry", by_sector),
            monthly=self._monthly(received_monthly, concluded_monthly),
        )
        figures.update(self._decision_figures(figures))
        return figures

    def _concluded_figures(self, rows):
        """Sum the fine groups of the concluded cases into the items 3 to 6
        and 8 and the deadline sheet; also return the monthly conclusions."""
        outcomes = self.env["mediation.outcome"].browse({row[0] for row in rows})
        outcome_of = {outcome.id: outcome for outcome in outcomes}
        totals = Counter()
        by_ground, by_outcome, monthly = Counter(), Counter(), defaultdict(Counter)
        compliance = defaultdict(lambda: [0] * 5)
        for (
            outcome_id,
            ground_id,
            mediator_id,
            month,
            count,
            days_receipt,
            with_receipt,
            days_saisine,
            with_saisine,
            executed,
            not_executed,
            refusal_in_time,
            notified,
            in_90,
            extended,
        ) in rows:
            outcome = outcome_of[outcome_id]
            refused = outcome.kind == "refused"
            totals.update(
                concluded=count,
                days_receipt=days_receipt,
                with_receipt=with_receipt,
                days_saisine=days_saisine,
                with_saisine=with_saisine,
            )
            totals[outcome.kind] += count
            if not refused:
                totals.update(days_mediation=days_receipt, with_mediation=with_receipt)
            if outcome.has_solution:
                totals.update(
                    solutions=count, executed=executed, not_executed=not_executed
                )
            by_outcome[outcome_id] += count
            monthly[month].update(total=count, refused=count if refused else 0)
            if refused:
                by_ground[ground_id] += count
            compliance[mediator_id] = [
                total + value
                for total, value in zip(
                    compliance[mediator_id],
                    (
                        count if refused else 0,
                        refusal_in_time if refused else 0,
                        notified,
                        in_90,
                        extended,
                    ),
                    strict=True,
                )
            ]
        outcomes = outcomes.sorted(lambda o: (o.sequence, o.id))
        names = {
            user.id: user.name
            for user in self.env["res.users"].browse(filter(None, compliance))
        }
        compliance_rows = sorted(
            (names.get(mediator_id, ""), *line)
            for mediator_id, line in compliance.items()
        )
        refused, interrupted = totals["refused"], totals["interrupted"]
        mediations = interrupted + totals["completed"]
        known = totals["executed"] + totals["not_executed"]
        share = self._share
        figures = {
            "concluded": totals["concluded"],
            "refused": refused,
            "refused_share": share(refused, totals["concluded"]),
            "by_ground": [
                (name, count, share(count, refused))
                for name, count in self._named_counts(
                    "mediation.refusal.ground", by_ground
                )
            ],
            "mediations": mediations,
            "interrupted": interrupted,
            "interrupted_share": share(interrupted, mediations),
            "by_cause": [
                (o.name, by_outcome[o.id], share(by_outcome[o.id], interrupted))
                for o in outcomes
                if o.kind == "interrupted"
            ],
            "completed": totals["completed"],
            "completed_share": share(totals["completed"], mediations),
            "by_completion": [
                (o.name, by_outcome[o.id], share(by_outcome[o.id], mediations))
                for o in outcomes
                if o.kind == "completed"
            ],
            # Averages: days summed over the cases that have both dates; the
            # durations run from the complete file (L612-2), a file never
            # completed has none.
            "days_receipt": share(totals["days_receipt"], totals["with_receipt"]),
            "days_mediation": share(totals["days_mediation"], totals["with_mediation"]),
            "days_saisine": share(totals["days_saisine"], totals["with_saisine"]),
            "solutions": totals["solutions"],
            "executed": totals["executed"],
            "execution_known": known,
            "executed_share": share(totals["executed"], known),
            "amicable_share": share(totals["solutions"], mediations),
            "compliance": {
                "rows": compliance_rows,
                "total": tuple(
                    sum(row[i] for row in compliance_rows) for i in range(1, 6)
                ),
            },
        }
        return figures, monthly

    def _summary_table(self, lines):
        """HTML table of summary lines ``(item, label, number, share, kind)``,
        numbers in the user's language."""
        _ = self.env._

        def number(value, kind):
            if value is None:
                return ""
            return formatLang(self.env, value, digits=1 if kind == "days" else 0)

        def share(value):
            return (
                ""
                if value is None
                else formatLang(self.env, value * 100, digits=1) + " %"
            )

        head = Markup("").join(
            Markup("<th%s>%s</th>")
            % (Markup(' class="text-end"') if end else "", label)
            for label, end in (
                (_("Item"), False),
                (_("Indicator"), False),
                (_("Number"), True),
                (_("Share"), True),
            )
        )
        body = Markup("").join(
            Markup(
                '<tr class="%s"><td>%s</td><td>%s</td>'
                '<td class="text-end">%s</td><td class="text-end">%s</td></tr>'
            )
            % (
                "fw-bold" if item else "",
                item,
                label,
                number(value, kind),
                share(ratio),
            )
            for item, label, value, ratio, kind in lines
        )
        return (
            Markup(
                '<table class="table table-sm o_mediation_report_summary">'
                "<thead><tr>%s</tr></thead>"
            )
            % head
            + Markup("<tbody>%s</tbody></table>") % body
        )

    def _decision_figures(self, figures):
        """The other denominators of the refused share (3°) and whom the
        proposals concluded in the period favour (8°)."""
        rows = self._fetch(
            SQL(
                """SELECT COUNT(*) FILTER (
                        WHERE c.date_admissibility_decided BETWEEN %(f)s AND %(t)s),
                    COUNT(*) FILTER (WHERE %(concluded)s
                        AND c.date_proposal_notified IS NOT NULL
                        AND c.proposal_favours = 'consumer'),
                    COUNT(*) FILTER (WHERE %(concluded)s
                        AND c.date_proposal_notified IS NOT NULL
                        AND c.proposal_favours = 'professional'),
                    COUNT(*) FILTER (WHERE %(concluded)s
                        AND c.date_proposal_notified IS NOT NULL
                        AND c.proposal_favours = 'balanced')
                   FROM mediation_case c WHERE %(scope)s""",
                f=self.date_from,
                t=self.date_to,
                concluded=self._concluded(),
                scope=self._scope(),
            )
        )
        decisions, consumer, professional, balanced = rows[0]
        proposals = consumer + professional + balanced
        share = self._share
        return {
            "decisions": decisions,
            "refused_share_received": share(figures["refused"], figures["received"]),
            "refused_share_decisions": share(figures["refused"], decisions),
            "proposals": proposals,
            "favours": [
                ("consumer", consumer, share(consumer, proposals)),
                ("professional", professional, share(professional, proposals)),
                ("balanced", balanced, share(balanced, proposals)),
            ],
        }

    def _named_counts(self, model, counts):
        """[(name, count)] by decreasing count then name; no record: ''."""
        names = {
            record.id: record.name
            for record in self.env[model].browse(filter(None, counts))
        }
        named = [(names.get(key, ""), n) for key, n in counts.items()]
        return sorted(named, key=lambda item: (-item[1], item[0]))

    @api.model
    def _share(self, part, whole):
        return part / whole if whole else None

    def _monthly(self, received, concluded):
        """[(first day of month, received, concluded, refused)] for each month
        of the period."""
        months = []
        month = self.date_from.replace(day=1)
        while month <= self.date_to:
            months.append(
                (
                    month,
                    received.get(month, 0),
                    concluded[month]["total"],
                    concluded[month]["refused"],
                )
            )
            month += relativedelta(months=1)
        return months

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
                        c.date_file_complete,
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
