import json

from odoo import api, fields, models

from .mediation_decision_log import keyed_digest


class MediationCaseSignature(models.Model):
    """A decision a party took online: who typed which name under which
    explicit statement, when and from where. Kept as the proof of the
    party's consent (accepting or refusing a proposal, entering the
    mediation, withdrawing). Anonymisation keeps the decision, its date and
    the keyed hash of the whole proof, not the name, the IP or the account."""

    _name = "mediation.case.signature"
    _description = "Online Decision of a Party"
    _order = "date_signed desc, id desc"

    case_id = fields.Many2one(
        "mediation.case", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    party = fields.Selection(
        [("consumer", "Consumer"), ("professional", "Professional")],
        required=True,
        readonly=True,
    )
    decision = fields.Selection(
        [
            ("entry_agreed", "Agreed to enter the mediation"),
            ("entry_declined", "Declined to enter the mediation"),
            ("proposal_accepted", "Accepted the proposal"),
            ("proposal_refused", "Refused the proposal"),
            ("withdrawal", "Withdrew from the mediation"),
        ],
        required=True,
        readonly=True,
    )
    signer_name = fields.Char(string="Typed Name", readonly=True)
    statement = fields.Text(
        string="Confirmed Statement",
        required=True,
        readonly=True,
        help="The statement the party confirmed.",
    )
    user_id = fields.Many2one("res.users", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    date_signed = fields.Datetime(
        string="Signed On", required=True, readonly=True, default=fields.Datetime.now
    )
    ip_address = fields.Char(string="IP Address", readonly=True)
    proof_hash = fields.Char(
        readonly=True,
        help="Keyed hash (HMAC-SHA256) of the decision as signed: name, "
        "statement, account, date and IP. It stays after anonymisation, so "
        "the proof can still be checked against what a party claims.",
    )

    # ------------------------------------------------------------------
    # CRUD overrides
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        signatures = super().create(vals_list)
        for signature in signatures:
            signature.proof_hash = keyed_digest(
                "online-decision", signature._proof_payload()
            )
        return signatures

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _proof_payload(self):
        self.ensure_one()
        return json.dumps(
            {
                "case_id": self.case_id.id,
                "party": self.party,
                "decision": self.decision,
                "signer_name": self.signer_name,
                "statement": self.statement,
                "user_id": self.user_id.id,
                "partner_id": self.partner_id.id,
                "date_signed": fields.Datetime.to_string(self.date_signed),
                "ip_address": self.ip_address,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    def _anonymise(self):
        """Keep the decision, its date and the proof's hash only."""
        self.sudo().write(
            {
                "signer_name": False,
                "ip_address": False,
                "user_id": False,
                "partner_id": False,
            }
        )
