from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import html2plaintext
from odoo.tools.misc import format_date

from .common import MediationCaseCommon, load_french

WHOLE_PROCESS = [
    "free of charge for the consumer",
    "represented by a lawyer or assisted by any person",
    "at its own cost, be represented by a lawyer",
    "opinion of an expert, whose fees it bears",
    "by e-mail at contact@mediateur.example.com",
    "or by post at",
    # Confidentiality (L612-3), not opposable to the CECMC.
    "cannot be disclosed to third parties or used in court",
    "cannot be opposed to the CECMC",
]


@tagged("post_install", "-at_install")
class TestMediationCaseLetters(MediationCaseCommon):
    def _pdf_text(self, step, case):
        html = self.env["ir.actions.report"]._render_qweb_html(
            f"consumer_mediation.action_report_case_{step}", case.ids
        )[0]
        return " ".join(html2plaintext(html.decode()).split())

    def _mail_text(self, case, partner):
        body = self._letters(case, partner)[:1].body
        return " ".join(html2plaintext(body).split())

    def _assert_says(self, text, phrases):
        for phrase in WHOLE_PROCESS + phrases:
            self.assertIn(phrase, text)

    def _date(self, date):
        return format_date(self.env, date)

    def test_acknowledgement(self):
        case = self._case()
        case.action_send_acknowledgement()
        self.assertEqual(case.date_acknowledged, self.today)
        phrases = [case.name, "within three weeks"]
        self._assert_says(self._mail_text(case, self.consumer), phrases)
        self._assert_says(self._pdf_text("acknowledgement", case), phrases)

    def test_refusal_gives_the_ground(self):
        case = self._case(date_complaint=False)
        case._refuse(self.ground_no_complaint)
        case.action_send_refusal()
        phrases = ["No prior written complaint", "L612-2 1°", "going to court"]
        self._assert_says(self._mail_text(case, self.consumer), phrases)
        self._assert_says(self._pdf_text("refusal", case), phrases)

    def test_saisine_and_request_to_professional(self):
        case = self._case_in("waiting")
        phrases = [
            "may withdraw from the mediation at any time",
            "limitation period for going to court is suspended",
            "receives all or part of the documents",
            "together or separately",
            self._date(self.today),
        ]
        self._assert_says(self._mail_text(case, self.consumer), phrases)
        self._assert_says(self._pdf_text("saisine", case), phrases)
        request = self._letters(case, self.professional).filtered(
            lambda m: "agree to enter" in m.body
        )
        self.assertTrue(request)
        self.assertIn(self._date(case.date_entry_due), html2plaintext(request.body))
        self._assert_says(
            self._pdf_text("professional_request", case),
            ["agree to enter", self._date(case.date_entry_due)],
        )

    def test_extension_states_the_new_deadline(self):
        case = self._case_in("mediation")
        new_deadline = self.today + timedelta(days=130)
        case._extend(new_deadline, "Expertise")
        phrases = ["extends the mediation", self._date(new_deadline)]
        self._assert_says(self._mail_text(case, self.professional), phrases)
        self._assert_says(self._pdf_text("extension", case), phrases)

    def test_proposal_mandatory_mentions(self):
        case = self._case_in("proposal")
        phrases = [
            "Refund of 300 EUR.",
            "free to accept or to refuse",
            "does not prevent you from going to court",
            "may differ from the decision a judge would give",
            "binding force",
            "article 1103 of the Civil Code",
            self._date(self.today + timedelta(days=15)),
        ]
        self._assert_says(self._mail_text(case, self.consumer), phrases)
        self._assert_says(self._mail_text(case, self.professional), phrases)
        self._assert_says(self._pdf_text("proposal", case), phrases)

    def test_closing_and_certificate(self):
        case = self._case_in("proposal")
        case.action_consumer_refuse()
        case.action_close()
        case.action_send_closing()
        case.action_send_certificate()
        closing = ["Proposal refused by the consumer", "restarts for at least six"]
        self._assert_says(self._pdf_text("closing", case), closing)
        certificate = [
            "Certificate of attempted mediation",
            "Meubles Lefort",
            "Camille Martin",
            "750-1",
        ]
        self._assert_says(self._pdf_text("certificate", case), certificate)
        self._assert_says(self._mail_text(case, self.consumer), certificate)

    def test_letter_goes_to_its_recipient_only(self):
        case = self._case_in("waiting")
        saisine = self._letters(case, self.consumer)
        self.assertEqual(saisine.partner_ids, self.consumer)
        self.assertFalse(self._letters(case, self.mediator.partner_id))
        # The letter leaves by e-mail, with its mandatory content.
        mail = self.env["mail.mail"].search([("mail_message_id", "in", saisine.ids)])
        self.assertEqual(mail.recipient_ids, self.consumer)
        self.assertIn("free of charge for the consumer", mail.body_html)

    def test_letters_follow_the_recipient_language(self):
        load_french(self.env)
        self.consumer.lang = "fr_FR"
        case = self._case_in("waiting")
        french = self._mail_text(case, self.consumer)
        for phrase in (
            "gratuite pour le consommateur",
            "à tout moment",
            "prescription",
            "ne peuvent être ni divulgués",
        ):
            self.assertIn(phrase, french)
        letter = self._letters(case, self.consumer)
        self.assertIn("le médiateur est saisi", letter.subject)
        # The professional reads the same letter in English.
        english = self._letters(case, self.professional)
        self.assertIn("free of charge for the consumer", english[-1].body)
        self.assertIn("gratuite", self._pdf_text("saisine", case))

    def test_representatives_receive_their_party_letters(self):
        lawyer = self.env["res.partner"].create(
            {"name": "Maître Roux", "email": "roux@example.com"}
        )
        case = self._case(
            representative_ids=[
                (0, 0, {"partner_id": lawyer.id, "party": "consumer", "role": "lawyer"})
            ]
        )
        case.action_send_acknowledgement()
        self.assertTrue(self._letters(case, lawyer))
        case.action_start_review()
        case.action_admit()
        case.action_notify_saisine()
        # The request to enter is for the professional only.
        self.assertEqual(len(self._letters(case, lawyer)), 2)
        self.assertEqual(len(self._letters(case, self.professional)), 2)
