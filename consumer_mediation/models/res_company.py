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
