import smtplib
from datetime import timedelta

from odoo import fields, models

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
        """When the server hangs up in the middle of a batch, Odoo gives up
        the batch, leaving the mail it was handing over in the failed state
        it writes before each sending ("Error without exception"), which its
        queue never sends again: a confirmation link was lost when the SMTP
        server stopped (production rehearsal). The server did not take it:
        it goes back to the queue, which tries again shortly."""
        try:
            return super()._send(
                auto_commit=auto_commit,
                raise_exception=raise_exception,
                smtp_session=smtp_session,
                alias_domain_id=alias_domain_id,
                mail_server=mail_server,
                post_send_callback=post_send_callback,
            )
        except smtplib.SMTPServerDisconnected:
            interrupted = self.filtered(
                lambda mail: mail.state == "exception" and not mail.failure_type
            )
            interrupted._mediation_requeue()
            raise

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
