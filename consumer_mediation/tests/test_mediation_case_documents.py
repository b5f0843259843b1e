from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import load_french
from .test_portal import PDF, MediationPortalCommon
from .tour_common import MediationRoleTourCase

INVOICE_FR = "Facture ou confirmation de commande"
COMPLAINT_FR = "Votre réclamation écrite au professionnel et sa réponse"


class MediationDocumentsCommon(MediationPortalCommon):
    """A request filed online, then checked by a user of the secretariat
    only, in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.consumer.lang = "fr_FR"
        cls.secretary = new_test_user(
            cls.env,
            "cm_secretary",
            groups="consumer_mediation.group_mediation_secretariat",
            lang="fr_FR",
            email="secretariat@example.com",
        )
        cls.accountant = new_test_user(
            cls.env, "cm_docs_accountant", groups="account.group_account_invoice"
        )
        cls.invoice = cls.env.ref("consumer_mediation.document_type_invoice")
        cls.complaint = cls.env.ref("consumer_mediation.document_type_complaint")
        # The letters give the case page's public https address.
        cls.env["ir.config_parameter"].set_param(
            "web.base.url", "https://mediateur.example.com"
        )

    def _file_online(self, token="docs-1"):
        """The request as the public form files it (its controller calls
        _web_file in sudo with the documents uploaded)."""
        Case = self.env["mediation.case"].sudo()
        drafts = Case._portal_create_drafts([("devis.pdf", PDF)])
        case = Case._web_file(
            {
                "consumer_id": self.consumer.id,
                "professional_id": self.professional.id,
                "date_complaint": self.today - timedelta(days=20),
                "description": "<p>Le canapé livré était déchiré.</p>",
            },
            drafts,
            token,
        )
        self.assertEqual(case.consumer_id.user_ids, self.consumer_user)
        return case.sudo(False)

    def _request(self, case, documents, note=False, user=None):
        """The secretariat's dialog, as its user fills it in."""
        # In the user's language, as the web client calls it.
        case = case.with_user(user or self.secretary).with_context(lang="fr_FR")
        action = case.action_open_documents_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(user or self.secretary)
            .with_context(lang="fr_FR", **action["context"])
        )
        for document in documents:
            wizard.document_type_ids.add(document)
        if note:
            wizard.note = note
        return wizard.save().action_confirm()

    def _mails_to_consumer(self, case):
        return self.env["mail.mail"].search(
            [
                ("model", "=", case._name),
                ("res_id", "=", case.id),
                ("recipient_ids", "in", self.consumer.ids),
            ],
            order="id",
        )


@tagged("post_install", "-at_install")
class TestMediationCaseDocuments(MediationDocumentsCommon):
    def test_missing_documents_end_to_end(self):
        case = self._file_online()
        # Complete at receipt: the refusal clock runs from the receipt.
        self.assertEqual(case.date_file_complete, self.today)
        self.assertEqual(case.date_refusal_due, self.today + timedelta(days=21))
        self.assertFalse(case.is_awaiting_documents)

        self._request(case, self.invoice | self.complaint, "Le bon de garantie")
        self.assertTrue(case.is_awaiting_documents)
        self.assertEqual(case.date_documents_requested, self.today)
        self.assertEqual(case.document_type_ids, self.invoice | self.complaint)
        self.assertEqual(case.documents_request_note, "Le bon de garantie")
        self.assertEqual(case.documents_requested_by_id, self.secretary)
        self.assertFalse(case.date_file_complete)
        # No refusal clock while the file is incomplete: nothing overdue.
        self.assertFalse(case.date_refusal_due)
        self.assertEqual(case.deadline_status, "none")
        self.assertFalse(case.is_overdue)
        mail = self._mails_to_consumer(case).filtered(
            lambda m: "pièces nécessaires" in m.subject
        )
        self.assertEqual(len(mail), 1)
        for text in (INVOICE_FR, COMPLAINT_FR, "Le bon de garantie", case.access_url):
            self.assertIn(text, mail.body_html)
        self.assertIn("par courrier", mail.body_html)
        self.assertIn("commence lorsque votre dossier est complet", mail.body_html)
        self.assertTrue(mail.attachment_ids, "the PDF letter is attached")
        self.assertIn(
            "documents_request",
            self.env["mediation.decision.log"]
            .search([("case_id", "=", case.id)])
            .mapped("letter_step"),
        )
        # Logged in the chatter for the team.
        self.env.flush_all()
        self.env.cr.precommit.run()
        note = case.message_ids.filtered(
            lambda m: (
                "Documents requested from the consumer" in m.body
                or "Pièces demandées au consommateur" in m.body
            )
        )
        self.assertEqual(note.mediation_audience, "team")
        self.assertIn(INVOICE_FR, note.body)
        # The file cannot go to the review while documents are awaited.
        with self.assertRaisesRegex(UserError, "recevoir les pièces demandées"):
            case.with_user(self.secretary).with_context(
                lang="fr_FR"
            ).action_start_review()

        # The consumer sees the list on the case page and sends a document.
        self.authenticate("cm_consumer", "cm_consumer")
        page = self.url_open(case.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_mediation_missing_documents", page.text)
        self.assertIn(INVOICE_FR, page.text)
        self.assertIn("Le bon de garantie", page.text)
        self.assertIn("Pièces manquantes demandées", page.text)
        response = self._post_document(case, name="facture.pdf", body="La facture")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("alert-danger", response.text)
        self.env.invalidate_all()
        activity = case.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("consumer_mediation.mail_activity_type_documents")
            )
        )
        self.assertEqual(activity.user_id, self.secretary)
        # A second upload does not pile up activities.
        self._post_document(case, name="garantie.pdf", body="La garantie")
        self.assertEqual(len(case.activity_ids), 1)

        # The secretariat marks the file complete five days later.
        later = self.today + timedelta(days=5)
        with freeze_time(later):
            case.with_user(self.secretary).action_mark_file_complete()
        self.assertFalse(case.is_awaiting_documents)
        self.assertEqual(case.date_file_complete, later)
        self.assertEqual(case.date_refusal_due, later + timedelta(days=21))
        self.assertFalse(case.activity_ids, "the activity is done")
        mail = self._mails_to_consumer(case).filtered(
            lambda m: "dossier est complet" in m.subject
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("votre dossier est complet", mail.body_html)
        # The consumer finds both letters on the portal.
        self.authenticate("cm_consumer", "cm_consumer")
        page = self.url_open(case.access_url).text
        self.assertNotIn("o_mediation_missing_documents", page)
        self.assertIn("Dossier complet", page)
        for step in ("documents_request", "file_complete"):
            letter = self.url_open(f"{case.access_url}/letters/{step}?report_type=html")
            self.assertEqual(letter.status_code, 200, step)
        # Then the usual handover to the review.
        case.with_user(self.secretary).action_start_review()
        self.assertEqual(case.state, "review")

    def test_reminder_then_closing_of_an_incomplete_file(self):
        self.company.write(
            {
                "mediation_documents_reminder_days": 15,
                "mediation_documents_close_days": 30,
            }
        )
        case = self._file_online()
        self._request(case, self.invoice)
        Case = self.env["mediation.case"]
        with freeze_time(self.today + timedelta(days=14)):
            Case._cron_check_clocks()
        self.assertFalse(case.date_documents_reminded)
        with freeze_time(self.today + timedelta(days=15)):
            Case._cron_check_clocks()
            Case._cron_check_clocks()
        self.assertEqual(case.date_documents_reminded, self.today + timedelta(days=15))
        reminders = self._mails_to_consumer(case).filtered(
            lambda m: "relance" in m.subject
        )
        self.assertEqual(len(reminders), 1, "one reminder only")
        self.assertIn(INVOICE_FR, reminders.body_html)
        self.assertEqual(case.state, "received")
        with freeze_time(self.today + timedelta(days=30)):
            Case._cron_check_clocks()
        self.assertEqual(case.state, "interrupted")
        self.assertEqual(
            case.outcome_id, self.env.ref("consumer_mediation.outcome_incomplete_file")
        )
        self.assertEqual(case.date_outcome, self.today + timedelta(days=30))
        self.assertFalse(case.date_file_complete)
        self.assertFalse(case.is_awaiting_documents)
        self.assertEqual(case.date_closing_notified, self.today + timedelta(days=30))
        closing = self._mails_to_consumer(case)[-1]
        self.assertIn("dossier est clos sans avoir été examiné", closing.body_html)
        # Reopened by a manager, the case gets its delays again.
        reopened = self.today + timedelta(days=31)
        with freeze_time(reopened):
            case.with_user(self.manager)._reopen("Documents reçus par courrier")
            Case._cron_check_clocks()
        self.assertEqual(case.state, "review")
        self.assertTrue(case.is_awaiting_documents)
        with freeze_time(reopened + timedelta(days=30)):
            Case._cron_check_clocks()
        self.assertEqual(case.state, "interrupted")
        self.assertIn(
            "outcome",
            self.env["mediation.decision.log"]
            .search([("case_id", "=", case.id)])
            .mapped("kind"),
        )

    def test_reports_count_from_the_complete_file(self):
        """Durations and the CECMC date run from the complete file: a case
        completed 10 days after its receipt and refused 5 days later."""
        case = self._file_online()
        self._request(case, self.invoice)
        with freeze_time(self.today + timedelta(days=10)):
            case.with_user(self.secretary).action_mark_file_complete()
        with freeze_time(self.today + timedelta(days=15)):
            case.mediator_id = self.mediator
            case.with_user(self.mediator)._refuse(self.ground_no_complaint)
        self.env.flush_all()
        analysis = self.env["mediation.case.analysis"].search(
            [("case_id", "=", case.id)]
        )
        self.assertEqual(analysis.duration_days, 5)
        report = self.env["mediation.activity.report"].create(
            {
                "date_from": self.today,
                "date_to": self.today + timedelta(days=20),
                "mediator_ids": [(6, 0, self.mediator.ids)],
            }
        )
        self.assertEqual(report._compute_figures()["days_receipt"], 5)
        (row,) = list(report._iter_cases())
        self.assertEqual(row[2:4], (self.today, self.today + timedelta(days=10)))

    def test_preconditions_in_french(self):
        case = self._file_online()
        secretary_case = case.with_user(self.secretary).with_context(lang="fr_FR")
        with self.assertRaisesRegex(UserError, "n'attend pas de pièces"):
            secretary_case.action_mark_file_complete()
        with self.assertRaisesRegex(UserError, "Choisissez les pièces manquantes"):
            self._request(case, [])
        with self.assertRaisesRegex(UserError, "Choisissez les pièces manquantes"):
            self._request(case, [], note="   ")
        self.assertFalse(case.date_documents_requested)
        # The legal dates change only through the actions.
        with self.assertRaisesRegex(UserError, "changent uniquement"):
            secretary_case.write({"date_file_complete": self.today})
        # Once the admissibility is decided, no more requests.
        case.mediator_id = self.mediator
        case.action_start_review()
        case.with_user(self.mediator).action_admit()
        with self.assertRaisesRegex(UserError, "n'est pas possible"):
            secretary_case.action_open_documents_wizard()

    def test_others_cannot_see_the_request_or_act(self):
        case = self._file_online()
        self._request(case, self.invoice)
        letter_url = f"{case.access_url}/letters/documents_request"
        before = (case.date_file_complete, case.date_documents_requested)
        mails = self._mails_to_consumer(case)
        for login in ("cm_pro", "cm_stranger"):
            self.authenticate(login, login)
            with mute_logger("odoo.http"):
                self.assertEqual(self.url_open(case.access_url).status_code, 404)
                self.assertEqual(self.url_open(letter_url).status_code, 404)
        for login in ("cm_pro", "cm_stranger", "cm_consumer", "cm_docs_accountant"):
            self.authenticate(login, login)
            for method in ("action_mark_file_complete", "action_open_documents_wizard"):
                with (
                    mute_logger("odoo.http"),
                    self.assertRaises(JsonRpcException, msg=f"{login} {method}"),
                ):
                    self._rpc("mediation.case", method, case.ids)
            with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
                self._rpc(
                    "mediation.case.documents.wizard",
                    "create",
                    {"case_ids": [(6, 0, case.ids)]},
                )
        self.assertEqual(
            (case.date_file_complete, case.date_documents_requested), before
        )
        self.assertTrue(case.is_awaiting_documents)
        self.assertEqual(self._mails_to_consumer(case), mails, "nobody was e-mailed")
        # Nor through the ORM as those users.
        for user in (self.pro_user, self.stranger_user, self.accountant):
            with self.assertRaises(AccessError):
                case.with_user(user).action_mark_file_complete()


@tagged("post_install", "-at_install")
class TestMediationCaseDocumentsUi(MediationRoleTourCase):
    def test_secretariat_requests_documents(self):
        self.role_user(
            "tour_docs_secretary", "consumer_mediation.group_mediation_secretariat"
        )
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://mediateur.example.com"
        )
        professional = self.env["res.partner"].create(
            {"name": "Cuisines Tour", "is_company": True}
        )
        consumer = self.env["res.partner"].create(
            {"name": "Inès Tour", "email": "ines.tour@example.com"}
        )
        case = self.env["mediation.case"].create(
            {
                "consumer_id": consumer.id,
                "professional_id": professional.id,
                "channel": "web",
                "description": "<p>Cuisine livrée incomplète.</p>",
            }
        )
        self.start_role_tour(
            f"/odoo/action-consumer_mediation.action_mediation_case/{case.id}",
            "consumer_mediation_documents_tour",
            login="tour_docs_secretary",
        )
        self.assertTrue(case.is_awaiting_documents)
        self.assertEqual(
            case.document_type_ids,
            self.env.ref("consumer_mediation.document_type_invoice"),
        )
        self.assertFalse(case.date_refusal_due)
