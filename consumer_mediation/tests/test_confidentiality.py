import json
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import load_french
from .test_portal import PDF, MediationPortalCommon

SECRET_CONSUMER = "SECRET-CONSUMER-APARTE"
SECRET_PROFESSIONAL = "SECRET-PROFESSIONAL-APARTE"
SECRET_TEAM = "SECRET-TEAM-NOTE"
SECRET_REFUSAL = "SECRET-HEALTH-DETAILS"


@tagged("post_install", "-at_install")
class TestMediationConfidentiality(MediationPortalCommon):
    """Each audience tried by everyone outside it, over every path: the
    portal pages, the downloads, Odoo's chatter and attachment routes and
    JSON-RPC. Cases are filed online, moved by the mediator's actions and
    written to through the portal, as the users do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consumer_lawyer = cls.env["res.partner"].create(
            {"name": "Maître Roux", "email": "roux@example.com"}
        )
        cls.consumer_lawyer_user = cls._portal_user("cm_c_lawyer", cls.consumer_lawyer)
        cls.pro_lawyer = cls.env["res.partner"].create(
            {"name": "Maître Blanc", "email": "blanc@example.com"}
        )
        cls.pro_lawyer_user = cls._portal_user("cm_p_lawyer", cls.pro_lawyer)
        cls.accountant = new_test_user(
            cls.env, "cm_accountant", groups="account.group_account_invoice"
        )
        cls.consumer_side = cls.consumer | cls.consumer_lawyer
        cls.pro_side = cls.professional | cls.employee | cls.pro_lawyer
        cls.team = cls.mediator.partner_id | cls.manager.partner_id

    # ------------------------------------------------------------------
    # Data, made as the users make it
    # ------------------------------------------------------------------
    def _file_online(self, token, complaint=True):
        """The consumer files a request on the public form, with a document."""
        self.authenticate(None, None)
        csrf = self._csrf("/mediation/saisine")
        response = self.url_open(
            "/mediation/saisine/submit",
            data={
                "csrf_token": csrf,
                "professional_id": self.professional.id,
                "complaint_sent": "yes" if complaint else "no",
                "date_complaint": str(self.today - timedelta(days=20))
                if complaint
                else "",
                "web_token": token,
                "name": "Camille Martin",
                "email": "camille@example.com",
                "description": "The sofa delivered was torn.",
                "amount": "800",
                "consent": "1",
            },
            files={"documents": ("invoice.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 200)
        self._confirm("camille@example.com")
        case = self.env["mediation.case"].search([("web_token", "=", token)])
        self.assertEqual(case.consumer_id, self.consumer)
        return case

    def _as_mediator(self, case):
        case = case.with_user(self.mediator)
        case.mediator_id = self.mediator
        case.representative_ids = [
            (0, 0, {"partner_id": self.consumer_lawyer.id, "party": "consumer"}),
            (0, 0, {"partner_id": self.pro_lawyer.id, "party": "professional"}),
        ]
        return case

    def _post(self, login, case, body, name, audience="mediator"):
        self.authenticate(login, login)
        response = self._post_document(case, name=name, audience=audience, body=body)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("alert-danger", response.text)

    def _case_with_exchanges(self):
        """A case in mediation: letters sent, a private message and document
        from each side, a team note with its document."""
        case = self._as_mediator(self._file_online("conf-1"))
        case.action_start_review()
        case.action_admit()
        case.action_notify_saisine()
        self._post("cm_consumer", case, SECRET_CONSUMER, "consumer-secret.pdf")
        self._post("cm_pro", case, SECRET_PROFESSIONAL, "pro-secret.pdf")
        case.message_post(
            body=SECRET_TEAM,
            subtype_xmlid="mail.mt_note",
            attachments=[("team-notes.pdf", PDF)],
        )
        return case.sudo()

    def _attachment(self, case, name):
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", case._name),
                ("res_id", "=", case.id),
                ("name", "=", name),
            ]
        )
        self.assertEqual(len(attachment), 1, name)
        return attachment

    def _refused_rpc(self, model, method, *args, **kwargs):
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._rpc(model, method, *args, **kwargs)

    def _everything_seen(self, case):
        """All the text the logged-in user gets of ``case`` from the portal
        page and Odoo's chatter routes."""
        texts = [self.url_open(case.access_url).text]
        with mute_logger("odoo.http"):
            for route, params in (
                (
                    "/mail/thread/messages",
                    {"thread_model": case._name, "thread_id": case.id},
                ),
                (
                    "/mail/chatter_fetch",
                    {"thread_model": case._name, "thread_id": case.id},
                ),
                (
                    "/mail/thread/data",
                    {
                        "thread_model": case._name,
                        "thread_id": case.id,
                        "request_list": ["attachments", "followers"],
                    },
                ),
                (
                    "/web/dataset/call_kw/mail.message/search_read",
                    {
                        "model": "mail.message",
                        "method": "search_read",
                        "args": [
                            [("model", "=", case._name), ("res_id", "=", case.id)]
                        ],
                        "kwargs": {"fields": ["body", "attachment_ids"]},
                    },
                ),
            ):
                try:
                    texts.append(json.dumps(self.make_jsonrpc_request(route, params)))
                except JsonRpcException:
                    continue
        return "\n".join(texts)

    def _assert_notifications_in_audience(self, case):
        """No notification nor e-mail for anyone outside a message's
        audience."""
        audiences = {
            "team": self.team,
            "consumer": self.team | self.consumer_side,
            "professional": self.team | self.pro_side,
            "parties": self.team | self.consumer_side | self.pro_side,
            "filing": self.team | self.consumer_side,
        }
        messages = self.env["mail.message"].search(
            [("model", "=", case._name), ("res_id", "=", case.id)]
        )
        for message in messages:
            audience = audiences[message.mediation_audience]
            notified = message.notification_ids.res_partner_id
            self.assertLessEqual(notified, audience, message.body)
            mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
            self.assertLessEqual(mails.recipient_ids, audience, message.body)

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_professional_sees_a_case_once_involved_never_a_refused_one(self):
        case = self._as_mediator(self._file_online("conf-early"))
        refused = self._as_mediator(self._file_online("conf-refused", complaint=False))
        wizard = (
            self.env["mediation.case.refuse.wizard"]
            .with_user(self.mediator)
            .create(
                {
                    "case_ids": refused.ids,
                    "ground_id": self.ground_no_complaint.id,
                    "note": SECRET_REFUSAL,
                    "send_letter": True,
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(refused.state, "refused")
        self.assertTrue(refused.date_admissibility_notified)
        for login in ("cm_pro", "cm_p_lawyer"):
            self.authenticate(login, login)
            listing = self.url_open("/my/mediation-cases").text
            for hidden in (case, refused):
                self.assertNotIn(hidden.name, listing)
                self.assertEqual(self.url_open(hidden.access_url).status_code, 404)
                seen = self._everything_seen(hidden)
                self.assertNotIn(hidden.name, seen, seen[-3000:])
                self.assertNotIn(SECRET_REFUSAL, self._everything_seen(hidden))
            self.assertEqual(self._rpc("mediation.case", "search_count", []), 0)
        # The consumer reads its refusal letter, not the note as a field.
        self.authenticate("cm_consumer", "cm_consumer")
        letter = self.url_open(f"{refused.access_url}/letters/refusal?report_type=html")
        self.assertIn(SECRET_REFUSAL, letter.text)
        self._refused_rpc("mediation.case", "read", refused.ids, ["refusal_note"])

        case.action_start_review()
        case.action_admit()
        case.action_notify_saisine()
        self.authenticate("cm_pro", "cm_pro")
        page = self.url_open(case.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(refused.name, self.url_open("/my/mediation-cases").text)
        # The consumer's acknowledgement and filed documents stay its own.
        self.assertNotIn("invoice.pdf", page.text)
        self._assert_notifications_in_audience(case)
        self._assert_notifications_in_audience(refused)

    def test_private_exchanges_reach_only_their_side(self):
        case = self._case_with_exchanges()
        consumer_doc = self._attachment(case, "consumer-secret.pdf")
        pro_doc = self._attachment(case, "pro-secret.pdf")
        team_doc = self._attachment(case, "team-notes.pdf")
        self.assertEqual(
            (consumer_doc | pro_doc | team_doc).mapped("access_token"), [False] * 3
        )
        readers = {
            "cm_consumer": (SECRET_CONSUMER, consumer_doc),
            "cm_c_lawyer": (SECRET_CONSUMER, consumer_doc),
            "cm_pro": (SECRET_PROFESSIONAL, pro_doc),
            "cm_p_lawyer": (SECRET_PROFESSIONAL, pro_doc),
            "cm_stranger": (None, None),
            "case_mediator2": (None, None),
            "cm_accountant": (None, None),
        }
        secrets = {
            SECRET_CONSUMER: consumer_doc,
            SECRET_PROFESSIONAL: pro_doc,
            SECRET_TEAM: team_doc,
        }
        for login, (own_secret, own_doc) in readers.items():
            self.authenticate(login, login)
            seen = self._everything_seen(case)
            for secret, document in secrets.items():
                if secret == own_secret:
                    self.assertIn(secret, seen, login)
                    download = self.url_open(
                        f"{case.access_url}/documents/{document.id}"
                    )
                    self.assertEqual(download.content, PDF, login)
                    continue
                self.assertNotIn(secret, seen, login)
                self.assertNotIn(document.name, seen, login)
                for url in (
                    f"{case.access_url}/documents/{document.id}",
                    f"/web/content/{document.id}",
                    f"/web/content/{document.id}?download=true",
                ):
                    self.assertNotEqual(
                        self.url_open(url).status_code, 200, f"{login} {url}"
                    )
                message = (
                    document.sudo()
                    .env["mail.message"]
                    .search([("attachment_ids", "in", document.ids)])
                )
                self._refused_rpc("mail.message", "read", message.ids, ["body"])
            if own_doc is None:
                self.assertEqual(self.url_open(case.access_url).status_code, 404, login)
        self._assert_notifications_in_audience(case)

    def test_secretariat_sees_the_case_not_the_parties_confidences(self):
        case = self._case_with_exchanges()
        new_test_user(
            self.env,
            "cm_secretary",
            groups="consumer_mediation.group_mediation_secretariat",
        )
        self.authenticate("cm_secretary", "cm_secretary")
        messages = self._rpc(
            "mail.message",
            "search_read",
            [("model", "=", case._name), ("res_id", "=", case.id)],
            ["body"],
        )
        bodies = " ".join(message["body"] for message in messages)
        self.assertIn(SECRET_TEAM, bodies)
        self.assertNotIn(SECRET_CONSUMER, bodies)
        self.assertNotIn(SECRET_PROFESSIONAL, bodies)
        team_doc = self._attachment(case, "team-notes.pdf")
        self.assertEqual(self.url_open(f"/web/content/{team_doc.id}").content, PDF)
        # It decides whether the file is complete: it reads what was filed.
        filed = self._attachment(case, "invoice.pdf")
        self.assertEqual(self.url_open(f"/web/content/{filed.id}").content, PDF)
        found = self._rpc(
            "ir.attachment", "search_read", [("id", "=", filed.id)], ["name"]
        )
        self.assertEqual(len(found), 1)
        for name in ("consumer-secret.pdf", "pro-secret.pdf"):
            document = self._attachment(case, name)
            self.assertNotEqual(
                self.url_open(f"/web/content/{document.id}").status_code, 200, name
            )
            found = self._rpc(
                "ir.attachment", "search_read", [("id", "=", document.id)], ["name"]
            )
            self.assertFalse(found, name)

    def test_parties_cannot_post_notify_subscribe_or_upload_through_odoo(self):
        case = self._case_with_exchanges()
        consumer_doc = self._attachment(case, "consumer-secret.pdf")
        messages = case.message_ids
        followers = case.message_follower_ids
        mails = self.env["mail.mail"].search([])
        for login in ("cm_consumer", "cm_pro", "cm_p_lawyer", "cm_stranger"):
            self.authenticate(login, login)
            self._refused_rpc(
                "mediation.case",
                "message_post",
                case.ids,
                body=f"{login} spam",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.stranger.ids,
            )
            self._refused_rpc(
                "mediation.case", "message_subscribe", case.ids, partner_ids=None
            )
            self._refused_rpc(
                "mediation.case",
                "message_notify",
                case.ids,
                body="spam",
                partner_ids=self.stranger.ids,
            )
            self._refused_rpc(
                "mail.message",
                "create",
                {
                    "model": case._name,
                    "res_id": case.id,
                    "body": "spam",
                    "message_type": "comment",
                    "partner_ids": [(4, self.stranger.id)],
                },
            )
            with mute_logger("odoo.http"):
                post = self.url_open(
                    "/mail/message/post",
                    data=json.dumps(
                        {
                            "params": {
                                "thread_model": case._name,
                                "thread_id": case.id,
                                "post_data": {
                                    "body": "spam",
                                    "message_type": "comment",
                                    "partner_ids": self.stranger.ids,
                                },
                            }
                        }
                    ),
                    headers={"Content-Type": "application/json"},
                )
                self.assertIn("error", post.json(), login)
                upload = self.url_open(
                    "/mail/attachment/upload",
                    data={
                        "csrf_token": self._csrf("/my"),
                        "thread_id": case.id,
                        "thread_model": case._name,
                    },
                    files={"ufile": ("x.pdf", PDF, "application/pdf")},
                )
                self.assertNotEqual(upload.status_code, 200, login)
                delete = self.url_open(
                    "/mail/attachment/delete",
                    data=json.dumps({"params": {"attachment_id": consumer_doc.id}}),
                    headers={"Content-Type": "application/json"},
                )
                self.assertIn("error", delete.json(), login)
            self._refused_rpc(
                "mail.message",
                "write",
                case.message_ids.filtered(
                    lambda m: m.mediation_audience == "consumer"
                ).ids,
                {"mediation_audience": "parties"},
            )
        self.assertEqual(case.message_ids, messages)
        self.assertEqual(case.message_follower_ids, followers)
        self.assertTrue(consumer_doc.exists())
        self.assertFalse(self.env["mail.mail"].search([]) - mails)
        self.assertFalse(
            self.env["mail.notification"].search(
                [("res_partner_id", "=", self.stranger.id)]
            )
        )

    def test_internal_fields_are_the_team_s(self):
        case = self._case_with_exchanges()
        for login in ("cm_consumer", "cm_pro"):
            self.authenticate(login, login)
            for field in (
                "fee_complex",
                "admissibility_warning",
                "contract_id",
                "is_out_of_coverage",
                "refusal_note",
                "web_token",
                "message_consumer_ids",
            ):
                self._refused_rpc("mediation.case", "read", case.ids, [field])

    def test_no_post_on_a_finished_case(self):
        case = self._case_with_exchanges()
        case.with_user(self.mediator)._interrupt(
            self.env.ref("consumer_mediation.outcome_withdrawn_consumer")
        )
        self.env.cr.precommit.run()  # the tracking of the interruption
        messages = case.message_ids
        attachments = self.env["ir.attachment"].search([])
        self.authenticate("cm_consumer", "cm_consumer")
        self.assertNotIn("o_mediation_upload", self.url_open(case.access_url).text)
        response = self._post_document(case, name="late.pdf")
        self.assertIn("this case is finished", response.text)
        self.assertEqual(case.message_ids, messages)
        self.assertEqual(self.env["ir.attachment"].search([]), attachments)

    def test_mediator_shares_a_private_document(self):
        case = self._case_with_exchanges()
        message = case.message_ids.filtered(lambda m: SECRET_CONSUMER in (m.body or ""))
        self.assertEqual(message.mediation_audience, "consumer")
        consumer_doc = message.attachment_ids
        with self.assertRaises(AccessError):
            message.with_user(self.other_mediator).action_mediation_share()
        message.with_user(self.mediator).action_mediation_share()
        shared = case.message_ids[0]
        self.assertEqual(shared.mediation_audience, "parties")
        self.assertEqual(shared.author_id, self.mediator.partner_id)
        self.assertIn("consumer-secret.pdf", shared.body)
        self.authenticate("cm_pro", "cm_pro")
        page = self.url_open(case.access_url).text
        self.assertIn("consumer-secret.pdf", page)
        # The document, not the consumer's private words.
        self.assertNotIn(SECRET_CONSUMER, page)
        download = self.url_open(f"{case.access_url}/documents/{consumer_doc.id}")
        self.assertEqual(download.content, PDF)
        self._assert_notifications_in_audience(case)

    def test_each_party_reads_the_request_as_filed(self):
        """The professional decides whether to enter the mediation on the
        request; the consumer re-reads it. The documents filed with it reach
        the professional once the mediator shares them."""
        case = self._as_mediator(self._file_online("conf-claim"))
        load_french(self.env)
        (self.consumer | self.employee).lang = "fr_FR"
        case.action_start_review()
        case.action_admit()
        # Notified and asked to enter: it decides on the request.
        case.action_notify_saisine()
        filed = self._attachment(case, "invoice.pdf")
        for login in ("cm_consumer", "cm_pro"):
            self.authenticate(login, login)
            page = self.url_open(case.access_url).text
            self.assertIn("La demande", page, login)
            self.assertIn("ce que demande le consommateur", page, login)
            self.assertIn("The sofa delivered was torn.", page, login)
            self.assertIn('<span class="oe_currency_value">800,00</span>', page)
        self.assertNotIn("invoice.pdf", page)
        self.assertEqual(
            self.url_open(f"{case.access_url}/documents/{filed.id}").status_code, 404
        )
        # A representative reads whom it represents, and the request.
        self.consumer_lawyer.lang = "fr_FR"
        self.authenticate("cm_c_lawyer", "cm_c_lawyer")
        page = self.url_open(case.access_url).text
        self.assertIn(
            f"Vous représentez le consommateur, <strong>{self.consumer.name}</strong>",
            page,
        )
        self.assertIn("The sofa delivered was torn.", page)
        self.authenticate("cm_consumer", "cm_consumer")
        self.assertIn("invoice.pdf", self.url_open(case.access_url).text)
        self.assertEqual(
            self.url_open(f"{case.access_url}/documents/{filed.id}").content, PDF
        )
        filing = filed.env["mail.message"].search(
            [("model", "=", case._name), ("attachment_ids", "in", filed.ids)]
        )
        filing.with_user(self.mediator).action_mediation_share()
        self.authenticate("cm_pro", "cm_pro")
        self.assertIn("invoice.pdf", self.url_open(case.access_url).text)
        self.assertEqual(
            self.url_open(f"{case.access_url}/documents/{filed.id}").content, PDF
        )
        self._assert_notifications_in_audience(case)

    def test_letters_and_evidence_are_kept(self):
        """The kept letters (their SHA-256 is in the decision log) and the
        documents filed are deleted or replaced by no user, over any route;
        the retention job removes them."""
        case = self._case_with_exchanges()
        new_test_user(
            self.env,
            "cm_secretary",
            groups="consumer_mediation.group_mediation_secretariat",
        )
        letters = (
            self.env["mediation.decision.log"]
            .search([("case_id", "=", case.id), ("kind", "=", "letter")])
            .attachment_ids
        )
        self.assertTrue(letters)
        kept = letters | self._attachment(case, "invoice.pdf")
        contents = {doc: doc.raw for doc in kept}
        for login in ("case_mediator", "cm_secretary"):
            self.authenticate(login, login)
            for doc in kept:
                with mute_logger("odoo.http"):
                    delete = self.url_open(
                        "/mail/attachment/delete",
                        data=json.dumps({"params": {"attachment_id": doc.id}}),
                        headers={"Content-Type": "application/json"},
                    )
                self.assertIn("error", delete.json(), (login, doc.name))
                self._refused_rpc("ir.attachment", "unlink", [doc.id])
                self._refused_rpc(
                    "ir.attachment", "write", [doc.id], {"raw": "forged", "name": "x"}
                )
        for doc in kept:
            self.assertTrue(doc.exists(), doc.name)
            doc.invalidate_recordset()
            self.assertEqual(doc.raw, contents[doc], doc.name)
        with self.assertRaises(AccessError):
            kept.with_user(self.manager).sudo().unlink()
        # The retention job (here on a manager's erasure request) removes them.
        self.env["mediation.retention"].with_user(self.manager)._remove_records_data(
            case._name, case.ids
        )
        self.assertFalse(kept.exists())

    def test_mediator_writes_to_one_side(self):
        case = self._case_with_exchanges()
        action = case.with_user(self.mediator).action_write_to_professional()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.mediator)
            .with_context(**action["context"])
            .create({"body": "<p>PRIVATE-TO-PRO</p>"})
        )
        self.assertEqual(composer.partner_ids, self.professional | self.pro_lawyer)
        composer.action_send_mail()
        sent = case.message_ids[0]
        self.assertEqual(sent.mediation_audience, "professional")
        self.assertLessEqual(
            self.professional | self.pro_lawyer, sent.notification_ids.res_partner_id
        )
        self.assertLessEqual(sent.notification_ids.res_partner_id, self.pro_side)
        self.authenticate("cm_consumer", "cm_consumer")
        self.assertNotIn("PRIVATE-TO-PRO", self._everything_seen(case))
        self.authenticate("cm_pro", "cm_pro")
        self.assertIn("PRIVATE-TO-PRO", self.url_open(case.access_url).text)


@tagged("post_install", "-at_install")
class TestMediationConfidentialityTour(MediationPortalCommon):
    """In French, each logged in with its own groups only: the consumer
    confides a document to the mediator, the professional does not see it,
    the mediator shares it, the professional sees it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        (cls.consumer_user | cls.pro_user | cls.mediator).lang = "fr_FR"

    def test_aparte_then_shared(self):
        case = self._case_in("mediation")
        self.start_tour(
            case.access_url, "consumer_mediation_aparte_tour", login="cm_consumer"
        )
        confided = case.message_ids.attachment_ids.filtered(
            lambda a: a.name == "arret-maladie.pdf"
        )
        self.assertEqual(len(confided), 1)
        self.start_tour(
            case.access_url, "consumer_mediation_aparte_hidden_tour", login="cm_pro"
        )
        self.start_tour(
            f"/odoo/mediation.case/{case.id}",
            "consumer_mediation_share_tour",
            login="case_mediator",
        )
        shared = case.message_ids.filtered(lambda m: confided <= m.attachment_ids)
        self.assertEqual(
            sorted(shared.mapped("mediation_audience")), ["consumer", "parties"]
        )
        self.start_tour(
            case.access_url, "consumer_mediation_shared_tour", login="cm_pro"
        )
