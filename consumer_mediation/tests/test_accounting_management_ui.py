from datetime import date, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .tour_common import MediationRoleTourCase


@tagged("post_install", "-at_install")
class TestMediationAccountingManagementUi(MediationRoleTourCase):
    """The accountant's and the manager's days, each as a user of that role's
    groups only, in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["mediation.case"])
        cls.mediator = cls.role_user(
            "tour_fee_mediator", "consumer_mediation.group_mediation_user"
        )
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Camille Martin", "email": "camille@example.com"}
        )

    def _member(self, name):
        member = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.split()[0].lower()}@example.com",
                "mediation_headcount": 3,
            }
        )
        contract = self.env["contract.contract"]._mediation_prepare_proposal(
            member, "individual", date_start=self.today - timedelta(days=30)
        )
        contract.action_mediation_activate()
        return member

    def _case(self, professional, **values):
        return self.env["mediation.case"].create(
            {
                "consumer_id": self.consumer.id,
                "professional_id": professional.id,
                "mediator_id": self.mediator.id,
                "date_complaint": values.get("date_received", self.today)
                - timedelta(days=20),
                "description": "<p>Le canapé livré était déchiré.</p>",
                **values,
            }
        )

    def _admitted_case(self, professional):
        """A case the mediator admitted, as the mediator does it."""
        case = self._case(professional).with_user(self.mediator)
        case.action_start_review()
        case.action_admit()
        return case

    def test_accountant_invoices_one_member_case_fees(self):
        self.role_user("tour_accountant", "account.group_account_invoice")
        bakery, florist = self._member("Boulangerie Tour"), self._member("Fleurs Tour")
        bakery_case = self._admitted_case(bakery)
        self._admitted_case(florist)
        Fee = self.env["mediation.case.fee"]
        self.assertEqual(len(Fee.search([("state", "=", "to_invoice")])), 2)
        self.start_role_tour(
            "/odoo", "consumer_mediation_accountant_tour", login="tour_accountant"
        )
        invoiced = Fee.search([("state", "=", "invoiced")])
        self.assertEqual(invoiced.case_reference, bakery_case.name)
        self.assertEqual(invoiced.invoice_id.partner_id, bakery)
        self.assertEqual(invoiced.invoice_id.amount_untaxed, 280.0)
        self.assertEqual(
            Fee.search([("state", "=", "to_invoice")]).partner_id,
            florist,
            "the other member's fee is still to invoice",
        )
        self.assertFalse(
            self.env["account.move"].search(
                [
                    (
                        "invoice_line_ids.product_id",
                        "=",
                        self.env.ref(
                            "consumer_mediation.product_mediation_annual_fee"
                        ).id,
                    )
                ]
            ),
            "the annual fees were left out of this run",
        )

    def test_manager_sets_the_mediation_settings(self):
        """The manager sets the mediation settings without being an Odoo
        administrator (Odoo's Settings are refused to it)."""
        manager = self.role_user(
            "tour_settings_manager", "consumer_mediation.group_mediation_manager"
        )
        self.assertFalse(manager.has_group("base.group_erp_manager"))
        self.start_role_tour(
            "/odoo",
            "consumer_mediation_manager_settings_tour",
            login="tour_settings_manager",
        )
        company = self.env.company
        self.assertEqual(company.mediation_proposal_answer_days, 20)
        self.assertEqual(company.mediation_documents_reminder_days, 10)
        # The settings only: the company stays the administrators'.
        with self.assertRaises(AccessError):
            company.with_user(manager).write({"name": "Autre nom"})

    def test_manager_reads_figures_and_exports(self):
        self.role_user("tour_manager", "consumer_mediation.group_mediation_manager")
        professional = self._member("Meubles Tour")
        last_year = date(self.today.year - 1, 3, 1)
        refused = self.env.ref("consumer_mediation.outcome_refused")
        for day in (0, 10):
            self._case(
                professional,
                date_received=last_year + timedelta(days=day),
                state="refused",
                refusal_ground_id=self.env.ref(
                    "consumer_mediation.ground_no_complaint"
                ).id,
                date_admissibility_decided=last_year + timedelta(days=day + 5),
                date_admissibility_notified=last_year + timedelta(days=day + 5),
                outcome_id=refused.id,
                date_outcome=last_year + timedelta(days=day + 5),
            )
        self._case(professional, date_received=last_year, state="review")
        activity_xlsx = type(self.env["report.consumer_mediation.activity_report_xlsx"])
        export_xlsx = type(self.env["report.consumer_mediation.case_export_xlsx"])
        with (
            patch.object(
                activity_xlsx,
                "generate_xlsx_report",
                autospec=True,
                side_effect=activity_xlsx.generate_xlsx_report,
            ) as activity_workbook,
            patch.object(
                export_xlsx,
                "generate_xlsx_report",
                autospec=True,
                side_effect=export_xlsx.generate_xlsx_report,
            ) as export_workbook,
        ):
            self.start_role_tour(
                "/odoo", "consumer_mediation_manager_tour", login="tour_manager"
            )
        self.assertEqual(activity_workbook.call_count, 1)
        self.assertEqual(export_workbook.call_count, 1)
        report = self.env["mediation.activity.report"].search([])
        self.assertEqual(report.name, "Rapport d'activité de l'année")
