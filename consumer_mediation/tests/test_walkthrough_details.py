"""What the second walkthrough found on the pages users read every day:
deadlines said one way, which deadline binds whom."""

from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import pdf_without_server
from .test_mediation_case_documents import MediationDocumentsCommon
from .test_multi_record_print import PDF_QUERY, pdf_text
from .test_public_forms import MediationFrenchPortalCommon


@tagged("post_install", "-at_install")
class TestMediationDeadlineWording(MediationFrenchPortalCommon):
    def _text(self, response):
        return " ".join(self._page(response).text_content().split())

    def test_portal_steps_say_at_the_latest_and_who_is_bound(self):
        """The consumer reads the answer deadline as the letters say it, and
        the mediation deadline that falls before it as the mediator's."""
        case = self._case_in("proposal")
        # Notified 85 days ago: the mediation's 90 days end before the
        # 15 days given to answer.
        case.with_context(mediation_decision=True).write(
            {"date_saisine_notified": self.today - timedelta(days=85)}
        )
        self.assertLess(case.date_mediation_due, case.date_proposal_answer_due)
        answer = case.date_proposal_answer_due.strftime("%d/%m/%Y")
        mediation = case.date_mediation_due.strftime("%d/%m/%Y")
        self.authenticate("cm_consumer", "cm_consumer")
        page = self._page(self.url_open(case.access_url))
        (steps,) = page.xpath('//*[hasclass("o_mediation_timeline")]')
        steps = " ".join(steps.text_content().split())
        self.assertIn(
            f"Réponse du consommateur à la proposition au plus tard le {answer}",
            steps,
        )
        self.assertNotIn("avant", steps)
        self.assertIn(
            "Échéance de la médiation, qui engage le médiateur : l'issue de la "
            f"médiation au plus tard le {mediation}",
            steps,
        )
        self.assertIn("L'échéance des parties est celle de la réponse", steps)
        self.assertIn(
            f"Répondez au plus tard le {answer}",
            self._text(self.url_open(case.access_url)),
        )

    def test_back_office_labels_say_at_the_latest(self):
        """The mediator's case form labels its deadlines «au plus tard le»."""
        self.mediator.lang = "fr_FR"
        self.authenticate("case_mediator", "case_mediator")
        fields = self.make_jsonrpc_request(
            "/web/dataset/call_kw/mediation.case/fields_get",
            {
                "model": "mediation.case",
                "method": "fields_get",
                "args": [],
                "kwargs": {
                    "attributes": ["string", "help"],
                    "context": {"lang": "fr_FR"},
                },
            },
        )
        for name in (
            "date_refusal_due",
            "date_entry_due",
            "date_proposal_answer_due",
        ):
            self.assertTrue(
                fields[name]["string"].endswith(" au plus tard le"),
                fields[name]["string"],
            )
        # Which deadline binds whom, on the form's tooltips.
        self.assertIn("Engage le médiateur", fields["date_mediation_due"]["help"])
        self.assertIn(
            "elle engage les parties", fields["date_proposal_answer_due"]["help"]
        )


@tagged("post_install", "-at_install")
class TestMediationLetterLinks(MediationDocumentsCommon):
    """A letter prints the case page's address only when consumers can reach
    it: the rule of the kit and of the QR codes."""

    def test_documents_request_refused_with_a_local_address(self):
        case = self._file_online()
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "http://localhost:8069"
        )
        with self.assertRaisesRegex(UserError, "adresse locale"):
            self._request(case, self.invoice)
        self.assertFalse(case.date_documents_requested)
        self.assertFalse(
            self._mails_to_consumer(case).filtered(
                lambda m: "pièces nécessaires" in m.subject
            )
        )
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://mediateur.example.com"
        )
        self._request(case, self.invoice)
        (mail,) = self._mails_to_consumer(case).filtered(
            lambda m: "pièces nécessaires" in m.subject
        )
        self.assertIn(f"https://mediateur.example.com{case.access_url}", mail.body_html)
        # Printed later on a local address (a test copy, a wrong setting):
        # the letter gives the postal address, never the local link.
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "http://localhost:8069"
        )
        pdf_without_server(self.env)
        self.authenticate("cm_secretary", "cm_secretary")
        response = self.url_open(
            "/report/pdf/consumer_mediation.report_case_documents_request/"
            f"{case.id}{PDF_QUERY}"
        )
        self.assertEqual(response.status_code, 200)
        text = pdf_text(response.content)
        self.assertIn("Vous pouvez les envoyer par courrier à", text)
        self.assertNotIn("localhost", text)


@tagged("post_install", "-at_install")
class TestMediationDemoKit(MediationFrenchPortalCommon):
    def test_demo_member_gets_the_window_notice(self):
        """`make run` serves on a local address: the demo's fictitious public
        https address lets a member print the kit's window notice."""
        self.member_user = new_test_user(
            self.env,
            "cm_demo_member",
            groups="base.group_portal",
            lang="fr_FR",
            email="demo.member@example.com",
        )
        self.member_user.partner_id.parent_id = self.professional
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "http://localhost:8069"
        )
        pdf_without_server(self.env)
        self.env["mediation.demo"].with_context(lang="fr_FR")._set_public_address()
        base_url = self.env["ir.config_parameter"].get_param("web.base.url")
        self.assertTrue(base_url.startswith("https://"))
        self.assertTrue(base_url.endswith(".example"))
        self.authenticate("cm_demo_member", "cm_demo_member")
        response = self.url_open("/my/mediation/kit/notice/a4")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("error=public_url", response.url)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")


@tagged("post_install", "-at_install")
class TestMediationBrowserLocale(MediationFrenchPortalCommon):
    """The forms ask dates and files in French whatever the browser's
    language: no browser date control, no browser file button text."""

    def test_french_date_format_and_file_picker(self):
        page = self._page(self.url_open("/mediation/saisine"))
        (date_input,) = page.xpath('//input[@id="cm_date_complaint"]')
        self.assertEqual(date_input.get("type"), "text")
        self.assertEqual(date_input.get("placeholder"), "jj/mm/aaaa")
        (hint,) = page.xpath('//*[@id="cm_date_complaint_hint"]')
        self.assertIn("Jour/mois/année", hint.text_content())
        self.assertIn("cm_date_complaint_hint", date_input.get("aria-describedby"))
        typed = (self.today - timedelta(days=20)).strftime("%d/%m/%Y")
        future = (self.today + timedelta(days=2)).strftime("%d/%m/%Y")
        for value, error in ((future, True), ("31/02/2026", True), (typed, False)):
            page = self._page(
                self.url_open(
                    "/mediation/saisine/check",
                    data={
                        "csrf_token": self._csrf("/mediation/saisine"),
                        "professional_id": self.professional.id,
                        "complaint_sent": "yes",
                        "date_complaint": value,
                    },
                )
            )
            self.assertEqual(
                bool(page.xpath('//*[@id="cm_error_date_complaint"]')), error, value
            )
        # Step 2: the date typed is kept as typed, the file picker is French.
        self.assertEqual(
            set(page.xpath('//input[@name="date_complaint"]/@value')), {typed}
        )
        (button,) = page.xpath('//label[@for="cm_documents"][hasclass("btn")]')
        self.assertEqual(button.text_content().strip(), "Choisir des fichiers")
        (chosen,) = page.xpath('//*[@id="cm_documents_chosen"]')
        self.assertEqual(chosen.text_content().strip(), "Aucun fichier choisi")
