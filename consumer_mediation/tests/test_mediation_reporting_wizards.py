import io
from datetime import date
from unittest.mock import patch

import openpyxl

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import MediationCaseCommon, load_french

D = date


def read_sheet(content, name):
    """Rows of sheet ``name`` as dicts keyed by the header row."""
    sheet = openpyxl.load_workbook(io.BytesIO(content))[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@tagged("post_install", "-at_install")
class TestMediationCaseExport(MediationCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        refused = cls.env.ref("consumer_mediation.outcome_refused")
        cls.delivery = cls.env.ref("consumer_mediation.subject_delivery")
        cls.billing = cls.env.ref("consumer_mediation.subject_billing")
        complaint = {"date_complaint": D(2025, 1, 1)}
        cls.late_refusal = cls._case(
            date_received=D(2025, 2, 1),
            state="refused",
            refusal_ground_id=cls.ground_no_complaint.id,
            date_admissibility_notified=D(2025, 2, 28),
            outcome_id=refused.id,
            date_outcome=D(2025, 2, 20),
            subject_id=cls.delivery.id,
            **complaint,
        )
        cls.timely_refusal = cls._case(
            date_received=D(2025, 3, 1),
            state="refused",
            refusal_ground_id=cls.ground_no_complaint.id,
            date_admissibility_notified=D(2025, 3, 5),
            outcome_id=refused.id,
            date_outcome=D(2025, 3, 5),
            subject_id=cls.billing.id,
            **complaint,
        )
        cls.running = cls._case(
            date_received=cls.today, subject_id=cls.delivery.id, state="review"
        )
        cls.other = cls._case(
            date_received=D(2025, 3, 2),
            mediator_id=cls.other_mediator.id,
            subject_id=cls.delivery.id,
            **complaint,
        )

    def _export(self, **filters):
        wizard = self.env["mediation.case.export.wizard"].create(filters)
        action = wizard.action_export()
        self.assertEqual(action["report_type"], "xlsx")
        content, _kind = self.env["ir.actions.report"]._render(
            action["report_name"], wizard.ids, action["data"]
        )
        return {row["Reference"]: row for row in read_sheet(content, "Cases")}

    def test_filters(self):
        rows = self._export(
            date_from=D(2025, 1, 1),
            date_to=D(2025, 12, 31),
            mediator_ids=[Command.set(self.mediator.ids)],
        )
        self.assertEqual(set(rows), {self.late_refusal.name, self.timely_refusal.name})
        rows = self._export(subject_ids=[Command.set(self.delivery.ids)])
        self.assertEqual(
            set(rows), {self.late_refusal.name, self.running.name, self.other.name}
        )
        rows = self._export(state="review")
        self.assertEqual(set(rows), {self.running.name})

    def test_clocks_met(self):
        rows = self._export()
        late = rows[self.late_refusal.name]
        self.assertEqual(late["Refusal Notice Met"], "No")
        self.assertEqual(late["Refusal Notice Due"].date(), D(2025, 2, 22))
        self.assertEqual(rows[self.timely_refusal.name]["Refusal Notice Met"], "Yes")
        self.assertEqual(rows[self.running.name]["Refusal Notice Met"], "Running")
        self.assertEqual(rows[self.other.name]["Refusal Notice Met"], "Overdue")
        self.assertIsNone(late["Mediation Deadline Met"])

    def test_states_in_french(self):
        """The analysis and the export offer the case's states in the user's
        language, as the case form does."""
        load_french(self.env)

        def labels(model, field):
            env = self.env(context={"lang": "fr_FR"})
            return env[model].fields_get([field])[field]["selection"]

        states = labels("mediation.case", "state")
        self.assertIn(("review", "Examen de la recevabilité"), states)
        self.assertEqual(labels("mediation.case.analysis", "state"), states)
        self.assertEqual(labels("mediation.case.export.wizard", "state"), states)
        self.assertEqual(
            labels("mediation.case.analysis", "outcome_kind"),
            labels("mediation.outcome", "kind"),
        )


@tagged("post_install", "-at_install")
class TestMediationMembershipReport(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref(
            "consumer_mediation.group_mediation_manager"
        )
        Partner = cls.env["res.partner"]
        cls.date_from, cls.date_to = D(2025, 1, 1), D(2025, 12, 31)

        def contract(name, start, kind="individual"):
            partner = Partner.create({"name": name, "is_company": True})
            record = cls.env["contract.contract"].create(
                {
                    "name": f"Membership {name}",
                    "partner_id": partner.id,
                    "mediation_kind": kind,
                    "date_start": start,
                    "contract_type": "sale",
                    "contract_line_ids": [
                        Command.create(
                            {
                                "name": "Yearly fee",
                                "product_id": cls.product_a.id,
                                "price_unit": 100.0,
                                "date_start": start,
                                "recurring_rule_type": "yearly",
                            }
                        )
                    ],
                }
            )
            record.action_mediation_activate()
            return record

        cls.old = contract("Old Member", D(2024, 1, 1))
        cls.new = contract("New Member", D(2025, 3, 1))
        cls.new._mediation_terminate(D(2025, 9, 30), "Closed down.")
        cls.suspended = contract("Suspended Member", D(2024, 6, 1))
        cls.suspended.action_mediation_suspend()
        cls.suspended.mediation_date_suspended = D(2025, 5, 1)
        cls.convention = contract("Federation", D(2024, 1, 1), kind="convention")
        cls.member_names = ["Joined Long Ago", "Joined This Year", "Left This Year"]
        for name, join, leave in zip(
            cls.member_names,
            [D(2024, 2, 1), D(2025, 4, 1), D(2024, 3, 1)],
            [False, False, D(2025, 6, 30)],
            strict=True,
        ):
            cls.env["mediation.convention.member"].create(
                {
                    "contract_id": cls.convention.id,
                    "partner_id": Partner.create({"name": name, "is_company": True}).id,
                    "date_join": join,
                    "date_leave": leave,
                }
            )
        cls._invoice(cls.old, D(2025, 2, 1), 100.0, paid=100.0)
        cls._invoice(cls.old, D(2024, 12, 1), 999.0)
        cls._invoice(cls.new, D(2025, 3, 5), 200.0, paid=50.0)
        cls._invoice(cls.convention, D(2025, 1, 15), 500.0)

    @classmethod
    def _invoice(cls, contract, when, amount, paid=0.0):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": contract.partner_id.id,
                "invoice_date": when,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Membership fee",
                            "price_unit": amount,
                            "quantity": 1,
                            "tax_ids": [],
                            "contract_line_id": contract.contract_line_ids.id,
                        }
                    )
                ],
            }
        )
        move.action_post()
        if paid:
            cls.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"amount": paid, "payment_date": when})._create_payments()
        return move

    def _workbook(self):
        wizard = self.env["mediation.membership.report.wizard"].create(
            {"date_from": self.date_from, "date_to": self.date_to}
        )
        action = wizard.action_export()
        content, _kind = self.env["ir.actions.report"]._render(
            action["report_name"], wizard.ids, action["data"]
        )
        return content

    def test_members(self):
        rows = {row["Member"]: row for row in read_sheet(self._workbook(), "Members")}
        flags = {
            name: tuple(
                bool(row[col]) for col in ("Active", "New", "Terminated", "Suspended")
            )
            for name, row in rows.items()
        }
        self.assertEqual(
            flags,
            {
                "Old Member": (True, False, False, False),
                "New Member": (True, True, True, False),
                "Suspended Member": (True, False, False, True),
                "Joined Long Ago": (True, False, False, False),
                "Joined This Year": (True, True, False, False),
                "Left This Year": (True, False, True, False),
            },
        )
        self.assertEqual(rows["Joined This Year"]["Federation"], "Federation")
        old = rows["Old Member"]
        self.assertEqual(
            (old["Billed"], old["Paid"], old["Outstanding"]), (100, 100, 0)
        )
        new = rows["New Member"]
        self.assertEqual(
            (new["Billed"], new["Paid"], new["Outstanding"]), (200, 50, 150)
        )
        self.assertIsNone(rows["Joined Long Ago"]["Billed"])

    def test_federations_and_summary(self):
        content = self._workbook()
        (federation,) = read_sheet(content, "Federations")
        self.assertEqual(federation["Federation"], "Federation")
        self.assertEqual(
            (
                federation["Active Members"],
                federation["New Members"],
                federation["Members Who Left"],
                federation["Billed"],
                federation["Outstanding"],
            ),
            (3, 1, 1, 500, 500),
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Summary"]
        summary = dict(sheet.iter_rows(min_row=5, values_only=True))
        self.assertEqual(summary["Active members"], 6)
        self.assertEqual(summary["New members"], 2)
        self.assertEqual(summary["Billed"], 800)
        self.assertEqual(summary["Paid"], 150)
        self.assertEqual(summary["Outstanding"], 650)


@tagged("post_install", "-at_install")
class TestMediationReportingTour(HttpCase):
    def test_export_tour(self):
        """The wizard opens from the menu and the browser receives the
        workbook the report model wrote."""
        new_test_user(
            self.env,
            "tour_reporting",
            groups="consumer_mediation.group_mediation_manager",
        )
        report = self.env["report.consumer_mediation.case_export_xlsx"]
        with patch.object(
            type(report),
            "generate_xlsx_report",
            autospec=True,
            side_effect=type(report).generate_xlsx_report,
        ) as generate:
            self.start_tour(
                "/odoo", "consumer_mediation_reporting_tour", login="tour_reporting"
            )
        self.assertEqual(generate.call_count, 1)
