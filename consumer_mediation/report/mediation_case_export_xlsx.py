from odoo import fields, models
from odoo.tools import split_every

from .xlsx_styles import add_formats, start_table, write_cells


class MediationCaseExportXlsx(models.AbstractModel):
    """One row per case with every legal clock and whether it was met."""

    _name = "report.consumer_mediation.case_export_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Cases Export Workbook"

    def get_workbook_options(self):
        return {"constant_memory": True}

    def generate_xlsx_report(self, workbook, data, objs):
        _ = self.env._
        formats = add_formats(workbook)
        sheet = workbook.add_worksheet(_("Cases"))
        row = start_table(
            sheet,
            formats,
            0,
            [
                (_("Reference"), 16),
                (_("Received On"), 12),
                (_("File Complete On"), 12),
                (_("Status"), 18),
                (_("Mediator"), 22),
                (_("Professional"), 28),
                (_("Subject"), 28),
                (_("Sector"), 20),
                (_("Outcome"), 32),
                (_("Outcome On"), 12),
                (_("Refusal Notice Due"), 12),
                (_("Admissibility Notified On"), 12),
                (_("Refusal Notice Met"), 10),
                (_("Professional Entry Due"), 12),
                (_("Professional Decided On"), 12),
                (_("Professional Entry Met"), 10),
                (_("Mediation Deadline"), 12),
                (_("Extensions"), 10),
                (_("Mediation Deadline Met"), 10),
                (_("Proposal Answer Due"), 12),
                (_("Answers Received On"), 12),
                (_("Proposal Answer Met"), 10),
            ],
        )
        cases = self.env["mediation.case"].search(
            data.get("domain", []), order="date_received, id"
        )
        states = dict(cases._fields["state"]._description_selection(self.env))
        today = fields.Date.context_today(self)
        text, day, flag = formats["text"], formats["date"], formats["bool"]
        for ids in split_every(1000, cases.ids):
            for case in cases.browse(ids):
                answered = case.consumer_answer and case.professional_answer
                answer_date = answered and max(
                    case.date_consumer_answer, case.date_professional_answer
                )
                refusal_done = case.state == "refused" and (
                    case.date_admissibility_notified
                )
                refusal_due = case.state in ("received", "review", "refused") and (
                    case.date_refusal_due
                )
                outcome = case.date_saisine_notified and case.date_outcome
                write_cells(
                    sheet,
                    row,
                    [
                        (case.name, text),
                        (case.date_received, day),
                        (case.date_file_complete, day),
                        (states[case.state], text),
                        (case.mediator_id.name, text),
                        (case.professional_id.name, text),
                        (case.subject_id.name, text),
                        (case.industry_id.name, text),
                        (case.outcome_id.name, text),
                        (case.date_outcome, day),
                        (refusal_due, day),
                        (case.date_admissibility_notified, day),
                        (self._met(refusal_due, refusal_done, today), flag),
                        (case.date_entry_due, day),
                        (case.date_professional_entry, day),
                        (
                            self._met(
                                case.date_entry_due, case.date_professional_entry, today
                            ),
                            flag,
                        ),
                        (case.date_mediation_due, day),
                        (len(case.extension_ids), formats["int"]),
                        (self._met(case.date_mediation_due, outcome, today), flag),
                        (case.date_proposal_answer_due, day),
                        (answer_date, day),
                        (
                            self._met(
                                case.date_proposal_answer_due, answer_date, today
                            ),
                            flag,
                        ),
                    ],
                )
                row += 1
            cases.invalidate_recordset()

    def _met(self, due, done, today):
        """Yes / No once the step is done; Overdue or Running before."""
        _ = self.env._
        if not due:
            return None
        if done:
            return _("Yes") if done <= due else _("No")
        return _("Overdue") if due < today else _("Running")
