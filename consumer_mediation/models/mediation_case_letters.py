"""Letters of a case: sending each step's letter to its recipients."""

from odoo import fields, models
from odoo.exceptions import UserError

from .mediation_case import (
    LETTERS,
    OPEN_STATES,
)


class MediationCase(models.Model):
    _inherit = "mediation.case"

    # ------------------------------------------------------------------
    # Actions: letters
    # ------------------------------------------------------------------
    def action_send_acknowledgement(self):
        self._check_state(*OPEN_STATES)
        self._send_letter("acknowledgement")
        return True

    def action_send_refusal(self):
        self._check_state("refused")
        self._send_letter("refusal")
        return True

    def action_send_closing(self):
        self._check_state("closed", "interrupted")
        self._send_letter("closing")
        return True

    def action_send_certificate(self):
        self._check_state("closed", "interrupted")
        for case in self:
            if not case.date_saisine_notified:
                raise UserError(
                    self.env._(
                        "%(case)s never reached the mediation stage: there was no "
                        "attempted mediation to certify.",
                        case=case.name,
                    )
                )
        self._send_letter("certificate")
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _letter_recipients(self, step):
        """[(partner, side)]: the parties the letter of ``step`` is for, and
        the lawyers or assisting persons representing them (R612-1)."""
        self.ensure_one()
        parties = LETTERS[step][1]
        recipients = []
        if "consumer" in parties:
            recipients.append((self.consumer_id, "consumer"))
        if "professional" in parties and self.professional_id:
            recipients.append((self.professional_id, "professional"))
        recipients += [
            (representative.partner_id, representative.party)
            for representative in self.representative_ids
            if representative.party in parties
        ]
        return recipients

    def _send_letter(self, step):
        """Post the letter of ``step`` to each recipient in their language,
        in the thread of the recipient's side, and stamp the legal date it
        proves."""
        template = self.env.ref(f"consumer_mediation.mail_template_case_{step}")
        date_field = LETTERS[step][0]
        today = fields.Date.context_today(self)
        for case in self:
            recipients = case._letter_recipients(step)
            if not recipients:
                raise UserError(
                    self.env._(
                        "%(case)s has no recipient for this letter.", case=case.name
                    )
                )
            # Stamped first: the letter states the deadlines that date starts.
            if date_field:
                case[date_field] = today
            for partner, side in recipients:
                case.with_context(
                    letter_recipient_id=partner.id,
                    letter_recipient_lang=partner.lang,
                    mediation_audience=side,
                ).message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )
