from odoo import fields, models


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
