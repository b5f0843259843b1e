"""The accounting documents a member receives, as received: PDFs fetched
over HTTP from the test server (portal and report routes) or taken from the
e-mail sent, rendered by the installed wkhtmltopdf, read back with poppler's
pdftotext, pdffonts and pdfimages. And the books they post to: Odoo's French
chart (PCG) or any other."""

import base64
import io
import re
import zipfile
from contextlib import contextmanager
from datetime import timedelta
from unittest import skipUnless
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import file_open
from odoo.tools.misc import find_in_path

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import load_french, pdf_text, pdf_without_server, run_pdf_tool
from .test_invoicing import MediationInvoicingCommon


def _tool(name):
    try:
        return find_in_path(name)
    except OSError:
        return None


class AccountingDocumentsCommon(MediationInvoicingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pdf_without_server(cls.env)
        load_french(cls.env)
        with file_open("consumer_mediation/demo/mediation_company_logo.png", "rb") as f:
            logo = base64.b64encode(f.read())
        cls.company.write(
            {
                "name": "Médiation Conso Exemple",
                "street": "3 rue de la Paix",
                "zip": "75002",
                "city": "Paris",
                "country_id": cls.env.ref("base.fr").id,
                "company_registry": "813547205",
                "vat": "FR86813547205",
                "logo": logo,
                "phone": "+33 1 42 60 12 34",
                "mediation_invoice_auto_post": True,
            }
        )
        # Members pay by transfer: the bank account invoices give.
        cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": cls.company.partner_id.id,
                "allow_out_payment": True,
            }
        )
        cls.member = cls._member("Boulangerie Dupont")
        cls.member.write(
            {
                "street": "18 avenue Victor Hugo",
                "zip": "69003",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "vat": "FR44732829320",
                "company_registry": "732829320",
                "lang": "fr_FR",
            }
        )
        contact = cls.env["res.partner"].create(
            {
                "name": "Jeanne Dupont",
                "parent_id": cls.member.id,
                "email": "jeanne@dupont.example",
                "lang": "fr_FR",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            "doc_portal",
            groups="base.group_portal",
            partner_id=contact.id,
            company_id=cls.company.id,
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @contextmanager
    def _rendering(self):
        """Odoo renders HTML in test mode unless told to render PDFs: the
        same code paths (routes, sending), made to render."""
        Report = self.registry["ir.actions.report"]
        render = Report._pre_render_qweb_pdf

        def rendered(report, *args, **kwargs):
            return render(
                report.with_context(force_report_rendering=True), *args, **kwargs
            )

        with patch.object(Report, "_pre_render_qweb_pdf", rendered):
            yield

    def _fetch(self, url, login=None):
        """The PDF served at ``url`` to ``login``."""
        self.authenticate(login, login)
        with self._rendering():
            response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        content = response.content
        if content[:2] == b"PK":
            # A sent invoice downloads with its e-invoice XML, zipped.
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                (pdf_name,) = (n for n in archive.namelist() if n.endswith(".pdf"))
                content = archive.read(pdf_name)
        self.assertEqual(content[:5], b"%PDF-", response.text[:300])
        return content

    def _first_page(self, content):
        return pdf_text(content, "-f", "1", "-l", "1")

    def _date(self, value):
        return value.strftime("%d/%m/%Y")

    def assertFrenchDocument(self, content, *phrases):
        """Issuer, buyer and mandatory mentions on the first page, as text,
        with every font embedded and the logo printed."""
        text = self._first_page(content)
        for phrase in (
            # Issuer
            "Médiation Conso Exemple",
            "3 rue de la Paix, 75002 Paris",
            "SIREN 813547205",
            "FR86813547205",
            # Buyer
            "Boulangerie Dupont",
            "18 avenue Victor Hugo",
            "69003 Lyon",
            "FR44732829320",
            # Mandatory mentions (C. com. L441-9, L441-10)
            "Prestations de services",
            "Pénalités de retard",
            "trois fois le taux d'intérêt légal",
            "40 €",
            "L441-10",
            *phrases,
        ):
            self.assertIn(phrase, text)
        self.assertRegex(text, r"SIREN ?: 732829320")
        fonts = run_pdf_tool("pdffonts", content).splitlines()[2:]
        self.assertTrue(any("DejaVuSans" in font for font in fonts), fonts)
        for font in fonts:
            self.assertEqual(font.split()[-5], "yes", font)
        images = run_pdf_tool("pdfimages", content, "-list", "-f", "1", "-l", "1")
        self.assertGreater(len(images.splitlines()), 2, "the logo is printed")
        return text

    def _invoice(self, start=None):
        contract = self._contract(self.member, start or self.today)
        self._run()
        return contract, self._invoices(contract)


@skipUnless(
    _tool("pdftotext") and _tool("pdffonts") and _tool("pdfimages"),
    "poppler-utils is needed",
)
@tagged("post_install", "-at_install")
class TestAccountingDocumentsFrench(AccountingDocumentsCommon):
    """On Odoo's French chart (l10n_fr_account)."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()

    def test_fees_post_to_706_with_vat_on_collection(self):
        __, invoice = self._invoice()
        line = invoice.invoice_line_ids
        self.assertEqual(line.account_id.code, "706000")
        self.assertEqual(line.tax_ids.amount, 20.0)
        self.assertEqual(line.tax_ids.tax_scope, "service")
        self.assertEqual(line.tax_ids.tax_exigibility, "on_payment")
        self.assertEqual(
            line.tax_ids.invoice_repartition_line_ids.account_id.code, "445710"
        )
        self.assertEqual(invoice.amount_tax, 9.0)

    def test_invoice_as_the_member_and_the_accountant_get_it(self):
        # Sent by the invoicing run, as members get theirs: the e-mail and
        # the portal give the PDF rendered when sending.
        self.company.mediation_invoice_auto_send = True
        with self._rendering():
            __, invoice = self._invoice()
        sent = invoice.invoice_pdf_report_id
        self.assertEqual(
            sent.mimetype, "application/pdf", invoice.message_ids.mapped("body")
        )
        # The membership year billed: from its start, for a year.
        end = invoice.invoice_date + relativedelta(years=1, days=-1)
        phrases = (
            invoice.name,
            self._date(invoice.invoice_date),
            f"du {self._date(invoice.invoice_date)} au {self._date(end)}",
            f"Date d'échéance : {self._date(invoice.invoice_date_due)}",
        )
        member_pdf = self._fetch(
            f"/my/invoices/{invoice.id}?report_type=pdf&download=true", "doc_portal"
        )
        self.assertEqual(member_pdf, sent.raw)
        self.assertNotIn("PRO FORMA", self.assertFrenchDocument(member_pdf, *phrases))
        accountant_pdf = self._fetch(
            f"/report/pdf/account.report_invoice/{invoice.id}", "inv_accountant"
        )
        text = self.assertFrenchDocument(accountant_pdf, *phrases)
        self.assertNotIn("débits", text)

    def test_credit_note(self):
        __, invoice = self._invoice()
        credit_note = invoice._reverse_moves()
        credit_note.action_post()
        pdf = self._fetch(
            f"/report/pdf/account.report_invoice/{credit_note.id}", "inv_accountant"
        )
        self.assertFrenchDocument(
            pdf, "Avoir", credit_note.name, self._date(credit_note.invoice_date)
        )

    def test_payment_reminder_e_mailed_with_its_pdf(self):
        contract, invoice = self._invoice(self.today - timedelta(days=60))
        self.assertEqual(invoice.state, "posted")
        self.Engine.with_context(force_report_rendering=True)._cron_follow_up()
        self.assertTrue(contract.mediation_unpaid)
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.member)
        self.assertEqual(mail.attachment_ids.mimetype, "application/pdf")
        self.assertFrenchDocument(
            mail.attachment_ids.raw,
            "Relance de paiement",
            invoice.name,
            self._date(invoice.invoice_date_due),
            "54,00 €",
        )
        # Once per invoice.
        self.Engine.with_context(force_report_rendering=True)._cron_follow_up()
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
            ),
            1,
        )

    def test_membership_proposal_as_the_prospect_gets_it(self):
        proposal = self.Contract._mediation_prepare_proposal(
            self.member, "individual", date_start=self.today
        )
        proposal._portal_ensure_token()
        pdf = self._fetch(
            f"/my/contracts/{proposal.id}/mediation/proposal"
            f"?access_token={proposal.access_token}"
        )
        self.assertFrenchDocument(
            pdf,
            proposal.name,
            f"Période d'adhésion : du {self._date(proposal.date_start)} au "
            f"{self._date(proposal.date_start + relativedelta(years=3, days=-1))}",
        )

    def test_vat_on_debits_is_a_setting_stated_on_invoices(self):
        settings = Form(self.env["res.config.settings"])
        self.assertFalse(settings.mediation_vat_on_debits)
        settings.mediation_vat_on_debits = True
        settings.save().execute()
        self.assertTrue(Form(self.env["res.config.settings"]).mediation_vat_on_debits)
        __, invoice = self._invoice()
        tax = invoice.invoice_line_ids.tax_ids
        self.assertEqual(
            (tax.tax_exigibility, tax.tax_scope), ("on_invoice", "service")
        )
        self.assertEqual(tax.invoice_repartition_line_ids.account_id.code, "445710")
        pdf = self._fetch(
            f"/report/pdf/account.report_invoice/{invoice.id}", "inv_accountant"
        )
        text = " ".join(run_pdf_tool("pdftotext", pdf).split())
        self.assertIn("Option pour le paiement de la taxe d'après les débits", text)
        # And back to VAT on collection.
        settings = Form(self.env["res.config.settings"])
        settings.mediation_vat_on_debits = False
        settings.save().execute()
        annual = self.annual_product.taxes_id.filtered(
            lambda t: t.company_id == self.company
        )
        self.assertEqual(annual.tax_exigibility, "on_payment")


@skipUnless(
    _tool("pdftotext") and _tool("pdffonts") and _tool("pdfimages"),
    "poppler-utils is needed",
)
@tagged("post_install", "-at_install")
class TestAccountingDocumentsOtherChart(AccountingDocumentsCommon):
    """On another chart (Odoo's generic one): the chart's own accounts and
    default sales tax, the same documents."""

    def test_fees_post_to_the_chart_income_account(self):
        self.assertNotEqual(self.company.chart_template, "fr")
        __, invoice = self._invoice()
        line = invoice.invoice_line_ids
        self.assertEqual(line.account_id, self.company_data["default_account_revenue"])
        self.assertEqual(line.tax_ids, self.company.account_sale_tax_id)

    def test_invoice_as_the_member_gets_it(self):
        __, invoice = self._invoice()
        pdf = self._fetch(
            f"/my/invoices/{invoice.id}?report_type=pdf&download=true", "doc_portal"
        )
        self.assertFrenchDocument(pdf, invoice.name)
        self.assertFalse(
            re.search(r"débits", self._first_page(pdf)),
            "no option for VAT on debits outside the French chart",
        )
