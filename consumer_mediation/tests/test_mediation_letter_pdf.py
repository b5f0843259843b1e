"""The printed letters as a post office, a judge and a screen reader get
them: real PDFs rendered by the installed wkhtmltopdf, read back with
poppler's pdftotext and pdffonts."""

import hashlib
import re
import subprocess
from datetime import timedelta
from unittest import skipUnless
from unittest.mock import patch
from xml.etree import ElementTree

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools.misc import find_in_path

from .common import (
    MediationCaseCommon,
    load_french,
    pdf_text,
    pdf_without_server,
    run_pdf_tool,
)

MM = 72 / 25.4  # PDF points per millimetre


def _tool(name):
    try:
        return find_in_path(name)
    except OSError:
        return None


@skipUnless(_tool("pdftotext") and _tool("pdffonts"), "poppler-utils is needed")
@tagged("post_install", "-at_install")
class TestMediationLetterPdf(MediationCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pdf_without_server(cls.env)
        load_french(cls.env)
        cls.company.write(
            {
                "name": "Médiation Conso Exemple",
                "street": "3 rue de la Paix",
                "zip": "75002",
                "city": "Paris",
                "company_registry": "732829320",
                "mediation_cecmc_listing": "liste du 12/03/2024",
            }
        )
        cls.mediator.name = "Claire Dubois"
        cls.consumer.write(
            {
                "street": "18 avenue Victor Hugo",
                "zip": "69003",
                "city": "Lyon",
                "lang": "en_US",
            }
        )
        cls.professional.write({"street": "1 quai du Port", "zip": "13002"})
        # The staff works in French: the letters must not follow them.
        cls.env.user.lang = "fr_FR"
        cls.env = cls.env(context=dict(cls.env.context, lang="fr_FR"))
        cls.case_env = cls.env(
            context=dict(cls.env.context, force_report_rendering=True)
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _text(self, content):
        return pdf_text(content)

    def _words(self, content):
        """{word: (x, y) of its first occurrence, in mm from the top left}."""
        html = run_pdf_tool("pdftotext", content, "-bbox")
        words = {}
        for node in ElementTree.fromstring(
            re.sub(r"<!DOCTYPE[^>]*>", "", html).replace(
                'xmlns="http://www.w3.org/1999/xhtml"', ""
            )
        ).iter("word"):
            words.setdefault(
                node.text,
                (float(node.get("xMin")) / MM, float(node.get("yMin")) / MM),
            )
        return words

    def _boxes(self, content):
        """[(word, x0, y0, x1, y1)] of the first page, in mm from the top
        left."""
        html = run_pdf_tool("pdftotext", content, "-bbox", "-f", "1", "-l", "1")
        return [
            (
                node.text,
                *(
                    float(node.get(key)) / MM
                    for key in ("xMin", "yMin", "xMax", "yMax")
                ),
            )
            for node in ElementTree.fromstring(
                re.sub(r"<!DOCTYPE[^>]*>", "", html).replace(
                    'xmlns="http://www.w3.org/1999/xhtml"', ""
                )
            ).iter("word")
        ]

    def _case_pdf(self, **values):
        return self._case(**values).with_env(self.case_env)

    def _sent(self, case, step):
        """The documents kept for the last letter of ``step``."""
        return case._letter_kept(step)

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_rendering_asks_the_web_server_for_nothing(self):
        """wkhtmltopdf asking the server for the style sheets while every
        worker renders a PDF left both servers hung in the production
        rehearsal: the page it gets carries them, and it fetches nothing
        (here the server does not answer: any request would fail)."""
        case = self._case_pdf(date_complaint=False)
        case._refuse(self.ground_no_complaint)
        runs = []
        real_popen = subprocess.Popen

        def recording_popen(command, *args, **kwargs):
            with open(command[-2], encoding="utf-8") as page:
                html = page.read()
            process = real_popen(command, *args, **kwargs)
            runs.append((command, html, process))
            return process

        with patch(
            "odoo.addons.base.models.ir_actions_report.subprocess.Popen",
            recording_popen,
        ):
            pdf = self.case_env["ir.actions.report"]._render_qweb_pdf(
                "consumer_mediation.action_report_case_refusal", case.ids
            )[0]
        self.assertIn("No prior written complaint", self._text(pdf))
        self.assertTrue(runs)
        for command, html, process in runs:
            # 1: wkhtmltopdf could not load something of the page.
            self.assertEqual(process.returncode, 0, command)
            self.assertNotIn('href="/web/assets/', html)
            self.assertIn("<style>", html)

    def test_letter_is_a_complete_letter_with_text_and_fonts(self):
        case = self._case_pdf(date_complaint=False)
        case._refuse(self.ground_no_complaint)
        case.action_send_refusal()
        document = self._sent(case, "refusal")
        self.assertEqual(document.mimetype, "application/pdf")
        text = self._text(document.raw)
        for phrase in (
            # Letterhead
            "Médiation Conso Exemple",
            "3 rue de la Paix, 75002 Paris",
            "SIREN 732829320",
            "listed by the CECMC: liste du 12/03/2024",
            # Recipient, place and date, subject
            "Camille Martin",
            "18 avenue Victor Hugo",
            "69003 Lyon",
            "Paris, " + self.today.strftime("%B")[:3],
            f"Subject: case {case.name}",
            # Body and signature
            "No prior written complaint",
            "Claire Dubois",
            "Consumer mediator, Médiation Conso Exemple",
        ):
            self.assertIn(phrase, text)
        # Page numbers, stamped on every page.
        self.assertRegex(text, r"1 ?/ ?1$")
        # Every font is embedded: DejaVu for the letter, Vera for the numbers.
        fonts = run_pdf_tool("pdffonts", document.raw).splitlines()[2:]
        self.assertTrue(any("DejaVuSans" in font for font in fonts))
        for font in fonts:
            self.assertEqual(font.split()[-5], "yes", font)

    def test_address_behind_the_envelope_window(self):
        case = self._case_pdf()
        case.action_send_acknowledgement()
        x, y = self._words(self._sent(case, "acknowledgement").raw)["Camille"]
        # DL/C5 right window: about 100-195 mm across, 45-95 mm down.
        self.assertGreater(x, 100)
        self.assertLess(x, 130)
        self.assertGreater(y, 45)
        self.assertLess(y, 60)
        self.company.mediation_letter_window = "left"
        case = self._case_pdf()
        case.action_send_acknowledgement()
        x, y = self._words(self._sent(case, "acknowledgement").raw)["Camille"]
        self.assertGreater(x, 15)
        self.assertLess(x, 30)
        self.assertGreater(y, 45)
        self.assertLess(y, 60)

    def test_only_the_address_shows_through_either_window(self):
        """A DL/C5 window (100 x 45 mm, 20 mm from the side, 15 mm from the
        bottom of a 110 x 220 mm envelope) with the folded A4's play in the
        envelope (10 mm across, 11 mm down) may show the page from 39 to
        95 mm down, 10 to 120 mm (left) or 90 to 200 mm (right) across: only
        the address is printed there, 5 mm inside the part of the window that
        shows whatever the play."""
        # The demo's long listing: the letterhead at its tallest.
        self.company.mediation_cecmc_listing = (
            "Médiateur de la consommation référencé par la Commission "
            "d'évaluation et de contrôle de la médiation de la consommation "
            "(CECMC) et inscrit sur la liste des médiateurs notifiés à la "
            "Commission européenne."
        )
        address = {
            "Camille",
            "Martin",
            "18",
            "avenue",
            "Victor",
            "Hugo",
            "69003",
            "Lyon",
        }
        for side, (left, right) in (("right", (90, 200)), ("left", (10, 120))):
            self.company.mediation_letter_window = side
            case = self._case_pdf()
            case.action_send_acknowledgement()
            words = self._boxes(self._sent(case, "acknowledgement").raw)
            shown = [
                (word, x0, y0, x1, y1)
                for word, x0, y0, x1, y1 in words
                if x1 > left and x0 < right and y1 > 39 and y0 < 95
            ]
            self.assertEqual({w[0] for w in shown}, address, side)
            self.assertEqual(len(shown), len(address), side)
            # Always visible: 20-110 mm (left) or 100-190 mm (right) across,
            # 50-84 mm down; the address keeps 5 mm from those edges.
            self.assertGreaterEqual(min(w[1] for w in shown), left + 15, side)
            self.assertLessEqual(max(w[3] for w in shown), right - 15, side)
            self.assertGreaterEqual(min(w[2] for w in shown), 55, side)
            self.assertLessEqual(max(w[4] for w in shown), 79, side)
            # The letterhead is printed whole, beside the window.
            text = self._text(self._sent(case, "acknowledgement").raw)
            self.assertIn("notifiés à la Commission européenne.", text)

    def test_printed_letter_in_the_recipient_language(self):
        """A French staff member prints an English consumer's refusal: all
        English, ground included; and a French consumer's all French."""
        self.consumer.country_id = self.env.ref("base.de")
        case = self._case_pdf(date_complaint=False)
        case._refuse(self.ground_no_complaint)
        report = self.case_env["ir.actions.report"]
        english = self._text(
            report._render_qweb_pdf(
                "consumer_mediation.action_report_case_refusal", case.ids
            )[0]
        )
        self.assertIn("No prior written complaint", english)
        self.assertIn("You did not show", english)
        self.assertNotIn("Pas de réclamation", english)
        self.assertIn("Germany", english)
        self.assertIn(case.date_received.strftime("%m/%d/%Y"), english)
        self.consumer.lang = "fr_FR"
        self.env.user.lang = "en_US"
        french = self._text(
            report.with_context(lang="en_US")._render_qweb_pdf(
                "consumer_mediation.action_report_case_refusal", case.ids
            )[0]
        )
        self.assertIn(f"Objet : dossier {case.name}", french)
        self.assertIn("Paris, le ", french)
        self.assertIn("Médiateur de la consommation", french)
        self.assertIn("gratuite pour le consommateur", french)
        self.assertNotIn("No prior written complaint", french)
        self.assertIn("Allemagne", french)
        self.assertIn(case.date_received.strftime("%d/%m/%Y"), french)

    def test_sent_letter_is_kept_mailed_and_fingerprinted(self):
        case = self._case_pdf(date_complaint=False)
        case._refuse(self.ground_no_complaint)
        case.action_send_refusal()
        document = self._sent(case, "refusal")
        self.assertEqual(
            (document.res_model, document.res_id), ("mediation.case", case.id)
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", "mediation.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(mail.attachment_ids, document)
        entry = case.decision_log_ids.filtered(lambda e: e.kind == "letter")
        self.assertEqual(entry.letter_step, "refusal")
        self.assertIn(hashlib.sha256(document.raw).hexdigest(), entry.snapshot)
        # A reprint gives the letter sent, not today's data.
        self.consumer.name = "Camille Martin-Durand"
        reprint = self.case_env["ir.actions.report"]._render_qweb_pdf(
            "consumer_mediation.action_report_case_refusal", case.ids
        )[0]
        self.assertEqual(reprint, document.raw)
        # An altered kept letter is refused, not reprinted.
        document.sudo().raw = document.raw + b"%"
        with self.assertRaises(UserError):
            self.case_env["ir.actions.report"]._render_qweb_pdf(
                "consumer_mediation.action_report_case_refusal", case.ids
            )

    def test_proposal_states_the_legal_effects_and_deadline(self):
        self.consumer.lang = "fr_FR"
        case = self._case_in("mediation").with_env(self.case_env)
        case.proposal_text = "<p>Remboursement de 300 EUR.</p>"
        case.proposal_favours = "balanced"
        case.action_send_proposal()
        due = (self.today + timedelta(days=15)).strftime("%d/%m/%Y")
        documents = self._sent(case, "proposal")
        self.assertEqual(len(documents), 2)
        french, english = (self._text(d.raw) for d in documents)
        for phrase in ("1103", "1565", "force obligatoire", f"au plus tard le {due}"):
            self.assertIn(phrase, french)
        self.assertNotIn("renoncer", french)
        due_en = (self.today + timedelta(days=15)).strftime("%m/%d/%Y")
        for phrase in (
            "article 1103 of the Civil Code",
            "1565",
            f"no later than {due_en}",
        ):
            self.assertIn(phrase, english)

    def test_refusal_invites_a_new_request_only_when_curable(self):
        case = self._case_pdf(date_complaint=False)
        case._refuse(self.ground_no_complaint)
        case.action_send_refusal()
        self.assertIn("new request", self._text(self._sent(case, "refusal").raw))
        case = self._case_pdf()
        case._refuse(self.env.ref("consumer_mediation.ground_already_examined"))
        case.action_send_refusal()
        text = self._text(self._sent(case, "refusal").raw)
        self.assertNotIn("new request", text)
        self.assertIn("going to court", text)
        case = self._case_pdf()
        case._refuse(self.ground_competence)
        case.action_send_refusal()
        self.assertIn(
            "outside the sector or the field of disputes",
            self._text(self._sent(case, "refusal").raw),
        )

    def test_representation_and_expert_at_own_cost(self):
        case = self._case_pdf()
        case.action_send_acknowledgement()
        self.assertIn(
            "at its own cost, be represented by a lawyer or assisted",
            self._text(self._sent(case, "acknowledgement").raw),
        )

    def test_mediation_ending_without_proposal_is_notified_to_both(self):
        case = self._case_in("mediation").with_env(self.case_env)
        case._interrupt(self.env.ref("consumer_mediation.outcome_withdrawn_consumer"))
        documents = self._sent(case, "closing")
        self.assertEqual(len(documents), 2)
        self.assertEqual(case.date_closing_notified, self.today)
        for document in documents:
            self.assertIn("2238", self._text(document.raw))
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "mediation.case"),
                ("res_id", "=", case.id),
                ("attachment_ids", "in", documents.ids),
            ]
        )
        self.assertEqual(mails.recipient_ids, self.consumer | self.professional)

    def test_request_cannot_be_received_in_the_future(self):
        with self.assertRaises(ValidationError):
            self._case(date_received=self.today + timedelta(days=1))


@skipUnless(_tool("pdftotext"), "poppler-utils is needed")
@tagged("post_install", "-at_install")
class TestMediationLetterReprintHttp(MediationCaseCommon, HttpCase):
    """Reprinting over the report route, as the mediator of the case and as
    a mediator it is not assigned to. The kept letter prints without
    wkhtmltopdf (which a test server could not serve its assets to)."""

    def _print(self, login, case):
        self.authenticate(login, login)
        return self.url_open(
            f"/report/pdf/consumer_mediation.report_case_refusal/{case.id}"
        )

    def test_reprint_gives_the_kept_letter_to_its_mediator_only(self):
        case = self._case(date_complaint=False)
        case._refuse(self.ground_no_complaint)
        case.with_user(self.mediator).with_context(
            force_report_rendering=True
        ).action_send_refusal()
        kept = case._letter_kept("refusal")
        self.consumer.name = "Camille Martin-Durand"
        response = self._print("case_mediator", case)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, kept.raw)
        response = self._print("case_mediator2", case)
        self.assertNotEqual(response.content, kept.raw)
        self.assertNotIn(b"%PDF", response.content[:10])
