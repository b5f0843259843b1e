"""E-mails the addon sends leave promptly and survive an outgoing mail server
that is down: queued, sent once when it is back (the production rehearsal's
"SMTP server down for a minute" fault, docs/production.md)."""

import smtplib
from unittest.mock import MagicMock, patch

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail


@tagged("post_install", "-at_install")
class TestMediationMailQueue(TransactionCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.queue_cron = cls.env.ref("mail.ir_cron_mail_scheduler_action")

    def _queue_triggers(self):
        return self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.queue_cron.id)]
        )

    def test_server_down_keeps_mail_queued_then_sends_it_once(self):
        mail = self.env["mail.mail"].create(
            {
                "email_from": "mediateur@example.com",
                "email_to": "consommateur@example.com",
                "subject": "Confirmez votre demande",
                "body_html": "<p>Lien</p>",
            }
        )
        before = self._queue_triggers()
        server = type(self.env["ir.mail_server"])
        with (
            patch.object(server, "connect", side_effect=ConnectionRefusedError(111)),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            mail.send()
        self.assertEqual(mail.state, "outgoing", "kept in the queue, not failed")
        retry = self._queue_triggers() - before
        self.assertEqual(len(retry), 1)
        self.assertGreater(retry.call_at, fields.Datetime.now())
        # The server is back: the queue sends it once, and only once.
        with self.mock_mail_gateway():
            self.env["mail.mail"].process_email_queue(ids=mail.ids)
            self.env["mail.mail"].process_email_queue(ids=mail.ids)
        self.assertEqual(
            [sent["email_to"] for sent in self._mails], [["consommateur@example.com"]]
        )

    def test_server_down_never_requeues_a_mail_already_sent(self):
        """The sender after a request's commit and the queue may both be
        given a new mail; the one that cannot connect must not put back in
        the queue what the other has sent."""
        Mail = self.env["mail.mail"]
        values = {
            "email_from": "mediateur@example.com",
            "email_to": "consommateur@example.com",
            "body_html": "<p>Accusé de réception</p>",
        }
        sent = Mail.create({**values, "subject": "Envoyé", "state": "sent"})
        queued = Mail.create({**values, "subject": "En attente"})
        server = type(self.env["ir.mail_server"])
        with (
            patch.object(server, "connect", side_effect=ConnectionRefusedError(111)),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            (sent | queued).send()
        self.assertEqual(sent.state, "sent")
        self.assertEqual(queued.state, "outgoing")

    def test_server_hanging_up_mid_batch_requeues_the_mail_it_was_given(self):
        """The SMTP server stops while the queue hands it a batch: what it
        took is sent, the mail it hung up on and the rest stay queued, and
        the queue tries again shortly (a confirmation was lost so in the
        production rehearsal)."""
        Mail = self.env["mail.mail"]
        mails = Mail.create(
            [
                {
                    "email_from": "mediateur@example.com",
                    "email_to": f"consommateur{index}@example.com",
                    "subject": f"Confirmez votre demande {index}",
                    "body_html": "<p>Lien</p>",
                }
                for index in range(3)
            ]
        )
        before = self._queue_triggers()
        server = type(self.env["ir.mail_server"])
        hung_up = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        with (
            patch.object(server, "connect", return_value=MagicMock()),
            patch.object(
                server, "send_email", side_effect=["<taken@example.com>", hung_up]
            ),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            # Not assertRaises: Odoo's rolls back what the block wrote.
            try:
                mails.send()
            except smtplib.SMTPServerDisconnected as error:
                self.assertIs(error, hung_up)
            else:
                self.fail("Odoo raises when the server hangs up")
        self.assertEqual(mails.mapped("state"), ["sent", "outgoing", "outgoing"])
        self.assertFalse(mails[1].failure_reason)
        self.assertEqual(len(self._queue_triggers() - before), 1)

    def test_mail_another_process_is_sending_is_left_to_it(self):
        """The sender after a request's commit and the queue pick the same
        new mail: the one that comes second leaves it, instead of failing
        on the other's update (the consumer got an error page for a message
        posted, production rehearsal) or sending it twice."""
        with self.registry.cursor() as cr:
            mail_id = (
                api.Environment(cr, SUPERUSER_ID, {})["mail.mail"]
                .create(
                    {
                        "email_from": "mediateur@example.com",
                        "email_to": "consommateur@example.com",
                        "subject": "Nouveau message",
                        "body_html": "<p>Message</p>",
                    }
                )
                .id
            )
        try:
            self._send_while_another_process_holds(mail_id)
        finally:
            with self.registry.cursor() as cr:
                cr.execute("DELETE FROM mail_mail WHERE id = %s", [mail_id])

    def _send_while_another_process_holds(self, mail_id):
        server = type(self.env["ir.mail_server"])
        with (
            self.registry.cursor() as other,
            self.registry.cursor() as cr,
            patch.object(server, "connect", return_value=MagicMock()),
            patch.object(server, "send_email", return_value="<x@example.com>") as send,
        ):
            # Old code would wait for the other sender: a bounded wait fails.
            cr.execute("SET LOCAL lock_timeout TO '2s'")
            mail = api.Environment(cr, SUPERUSER_ID, {})["mail.mail"].browse(mail_id)
            # The other sender is handing it over.
            other.execute(
                "SELECT id FROM mail_mail WHERE id = %s FOR UPDATE", [mail_id]
            )
            mail.send()
            self.assertFalse(send.called)
            # The other sender recorded it as sent after this transaction
            # began: invisible here, it is still not sent again.
            other.execute(
                "UPDATE mail_mail SET state = 'sent' WHERE id = %s", [mail_id]
            )
            other.commit()
            mail.send()
            self.assertFalse(send.called)
            cr.rollback()

    def test_confirmation_email_leaves_at_once(self):
        """The visitor waits for the link: the queue runs now, not within the
        hour of its schedule."""
        before = self._queue_triggers()
        web_request = self.env["mediation.web.request"]._submit(
            "case", "visiteur@example.com", {"case": {}, "contact": {}}, "form-token-1"
        )
        self.assertTrue(web_request)
        trigger = self._queue_triggers() - before
        self.assertEqual(len(trigger), 1)
        self.assertLessEqual(trigger.call_at, fields.Datetime.now())
