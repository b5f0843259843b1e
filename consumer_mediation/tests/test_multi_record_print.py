"""Several documents printed together on Debian's wkhtmltopdf, which refuses
more than one input document: every document is in the PDF received."""

import json
from unittest import skipUnless

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import find_in_path

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import MediationCaseCommon, pdf_text, pdf_without_server

# Odoo renders HTML in test mode unless asked for the PDF.
PDF_QUERY = "?context=" + json.dumps({"force_report_rendering": True})


def _pdftotext_found():
    try:
        return bool(find_in_path("pdftotext"))
    except OSError:
        return False


@skipUnless(_pdftotext_found(), "poppler-utils is needed")
@tagged("post_install", "-at_install")
class TestMediationMultiRecordPrintLetters(MediationCaseCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf would wait for the test server's assets for ever.
        pdf_without_server(cls.env)

    def test_unsent_letters_to_two_recipients_print_together(self):
        first = self._case_in("mediation")
        second = self._case_in("mediation", amount=120)
        for case in first | second:
            case.write(
                {
                    "proposal_text": "<p>Refund of 300 EUR.</p>",
                    "proposal_favours": "balanced",
                }
            )
        self.authenticate("case_mediator", "case_mediator")
        report = "/report/pdf/consumer_mediation.report_case_proposal"
        # One case, its two recipients: two documents in one print.
        response = self.url_open(f"{report}/{first.id}{PDF_QUERY}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        text = pdf_text(response.content)
        self.assertIn(self.consumer.name, text)
        self.assertIn(self.professional.name, text)
        # Two cases: both, with their recipients.
        response = self.url_open(f"{report}/{first.id},{second.id}{PDF_QUERY}")
        self.assertEqual(response.status_code, 200)
        text = pdf_text(response.content)
        self.assertIn(first.name, text)
        self.assertIn(second.name, text)
        self.assertGreaterEqual(text.count(self.consumer.name), 2)


@skipUnless(_pdftotext_found(), "poppler-utils is needed")
@tagged("post_install", "-at_install")
class TestMediationMultiRecordPrintInvoices(AccountTestInvoicingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pdf_without_server(cls.env)
        cls.accountant = new_test_user(
            cls.env,
            "mp_accountant",
            groups="account.group_account_invoice",
            company_id=cls.env.company.id,
            company_ids=cls.env.company.ids,
        )

    def test_two_invoices_print_together(self):
        invoices = self.init_invoice(
            "out_invoice", amounts=[100], post=True
        ) | self.init_invoice("out_invoice", amounts=[250], post=True)
        self.authenticate("mp_accountant", "mp_accountant")
        ids = ",".join(str(i) for i in invoices.ids)
        response = self.url_open(f"/report/pdf/account.report_invoice/{ids}{PDF_QUERY}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        text = pdf_text(response.content)
        for invoice in invoices:
            self.assertIn(invoice.name, text)
