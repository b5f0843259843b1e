import re

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MediationMemberCommon, load_french

ODR_MARKERS = ("ec.europa.eu", "ODR", "online dispute resolution", "RLL")


@tagged("post_install", "-at_install")
class TestMediationKit(MediationMemberCommon):
    def _kit_mails(self, partner):
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )

    def assertKitContent(self, text, partner):
        self.assertIn("Médiateur Test Conso", text)
        self.assertIn(f"/mediation/saisine?professional={partner.id}", text)
        # the QR code's base64 image could contain any short marker by chance
        visible = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", text)
        for marker in ODR_MARKERS:
            self.assertNotIn(marker, visible)

    def test_activation_sends_the_kit(self):
        contract = self._active_contract(self.bakery, self.d("2026-01-01"))
        mail = self._kit_mails(self.bakery)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.bakery)
        self.assertKitContent(mail.body_html, self.bakery)
        self.assertIn(self.bakery._mediation_kit_cgv_sentence(), mail.body_html)
        # the website block is given as code to paste
        self.assertIn("&lt;div class=&#34;consumer-mediation&#34;&gt;", mail.body_html)
        # the window notice (rendered as HTML in tests, PDF in production)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertTrue(
            mail.attachment_ids.name.startswith(
                "Consumer mediation notice - Boulangerie Dupont."
            )
        )
        self.assertTrue(self.bakery.mediation_kit_sent_on)
        self.assertTrue(contract.mediation_kit_sent_on)

    def test_resend_kit(self):
        with self.assertRaisesText(UserError, "only sent to professionals covered"):
            self.garage.action_mediation_send_kit()
        contract = self._active_contract(self.garage, self.d("2026-01-01"))
        contract.action_mediation_send_kit()
        self.garage.action_mediation_send_kit()
        self.assertEqual(len(self._kit_mails(self.garage)), 3)

    def test_window_notice_a4_and_a5(self):
        self._active_contract(self.bakery, self.d("2026-01-01"))
        for paper in ("a4", "a5"):
            report = self.env.ref(
                f"consumer_mediation.action_report_mediation_window_notice_{paper}"
            )
            self.assertEqual(report.paperformat_id.format, paper.upper())
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html(report, self.bakery.ids)[0]
                .decode()
            )
            self.assertKitContent(html, self.bakery)
            self.assertIn('src="data:image/png;base64,', html)

    def test_convention_members_get_their_own_kit(self):
        self._active_contract(
            self.federation,
            self.d("2026-01-01"),
            kind="convention",
            members=self.exhibitor,
        )
        self.assertKitContent(self._kit_mails(self.exhibitor).body_html, self.exhibitor)
        self.assertFalse(self._kit_mails(self.other_exhibitor))
        convention = (
            self.federation.mediation_coverage_contract_id
            or self.Contract.search([("partner_id", "=", self.federation.id)])
        )
        self.env["mediation.convention.member"].create(
            {"contract_id": convention.id, "partner_id": self.other_exhibitor.id}
        )
        self.assertEqual(len(self._kit_mails(self.other_exhibitor)), 1)

    def test_kit_speaks_the_professional_language(self):
        load_french(self.env)
        self.bakery.lang = "fr_FR"
        sentence = self.bakery._mediation_kit_cgv_sentence()
        self.assertIn("Conformément aux articles L.612-1", sentence)
        self.assertIn("Médiateur Test Conso", sentence)
        self._active_contract(self.bakery, self.d("2026-01-01"))
        mail = self._kit_mails(self.bakery)
        self.assertEqual(
            mail.subject, "Votre kit d'information sur la médiation de la consommation"
        )
        self.assertKitContent(mail.body_html, self.bakery)

    def test_kit_and_qr_refuse_a_local_or_plain_http_address(self):
        contract = self._active_contract(self.bakery, self.d("2026-01-01"))
        self.assertTrue(contract)
        for url in (
            "http://localhost:8069",
            "http://192.168.1.20",
            "http://mediateur.example.com",
        ):
            self.env["ir.config_parameter"].set_param("web.base.url", url)
            with self.assertRaises(UserError):
                self.bakery.action_mediation_send_kit()
            with self.assertRaises(UserError):
                self.bakery._mediation_filing_qr_src()
            settings = self.env["res.config.settings"].create({})
            self.assertIn(url, settings.mediation_public_url_warning)
        # Sent on activation: held back, with the reason on the partner.
        mails = self.env["mail.mail"].search_count([])
        self._active_contract(self.garage, self.d("2026-01-01"))
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)
        self.assertIn("not encrypted", self.garage.message_ids[0].body)
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://mediateur.example.com"
        )
        self.assertFalse(
            self.env["res.config.settings"].create({}).mediation_public_url_warning
        )
        self.bakery.action_mediation_send_kit()
