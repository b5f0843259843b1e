"""Letters of a case: sending each step's letter to its recipients."""

import base64

from babel.dates import format_date as babel_format_date

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext
from odoo.tools.misc import format_date, get_lang

from .mediation_case import (
    LETTERS,
    OPEN_STATES,
)

# The letters the secretariat sends (and prints): the file's receipt and
# completeness, no decision and no confidence.
TEAM_LETTERS = (
    "acknowledgement",
    "documents_request",
    "documents_reminder",
    "file_complete",
)


class MediationCase(models.Model):
    # The case model is split by concern, one file each, on purpose.
    _inherit = "mediation.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Actions: letters
    # ------------------------------------------------------------------
    def action_send_acknowledgement(self):
        self._check_state(*OPEN_STATES)
        self._send_team_letter("acknowledgement")
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
    def _applicable_letters(self):
        """The letter steps this case went through or stands at, in the
        order of LETTERS: what Print offers, and what the portal lists once
        sent (no refusal letter on an admitted case)."""
        self.ensure_one()
        refused = self.state == "refused"
        admitted = not refused and (
            self.state == "admitted" or bool(self.date_saisine_notified)
        )
        ended = self.state in ("closed", "interrupted")
        applies = {
            "acknowledgement": True,
            "documents_request": bool(self.date_documents_requested),
            "documents_reminder": bool(self.date_documents_reminded),
            "file_complete": bool(
                self.date_documents_requested and self.date_file_complete
            ),
            "refusal": refused,
            "saisine": admitted,
            "professional_request": admitted,
            "extension": bool(self.extension_ids),
            "proposal": bool(self.date_proposal_notified)
            or (
                self.state == "mediation"
                and bool(html2plaintext(self.proposal_text or "").strip())
            ),
            "closing": ended,
            "certificate": ended and bool(self.date_saisine_notified),
        }
        return [step for step in LETTERS if applies[step]]

    def _letter_reports(self, steps):
        """[(step, report action)] of ``steps``, in the order of LETTERS."""
        return [
            (step, self.env.ref(f"consumer_mediation.action_report_case_{step}"))
            for step in LETTERS
            if step in steps
        ]

    def _letter_case_url(self):
        """The address of the case page as a letter prints it: a public https
        address only, by the rule of the kit and the QR codes; False
        otherwise (the letter then gives the postal address alone)."""
        self.ensure_one()
        base_url = self.get_base_url()
        if self.env["res.company"]._mediation_public_url_error(base_url):
            return False
        return base_url + self.access_url

    def _letter_check_public_url(self):
        """Refuse, with the reason, to send a letter that would print a link
        consumers cannot reach."""
        error = self.env["res.company"]._mediation_public_url_error(
            self[:1].get_base_url()
        )
        if error:
            raise UserError(error)

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

    def _letter_team_may_print(self, step):
        """Whether the environment's user, of the mediation team, prints the
        letter of ``step``: a letter goes to its recipients' sides, audiences
        the secretariat does not see (mediation_case_audience.py), except the
        letters it sends itself, which state the file's facts."""
        audiences = self._mediation_team_audiences(self.env.user)
        return step in TEAM_LETTERS or set(LETTERS[step][1]) <= audiences

    def _letter_print_recipients(self, step):
        """Whom a printed letter of ``step`` is addressed to: the one being
        sent, or, for a preview, every recipient of the step (for a party,
        the recipients of its sides: ir.actions.report checked them)."""
        self.ensure_one()
        recipient_id = self.env.context.get("letter_recipient_id")
        if recipient_id:
            return self.env["res.partner"].browse(recipient_id)
        sides = (self.env.context.get("mediation_letter_sides") or {}).get(self.id)
        return self.env["res.partner"].browse(
            [
                partner.id
                for partner, side in self._letter_recipients(step)
                if sides is None or side in sides
            ]
        )

    def _letter_lang(self, partner):
        """The language a letter to ``partner`` is written in."""
        return (
            partner.lang or self.company_id.partner_id.lang or get_lang(self.env).code
        )

    def _letter_date(self, date):
        """A date of a letter, in the format of the language it is read in."""
        return format_date(self.env, date) if date else ""

    def _letter_place_and_date(self):
        lang = get_lang(self.env).code
        place = self.company_id.city
        day = babel_format_date(
            fields.Date.context_today(self), format="long", locale=lang
        )
        if not place:
            return day
        return self.env._("%(place)s, %(date)s", place=place, date=day)

    def _letter_postal_address(self, partner):
        # In the letter's language, like the rest of it (the country name).
        partner = partner.with_env(self.env)
        lines = [
            partner.street,
            partner.street2,
            " ".join(filter(None, [partner.zip, partner.city])),
        ]
        if partner.country_id and partner.country_id != self.company_id.country_id:
            lines.append(partner.country_id.name)
        return "\n".join(filter(None, lines))

    def _send_team_letter(self, step):
        """Send a letter the secretariat sends too (the acknowledgement, the
        letters of the file's completeness): it goes into the consumer's
        thread with the mediator, which the secretariat does not see
        (L612-3), so it is posted as superuser once the user's right to
        change the case is checked."""
        self.check_access("write")
        self.sudo()._send_letter(step)

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
            proofs = self.env["ir.attachment"]
            for partner, side in recipients:
                proof = case._letter_proof(step, partner)
                proofs |= proof
                case.with_context(
                    letter_recipient_id=partner.id,
                    letter_recipient_lang=partner.lang,
                    mediation_audience=side,
                ).message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                    attachment_ids=proof.ids,
                )
            self.env["mediation.decision.log"]._append_letter(case, step, proofs)

    # ------------------------------------------------------------------
    # Proof of the letters sent
    # ------------------------------------------------------------------
    def _letter_proof(self, step, partner):
        """Render the letter of ``step`` to ``partner`` once and keep it on
        the case: the e-mail carries it, the decision log its SHA-256, and a
        later print gives it back instead of a new rendering."""
        self.ensure_one()
        report = self.env.ref(f"consumer_mediation.action_report_case_{step}")
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(letter_recipient_id=partner.id)
            ._render_qweb_pdf(report, self.ids)
        )
        title = report.with_context(lang=self._letter_lang(partner)).name
        return self.env["ir.attachment"].create(
            {
                "name": f"{self.name} - {title} - {partner.name}.{kind}",
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf" if kind == "pdf" else "text/html",
            }
        )

    def _letter_kept(self, step):
        """The documents of the last letter of ``step`` sent on the case."""
        self.ensure_one()
        entry = (
            self.env["mediation.decision.log"]
            .sudo()
            .search(
                [
                    ("case_id", "=", self.id),
                    ("kind", "=", "letter"),
                    ("letter_step", "=", step),
                ],
                order="sequence desc",
                limit=1,
            )
        )
        return entry._letter_documents().with_env(self.env)
