import hashlib
import hmac
import json
import os

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

# Advisory lock namespace: appends to one company's chain are serialised.
CHAIN_LOCK = 0x6D6C6F67  # "mlog"


def chain_key():
    """The key that signs the chain heads and the fingerprints: option
    ``mediation_chain_key`` of the server configuration, else the environment
    variable MEDIATION_CHAIN_KEY. Never a database record: whoever can rewrite
    the database must not be able to sign."""
    key = config.get("mediation_chain_key") or os.environ.get("MEDIATION_CHAIN_KEY")
    return key.encode() if key else None


def keyed_digest(purpose, text):
    """HMAC-SHA256 of ``text`` with a key derived from the chain key for
    ``purpose`` (one key per use); None without a key or a text."""
    key = chain_key()
    if not key or not text:
        return None
    subkey = hmac.new(key, purpose.encode(), hashlib.sha256).digest()
    return hmac.new(subkey, text.encode(), hashlib.sha256).hexdigest()


def _digest(text):
    """Free texts may hold personal data, which anonymisation must be able to
    remove: the immutable log keeps only their keyed fingerprint (a plain hash
    of a short stock text could be confirmed by guessing)."""
    return keyed_digest("fingerprint", text)


def _file_digest(content):
    return hashlib.sha256(content or b"").hexdigest()


def _date(value):
    return str(value) if value else None


class MediationDecisionLog(models.Model):
    """Append-only, hash-chained journal of the legal decisions on cases.

    Each entry's hash covers the previous entry's hash and the canonical JSON
    of the entry, so altering, inserting or removing an entry breaks the chain
    from that point (one chain per company)."""

    _name = "mediation.decision.log"
    _description = "Mediation Decision Log Entry"
    _order = "company_id, sequence desc"
    _rec_name = "sequence"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Entry
    # ------------------------------------------------------------------
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    sequence = fields.Integer(
        required=True, readonly=True, help="Position in the company's chain."
    )
    case_id = fields.Many2one(
        "mediation.case",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    kind = fields.Selection(
        [
            ("admissibility", "Admissibility"),
            ("refusal", "Refusal"),
            ("extension", "Extension"),
            ("proposal", "Proposal"),
            ("answer", "Answer to the Proposal"),
            ("outcome", "Outcome"),
            ("execution", "Execution"),
            ("reopening", "Reopening"),
            ("anonymisation", "Anonymisation"),
            ("letter", "Letter Sent"),
        ],
        required=True,
        readonly=True,
    )
    letter_step = fields.Char(
        readonly=True, help="Step of the letter a letter entry records."
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Letters Sent",
        readonly=True,
        help="The documents sent, one per recipient; their SHA-256 fingerprints "
        "are part of the entry's snapshot.",
    )
    snapshot = fields.Text(
        string="Decision Snapshot",
        required=True,
        readonly=True,
        help="Canonical JSON of the case's decision fields after the decision; "
        "free texts appear as their keyed fingerprint (HMAC-SHA256).",
    )
    user_id = fields.Many2one("res.users", required=True, readonly=True)
    timestamp = fields.Datetime(required=True, readonly=True)
    previous_hash = fields.Char(readonly=True)
    entry_hash = fields.Char(string="Hash", required=True, readonly=True, index=True)

    _sql_constraints = [
        (
            "sequence_unique",
            "UNIQUE(company_id, sequence)",
            "Two entries cannot share a position in the decision chain.",
        ),
    ]

    # ------------------------------------------------------------------
    # CRUD overrides
    # ------------------------------------------------------------------
    def write(self, vals):
        if self:
            raise UserError(
                self.env._(
                    "Decision log entries cannot be modified: record a new "
                    "decision on the case instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        raise UserError(self.env._("Decision log entries cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_verify_chain(self):
        """Verify the chain of each of the user's companies, then the chain
        against its signed heads, and report the first problem found."""
        Anchor = self.env["mediation.decision.anchor"]
        messages, levels = [], {"success"}
        for company in self.env.companies:
            count, broken = self._verify_chain(company)
            anchor, problem = Anchor._verify(company)
            if broken:
                levels.add("danger")
                messages.append(
                    self.env._(
                        "%(company)s: entry #%(sequence)s (case %(case)s, "
                        "%(kind)s of %(timestamp)s) is broken: it or an earlier "
                        "entry was altered or removed.",
                        company=company.name,
                        sequence=broken.sequence,
                        case=broken.case_id.name,
                        kind=broken._kind_label(),
                        timestamp=broken.timestamp,
                    )
                )
            elif problem:
                # Without a key the log cannot be checked: a warning, not a breach.
                levels.add("danger" if chain_key() else "warning")
                messages.append(
                    self.env._(
                        "%(company)s: %(count)s entries; %(problem)s",
                        company=company.name,
                        count=count,
                        problem=problem,
                    )
                )
            else:
                messages.append(
                    self.env._(
                        "%(company)s: %(count)s entries, chain intact.",
                        company=company.name,
                        count=count,
                    )
                )
            if anchor:
                messages.append(
                    self.env._(
                        "Last signed head: entry #%(sequence)s, hash %(hash)s, "
                        "signed on %(date)s (UTC). It must be the last one "
                        "e-mailed to you.",
                        sequence=anchor.sequence,
                        hash=anchor.head_hash,
                        date=anchor.date_signed,
                    )
                )
        level = next(
            level for level in ("danger", "warning", "success") if level in levels
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Decision Chain"),
                "message": "\n".join(messages),
                "type": level,
                "sticky": level != "success",
            },
        }

    def action_sign_heads(self):
        """Sign the chain head of each of the user's companies now (the
        scheduled action does it daily) and e-mail it to the managers."""
        if not self.env.user.has_group("consumer_mediation.group_mediation_manager"):
            raise UserError(
                self.env._("Only a mediation manager can sign the decision chain.")
            )
        Anchor = self.env["mediation.decision.anchor"]
        anchors = Anchor.browse()
        for company in self.env.companies:
            anchors |= Anchor._sign(company)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Decision Chain"),
                "message": self.env._(
                    "%(count)s chain head(s) signed and e-mailed to the managers.",
                    count=len(anchors),
                ),
                "type": "success",
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _append_letter(self, case, step, documents):
        """Record a letter sent: the documents and their fingerprints, taken
        from the documents as stored. Odoo reads a file it cannot find as
        empty: the fingerprint of nothing was recorded for a letter whose
        file could not be read back (production rehearsal, the filestore
        switched under a running request). A document that does not read
        back as written is refused, and nothing of the sending is kept."""
        fingerprints = []
        for doc in documents.sorted("id"):
            content = doc.raw
            if not content or hashlib.sha1(content).hexdigest() != doc.checksum:
                raise UserError(
                    self.env._(
                        "The letter “%(name)s” could not be read back from the "
                        "document store: nothing was sent. Please try again; if "
                        "it happens again, tell the administrator.",
                        name=doc.name,
                    )
                )
            fingerprints.append({"attachment": doc.id, "sha256": _file_digest(content)})
        return self._append(
            case,
            "letter",
            letter={"step": step, "documents": fingerprints},
            extra_vals={
                "letter_step": step,
                "attachment_ids": [Command.set(documents.ids)],
            },
        )

    def _letter_documents(self):
        """The documents of a letter entry, refused if any was altered since
        it was sent."""
        if not self:
            return self.env["ir.attachment"]
        self.ensure_one()
        documents = self.attachment_ids.sorted("id")
        recorded = json.loads(self.snapshot)["letter"]["documents"]
        if [(doc.id, _file_digest(doc.raw)) for doc in documents] != [
            (doc["attachment"], doc["sha256"]) for doc in recorded
        ]:
            raise UserError(
                self.env._(
                    "A letter kept on %(case)s no longer matches the fingerprint "
                    "recorded when it was sent.",
                    case=self.case_id.name,
                )
            )
        return documents

    @api.model
    def _append(self, cases, kind, letter=None, extra_vals=None):
        """Append one entry per case, chained after the company's last one.
        The only way entries are created (users have no create right)."""
        entries = self.browse()
        Log = self.sudo()
        now = fields.Datetime.now()
        for case in cases:
            company = case.company_id
            self.env.cr.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", (CHAIN_LOCK, company.id)
            )
            last = Log.search(
                [("company_id", "=", company.id)], order="sequence desc", limit=1
            )
            sequence, previous_hash = max(
                (last.sequence, last.entry_hash or False),
                self._committed_head(company),
                key=lambda head: head[0],
            )
            snapshot = self._snapshot(case)
            if letter:
                snapshot["letter"] = letter
            vals = {
                "company_id": company.id,
                "sequence": sequence + 1,
                "case_id": case.id,
                "kind": kind,
                "snapshot": json.dumps(snapshot, sort_keys=True, ensure_ascii=False),
                "user_id": self.env.uid,
                "timestamp": now,
                "previous_hash": previous_hash,
            }
            vals["entry_hash"] = self._compute_hash(vals)
            entries |= Log.create({**vals, **(extra_vals or {})})
        return entries

    @api.model
    def _committed_head(self, company):
        """The company's last (position, hash) as committed now, read on a
        cursor of its own. The lock above orders the appends, but this
        transaction reads the chain as it was when it began (repeatable
        read): an entry committed meanwhile by a concurrent request is
        invisible to it, and both took the same position (two confirmations
        at once in the production rehearsal; failing and retrying instead
        still gave a visitor an error page after five tries under load).
        The entries this transaction appended itself are seen by its own
        search only, and the lock keeps any other append out until it
        ends: the later of the two heads is the chain's."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                "SELECT sequence, entry_hash FROM mediation_decision_log"
                " WHERE company_id = %s ORDER BY sequence DESC LIMIT 1",
                [company.id],
            )
            row = cr.fetchone()
        return (row[0], row[1] or False) if row else (0, False)

    @api.model
    def _compute_hash(self, vals):
        payload = {
            "company_id": vals["company_id"],
            "sequence": vals["sequence"],
            "case_id": vals["case_id"],
            "kind": vals["kind"],
            "snapshot": json.loads(vals["snapshot"]),
            "user_id": vals["user_id"],
            "timestamp": fields.Datetime.to_string(vals["timestamp"]),
        }
        canonical = json.dumps(
            payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(
            ((vals["previous_hash"] or "") + canonical).encode()
        ).hexdigest()

    @api.model
    def _verify_chain(self, company):
        """(number of entries, first broken entry or an empty recordset)."""
        entries = self.sudo().search(
            [("company_id", "=", company.id)], order="sequence"
        )
        previous_hash, expected_sequence = False, 1
        for entry in entries:
            vals = {
                "company_id": entry.company_id.id,
                "sequence": entry.sequence,
                "case_id": entry.case_id.id,
                "kind": entry.kind,
                "snapshot": entry.snapshot,
                "user_id": entry.user_id.id,
                "timestamp": entry.timestamp,
                "previous_hash": previous_hash,
            }
            try:
                expected = self._compute_hash(vals)
            except ValueError:  # values no longer valid JSON
                expected = None
            if (
                entry.sequence != expected_sequence
                or (entry.previous_hash or False) != previous_hash
                or entry.entry_hash != expected
            ):
                return len(entries), entry.with_env(self.env)
            previous_hash, expected_sequence = entry.entry_hash, entry.sequence + 1
        return len(entries), self.browse()

    def _kind_label(self):
        self.ensure_one()
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    @api.model
    def _snapshot(self, case):
        """The case's decision fields, JSON-ready and free of personal data."""
        return {
            "reference": case.name,
            "state": case.state,
            "date_received": str(case.date_received),
            "date_admissibility_decided": _date(case.date_admissibility_decided),
            "date_admissibility_notified": _date(case.date_admissibility_notified),
            "refusal_ground": case.refusal_ground_id.code or None,
            "refusal_note": _digest(case.refusal_note),
            "date_saisine_notified": _date(case.date_saisine_notified),
            "extensions": [
                {
                    "previous_deadline": _date(ext.previous_deadline),
                    "new_deadline": _date(ext.new_deadline),
                    "reason": _digest(ext.reason),
                }
                for ext in case.extension_ids.sorted("id")
            ],
            "date_mediation_due": _date(case.date_mediation_due),
            "proposal": _digest(case.proposal_text),
            "date_proposal_notified": _date(case.date_proposal_notified),
            "consumer_answer": case.consumer_answer or None,
            "professional_answer": case.professional_answer or None,
            "outcome": case.outcome_id.code or None,
            "date_outcome": _date(case.date_outcome),
            "interruption_note": _digest(case.interruption_note),
            "execution": case.execution or None,
            "reopen_reason": _digest(case.reopen_reason),
        }
