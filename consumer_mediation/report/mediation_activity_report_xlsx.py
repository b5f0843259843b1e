from odoo import models
from odoo.tools.misc import format_date

from .xlsx_styles import EXCEL_EPOCH, add_formats, start_table, write_cells


class MediationActivityReportXlsx(models.AbstractModel):
    """The annual activity report workbook: the eight legal items, then the
    detail sheets and the CECMC per-case sheet."""

    _name = "report.consumer_mediation.activity_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Activity Report Workbook"

    def get_workbook_options(self):
        # Rows go straight to disk: a year of a large mediator stays small.
        return {"constant_memory": True}

    def generate_xlsx_report(self, workbook, data, objs):
        formats = add_formats(workbook)
        for activity in objs:
            figures = activity._compute_figures()
            self._sheet_summary(workbook, formats, activity, figures)
            self._sheet_counts(
                workbook,
                formats,
                self.env._("Subjects"),
                self.env._("Subject"),
                figures["by_subject"],
                figures["received"],
            )
            self._sheet_monthly(workbook, formats, figures)
            self._sheet_counts(
                workbook,
                formats,
                self.env._("Sectors"),
                self.env._("Sector"),
                figures["by_sector"],
                figures["received"],
            )
            self._sheet_compliance(workbook, formats, figures)
            self._sheet_cases(workbook, formats, activity)
            self._sheet_definitions(workbook, formats)

    # ------------------------------------------------------------------
    # Sheets
    # ------------------------------------------------------------------
    def _sheet_summary(self, workbook, formats, activity, figures):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Summary"))
        sheet.write_string(0, 0, activity.name, formats["title"])
        sheet.write_string(
            1,
            0,
            _(
                "Period from %(date_from)s to %(date_to)s. Received: cases received "
                "in the period. Concluded: cases whose outcome is dated in the "
                "period.",
                date_from=format_date(self.env, activity.date_from),
                date_to=format_date(self.env, activity.date_to),
            ),
            formats["subtitle"],
        )
        if activity.mediator_ids:
            sheet.write_string(
                2,
                0,
                _(
                    "Mediators: %(names)s",
                    names=", ".join(activity.mediator_ids.mapped("name")),
                ),
                formats["subtitle"],
            )
        row = start_table(
            sheet,
            formats,
            4,
            [
                (_("Item"), 8),
                (_("Indicator"), 60),
                (_("Number"), 14),
                (_("Share"), 12),
            ],
        )
        for item, label, number, share, kind in self._summary_lines(activity, figures):
            if kind == "text":
                write_cells(
                    sheet,
                    row,
                    [(item, formats["section"]), (label, formats["section"])],
                )
                row += 1
                write_cells(
                    sheet, row, [(None, formats["text"]), (number, formats["wrap"])]
                )
            else:
                write_cells(
                    sheet,
                    row,
                    [
                        (item, formats["section" if item else "text"]),
                        (label, formats["section" if item else "text"]),
                        (number, formats[kind]),
                        (share, formats["pct"]),
                    ],
                )
            row += 1

    def _summary_lines(self, activity, figures):
        """[(item, label, number, share, format)]: the eight legal items of
        R614-2 in order; a "text" line carries its text as number."""
        _ = self.env._
        lines = [
            ("1", _("Disputes received"), figures["received"], None, "int"),
        ]
        lines += [
            ("", name or _("Undefined"), count, share, "int")
            for name, count, share in self._with_share(
                figures["by_subject"], figures["received"]
            )
        ]
        lines.append(("2", _("Issues met most often"), None, None, "int"))
        lines += [
            ("", name or _("Undefined"), count, share, "int")
            for name, count, share in self._with_share(
                figures["by_subject"][:5], figures["received"]
            )
        ]
        lines.append(
            ("", _("Recommendations"), activity.recommendations or "", None, "text")
        )
        lines += [
            ("3", _("Disputes concluded"), figures["concluded"], None, "int"),
            (
                "",
                _("Refused, share of the disputes concluded"),
                figures["refused"],
                figures["refused_share"],
                "int",
            ),
            (
                "",
                _("Refused, share of the requests received"),
                figures["refused"],
                figures["refused_share_received"],
                "int",
            ),
            (
                "",
                _("Refused, share of the admissibility decisions"),
                figures["refused"],
                figures["refused_share_decisions"],
                "int",
            ),
        ]
        lines += [
            ("", name or _("Undefined"), count, share, "int")
            for name, count, share in figures["by_ground"]
        ]
        lines += [
            ("4", _("Mediations concluded"), figures["mediations"], None, "int"),
            (
                "",
                _("Interrupted"),
                figures["interrupted"],
                figures["interrupted_share"],
                "int",
            ),
        ]
        lines += [
            ("", name, count, share, "int")
            for name, count, share in figures["by_cause"]
        ]
        lines.append(
            (
                "",
                _("Mediations completed"),
                figures["completed"],
                figures["completed_share"],
                "int",
            )
        )
        lines += [
            ("", name, count, share, "int")
            for name, count, share in figures["by_completion"]
        ]
        lines += [
            ("5", _("Average duration"), None, None, "int"),
            (
                "",
                _("Mediations: days from the complete file to outcome"),
                figures["days_mediation"],
                None,
                "days",
            ),
            (
                "",
                _("Days from the complete file to outcome, including refusals"),
                figures["days_receipt"],
                None,
                "days",
            ),
            (
                "",
                _("Days from notification of the saisine to outcome"),
                figures["days_saisine"],
                None,
                "days",
            ),
            ("6", _("Solutions agreed"), figures["solutions"], None, "int"),
            (
                "",
                _("Execution known"),
                figures["execution_known"],
                None,
                "int",
            ),
            (
                "",
                _("Carried out"),
                figures["executed"],
                figures["executed_share"],
                "int",
            ),
            (
                "7",
                _("Cooperation in networks"),
                activity.networks_text or "",
                None,
                "text",
            ),
        ]
        lines += self._item8_lines(activity, figures)
        if activity.training_text:
            lines.append(
                ("EU", _("Training given"), activity.training_text, None, "text")
            )
        if activity.self_assessment_text:
            lines.append(
                (
                    "EU",
                    _("Self-assessment"),
                    activity.self_assessment_text,
                    None,
                    "text",
                )
            )
        return lines

    def _item8_lines(self, activity, figures):
        _ = self.env._
        if not activity.item8_applies:
            return [
                (
                    "8",
                    _("Not applicable"),
                    activity._item8_not_applicable(),
                    None,
                    "text",
                )
            ]
        labels = dict(
            self.env["mediation.case"]
            ._fields["proposal_favours"]
            ._description_selection(self.env)
        )
        lines = [("8", _("Proposals concluded"), figures["proposals"], None, "int")]
        lines += [
            ("", _("In favour of: %(party)s", party=labels[key]), count, share, "int")
            for key, count, share in figures["favours"]
        ]
        lines += [
            (
                "",
                _("Settled amicably"),
                figures["solutions"],
                figures["amicable_share"],
                "int",
            ),
            ("", _("Item 8 comments"), activity.item8_text or "", None, "text"),
        ]
        return lines

    def _with_share(self, counts, total):
        share = self.env["mediation.activity.report"]._share
        return [(name, count, share(count, total)) for name, count in counts]

    def _sheet_counts(self, workbook, formats, title, label, counts, total):
        _ = self.env._
        sheet = workbook.add_worksheet(title)
        row = start_table(
            sheet, formats, 0, [(label, 50), (_("Received"), 14), (_("Share"), 12)]
        )
        for name, count, share in self._with_share(counts, total):
            write_cells(
                sheet,
                row,
                [
                    (name or _("Undefined"), formats["text"]),
                    (count, formats["int"]),
                    (share, formats["pct"]),
                ],
            )
            row += 1
        write_cells(
            sheet,
            row,
            [(_("Total"), formats["total"]), (total, formats["total"])],
        )

    def _sheet_monthly(self, workbook, formats, figures):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Monthly"))
        row = start_table(
            sheet,
            formats,
            0,
            [
                (_("Month"), 14),
                (_("Received"), 12),
                (_("Concluded"), 12),
                (_("Refused"), 12),
            ],
        )
        for month, received, concluded, refused in figures["monthly"]:
            write_cells(
                sheet,
                row,
                [
                    (month, formats["month"]),
                    (received, formats["int"]),
                    (concluded, formats["int"]),
                    (refused, formats["int"]),
                ],
            )
            row += 1

    def _sheet_compliance(self, workbook, formats, figures):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Deadlines"))
        row = start_table(
            sheet,
            formats,
            0,
            [
                (_("Mediator"), 30),
                (_("Refusals"), 12),
                (_("Notified within 21 days"), 14),
                (_("Share"), 10),
                (_("Mediations"), 12),
                (_("Ended within 90 days"), 14),
                (_("Ended within the extended deadline"), 16),
                (_("Share within the deadline"), 12),
            ],
        )
        share = self.env["mediation.activity.report"]._share
        lines = [
            (name, values, "int") for name, *values in figures["compliance"]["rows"]
        ]
        lines.append((_("Total"), figures["compliance"]["total"], "total"))
        for name, (refusals, notified, mediations, in_90, extended), fmt in lines:
            write_cells(
                sheet,
                row,
                [
                    (
                        name or _("Unassigned"),
                        formats["total" if fmt == "total" else "text"],
                    ),
                    (refusals, formats[fmt]),
                    (notified, formats[fmt]),
                    (share(notified, refusals), formats["pct"]),
                    (mediations, formats[fmt]),
                    (in_90, formats[fmt]),
                    (extended, formats[fmt]),
                    (share(in_90 + extended, mediations), formats["pct"]),
                ],
            )
            row += 1

    def _sheet_cases(self, workbook, formats, activity):
        _ = self.env._
        sheet = workbook.add_worksheet(_("CECMC Cases"))
        row = start_table(
            sheet,
            formats,
            0,
            [
                (_("Reference"), 16),
                (_("Mediator"), 24),
                (_("Received On"), 12),
                (_("File Complete On"), 12),
                (_("Saisine Notified On"), 12),
                (_("Admissibility Notified On"), 14),
                (_("Refusal Ground"), 34),
                (_("Extension Notified On"), 12),
                (_("Proposal Notified On"), 12),
                (_("Outcome"), 34),
                (_("Outcome On"), 12),
            ],
        )
        # One row per case: the column types are known, so the cells go
        # straight to the typed writers.
        text, day = formats["text"], formats["date"]
        write_string, write_number = sheet.write_string, sheet.write_number
        texts, dates = (0, 1, 6, 9), (2, 3, 4, 5, 7, 8, 10)
        for values in activity._iter_cases():
            for col in texts:
                if values[col]:
                    write_string(row, col, values[col], text)
            for col in dates:
                if values[col]:
                    write_number(row, col, values[col].toordinal() - EXCEL_EPOCH, day)
            row += 1

    def _sheet_definitions(self, workbook, formats):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Definitions"))
        row = start_table(sheet, formats, 0, [(_("Term"), 34), (_("Definition"), 110)])
        for term, definition in (
            (
                _("Received"),
                _("Requests whose receipt date is in the period."),
            ),
            (
                _("Concluded"),
                _(
                    "Cases whose outcome (refusal, interruption or end of the "
                    "mediation) is dated in the period, whatever their receipt date."
                ),
            ),
            (
                _("Admissibility decisions"),
                _("Cases admitted or refused by a decision dated in the period."),
            ),
            (
                _("Refused, share of the disputes concluded"),
                _("Refusals concluded in the period ÷ cases concluded in the period."),
            ),
            (
                _("Refused, share of the requests received"),
                _(
                    "Refusals concluded in the period ÷ requests received in the "
                    "period. In a first year of activity, the most telling share."
                ),
            ),
            (
                _("Refused, share of the admissibility decisions"),
                _(
                    "Refusals concluded in the period ÷ admissibility decisions of "
                    "the period."
                ),
            ),
            (
                _("Mediations"),
                _("Concluded cases that were not refused: interrupted or completed."),
            ),
            (
                _("Average duration"),
                _(
                    "Calendar days from the receipt of the complete file to the "
                    "outcome (the receipt of the request when no document was "
                    "missing); "
                    "the mediations only, then all concluded cases including "
                    "refusals."
                ),
            ),
        ):
            write_cells(
                sheet, row, [(term, formats["text"]), (definition, formats["wrap"])]
            )
            row += 1
