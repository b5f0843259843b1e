from collections import defaultdict

from odoo import fields, models
from odoo.tools.misc import format_date

from .xlsx_styles import add_formats, start_table, write_cells


class MediationMembershipReportXlsx(models.AbstractModel):
    """Members active, new, terminated and suspended over a period, with
    what their contracts billed, what was paid and what is outstanding."""

    _name = "report.consumer_mediation.membership_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Members and Contracts Workbook"

    def generate_xlsx_report(self, workbook, data, objs):
        date_from = fields.Date.to_date(data["date_from"])
        date_to = fields.Date.to_date(data["date_to"])
        contracts = self.env["contract.contract"].search(
            [
                ("mediation_kind", "!=", False),
                ("mediation_state", "!=", "proposal"),
                ("date_start", "<=", date_to),
                "|",
                ("mediation_date_terminated", "=", False),
                ("mediation_date_terminated", ">=", date_from),
            ],
            order="partner_id, id",
        )
        amounts = self._amounts(contracts, date_from, date_to)
        members = self._members(contracts, date_from, date_to)
        formats = add_formats(workbook)
        self._sheet_summary(workbook, formats, members, amounts, data)
        self._sheet_members(workbook, formats, members, amounts)
        self._sheet_federations(workbook, formats, contracts, members, amounts)

    # ------------------------------------------------------------------
    # Data
    # ------------------------------------------------------------------
    def _amounts(self, contracts, date_from, date_to):
        """{contract: [billed, paid, outstanding]} of the customer invoices
        and credit notes posted in the period from the contracts' lines."""
        amounts = defaultdict(lambda: [0.0, 0.0, 0.0])
        # Mediation managers may lack the accounting rights: they get the
        # totals of the contracts they can read, never the invoices.
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("line_ids.contract_line_id.contract_id", "in", contracts.ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("invoice_date", ">=", date_from),
                    ("invoice_date", "<=", date_to),
                ]
            )
        )
        for move in moves:
            contract = move.line_ids.contract_line_id.contract_id[:1]
            totals = amounts[contract]
            totals[0] += move.amount_total_signed
            totals[1] += move.amount_total_signed - move.amount_residual_signed
            totals[2] += move.amount_residual_signed
        return amounts

    def _members(self, contracts, date_from, date_to):
        """One dict per member company: its own contract, or its
        membership of a federation's convention."""
        members = []
        for contract in contracts:
            if contract.mediation_kind == "individual":
                spans = [(contract.partner_id, contract.date_start, False)]
            else:
                spans = [
                    (member.partner_id, member.date_join, member.date_leave)
                    for member in contract.mediation_member_ids
                ]
            for partner, start, leave in spans:
                end = min(
                    filter(None, [leave, contract.mediation_date_terminated]),
                    default=False,
                )
                # Only the current suspension is stored: a suspension lifted
                # since then no longer shows.
                suspended = contract.mediation_date_suspended
                members.append(
                    {
                        "partner": partner,
                        "contract": contract,
                        "start": start,
                        "end": end,
                        "active": start <= date_to and (not end or end >= date_from),
                        "new": date_from <= start <= date_to,
                        "terminated": bool(end) and date_from <= end <= date_to,
                        "suspended": bool(suspended) and suspended <= date_to,
                    }
                )
        return members

    # ------------------------------------------------------------------
    # Sheets
    # ------------------------------------------------------------------
    def _sheet_summary(self, workbook, formats, members, amounts, data):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Summary"))
        sheet.write_string(0, 0, _("Members and Contracts"), formats["title"])
        sheet.write_string(
            1,
            0,
            _(
                "Period from %(date_from)s to %(date_to)s",
                date_from=format_date(self.env, data["date_from"]),
                date_to=format_date(self.env, data["date_to"]),
            ),
            formats["subtitle"],
        )
        row = start_table(sheet, formats, 3, [(_("Indicator"), 40), (_("Value"), 16)])
        totals = [sum(values[i] for values in amounts.values()) for i in range(3)]
        lines = [
            (_("Active members"), sum(m["active"] for m in members), "int"),
            (_("New members"), sum(m["new"] for m in members), "int"),
            (_("Terminated members"), sum(m["terminated"] for m in members), "int"),
            (_("Suspended members"), sum(m["suspended"] for m in members), "int"),
            (_("Billed"), totals[0], "money"),
            (_("Paid"), totals[1], "money"),
            (_("Outstanding"), totals[2], "money"),
        ]
        for label, value, kind in lines:
            write_cells(sheet, row, [(label, formats["text"]), (value, formats[kind])])
            row += 1

    def _flag(self, value):
        return self.env._("Yes") if value else ""

    def _sheet_members(self, workbook, formats, members, amounts):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Members"))
        row = start_table(
            sheet,
            formats,
            0,
            [
                (_("Member"), 32),
                (_("Federation"), 28),
                (_("Contract"), 28),
                (_("Membership Status"), 16),
                (_("Member Since"), 12),
                (_("Coverage Ends On"), 12),
                (_("Active"), 8),
                (_("New"), 8),
                (_("Terminated"), 10),
                (_("Suspended"), 10),
                (_("Billed"), 14),
                (_("Paid"), 14),
                (_("Outstanding"), 14),
            ],
        )
        money, flag = formats["money"], formats["bool"]
        for member in members:
            contract = member["contract"]
            individual = contract.mediation_kind == "individual"
            # A convention is billed to the federation, not to each member.
            billed = amounts.get(contract) if individual else None
            write_cells(
                sheet,
                row,
                [
                    (member["partner"].display_name, formats["text"]),
                    (
                        not individual and contract.partner_id.display_name,
                        formats["text"],
                    ),
                    (contract.name, formats["text"]),
                    (contract._mediation_state_label(), formats["text"]),
                    (member["start"], formats["date"]),
                    (member["end"], formats["date"]),
                    (self._flag(member["active"]), flag),
                    (self._flag(member["new"]), flag),
                    (self._flag(member["terminated"]), flag),
                    (self._flag(member["suspended"]), flag),
                    *[
                        ((billed or [0.0] * 3)[i] if individual else None, money)
                        for i in range(3)
                    ],
                ],
            )
            row += 1

    def _sheet_federations(self, workbook, formats, contracts, members, amounts):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Federations"))
        row = start_table(
            sheet,
            formats,
            0,
            [
                (_("Federation"), 32),
                (_("Convention"), 28),
                (_("Membership Status"), 16),
                (_("Active Members"), 12),
                (_("New Members"), 12),
                (_("Members Who Left"), 12),
                (_("Billed"), 14),
                (_("Paid"), 14),
                (_("Outstanding"), 14),
            ],
        )
        for contract in contracts.filtered(lambda c: c.mediation_kind == "convention"):
            own = [m for m in members if m["contract"] == contract]
            billed, paid, outstanding = amounts.get(contract, [0.0] * 3)
            write_cells(
                sheet,
                row,
                [
                    (contract.partner_id.display_name, formats["text"]),
                    (contract.name, formats["text"]),
                    (contract._mediation_state_label(), formats["text"]),
                    (sum(m["active"] for m in own), formats["int"]),
                    (sum(m["new"] for m in own), formats["int"]),
                    (sum(m["terminated"] for m in own), formats["int"]),
                    (billed, formats["money"]),
                    (paid, formats["money"]),
                    (outstanding, formats["money"]),
                ],
            )
            row += 1
