from unittest.mock import patch

import facturx
from lxml import etree

from odoo.tests import tagged
from odoo.tools import config

from .common import pdf_without_server
from .test_invoicing import MediationInvoicingCommon

NS = {
    "ram": "urn:un:unece:uncefact:data:standard:"
    "ReusableAggregateBusinessInformationEntity:100",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
}


@tagged("post_install", "-at_install")
class TestMediationFacturX(MediationInvoicingCommon):
    """The invoice the batch e-mails to a member is a Factur-X PDF whose XML
    is valid against the EN 16931 XSD and names both parties by SIREN."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        france = cls.env.ref("base.fr")
        cls.company.write(
            {
                "country_id": france.id,
                "street": "24 rue Ferrandière",
                "zip": "69002",
                "city": "Lyon",
                "phone": "+33 4 65 71 12 34",
                "vat": "FR86813547205",
                "company_registry": "813547205",
                "siret": "81354720500019",
                "mediation_invoice_auto_post": True,
                "mediation_invoice_auto_send": True,
            }
        )
        cls.company.partner_id.bank_ids = [
            (0, 0, {"acc_number": "FR7630006000011234567890189"})
        ]
        cls.member = cls._member("Boulangerie Martin")
        cls.member.write(
            {
                "street": "3 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "country_id": france.id,
                "vat": "FR44732829320",
                "company_registry": "732 829 320",
                "siret": "73282932000074",
            }
        )
        # No address, no VAT number: Odoo suggests no e-invoice format for it.
        cls.florist = cls._member("Fleurs Martin")
        cls.florist.company_registry = "443061841"

    def _sent_pdf(self, invoice):
        """The PDF attached to the e-mail the member received."""
        member = invoice.partner_id
        message = invoice.message_ids.filtered(lambda m: member in m.partner_ids)
        self.assertEqual(len(message), 1, "the invoice was e-mailed to the member")
        pdfs = message.attachment_ids.filtered(
            lambda a: a.mimetype == "application/pdf"
        )
        self.assertEqual(len(pdfs), 1)
        return pdfs.raw

    def _facturx(self, invoice):
        """The Factur-X XML in the PDF sent, checked against the XSD."""
        filename, xml = facturx.get_xml_from_pdf(
            self._sent_pdf(invoice), check_xsd=False
        )
        self.assertEqual(filename, "factur-x.xml")
        # Raises if the XML does not follow the EN 16931 XSD.
        self.assertTrue(facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931"))
        return etree.fromstring(xml)

    def test_batch_sends_facturx_with_sirens(self):
        contract = self._contract(self.member, self.today)
        florist_contract = self._contract(self.florist, self.today)
        pdf_without_server(self.env)
        # Odoo embeds the Factur-X XML and renders the real PDF only outside
        # test mode: the batch runs as in production.
        with patch.dict(config.options, {"test_enable": False}):
            invoices, failed = self._run()
        self.assertFalse(failed)
        invoice = self._invoices(contract)
        florist_invoice = self._invoices(florist_contract)
        self.assertEqual(invoices, invoice | florist_invoice)
        tree = self._facturx(invoice)
        florist_tree = self._facturx(florist_invoice)
        self.assertEqual(
            florist_tree.find(
                ".//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", NS
            ).text,
            "443061841",
        )

        def party(role):
            node = tree.find(f".//ram:{role}", NS)
            legal = node.find("ram:SpecifiedLegalOrganization/ram:ID", NS)
            vat = node.find("ram:SpecifiedTaxRegistration/ram:ID", NS)
            return legal.get("schemeID"), legal.text, vat.text

        self.assertEqual(
            party("SellerTradeParty"), ("0002", "813547205", "FR86813547205")
        )
        self.assertEqual(
            party("BuyerTradeParty"), ("0002", "732829320", "FR44732829320")
        )
        # The reform's mentions: services (BT-23 and a note), VAT on debits
        # (BT-8 code 5 with the taxes due on the invoice, and its note).
        self.assertEqual(
            tree.findtext(
                ".//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
                namespaces=NS,
            ),
            "S1",
        )
        notes = {
            note.findtext("ram:SubjectCode", namespaces=NS): note.findtext(
                "ram:Content", namespaces=NS
            )
            for note in tree.iterfind(".//rsm:ExchangedDocument/ram:IncludedNote", NS)
        }
        self.assertEqual(notes.get("AAI"), "Supply of services")
        self.assertEqual(notes.get("TXD"), "Option for payment of VAT on debits")
        self.assertEqual(
            {code.text for code in tree.iterfind(".//ram:DueDateTypeCode", NS)},
            {"5"},
        )
