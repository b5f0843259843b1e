from odoo import api, fields, models, tools
from odoo.tools import SQL

from .mediation_case import CASE_STATES, MEDIATION_DAYS, state_ordered_groupby
from .mediation_outcome import OUTCOME_KINDS


class MediationCaseAnalysis(models.Model):
    """One row per case with the measures of the management dashboard:
    rates are 100 or 0 per case (empty when the clock does not apply), so
    their average is a percentage."""

    _name = "mediation.case.analysis"
    _description = "Mediation Case Analysis"
    _auto = False
    _order = "date_received desc"

    # ------------------------------------------------------------------
    # Dimensions
    # ------------------------------------------------------------------
    case_id = fields.Many2one("mediation.case", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_received = fields.Date(string="Received On", readonly=True)
    date_outcome = fields.Date(string="Outcome On", readonly=True)
    state = fields.Selection(CASE_STATES, readonly=True)
    mediator_id = fields.Many2one("res.users", readonly=True)
    subject_id = fields.Many2one("mediation.case.subject", readonly=True)
    industry_id = fields.Many2one(
        "res.partner.industry", string="Sector", readonly=True
    )
    outcome_id = fields.Many2one("mediation.outcome", readonly=True)
    outcome_kind = fields.Selection(OUTCOME_KINDS, readonly=True)
    refusal_ground_id = fields.Many2one("mediation.refusal.ground", readonly=True)

    # ------------------------------------------------------------------
    # Measures
    # ------------------------------------------------------------------
    backlog = fields.Integer(
        string="Open Cases", readonly=True, help="1 while the case is open."
    )
    duration_days = fields.Float(
        string="Days to Outcome",
        aggregator="avg",
        readonly=True,
        help="Days from the complete file to outcome.",
    )
    mediation_days = fields.Float(
        string="Days of Mediation",
        aggregator="avg",
        readonly=True,
        help="Days from the notification of the saisine to the outcome.",
    )
    refused_rate = fields.Float(
        string="Inadmissibility Rate (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the concluded cases that were refused.",
    )
    refusal_notice_rate = fields.Float(
        string="Refusals Notified in Time (%)", aggregator="avg", readonly=True
    )
    deadline_rate = fields.Float(
        string="Mediations Ended in Time (%)", aggregator="avg", readonly=True
    )
    within_90_rate = fields.Float(
        string="Mediations Ended within 90 Days (%)", aggregator="avg", readonly=True
    )

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        return super()._read_group_orderby(
            order, state_ordered_groupby(groupby_terms), query
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE OR REPLACE VIEW %s AS (
                SELECT c.id, c.id AS case_id, c.company_id, c.date_received,
                    c.date_outcome, c.state, c.mediator_id, c.subject_id,
                    c.industry_id, c.outcome_id, c.outcome_kind,
                    c.refusal_ground_id,
                    CASE WHEN c.outcome_id IS NULL THEN 1 ELSE 0 END AS backlog,
                    (c.date_outcome - c.date_file_complete)::float AS duration_days,
                    (c.date_outcome - c.date_saisine_notified)::float
                        AS mediation_days,
                    CASE WHEN c.outcome_id IS NULL THEN NULL
                         WHEN c.outcome_kind = 'refused' THEN 100.0 ELSE 0.0
                    END AS refused_rate,
                    CASE WHEN c.outcome_kind <> 'refused' THEN NULL
                         WHEN c.date_admissibility_notified <= c.date_refusal_due
                         THEN 100.0 ELSE 0.0
                    END AS refusal_notice_rate,
                    CASE WHEN c.outcome_id IS NULL
                              OR c.date_saisine_notified IS NULL THEN NULL
                         WHEN c.date_outcome <= c.date_mediation_due THEN 100.0
                         ELSE 0.0
                    END AS deadline_rate,
                    CASE WHEN c.outcome_id IS NULL
                              OR c.date_saisine_notified IS NULL THEN NULL
                         WHEN c.date_outcome <= c.date_saisine_notified + %s
                         THEN 100.0 ELSE 0.0
                    END AS within_90_rate
                FROM mediation_case c)""",
                SQL.identifier(self._table),
                MEDIATION_DAYS,
            )
        )
