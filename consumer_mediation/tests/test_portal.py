import re
from datetime import timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from .common import MediationCaseCommon

PDF = b"%PDF-1.4\n% test document\n"


class MediationConfirmationMixin:
    """A visitor's request confirmed from their mailbox, as they do it."""

    def _confirmation_mail(self, email):
        """The confirmation e-mail sent to ``email`` (one), and the path of its
        link."""
        mail = self.env["mail.mail"].search(
            [
                ("email_to", "=", email),
                ("body_html", "like", "/mediation/confirm/"),
            ]
        )
        self.assertEqual(len(mail), 1, f"one confirmation e-mail to {email}")
        link = re.search(r'href="[^"]*(/mediation/confirm/[^"]+)"', mail.body_html)
        return mail, link.group(1)

    def _confirm(self, email, open_url=None):
        """The visitor follows the link of their confirmation e-mail, then
        confirms on the page it opens; returns the response."""
        open_url = open_url or self.url_open
        mail, path = self._confirmation_mail(email)
        page = open_url(path)
        self.assertEqual(page.status_code, 200, path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        mail.unlink()
        return open_url(path, data={"csrf_token": token})


class MediationPortalCommon(MediationConfirmationMixin, MediationCaseCommon, HttpCase):
    """Portal accounts for both parties of a case and for a stranger who is
    the consumer of another case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumer_user = cls._portal_user("cm_consumer", cls.consumer)
        cls.employee = cls.env["res.partner"].create(
            {
                "name": "Paul Lefort",
                "parent_id": cls.professional.id,
                "email": "paul@example.com",
            }
        )
        cls.pro_user = cls._portal_user("cm_pro", cls.employee)
        cls.stranger = cls.env["res.partner"].create(
            {"name": "Hugo Dubois", "email": "hugo@example.com"}
        )
        cls.stranger_user = cls._portal_user("cm_stranger", cls.stranger)

    def _rpc(self, model, method, *args, **kwargs):
        """Odoo's JSON-RPC route of the web client, as the logged-in user."""
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    @classmethod
    def _portal_user(cls, login, partner):
        return new_test_user(
            cls.env,
            login,
            groups="base.group_portal",
            partner_id=partner.id,
            email=partner.email,
        )

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, url)
        return re.search(
            r'(?:name="csrf_token" value="|csrf_token: ")([^"]+)"', page.text
        ).group(1)

    def _decide(self, case, token, party, decision, signer_name, confirm=True):
        data = {
            "csrf_token": token,
            "party": party,
            "decision": decision,
            "signer_name": signer_name,
        }
        if confirm:
            data["confirm"] = "1"
        return self.url_open(f"{case.access_url}/decide", data=data)

    def _post_document(
        self,
        case,
        name="answer.pdf",
        content=PDF,
        audience="mediator",
        body="Our answer",
    ):
        token = self._csrf(case.access_url)
        return self.url_open(
            f"{case.access_url}/documents",
            data={"csrf_token": token, "body": body, "audience": audience},
            files={"documents": (name, content, "application/pdf")},
        )


@tagged("post_install", "-at_install")
class TestMediationPortalAccess(MediationPortalCommon):
    def test_parties_see_their_case_and_its_shared_documents(self):
        case = self._case_in("waiting")
        note_attachment = self.env["ir.attachment"].create(
            {
                "name": "mediator-notes.pdf",
                "raw": PDF,
                "res_model": case._name,
                "res_id": case.id,
            }
        )
        case.message_post(
            body="Internal note",
            attachment_ids=note_attachment.ids,
            subtype_xmlid="mail.mt_note",
        )
        self.authenticate("cm_pro", "cm_pro")
        response = self._post_document(case, audience="parties")
        self.assertEqual(response.status_code, 200)
        self.assertIn("sent to the mediator and to the other party", response.text)
        document = case._portal_documents()
        self.assertEqual(document.name, "answer.pdf")
        self.assertIn("Our answer", case.message_ids[0].body)

        self.authenticate("cm_consumer", "cm_consumer")
        page = self.url_open(case.access_url)
        self.assertIn("answer.pdf", page.text)
        self.assertNotIn("mediator-notes.pdf", page.text)
        self.assertIn("Saisine notified to both parties", page.text)
        download = self.url_open(f"{case.access_url}/documents/{document.id}")
        self.assertEqual(download.content, PDF)
        # The mediator's internal note is the case's, yet not shared.
        for url in (
            f"{case.access_url}/documents/{note_attachment.id}",
            f"/web/content/{note_attachment.id}",
        ):
            self.assertNotEqual(self.url_open(url).status_code, 200, url)
        letter = self.url_open(f"{case.access_url}/letters/saisine?report_type=html")
        self.assertIn("withdraw", letter.text)
        # A letter addressed to the professional only is not the consumer's.
        other = self.url_open(
            f"{case.access_url}/letters/professional_request?report_type=html"
        )
        self.assertEqual(other.status_code, 404)
        listing = self.url_open("/my/mediation-cases")
        self.assertIn(case.name, listing.text)

    def test_stranger_cannot_open_download_or_act(self):
        case = self._case_in("waiting")
        self.authenticate("cm_pro", "cm_pro")
        self._post_document(case)
        document = case._portal_documents()
        self.assertTrue(document)
        own_case = self._case(consumer_id=self.stranger.id)

        self.authenticate("cm_stranger", "cm_stranger")
        self.assertNotIn(case.name, self.url_open("/my/mediation-cases").text)
        self.assertEqual(self.url_open(case.access_url).status_code, 404)
        self.assertEqual(
            self.url_open(f"{case.access_url}/documents/{document.id}").status_code,
            404,
        )
        # Through the stranger's own case, or directly: still not reachable.
        self.assertEqual(
            self.url_open(f"{own_case.access_url}/documents/{document.id}").status_code,
            404,
        )
        self.assertNotEqual(
            self.url_open(f"/web/content/{document.id}").status_code, 200
        )
        self.assertEqual(
            self.url_open(
                f"{case.access_url}/letters/saisine?report_type=html"
            ).status_code,
            404,
        )
        token = self._csrf(own_case.access_url)
        response = self._decide(
            case, token, "professional", "entry_declined", "Hugo Dubois"
        )
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            f"{case.access_url}/documents",
            data={"csrf_token": token, "body": "Hello"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(case.state, "waiting")
        self.assertFalse(case.signature_ids)

    def test_consumer_cannot_take_the_professional_decision(self):
        case = self._case_in("waiting")
        self.authenticate("cm_consumer", "cm_consumer")
        token = self._csrf(case.access_url)
        response = self._decide(
            case, token, "professional", "entry_agreed", "Camille Martin"
        )
        self.assertIn("This decision is not open to you", response.text)
        self.assertEqual(case.state, "waiting")

    def test_requests_without_csrf_are_refused(self):
        case = self._case_in("waiting")
        self.authenticate("cm_pro", "cm_pro")
        response = self.url_open(
            f"{case.access_url}/decide",
            data={
                "party": "professional",
                "decision": "entry_declined",
                "signer_name": "Paul Lefort",
                "confirm": "1",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(case.state, "waiting")
        response = self.url_open(
            f"{case.access_url}/documents",
            data={"body": "Hello"},
            files={"documents": ("a.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(case._portal_documents())

    def test_professional_portal_decision_makes_its_fee_due(self):
        """The professional's answer on the portal is the event of its fee:
        the accountants see it at once; a consumer posing as the
        professional changes nothing and makes no fee."""
        self.contract.write(
            {
                "mediation_fee_trigger": "agreement",
                "mediation_fee_simple": 150.0,
                "mediation_fee_admissibility": 0.0,
                "mediation_fee_decline": 40.0,
            }
        )
        agreed, declined = self._case_in("waiting"), self._case_in("waiting")
        self.authenticate("cm_consumer", "cm_consumer")
        token = self._csrf(agreed.access_url)
        self._decide(agreed, token, "professional", "entry_agreed", "Camille Martin")
        self.assertFalse(agreed.fee_ids)
        self.authenticate("cm_pro", "cm_pro")
        for case, decision in ((agreed, "entry_agreed"), (declined, "entry_declined")):
            token = self._csrf(case.access_url)
            self._decide(case, token, "professional", decision, "Paul Lefort")
        fee = agreed.fee_ids
        self.assertEqual(
            (fee.kind, fee.amount, fee.state, fee.partner_id, fee.date),
            ("case", 150.0, "to_invoice", self.professional, self.today),
        )
        fee = declined.fee_ids
        self.assertEqual(
            (fee.kind, fee.amount, fee.state), ("decline", 40.0, "to_invoice")
        )
        self.assertFalse(
            self.env["mediation.case.fee"].with_user(self.pro_user).has_access("read")
        )

    def test_signed_decision_records_name_statement_and_ip(self):
        case = self._case_in("proposal")
        self.authenticate("cm_pro", "cm_pro")
        token = self._csrf(case.access_url)
        self._decide(
            case,
            token,
            "professional",
            "proposal_refused",
            "Paul Lefort",
            confirm=False,
        )
        self.assertFalse(case.professional_answer, "no answer without the statement")
        self._decide(case, token, "professional", "proposal_refused", "Paul Lefort")
        self.assertEqual(case.professional_answer, "refused")
        self.assertEqual(case.date_professional_answer, self.today)
        signature = case.signature_ids
        self.assertEqual(signature.signer_name, "Paul Lefort")
        self.assertEqual(signature.user_id, self.pro_user)
        self.assertIn("I refuse the solution", signature.statement)
        self.assertEqual(signature.ip_address, "127.0.0.1")

    def test_consumer_lawyer_withdraws_for_the_consumer(self):
        case = self._case_in("mediation")
        lawyer = self.env["res.partner"].create(
            {"name": "Maître Roux", "email": "roux@example.com"}
        )
        new_test_user(
            self.env,
            "cm_lawyer",
            groups="base.group_portal",
            partner_id=lawyer.id,
            email="roux@example.com",
        )
        case.representative_ids = [
            (0, 0, {"partner_id": lawyer.id, "party": "consumer", "role": "lawyer"})
        ]
        self.authenticate("cm_lawyer", "cm_lawyer")
        page = self.url_open(case.access_url).text
        self.assertIn("o_mediation_decide_withdrawal", page)
        self.assertNotIn("o_mediation_decide_entry", page)
        self._decide(
            case, self._csrf(case.access_url), "consumer", "withdrawal", "Maître Roux"
        )
        self.assertEqual(case.state, "interrupted")
        self.assertEqual(
            case.outcome_id,
            self.env.ref("consumer_mediation.outcome_withdrawn_consumer"),
        )
        self.assertEqual(case.signature_ids.party, "consumer")
        self.assertEqual(case.signature_ids.partner_id, lawyer)

    def test_consumer_downloads_the_certificate_of_attempted_mediation(self):
        case = self._case_in("waiting")
        case.action_professional_decline()
        certificate = f"{case.access_url}/letters/certificate?report_type=html"
        self.authenticate("cm_consumer", "cm_consumer")
        self.assertEqual(self.url_open(certificate).status_code, 404)
        case.action_send_certificate()
        page = self.url_open(case.access_url).text
        self.assertIn("/letters/certificate", page)
        letter = self.url_open(certificate)
        self.assertIn("Certificate of attempted mediation", letter.text)
        self.assertIn(case.name, letter.text)
        # The certificate is the consumer's letter, not the professional's.
        self.authenticate("cm_pro", "cm_pro")
        self.assertEqual(self.url_open(certificate).status_code, 404)

    def test_home_counter(self):
        self._case()
        self.authenticate("cm_consumer", "cm_consumer")
        response = self.url_open(
            "/my/counters",
            data='{"params": {"counters": ["mediation_case_count"]}}',
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json()["result"]["mediation_case_count"], 1)


@tagged("post_install", "-at_install")
class TestMediationFiling(MediationPortalCommon):
    def _step2(self, **values):
        """Post the request form (step 2) as a visitor; returns the response."""
        token = self._csrf("/mediation/saisine")
        data = {
            "csrf_token": token,
            "professional_id": self.professional.id,
            "complaint_sent": "yes",
            "date_complaint": str(self.today - timedelta(days=20)),
            "web_token": "token-1",
            "name": "Léa Petit",
            "email": "lea@example.com",
            "description": "My washing machine <b>broke</b> after a week.",
            "consent": "1",
        }
        data.update(values)
        files = data.pop("files", None)
        return self.url_open("/mediation/saisine/submit", data=data, files=files)

    def _web_cases(self):
        return self.env["mediation.case"].search([("channel", "=", "web")])

    def test_information_page_shows_settings_escaped(self):
        self.company.write(
            {
                "mediation_cecmc_listing": "Listed by the CECMC on 1 March 2024",
                "mediation_networks": "<script>alert(1)</script>",
            }
        )
        page = self.url_open("/mediation")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Listed by the CECMC on 1 March 2024", page.text)
        self.assertIn("contact@mediateur.example.com", page.text)
        self.assertIn("Pas de réclamation écrite préalable", page.text)
        self.assertIn("/mediation/reports", page.text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page.text)
        self.assertNotIn("<script>alert(1)</script>", page.text)

    def test_pages_in_french_by_default_english_on_request(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["consumer_mediation"], ["fr_FR"]
        )
        page = self.url_open("/mediation/saisine")
        self.assertIn("Avez-vous d'abord adressé une réclamation écrite", page.text)
        # English from the language selector, then kept (its cookie).
        page = self.url_open("/en/mediation/saisine")
        self.assertIn("Did you first complain in writing", page.text)
        page = self.url_open("/mediation")
        self.assertIn("File a mediation request online", page.text)

    def test_members_search_shows_only_public_coverage(self):
        former = self.env["res.partner"].create(
            {"name": "Meubles Anciens", "is_company": True, "city": "Lyon"}
        )
        contract = self.env["contract.contract"].create(
            {
                "name": "Membership Meubles Anciens",
                "partner_id": former.id,
                "mediation_kind": "individual",
                "date_start": self.today - timedelta(days=400),
                "contract_type": "sale",
            }
        )
        contract.action_mediation_activate()
        contract._mediation_terminate(self.today - timedelta(days=10), "Left")
        self.env["res.partner"].create({"name": "Meubles Inconnus", "is_company": True})
        self.professional.write({"city": "Nantes", "phone": "0102030405"})
        page = self.url_open("/mediation/members?search=Meubles").text
        self.assertIn("Meubles Lefort", page)
        self.assertIn("Nantes", page)
        self.assertRegex(page, r"Meubles Anciens</td>\s*<td>Lyon</td>\s*<td>\s*No")
        self.assertNotIn("Meubles Inconnus", page)
        self.assertNotIn("0102030405", page)
        # A covered professional is one click from a request against it.
        self.assertIn(f"/mediation/saisine?professional={self.professional.id}", page)
        # A typo still finds it.
        page = self.url_open("/mediation/members?search=Meuble Lefor").text
        self.assertIn("Meubles Lefort", page)
        self.assertIn(f"/mediation/saisine?professional={self.professional.id}", page)
        self.assertNotIn("Meubles Anciens", page)

    def test_prequalification_shows_ground_and_model_letter(self):
        token = self._csrf("/mediation/saisine")
        page = self.url_open(
            "/mediation/saisine/check",
            data={
                "csrf_token": token,
                "professional_id": self.professional.id,
                "complaint_sent": "no",
                "action": "check",
            },
        ).text
        self.assertIn("Pas de réclamation écrite préalable", page)
        self.assertIn("Objet : réclamation écrite", page)
        self.assertIn("o_mediation_step2", page)
        # The QR code of the window notice pre-selects the professional.
        page = self.url_open(f"/mediation/saisine?professional={self.professional.id}")
        self.assertRegex(
            page.text,
            rf'value="{self.professional.id}"\s+checked=',
        )

    def test_filing_creates_case_account_and_acknowledgement(self):
        response = self._step2(
            files={"documents": ("invoice.pdf", PDF, "application/pdf")}
        )
        self.assertNotIn("/mediation/saisine/done", response.url)
        self.assertFalse(self._web_cases(), "filed only once confirmed")
        response = self._confirm("lea@example.com")
        self.assertIn("/mediation/saisine/done", response.url)
        case = self._web_cases()
        self.assertEqual(len(case), 1)
        self.assertIn(case.name, response.text)
        self.assertEqual(case.professional_id, self.professional)
        self.assertEqual(case.consumer_id.email, "lea@example.com")
        self.assertEqual(case.date_complaint, self.today - timedelta(days=20))
        self.assertIn("&lt;b&gt;broke&lt;/b&gt;", case.description)
        self.assertEqual(case._portal_documents().name, "invoice.pdf")
        self.assertFalse(case._portal_documents().access_token)
        self.assertTrue(case.consumer_id.user_ids._is_portal())
        self.assertEqual(case.date_acknowledged, self.today)
        self.assertTrue(
            self._letters(case, case.consumer_id).filtered(
                lambda m: case.name in m.subject
            )
        )

    def test_existing_account_is_linked(self):
        self._step2(email="camille@example.com", name="Camille M.")
        self._confirm("camille@example.com")
        case = self._web_cases()
        self.assertEqual(case.consumer_id, self.consumer)
        self.assertEqual(self.consumer.user_ids, self.consumer_user)

    def test_double_submit_creates_one_case(self):
        first = self._step2()
        second = self._step2()
        self.assertEqual(first.url, second.url)
        first = self._confirm("lea@example.com")
        second = self._step2()
        self.assertEqual(len(self._web_cases()), 1)
        self.assertEqual(first.url, second.url)

    def test_honeypot_stops_bots(self):
        self._step2(website_url="http://spam.example.com")
        self.assertFalse(self._web_cases())

    def test_request_without_csrf_is_refused(self):
        response = self.url_open(
            "/mediation/saisine/submit",
            data={
                "professional_id": self.professional.id,
                "complaint_sent": "yes",
                "date_complaint": str(self.today),
                "web_token": "token-x",
                "name": "Bot",
                "email": "bot@example.com",
                "description": "Spam",
                "consent": "1",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._web_cases())

    def test_form_keeps_data_and_files_after_an_error(self):
        page = self._step2(
            email="not-an-email",
            amount="12,50 EUR",
            files={"documents": ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)},
        ).text
        self.assertFalse(self._web_cases())
        self.assertIn("Indiquez une adresse e-mail valide", page)
        self.assertIn("Indiquez le montant sous la forme d&#39;un nombre positif", page)
        self.assertIn('value="not-an-email"', page)
        self.assertIn("Léa Petit", page)
        self.assertIn("My washing machine &lt;b&gt;broke&lt;/b&gt;", page)
        self.assertIn("photo.png", page)
        drafts = re.findall(r'name="drafts" value="([^"]+)"', page)
        self.assertEqual(len(drafts), 1)
        # The kept file is filed with the corrected form.
        self._step2(drafts=drafts[0], amount="12,50")
        self._confirm("lea@example.com")
        case = self._web_cases()
        self.assertEqual(case._portal_documents().name, "photo.png")
        self.assertEqual(case.amount, 12.5)

    def test_abandoned_drafts_are_deleted_after_a_day(self):
        Case = self.env["mediation.case"]
        old, recent = Case._portal_create_drafts(
            [("old.pdf", PDF), ("recent.pdf", PDF)]
        )
        self.env.cr.execute(
            "UPDATE ir_attachment SET create_date = now() - interval '2 days' "
            "WHERE id = %s",
            [old.id],
        )
        old.invalidate_recordset()
        Case._gc_portal_drafts()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_file_limits_and_types(self):
        self.company.write(
            {"mediation_upload_file_mb": 1, "mediation_upload_total_mb": 2}
        )
        big = PDF + b"0" * (1024 * 1024)
        part = PDF + b"0" * (700 * 1024)
        page = self._step2(
            files=[
                ("documents", ("big.pdf", big, "application/pdf")),
                ("documents", ("tool.exe", b"MZ" + b"0" * 64, "application/x-msdos")),
                ("documents", ("page.pdf", b"<html><script></script></html>", "")),
                ("documents", ("part1.pdf", part, "application/pdf")),
                ("documents", ("part2.pdf", part, "application/pdf")),
                ("documents", ("part3.pdf", part, "application/pdf")),
            ]
        ).text
        self.assertFalse(self._web_cases())
        self.assertIn("big.pdf : le fichier dépasse 1 Mo", page)
        self.assertIn("tool.exe : ce type de fichier n&#39;est pas accepté", page)
        self.assertIn("page.pdf : ce type de fichier n&#39;est pas accepté", page)
        self.assertIn("part3.pdf : les documents envoyés ensemble dépassent 2 Mo", page)
        kept = re.findall(r'name="drafts" value="([^"]+)"', page)
        self.assertEqual(len(kept), 2, "part1 and part2 are kept")


@tagged("post_install", "-at_install")
class TestMediationPortalTours(MediationPortalCommon):
    def test_consumer_files_a_case_and_finds_it(self):
        self.start_tour(
            f"/mediation/saisine?professional={self.professional.id}",
            "consumer_mediation_filing_tour",
            login="cm_consumer",
        )
        case = self.env["mediation.case"].search(
            [("consumer_id", "=", self.consumer.id)]
        )
        self.assertEqual(case.channel, "web")
        self.assertEqual(case._portal_documents().name, "complaint.pdf")

    def test_consumer_accepts_the_proposal(self):
        case = self._case_in("proposal")
        self.start_tour(
            case.access_url, "consumer_mediation_accept_tour", login="cm_consumer"
        )
        self.assertEqual(case.consumer_answer, "accepted")
        self.assertEqual(case.date_consumer_answer, self.today)
        self.assertEqual(case.signature_ids.signer_name, "Camille Martin")
        self.assertTrue(case.signature_ids.ip_address)

    def test_professional_declines_to_enter(self):
        case = self._case_in("waiting")
        self.start_tour(
            case.access_url, "consumer_mediation_decline_tour", login="cm_pro"
        )
        self.assertEqual(case.state, "interrupted")
        self.assertEqual(case.professional_entry, "declined")
        self.assertEqual(
            case.outcome_id,
            self.env.ref("consumer_mediation.outcome_professional_declined"),
        )
        self.assertEqual(case.signature_ids.decision, "entry_declined")
