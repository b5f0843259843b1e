import base64
from datetime import timedelta

import facturx
from lxml import etree

from odoo import fields
from odoo.tests import tagged

from odoo.addons.consumer_mediation.tests.tour_common import MediationRoleTourCase

NS = {
    "ram": "urn:un:unece:uncefact:data:standard:"
    "ReusableAggregateBusinessInformationEntity:100",
}


@tagged("post_install", "-at_install")
class TestAccountantDayUi(MediationRoleTourCase):
    """The accountant's day as a user of Odoo's Invoicing group only, in
    French: batch invoicing, the Factur-X invoice sent, a payment, a
    reminder, the FEC of the year."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["mediation.case"])
        cls.env.company.write(
            {
                "country_id": cls.env.ref("base.fr").id,
                "street": "24 rue Ferrandière",
                "zip": "69002",
                "city": "Lyon",
                "email": "compta@mediation-confluence.fr",
                "phone": "+33 4 65 71 12 34",
                "vat": "FR86813547205",
                "company_registry": "813547205",
                "siret": "81354720500019",
                "mediation_invoice_auto_post": True,
                "mediation_invoice_auto_send": False,
            }
        )
        cls.env.company.partner_id.bank_ids = [
            (0, 0, {"acc_number": "FR7630006000011234567890189"})
        ]
        cls.env["mediation.invoicing"]._set_default_product_taxes()
        cls.accountant = cls.role_user(
            "day_accountant", "account.group_account_invoice"
        )
        # The florist was invoiced last month and has not paid.
        cls.florist = cls._member("Fleurs Jour", "443061841")
        cls.env["mediation.invoicing"]._run(cls.today - timedelta(days=30))
        cls.florist_invoice = cls.env["account.move"].search(
            [("partner_id", "=", cls.florist.id)]
        )
        cls.env["account.move.send"]._generate_and_send_invoices(
            cls.florist_invoice, sending_methods={"email"}
        )
        cls.bakery = cls._member("Boulangerie Jour", "732829320")

    @classmethod
    def _member(cls, name, siren):
        member = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.split()[0].lower()}@example.com",
                "street": "3 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "company_registry": siren,
                "mediation_headcount": 3,
            }
        )
        contract = cls.env["contract.contract"]._mediation_prepare_proposal(
            member, "individual", date_start=cls.today - timedelta(days=30)
        )
        contract.action_mediation_activate()
        return member

    def _sent_to(self, invoice, partner):
        return invoice.message_ids.filtered(lambda m: partner in m.partner_ids)

    def test_accountant_day(self):
        self.assertEqual(len(self._sent_to(self.florist_invoice, self.florist)), 1)
        self.start_role_tour(
            "/odoo",
            "consumer_mediation_fec_accountant_day_tour",
            login="day_accountant",
            timeout=240,
        )
        invoice = self.env["account.move"].search(
            [("partner_id", "=", self.bakery.id), ("move_type", "=", "out_invoice")]
        )
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.is_move_sent)
        self.assertTrue(self._sent_to(invoice, self.bakery))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        payment = self.env["account.payment"].search(
            [("partner_id", "=", self.bakery.id)]
        )
        self.assertTrue(payment.move_id, "the payment is in the books")
        self.assertEqual(payment.create_uid, self.accountant)
        # The Factur-X of the invoice sent (in test mode Odoo attaches it
        # instead of embedding it in a PDF it does not render).
        xml = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "=", invoice.id),
                ("name", "=", "factur-x.xml"),
            ]
        )
        self.assertTrue(
            facturx.xml_check_xsd(xml.raw, flavor="factur-x", level="en16931")
        )
        tree = etree.fromstring(xml.raw)
        self.assertEqual(
            [
                tree.find(
                    f".//ram:{role}/ram:SpecifiedLegalOrganization/ram:ID", NS
                ).text
                for role in ("SellerTradeParty", "BuyerTradeParty")
            ],
            ["813547205", "732829320"],
        )
        # The reminder: the florist's invoice sent a second time.
        self.assertEqual(len(self._sent_to(self.florist_invoice, self.florist)), 2)
        # The FEC the accountant downloaded: the year's invoices and payment.
        wizard = self.env["l10n_fr.fec.export.wizard"].search(
            [("create_uid", "=", self.accountant.id), ("fec_file", "!=", False)]
        )
        self.assertEqual(len(wizard), 1)
        self.assertTrue(wizard.test_file)
        self.assertFalse(self.env.company.fiscalyear_lock_date)
        fec = base64.b64decode(wizard.fec_file).decode()
        for move in invoice | self.florist_invoice | payment.move_id:
            self.assertIn(f"|{move.name}|", fec)
