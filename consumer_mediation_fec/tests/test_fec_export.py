import base64
import csv
import io
from datetime import date, timedelta

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.consumer_mediation.tests.test_invoicing import (
    MediationInvoicingCommon,
)

# Article A47 A-1 of the Livre des procédures fiscales: the 18 columns, in order.
FEC_COLUMNS = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
]


def amount(text):
    return float(text.strip().replace(",", ".") or 0)


@tagged("post_install", "-at_install")
class TestMediationFecExport(MediationInvoicingCommon):
    """The accountant downloads the FEC of the year from Odoo's wizard, with
    the membership fees, the case fees and the payments in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fec_accountant = new_test_user(
            cls.env,
            "fec_accountant",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
        )

    def _year_of_entries(self):
        self.company.mediation_invoice_auto_post = True
        member = self._member("Boulangerie Martin")
        contract = self._contract(member, self.today - timedelta(days=30))
        self._case(member, "admitted")
        self._run()
        invoices = self._invoices(contract)
        self.assertEqual(len(invoices), 2, "the membership fee and the case fees")
        membership = invoices.filtered(
            lambda m: not m.invoice_line_ids.mediation_case_fee_id
        )
        case_fees = invoices - membership
        payment = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=membership.ids)
            .create({"payment_date": self.today})
            ._create_payments()
        )
        return membership, case_fees, payment

    def _export(self, **values):
        wizard = (
            self.env["l10n_fr.fec.export.wizard"]
            .with_user(self.fec_accountant)
            .create(
                {
                    "date_from": date(self.today.year, 1, 1),
                    "date_to": date(self.today.year, 12, 31),
                    "test_file": True,
                    **values,
                }
            )
        )
        action = wizard.create_fec_report_action()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/{wizard.id}/fec_file/", action["url"])
        self.assertTrue(wizard.filename.endswith(".csv"))
        text = base64.b64decode(wizard.fec_file).decode()
        return list(csv.reader(io.StringIO(text), delimiter="|"))

    def test_fec_of_the_year(self):
        membership, case_fees, payment = self._year_of_entries()
        header, *rows = self._export()
        self.assertEqual(header, FEC_COLUMNS)
        self.assertTrue(all(len(row) == 18 for row in rows))
        col = {name: i for i, name in enumerate(FEC_COLUMNS)}
        entries = {}
        for row in rows:
            debit, credit = entries.get(row[col["EcritureNum"]], (0.0, 0.0))
            entries[row[col["EcritureNum"]]] = (
                debit + amount(row[col["Debit"]]),
                credit + amount(row[col["Credit"]]),
            )
            for field in ("EcritureDate", "PieceDate", "ValidDate"):
                day = date(
                    int(row[col[field]][:4]),
                    int(row[col[field]][4:6]),
                    int(row[col[field]][6:]),
                )
                self.assertEqual(day.year, self.today.year)
        for name, (debit, credit) in entries.items():
            self.assertAlmostEqual(debit, credit, 2, f"{name} is balanced")
        self.assertLessEqual(
            {membership.name, case_fees.name, payment.move_id.name}, set(entries)
        )
        fee_row = next(r for r in rows if r[col["EcritureNum"]] == case_fees.name)
        self.assertEqual(
            fee_row[col["EcritureDate"]], case_fees.date.strftime("%Y%m%d")
        )
        self.assertEqual(
            entries[membership.name][0], membership.amount_total, "receivable"
        )

    def test_official_export_locks_for_the_administrator_only(self):
        self._year_of_entries()
        with self.assertRaisesRegex(UserError, "accounting administrator"):
            self._export(test_file=False)
        self.assertFalse(self.company.fiscalyear_lock_date)
