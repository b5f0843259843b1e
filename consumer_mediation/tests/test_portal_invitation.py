from odoo import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import MediationCaseCommon, load_french


@tagged("post_install", "-at_install")
class TestPortalInvitation(MockEmail, MediationCaseCommon):
    """A party's new portal account is announced by the mediator's own
    invitation to its space, in its language, as the e-mail is sent; not by
    Odoo's invitation of an employee "to connect to Odoo"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.company.name = "Médiation Confluence"

    def _assert_invitation(self, email, login):
        sent = [mail for mail in self._mails if email in " ".join(mail["email_to"])]
        self.assertEqual(len(sent), 1, [mail["subject"] for mail in self._mails])
        mail = sent[0]
        self.assertEqual(
            mail["subject"],
            "Votre espace en ligne auprès de Médiation Confluence, médiateur de "
            "la consommation",
        )
        body = mail["body"]
        self.assertIn("a ouvert votre espace personnel", body)
        self.assertIn("Choisir mon mot de passe", body)
        self.assertIn(f"Votre identifiant : {login}", body)
        self.assertRegex(body, r"/web/(signup|reset_password)\?")
        for marketing in ("Odoo", "Tour", "invite", "Dear", "Welcome"):
            self.assertNotIn(marketing, body + mail["subject"])

    def test_new_consumer_is_invited_by_the_mediator(self):
        consumer = self.env["res.partner"].create(
            {"name": "Lucie Courrier", "email": "lucie@example.com", "lang": "fr_FR"}
        )
        case = self._case(consumer_id=consumer.id)
        with self.mock_mail_gateway():
            case._web_grant_portal()
        self.assertTrue(consumer.user_ids.share)
        self._assert_invitation("lucie@example.com", "lucie@example.com")

    def test_contact_given_the_portal_is_invited_by_the_mediator(self):
        lawyer = self.env["res.partner"].create(
            {"name": "Maître Roux", "email": "roux@example.com", "lang": "fr_FR"}
        )
        wizard = self.env["portal.wizard"].create({"partner_ids": lawyer.ids})
        with self.mock_mail_gateway():
            wizard.user_ids.action_grant_access()
        self._assert_invitation("roux@example.com", "roux@example.com")

    def test_representative_is_invited_when_added(self):
        case = self._case()
        lawyer = self.env["res.partner"].create(
            {"name": "Maître Blanc", "email": "blanc@example.com", "lang": "fr_FR"}
        )
        with self.mock_mail_gateway():
            case.with_user(self.mediator).representative_ids = [
                Command.create({"partner_id": lawyer.id, "party": "consumer"})
            ]
        self.assertTrue(lawyer.user_ids.share)
        self._assert_invitation("blanc@example.com", "blanc@example.com")

    def test_invitation_sent_again_from_the_user_form(self):
        user = self.env["res.users"]._create_user_from_template(
            {
                "login": "jeanne@example.com",
                "email": "jeanne@example.com",
                "name": "Jeanne Test",
                "lang": "fr_FR",
            }
        )
        with self.mock_mail_gateway():
            user.with_context(create_user=1).action_reset_password()
        self._assert_invitation("jeanne@example.com", "jeanne@example.com")

    def test_staff_keep_odoo_s_invitation(self):
        with self.mock_mail_gateway():
            self.env["res.users"].create(
                {"name": "Nouvelle Secrétaire", "login": "sec", "email": "sec@x.fr"}
            )
        self.assertFalse(
            [m for m in self._mails if "médiateur de la consommation" in m["subject"]]
        )
