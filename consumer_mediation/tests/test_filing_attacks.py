import re
from datetime import timedelta

from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .test_mediation_case_documents import MediationDocumentsCommon
from .test_portal import PDF


@tagged("post_install", "-at_install")
class TestMediationFilingAttacks(MediationDocumentsCommon):
    """The online filing and the missing documents, attacked by the other
    party, a stranger, an accountant and the secretariat."""

    def _pending_request(self):
        """A visitor's request waiting for its confirmation, with a document,
        as the filing form keeps it."""
        Case = self.env["mediation.case"].sudo()
        return (
            self.env["mediation.web.request"]
            .sudo()
            ._submit(
                "case",
                "victime@example.com",
                {"case": {"description": "<p>Secret</p>"}, "contact": {}},
                "attack-form-token",
                Case._portal_create_drafts([("rib.pdf", PDF)]),
            )
        )

    def _rpc_found(self, model, domain):
        """What search_read finds as the logged-in user; nothing when
        refused."""
        try:
            with mute_logger("odoo.http"):
                return self._rpc(model, "search_read", domain, fields=["id"])
        except JsonRpcException:
            return []

    def test_web_requests_read_by_nobody_but_the_managers(self):
        web_request = self._pending_request()
        document = web_request.sudo().attachment_ids
        self.assertEqual(len(document), 1)
        content_url = f"/web/content/{document.id}?download=true"
        self.authenticate(None, None)
        self.assertNotEqual(self.url_open(content_url).status_code, 200)
        logins = ("cm_pro", "cm_stranger", "cm_consumer", "cm_docs_accountant")
        for login in (*logins, "cm_secretary"):
            self.authenticate(login, login)
            for method, args, kwargs in (
                ("search_read", [[]], {"fields": ["email", "values"]}),
                ("read", [web_request.ids, ["email", "values"]], {}),
                ("web_read", [web_request.ids], {"specification": {"values": {}}}),
            ):
                with (
                    mute_logger("odoo.http"),
                    self.assertRaises(JsonRpcException, msg=f"{login} {method}"),
                ):
                    self._rpc("mediation.web.request", method, *args, **kwargs)
            found = self._rpc_found(
                "ir.attachment", [("res_model", "=", "mediation.web.request")]
            )
            self.assertFalse(found, login)
            with mute_logger("odoo.http"):
                self.assertNotEqual(self.url_open(content_url).status_code, 200, login)

    def test_file_dates_not_written_through_json_rpc(self):
        case = self._file_online()
        self._request(case, self.invoice)
        before = (case.date_file_complete, case.date_documents_requested)
        self.authenticate("cm_secretary", "cm_secretary")
        # The context of a JSON-RPC call is the caller's: it proves nothing.
        for values in (
            {"date_file_complete": "2020-01-01"},
            {"date_documents_requested": False},
            {"is_awaiting_documents": False},
        ):
            with (
                self.subTest(values=values),
                mute_logger("odoo.http"),
                self.assertRaises(JsonRpcException),
            ):
                self._rpc(
                    "mediation.case",
                    "write",
                    case.ids,
                    values,
                    context={"mediation_file_step": True},
                )
        case.invalidate_recordset()
        self.assertEqual(
            (case.date_file_complete, case.date_documents_requested), before
        )
        self.assertTrue(case.is_awaiting_documents)
        # The action still does it.
        self._rpc("mediation.case", "action_mark_file_complete", case.ids)
        case.invalidate_recordset()
        self.assertEqual(case.date_file_complete, self.today)
        self.assertFalse(case.is_awaiting_documents)

    def test_documents_of_the_incomplete_file_kept_from_the_professional(self):
        case = self._file_online()
        self._request(case, self.invoice)
        # The professional is involved: it reads the case.
        case.sudo().date_professional_requested = self.today
        self.authenticate("cm_consumer", "cm_consumer")
        response = self._post_document(case, name="facture.pdf", body="La facture")
        self.assertEqual(response.status_code, 200)
        self.env.flush_all()
        document = self.env["ir.attachment"].search(
            [("res_model", "=", "mediation.case"), ("name", "=", "facture.pdf")]
        )
        self.assertEqual(len(document), 1)
        for login in ("cm_pro", "cm_stranger", "cm_docs_accountant"):
            self.authenticate(login, login)
            for url in (
                f"/web/content/{document.id}",
                f"{case.access_url}/documents/{document.id}",
            ):
                with mute_logger("odoo.http"):
                    self.assertNotEqual(self.url_open(url).status_code, 200, login)
            self.assertNotIn("facture.pdf", self.url_open(case.access_url).text, login)
            for model, domain in (
                ("ir.attachment", [("id", "=", document.id)]),
                ("mail.message", [("attachment_ids", "in", document.ids)]),
            ):
                self.assertFalse(self._rpc_found(model, domain), f"{login} {model}")
            try:
                thread = self.make_jsonrpc_request(
                    "/mail/thread/messages",
                    {"thread_model": "mediation.case", "thread_id": case.id},
                )
            except JsonRpcException:
                thread = {}
            self.assertNotIn("facture.pdf", str(thread), login)
        # The secretariat checks the file: it sees the document.
        self.authenticate("cm_secretary", "cm_secretary")
        self.assertEqual(self.url_open(f"/web/content/{document.id}").status_code, 200)

    def test_limits_not_bypassed_by_a_forwarded_address(self):
        """Without proxy_mode, the address a client claims is ignored."""
        self.company.mediation_limit_filing_client = 1
        self.authenticate(None, None)
        for number, status in ((1, 200), (2, 429)):
            data = {
                "csrf_token": self._csrf("/mediation/saisine"),
                "professional_id": self.professional.id,
                "complaint_sent": "yes",
                "date_complaint": str(self.today - timedelta(days=20)),
                "web_token": f"forwarded-{number}",
                "name": "Léa Petit",
                "email": f"lea{number}@example.com",
                "description": "Le canapé livré était déchiré.",
                "consent": "1",
            }
            response = self.url_open(
                "/mediation/saisine/submit",
                data=data,
                headers={
                    "X-Forwarded-For": f"203.0.113.{number}",
                    "X-Forwarded-Host": "mediateur.example.com",
                    "X-Real-IP": f"203.0.113.{number}",
                },
            )
            self.assertEqual(response.status_code, status, number)
        self.assertFalse(
            self.env["mediation.web.request"]
            .sudo()
            .search([("form_token", "=", "forwarded-2")])
        )

    def test_generic_upload_route_refused_to_the_parties(self):
        """Documents reach a case only through its portal form (limits,
        types, audience), not through the chatter's upload route."""
        case = self._file_online()
        case.sudo().date_professional_requested = self.today
        before = self.env["ir.attachment"].sudo().search_count([])
        for login in ("cm_consumer", "cm_pro"):
            self.authenticate(login, login)
            with mute_logger("odoo.http"):
                response = self.url_open(
                    "/mail/attachment/upload",
                    data={
                        "csrf_token": self._csrf(case.access_url),
                        "thread_model": "mediation.case",
                        "thread_id": case.id,
                    },
                    files={"ufile": ("autre.pdf", PDF, "application/pdf")},
                )
            self.assertEqual(response.status_code, 404, login)
        self.assertEqual(self.env["ir.attachment"].sudo().search_count([]), before)

    def test_filing_page_tells_nothing_of_an_account(self):
        """A visitor typing an account's e-mail or a new one gets the same
        page, and nobody is e-mailed but the owner of the address."""
        self.company.mediation_limit_filing_client = 0
        self.authenticate(None, None)
        pages = []
        for number, email in enumerate((self.consumer.email, "nouveau@example.com")):
            response = self.url_open(
                "/mediation/saisine/submit",
                data={
                    "csrf_token": self._csrf("/mediation/saisine"),
                    "professional_id": self.professional.id,
                    "complaint_sent": "no",
                    "web_token": f"enumeration-{number}",
                    "name": "Léa Petit",
                    "email": email,
                    "description": "Le canapé livré était déchiré.",
                    "consent": "1",
                },
            )
            self.assertEqual(response.status_code, 200)
            # Each page shows the address typed, where the e-mail went.
            self.assertIn(email, response.text)
            page = re.sub(r"csrf_token[^,>]*", "", response.text)
            pages.append(page.replace(email, "EMAIL"))
        self.assertIn("o_mediation_check_mailbox", pages[0])
        self.assertEqual(pages[0], pages[1])
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", self.consumer.ids)]),
            "the account is not told either",
        )

    def test_confirmation_link_read_by_nobody_while_the_mail_waits(self):
        """The link is only in the e-mail: while it waits in the queue (or
        stays there after a failed sending), no manager reads it, so no one
        confirms a request in the place of the mailbox's owner."""
        new_test_user(
            self.env,
            "cm_filing_manager",
            groups="consumer_mediation.group_mediation_manager",
        )
        self._pending_request()
        mail = self.env["mail.mail"].search([("email_to", "=", "victime@example.com")])
        self.assertIn("/mediation/confirm/", mail.body_html)
        for login in ("cm_filing_manager", "cm_secretary", "cm_stranger"):
            self.authenticate(login, login)
            for domain in (
                [("body", "ilike", "/mediation/confirm/")],
                [("id", "=", mail.mail_message_id.id)],
            ):
                self.assertFalse(self._rpc_found("mail.message", domain), login)
