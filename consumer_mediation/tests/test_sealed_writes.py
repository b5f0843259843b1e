"""The write paths of a case tried over JSON-RPC by each role, whatever the
context it sends: decisions, states and clocks move by the actions only;
messages and documents do not cross audiences; a mediator the case was taken
from no longer posts; the mail gateway is not callable by employees."""

from datetime import timedelta

from markupsafe import Markup

from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .test_mediation_case_documents import MediationDocumentsCommon
from .test_portal import PDF

# What an attacker puts in the context of its calls: it proves nothing.
FORGED_CONTEXT = {"mediation_decision": True, "mediation_file_step": True}
SECRET = "SECRET-CONSUMER-APARTE"
RAW_REQUEST = """Return-Path: <{sender}>
From: {sender}
To: mediation@{domain}
Subject: My kitchen was never installed
Message-ID: <{message_id}@example.com>
Date: Thu, 26 Nov 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

I paid 4,000 EUR to Cuisines Martin and nothing was installed.
"""


@tagged("post_install", "-at_install")
class TestMediationSealedWrites(MediationDocumentsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_employee = new_test_user(
            cls.env, "cm_plain_employee", groups="base.group_user"
        )
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "mediateur.example.com"}
        )
        cls.env.ref(
            "consumer_mediation.mail_alias_mediation_case"
        ).alias_domain_id = cls.alias_domain

    def _refused(self, model, method, *args, **kwargs):
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._rpc(model, method, *args, **kwargs)

    def _log_count(self):
        return self.env["mediation.decision.log"].search_count([])

    # ------------------------------------------------------------------
    # Decisions, states, clocks
    # ------------------------------------------------------------------
    def test_decisions_states_and_clocks_written_by_the_actions_only(self):
        case = self._case_in("review")
        refused = self._case_in("review")
        refused.with_user(self.mediator)._refuse(self.ground_competence)
        waiting = self._case_in("waiting")
        due = waiting.date_mediation_due
        entries = self._log_count()
        outcome = self.env.ref("consumer_mediation.outcome_agreement")
        self.authenticate("case_mediator", "case_mediator")
        for values in (
            {"outcome_id": outcome.id},
            {"date_outcome": "2026-01-02"},
            {"date_admissibility_decided": "2026-01-02"},
            {"consumer_answer": "accepted"},
        ):
            with self.subTest(values=values):
                self._refused(
                    "mediation.case", "write", case.ids, values, context=FORGED_CONTEXT
                )
        # A reopening without the manager.
        self._refused(
            "mediation.case",
            "write",
            refused.ids,
            {"state": "review"},
            context=FORGED_CONTEXT,
        )
        clocks = {
            "date_refusal_due": "2030-01-01",
            "date_mediation_due": "2030-01-01",
            "date_entry_due": "2030-01-01",
            "next_due_date": "2030-01-01",
            "is_overdue": True,
            "deadline_status": "overdue",
            # It opens the case to the professional.
            "is_professional_involved": True,
        }
        for login in ("case_mediator", "cm_secretary"):
            self.authenticate(login, login)
            for name, value in clocks.items():
                with self.subTest(login=login, field=name):
                    self._refused(
                        "mediation.case",
                        "write",
                        case.ids,
                        {name: value},
                        context=FORGED_CONTEXT,
                    )
        # A case created already decided.
        self._refused(
            "mediation.case",
            "create",
            [
                {
                    "consumer_id": self.consumer.id,
                    "state": "closed",
                    "outcome_id": outcome.id,
                    "date_outcome": "2026-01-02",
                }
            ],
            context=FORGED_CONTEXT,
        )
        # An extension moves the mediation deadline without its letter.
        self.authenticate("case_mediator", "case_mediator")
        self._refused(
            "mediation.case.extension",
            "create",
            [
                {
                    "case_id": waiting.id,
                    "new_deadline": str(due + timedelta(days=60)),
                    "reason": "Forged",
                }
            ],
            context=FORGED_CONTEXT,
        )
        self.assertEqual(self._log_count(), entries)
        self.env.invalidate_all()
        self.assertEqual(
            (case.state, case.outcome_id, case.date_admissibility_decided),
            ("review", outcome.browse(), False),
        )
        self.assertFalse(case.is_professional_involved)
        self.assertEqual(refused.state, "refused")
        self.assertEqual(waiting.date_mediation_due, due)
        self.assertEqual(waiting.deadline_status, "ok")
        # The actions still move the case, logged; the ORM still computes the
        # clocks.
        self._rpc("mediation.case", "action_admit", case.ids)
        self._rpc("mediation.case", "action_notify_saisine", case.ids)
        self.env.invalidate_all()
        self.assertEqual(case.state, "waiting")
        self.assertEqual(case.date_mediation_due, self.today + timedelta(days=90))
        self.assertTrue(case.is_professional_involved)
        self.assertIn(
            "admissibility",
            case.sudo().decision_log_ids.mapped("kind"),
        )
        # The secretariat hands over a complete file, and no more.
        fresh = self._case()
        self.authenticate("cm_secretary", "cm_secretary")
        self._rpc("mediation.case", "action_start_review", fresh.ids)
        self._refused("mediation.case", "action_admit", fresh.ids)
        self.env.invalidate_all()
        self.assertEqual(fresh.state, "review")

    # ------------------------------------------------------------------
    # Messages and documents
    # ------------------------------------------------------------------
    def _private_and_joint(self):
        """A case in mediation with the consumer's private message and
        document, and a joint message."""
        case = self._case_in("waiting").sudo()
        document = self.env["ir.attachment"].create(
            {
                "name": "consumer-secret.pdf",
                "raw": PDF,
                "res_model": case._name,
                "res_id": case.id,
            }
        )
        private = case._mediation_post(
            "consumer", Markup("<p>%s</p>") % SECRET, document, author=self.consumer
        )
        joint = case._mediation_post("parties", Markup("<p>To both parties</p>"))
        return case, document, private, joint

    def _react(self, message):
        """The reaction route as the logged-in user; whether it was added."""
        try:
            with mute_logger("odoo.http"):
                self.make_jsonrpc_request(
                    "/mail/message/reaction",
                    {"message_id": message.id, "content": "👍", "action": "add"},
                )
        except JsonRpcException:
            return False
        return True

    def test_messages_and_documents_do_not_cross_audiences(self):
        case, document, private, joint = self._private_and_joint()
        for login in ("cm_secretary", "case_mediator"):
            self.authenticate(login, login)
            with self.subTest(login=login):
                self._refused(
                    "mail.message",
                    "write",
                    joint.ids,
                    {"attachment_ids": [(4, document.id)]},
                    context=FORGED_CONTEXT,
                )
        self.authenticate("case_mediator", "case_mediator")
        self._refused(
            "mail.message", "write", private.ids, {"mediation_audience": "parties"}
        )
        self.authenticate("cm_secretary", "cm_secretary")
        self._refused(
            "mail.message",
            "create",
            [
                {
                    "model": case._name,
                    "res_id": case.id,
                    "body": "Forged",
                    "message_type": "comment",
                    "mediation_audience": "parties",
                    "attachment_ids": [(4, document.id)],
                }
            ],
        )
        self._refused(
            "mediation.case",
            "message_post",
            case.ids,
            body="Forged",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            mediation_audience="consumer",
        )
        # A team note of its own, carrying the consumer's document.
        self._refused(
            "mediation.case",
            "message_post",
            case.ids,
            body="Forged",
            subtype_xmlid="mail.mt_note",
            attachment_ids=document.ids,
        )
        self.env.invalidate_all()
        self.assertFalse(joint.attachment_ids)
        self.assertEqual(private.mediation_audience, "consumer")
        self.assertEqual(
            self.env["mail.message"].search([("attachment_ids", "in", document.ids)]),
            private,
        )
        # Reactions: within one's audience only.
        self.assertFalse(self._react(private), "secretariat on a private message")
        self.assertTrue(self._react(joint), "secretariat on a joint message")
        self.authenticate("case_mediator", "case_mediator")
        self.assertTrue(self._react(private), "the mediator of the case")
        self.authenticate("case_mediator2", "case_mediator2")
        self.assertFalse(self._react(private), "another mediator")
        self.env.invalidate_all()
        self.assertEqual(
            private.reaction_ids.partner_id, self.mediator.partner_id, "reactions"
        )
        # The mediator's Share action is the way across.
        self.authenticate("case_mediator", "case_mediator")
        self._rpc("mail.message", "action_mediation_share", private.ids)
        shared = case.message_ids.filtered(
            lambda m: m.mediation_audience == "parties" and m.attachment_ids
        )
        self.assertEqual(shared.attachment_ids, document)

    def test_edited_message_does_not_take_a_private_document(self):
        case, document, private, _joint = self._private_and_joint()
        joint = case.with_user(self.mediator)._mediation_post(
            "parties", Markup("<p>Both parties, by the mediator</p>")
        )
        self.authenticate("case_mediator", "case_mediator")
        # Odoo's route to edit one's message writes it in superuser mode.
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/update_content",
                {
                    "message_id": joint.id,
                    "body": "Edited",
                    "attachment_ids": document.ids,
                },
            )
        self.env.invalidate_all()
        self.assertFalse(joint.attachment_ids)
        self.assertEqual(document.res_id, case.id)
        self.assertEqual(private.attachment_ids, document)

    def test_mediator_the_case_was_taken_from_no_longer_posts_nor_is_told(self):
        case = self._case_in("waiting", mediator_id=self.other_mediator.id)
        case.with_user(self.other_mediator).message_post(
            body="Note of the first mediator",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        case.with_user(self.manager).mediator_id = self.mediator
        self.assertIn(self.other_mediator.partner_id, case.message_partner_ids)
        messages = case.message_ids
        self.authenticate("case_mediator2", "case_mediator2")
        self._refused(
            "mediation.case",
            "message_post",
            case.ids,
            body="Stale post",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.consumer.ids,
            mediation_audience="consumer",
        )
        self._refused(
            "mail.message",
            "create",
            [
                {
                    "model": case._name,
                    "res_id": case.id,
                    "body": "Stale message",
                    "message_type": "comment",
                    "mediation_audience": "consumer",
                    "partner_ids": [(4, self.consumer.id)],
                }
            ],
        )
        self.env.invalidate_all()
        self.assertEqual(case.message_ids, messages)
        # Still a follower, no longer notified.
        message = case.with_user(self.mediator).message_post(
            body="To the team",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertNotIn(
            self.other_mediator.partner_id, message.notification_ids.res_partner_id
        )

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------
    def test_mail_gateway_not_callable_by_employees(self):
        Case = self.env["mediation.case"]
        before = Case.search([])
        raw = RAW_REQUEST.format(
            sender="lea.petit@example.com",
            domain=self.alias_domain.name,
            message_id="rpc-request",
        )
        for login in ("cm_plain_employee", "case_mediator", "cm_secretary"):
            self.authenticate(login, login)
            for model in ("mediation.case", "mail.thread"):
                with self.subTest(login=login, model=model):
                    self._refused(model, "message_process", False, raw)
            self._refused(
                "mediation.case",
                "message_new",
                {"email_from": "lea.petit@example.com", "body": "Forged"},
            )
        self.assertEqual(Case.search([]), before)
        # The gateway itself still files it.
        self.env["mail.thread"].message_process(False, raw.encode())
        self.assertEqual(len(Case.search([]) - before), 1)
