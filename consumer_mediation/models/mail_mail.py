import smtplib
from datetime import timedelta

import psycopg2

from odoo import fields, models
from odoo.tools import mute_logger

# How soon the queue tries again when the outgoing server could not be reached.
SMTP_RETRY_DELAY = timedelta(minutes=1)


class MailMail(models.Model):
    _inherit = "mail.mail"

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        """Only queued mails. When it cannot connect, Odoo marks every mail
        it was given, also one another process has sent meanwhile (the sender
        after a request's commit and the queue both pick a new mail): kept
        queued below, that mail went out twice in the production rehearsal.
        Odoo sends nothing but queued mails anyway."""
        return super(
            MailMail, self.filtered(lambda mail: mail.state == "outgoing")
        ).send(
            auto_commit=auto_commit,
            raise_exception=raise_exception,
            post_send_callback=post_send_callback,
        )

    def _send(
        self,
        auto_commit=False,
        raise_exception=False,
        smtp_session=None,
        alias_domain_id=False,
        mail_server=False,
        post_send_callback=None,
    ):
        """One mail at a time, each claimed first (``_mediation_claim``).

        When the server hangs up in the middle of a batch, Odoo gives up
        the batch, leaving the mail it was handing over in the failed state
        it writes before each sending ("Error without exception"), which its
        queue never sends again: a confirmation link was lost when the SMTP
        server stopped (production rehearsal). The server did not take it:
        it goes back to the queue, which tries again shortly."""
        for mail in self:
            claimed = mail._mediation_claim()
            if not claimed:
                continue
            try:
                super(MailMail, claimed)._send(
                    auto_commit=auto_commit,
                    raise_exception=raise_exception,
                    smtp_session=smtp_session,
                    alias_domain_id=alias_domain_id,
                    mail_server=mail_server,
                    post_send_callback=post_send_callback,
                )
            except smtplib.SMTPServerDisconnected:
                claimed.filtered(
                    lambda mail: mail.state == "exception" and not mail.failure_type
                )._mediation_requeue()
                raise
        return True

    def _mediation_claim(self):
        """This mail, if it is still queued and no other process is sending
        it: locked until this transaction ends. The sender after a request's
        commit and the queue both pick a new mail; when both sent it, the
        one that recorded it second failed on the other's update, and the
        consumer who had just posted got an error page for a message that
        was posted (production rehearsal). A mail another process holds or
        has sent since this transaction began is left to it."""
        self.ensure_one()
        self.flush_recordset(["state"])
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    "SELECT id FROM mail_mail WHERE id = %s AND state = 'outgoing'"
                    " FOR UPDATE SKIP LOCKED",
                    [self.id],
                )
                claimed = bool(self.env.cr.fetchone())
        except psycopg2.errors.SerializationFailure:
            claimed = False
        # What Odoo reads next is what was just locked.
        self.invalidate_recordset(["state"])
        return self if claimed else self.browse()

    def _mediation_requeue(self):
        """Back to the queue, which is triggered again shortly, with the
        notifications Odoo marked failed before handing the mails over."""
        self.write({"state": "outgoing", "failure_reason": False})
        self.env["mail.notification"].sudo().search(
            [
                ("mail_mail_id", "in", self.ids),
                ("notification_status", "=", "exception"),
            ]
        ).write(
            {
                "notification_status": "ready",
                "failure_type": False,
                "failure_reason": False,
            }
        )
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger(
            fields.Datetime.now() + SMTP_RETRY_DELAY
        )

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        """Odoo marks a whole batch as failed for good when it cannot connect
        to the outgoing mail server ("mail_smtp": nothing of it left), and its
        queue never sends a failed mail again: a confirmation link or a
        letter was lost whenever the server was down (seen in the production
        rehearsal). Keep such a batch queued, and have the queue try again
        shortly: it is sent once, when the server is back."""
        if failure_type == "mail_smtp" and not success_pids:
            self._mediation_requeue()
            return True
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
