from markupsafe import Markup, escape

from odoo import api, fields, models


class MediationCasePrintWizard(models.TransientModel):
    """The Print menu of cases. Odoo binds a report to every record of a
    model; this dialog lists only the letters of the steps the selected cases
    went through (the rule the portal applies too)."""

    _name = "mediation.case.print.wizard"
    _description = "Print a Letter of a Mediation Case"

    case_ids = fields.Many2many(
        "mediation.case", default=lambda self: self._default_case_ids(), required=True
    )
    letters_html = fields.Html(
        string="Letters", compute="_compute_letters_html", sanitize=False
    )

    @api.model
    def _default_case_ids(self):
        if self.env.context.get("active_model") != "mediation.case":
            return self.env["mediation.case"]
        return self.env["mediation.case"].browse(self.env.context.get("active_ids"))

    @api.depends("case_ids")
    def _compute_letters_html(self):
        for wizard in self:
            cases = wizard.case_ids
            steps = (
                set.intersection(*(set(case._applicable_letters()) for case in cases))
                if cases
                else set()
            )
            steps = {step for step in steps if cases._letter_team_may_print(step)}
            ids = ",".join(str(case_id) for case_id in cases.ids)
            links = Markup("").join(
                Markup(
                    '<li><a class="o_mediation_letter" data-letter="%s" href="%s" '
                    'target="_blank"><i class="fa fa-file-pdf-o me-1"/>%s</a></li>'
                )
                % (step, f"/report/pdf/{report.report_name}/{ids}", escape(report.name))
                for step, report in cases._letter_reports(steps)
            )
            wizard.letters_html = Markup("<ul class='list-unstyled'>%s</ul>") % links
