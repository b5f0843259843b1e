import json
import logging

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .mediation_decision_log import chain_key, keyed_digest

_logger = logging.getLogger(__name__)


class MediationDecisionAnchor(models.Model):
    """A signed head of a company's decision chain: the last entry's
    position and hash, signed (HMAC-SHA256) with the key that lives outside
    the database, each one chained to the previous signature. Copies go to
    the managers by e-mail and into the annual report: whoever rewrites the
    log in the database can neither sign the new head nor recall the copies."""

    _name = "mediation.decision.anchor"
    _description = "Signed Head of the Decision Chain"
    _order = "company_id, id desc"
    _rec_name = "sequence"

    # ------------------------------------------------------------------
    # Signed head
    # ------------------------------------------------------------------
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    sequence = fields.Integer(
        string="Last Entry", required=True, readonly=True, help="Its position."
    )
    head_hash = fields.Char(
        string="Hash of the Last Entry", required=True, readonly=True
    )
    date_signed = fields.Datetime(string="Signed On", required=True, readonly=True)
    previous_signature = fields.Char(readonly=True)
    signature = fields.Char(required=True, readonly=True)

    # ------------------------------------------------------------------
    # CRUD overrides
    # ------------------------------------------------------------------
    def write(self, vals):
        if self:
            raise UserError(self.env._("Signed chain heads cannot be modified."))
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        raise UserError(self.env._("Signed chain heads cannot be deleted."))

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _expected_signature(self, vals=None):
        """Signature of ``vals`` (or of this anchor's values) with the key."""
        if vals is None:
            self.ensure_one()
            vals = {
                "company_id": self.company_id.id,
                "sequence": self.sequence,
                "head_hash": self.head_hash,
                "date_signed": self.date_signed,
                "previous_signature": self.previous_signature or False,
            }
        payload = {
            **vals,
            "date_signed": fields.Datetime.to_string(vals["date_signed"]),
        }
        return keyed_digest(
            "chain-head", json.dumps(payload, sort_keys=True, separators=(",", ":"))
        )

    @api.model
    def _sign(self, company):
        """Sign the head of ``company``'s chain unless it is signed already.
        Returns the new signed head (empty if nothing changed). Refuses
        without a key, and when the chain fails its verification: the
        signature would vouch for a tampered log."""
        if not chain_key():
            raise UserError(self._no_key_message())
        Log = self.env["mediation.decision.log"].sudo()
        _count, broken = Log._verify_chain(company)
        problem = self._verify(company)[1]
        if broken or problem:
            raise UserError(
                self.env._(
                    "The decision chain of %(company)s fails its verification; "
                    "it is not signed. Run Verify Chain.",
                    company=company.name,
                )
            )
        head = Log.search(
            [("company_id", "=", company.id)], order="sequence desc", limit=1
        )
        last = self.sudo().search([("company_id", "=", company.id)], limit=1)
        if not head or last.sequence == head.sequence:
            return self.browse()
        vals = {
            "company_id": company.id,
            "sequence": head.sequence,
            "head_hash": head.entry_hash,
            "date_signed": fields.Datetime.now(),
            "previous_signature": last.signature or False,
        }
        anchor = self.sudo().create(
            {**vals, "signature": self._expected_signature(vals)}
        )
        anchor._send_to_managers()
        return anchor

    @api.model
    def _verify(self, company):
        """(last signed head, the first problem as a sentence or False). Each
        signed head must be authentic, follow the previous one, and still
        match the entry it signed: a rewrite of the chain or a deleted tail
        breaks that match."""
        anchors = self.sudo().search([("company_id", "=", company.id)], order="id")
        last = anchors[-1:]
        if not chain_key():
            return last, self._no_key_message()
        entries = {
            entry.sequence: entry
            for entry in self.env["mediation.decision.log"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("sequence", "in", anchors.mapped("sequence")),
                ]
            )
        }
        previous = False
        for anchor in anchors:
            date = fields.Datetime.to_string(anchor.date_signed)
            entry = entries.get(anchor.sequence)
            if (
                anchor.previous_signature or False
            ) != previous or anchor.signature != anchor._expected_signature():
                return last, self.env._(
                    "the signed head of %(date)s is not authentic: it was altered "
                    "or forged, or an earlier one was removed.",
                    date=date,
                )
            if not entry:
                return last, self.env._(
                    "entry #%(sequence)s, signed on %(date)s, was deleted: the end "
                    "of the chain was removed.",
                    sequence=anchor.sequence,
                    date=date,
                )
            if entry.entry_hash != anchor.head_hash:
                return last, self.env._(
                    "entry #%(sequence)s no longer matches the head signed on "
                    "%(date)s: the chain was rewritten.",
                    sequence=anchor.sequence,
                    date=date,
                )
            previous = anchor.signature
        return last, False

    @api.model
    def _no_key_message(self):
        return self.env._(
            "no signing key is configured (option mediation_chain_key of the "
            "server configuration, or the MEDIATION_CHAIN_KEY environment "
            "variable): the chain heads are not signed, so a rewrite of the whole "
            "chain or a deleted tail cannot be detected."
        )

    def _send_to_managers(self):
        """E-mail the signed head to the managers of its company: their
        mailboxes keep the copy the database cannot change."""
        template = self.env.ref("consumer_mediation.mail_template_decision_anchor")
        manager_group = self.env.ref("consumer_mediation.group_mediation_manager")
        for anchor in self:
            managers = manager_group.users.filtered(
                lambda u, a=anchor: a.company_id in u.company_ids
            )
            if managers:
                template.sudo().send_mail(
                    anchor.id,
                    email_values={
                        "recipient_ids": [Command.set(managers.partner_id.ids)]
                    },
                )

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------
    @api.model
    def _cron_sign_heads(self):
        """Sign each company's chain head once a day."""
        for company in self.env["res.company"].sudo().search([]):
            try:
                self._sign(company)
            except UserError as error:
                _logger.error(
                    "Decision chain of %s not signed: %s", company.name, error
                )
