import hashlib
import hmac
import json
import os
from datetime import timedelta
from itertools import pairwise
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CHAIN_KEY, MediationCaseCommon


@tagged("post_install", "-at_install")
class TestMediationDecisionLog(MediationCaseCommon):
    def _chain(self, company=None):
        return self.env["mediation.decision.log"]._verify_chain(company or self.company)

    def _entries(self, case):
        return case.decision_log_ids.sorted("sequence")

    def test_each_decision_appends_a_chained_entry(self):
        case = self._case_in("mediation")
        case._extend(case.date_mediation_due + timedelta(days=30), "Expert report")
        case.proposal_text = "<p>Refund of 300 EUR.</p>"
        case.proposal_favours = "balanced"
        case.action_send_proposal()
        case.action_consumer_accept()
        case.action_professional_accept()
        case.action_close()
        case.action_execution_done()
        entries = self._entries(case)
        self.assertEqual(
            entries.mapped("kind"),
            [
                "admissibility",
                "letter",  # saisine
                "letter",  # request to the professional
                "letter",
                "extension",
                "letter",
                "proposal",
                "answer",
                "answer",
                "outcome",
                "execution",
            ],
        )
        for previous, entry in pairwise(entries):
            self.assertEqual(entry.previous_hash, previous.entry_hash)
            self.assertEqual(entry.sequence, previous.sequence + 1)
        self.assertEqual(entries.user_id, self.env.user)
        outcome = json.loads(entries[-2].snapshot)
        self.assertEqual(outcome["outcome"], "accepted_both")
        self.assertEqual(outcome["date_outcome"], str(self.today))
        self.assertEqual(len(outcome["extensions"]), 1)
        # Free texts are fingerprinted, never copied into the immutable log.
        self.assertNotIn("Refund", entries[-2].snapshot)
        self.assertNotIn("Expert report", entries[1].snapshot)
        count, broken = self._chain()
        self.assertGreaterEqual(count, 7)
        self.assertFalse(broken)
        action = self.env["mediation.decision.log"].action_verify_chain()
        self.assertEqual(action["params"]["type"], "success")

    def test_refusal_interruption_and_reopening_are_logged(self):
        refused = self._case(date_complaint=False)
        refused._refuse(self.ground_no_complaint, "No letter to the seller")
        interrupted = self._case_in("waiting")
        interrupted.action_professional_decline()
        refused.with_user(self.manager)._reopen("New evidence of the complaint")
        self.assertEqual(
            self._entries(refused).mapped("kind"), ["refusal", "reopening"]
        )
        self.assertEqual(
            json.loads(self._entries(refused)[0].snapshot)["refusal_ground"],
            "no_complaint",
        )
        self.assertEqual(self._entries(refused)[1].user_id, self.manager)
        self.assertEqual(
            self._entries(interrupted).mapped("kind"),
            # The closing notice follows the interruption (C. civ. 2238).
            ["admissibility", "letter", "letter", "outcome", "letter"],
        )

    def test_entries_are_immutable_even_for_managers(self):
        case = self._case_in("admitted")
        entry = case.decision_log_ids
        for env in (self.env, entry.with_user(self.manager).env):
            with self.assertRaises(UserError):
                entry.with_env(env).write({"kind": "refusal"})
            with self.assertRaises(UserError):
                entry.with_env(env).unlink()
        # Entries are created only by the case actions, never by hand.
        with self.assertRaises(AccessError):
            self.env["mediation.decision.log"].with_user(self.manager).create(
                {
                    "company_id": self.company.id,
                    "sequence": 999,
                    "case_id": case.id,
                    "kind": "outcome",
                    "snapshot": "{}",
                    "user_id": self.manager.id,
                    "timestamp": "2020-01-01 00:00:00",
                    "entry_hash": "x",
                }
            )

    def test_decisions_change_only_through_the_actions(self):
        case = self._case_in("proposal")
        extension = case._extend(case.date_mediation_due + timedelta(days=9), "Why")
        with self.assertRaises(UserError):
            extension.with_user(self.mediator).new_deadline = (
                case.date_mediation_due + timedelta(days=60)
            )
        case.action_consumer_accept()
        case.action_professional_accept()
        case.action_close()
        other = self.env.ref("consumer_mediation.outcome_refused_consumer")
        for vals in (
            {"outcome_id": other.id},
            {"date_outcome": self.today - timedelta(days=3)},
            {"consumer_answer": "refused"},
            {"proposal_text": "<p>Another proposal</p>"},
        ):
            with self.assertRaises(UserError):
                case.with_user(self.manager).write(vals)
        self.assertEqual(case.outcome_id.code, "accepted_both")
        # Other fields stay editable.
        case.amount = 420
        self.assertEqual(case.amount, 420)

    def test_altered_entry_is_detected_and_named(self):
        first = self._case_in("admitted")
        second = self._case(date_complaint=False)
        second._refuse(self.ground_no_complaint)
        third = self._case_in("admitted")
        self.assertFalse(self._chain()[1])
        altered = second.decision_log_ids
        snapshot = json.loads(altered.snapshot)
        snapshot["refusal_ground"] = "unfounded"
        self.env.cr.execute(
            "UPDATE mediation_decision_log SET snapshot = %s WHERE id = %s",
            (json.dumps(snapshot), altered.id),
        )
        self.env.invalidate_all()
        self.assertEqual(self._chain()[1], altered)
        action = self.env["mediation.decision.log"].action_verify_chain()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn(f"#{altered.sequence}", action["params"]["message"])
        self.assertIn(second.name, action["params"]["message"])
        # Overwriting the hash does not hide the alteration either.
        self.env.cr.execute(
            "UPDATE mediation_decision_log SET entry_hash = 'forged' WHERE id = %s",
            (altered.id,),
        )
        self.env.invalidate_all()
        self.assertEqual(self._chain()[1], altered)
        self.assertTrue(first.decision_log_ids and third.decision_log_ids)

    def test_removed_entry_is_detected(self):
        cases = self._case_in("admitted") | self._case_in("admitted")
        self._case_in("admitted")
        removed = cases[1].decision_log_ids
        following = self.env["mediation.decision.log"].search(
            [
                ("company_id", "=", self.company.id),
                ("sequence", "=", removed.sequence + 1),
            ]
        )
        self.env.cr.execute(
            "DELETE FROM mediation_decision_log WHERE id = %s", (removed.id,)
        )
        self.env.invalidate_all()
        self.assertEqual(self._chain()[1], following)


def _hmac(purpose, text):
    """The keyed hash, computed here independently of the addon."""
    subkey = hmac.new(CHAIN_KEY.encode(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(subkey, text.encode(), hashlib.sha256).hexdigest()


@tagged("post_install", "-at_install")
class TestMediationDecisionChainAnchor(MediationCaseCommon):
    """The chain's head signed with a key kept outside the database: a
    rewrite of the whole chain or a deleted tail is detected."""

    def setUp(self):
        super().setUp()
        self.Log = self.env["mediation.decision.log"]

    def _verify(self):
        return self.Log.with_user(self.manager).action_verify_chain()["params"]

    def _rewrite_chain(self, entries, change):
        """What an attacker with database access does: change entries, then
        recompute every hash from the first changed one on."""
        previous = False
        for entry in entries.sorted("sequence"):
            snapshot = json.loads(entry.snapshot)
            change(entry, snapshot)
            vals = {
                "company_id": entry.company_id.id,
                "sequence": entry.sequence,
                "case_id": entry.case_id.id,
                "kind": entry.kind,
                "snapshot": json.dumps(snapshot, sort_keys=True),
                "user_id": entry.user_id.id,
                "timestamp": entry.timestamp,
                "previous_hash": previous,
            }
            previous = self.Log._compute_hash(vals)
            self.env.cr.execute(
                "UPDATE mediation_decision_log SET snapshot = %s, previous_hash = %s, "
                "entry_hash = %s WHERE id = %s",
                (vals["snapshot"], vals["previous_hash"] or None, previous, entry.id),
            )
        self.env.invalidate_all()

    def _company_entries(self):
        return self.Log.search([("company_id", "=", self.company.id)])

    def test_free_texts_are_fingerprinted_with_the_key(self):
        case = self._case_in("proposal")
        entry = case.decision_log_ids.filtered(lambda e: e.kind == "proposal")
        proposal = json.loads(entry.snapshot)["proposal"]
        self.assertEqual(proposal, _hmac("fingerprint", "<p>Refund of 300 EUR.</p>"))
        self.assertNotEqual(
            proposal, hashlib.sha256(b"<p>Refund of 300 EUR.</p>").hexdigest()
        )

    def test_signed_head_is_mailed_to_managers_and_printed_in_the_report(self):
        self._case_in("admitted")
        # A mediator can verify, not sign.
        with self.assertRaises(UserError):
            self.Log.with_user(self.mediator).action_sign_heads()
        self.assertFalse(
            self.env["mediation.decision.anchor"].search_count(
                [("company_id", "=", self.company.id)]
            )
        )
        cron = self.env.ref("consumer_mediation.ir_cron_mediation_sign_chain")
        cron.method_direct_trigger()
        anchor = self.env["mediation.decision.anchor"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        head = self._company_entries()[:1]
        self.assertEqual(
            (anchor.sequence, anchor.head_hash), (head.sequence, head.entry_hash)
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", anchor._name), ("res_id", "=", anchor.id)]
        )
        self.assertIn(self.manager.partner_id, mail.recipient_ids)
        self.assertNotIn(self.mediator.partner_id, mail.recipient_ids)
        self.assertIn(anchor.signature, mail.body_html)
        # Nothing new: nothing signed again.
        cron.method_direct_trigger()
        self.assertEqual(
            self.env["mediation.decision.anchor"].search_count(
                [("company_id", "=", self.company.id)]
            ),
            1,
        )
        report = self.env["mediation.activity.report"].create({})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "consumer_mediation.action_report_activity_pdf", report.ids
            )[0]
            .decode()
        )
        self.assertIn(anchor.signature, html)
        self.assertIn(anchor.head_hash, html)
        self.assertEqual(self._verify()["type"], "success")
        # The key itself is nowhere in the database.
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('text', 'character varying', 'jsonb')
            """
        )
        for table, column in self.env.cr.fetchall():
            self.env.cr.execute(
                SQL(
                    "SELECT 1 FROM %s WHERE %s::text LIKE %s LIMIT 1",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    f"%{CHAIN_KEY}%",
                )
            )
            self.assertFalse(self.env.cr.fetchone(), f"{table}.{column}")

    def test_rewrite_of_the_whole_chain_is_detected(self):
        case = self._case(date_complaint=False)
        case._refuse(self.ground_no_complaint)
        self._case_in("admitted")
        self.Log.with_user(self.manager).action_sign_heads()

        def unfounded(entry, snapshot):
            if entry.case_id == case:
                snapshot["refusal_ground"] = "unfounded"

        self._rewrite_chain(self._company_entries(), unfounded)
        self.assertFalse(self.Log._verify_chain(self.company)[1], "hashes recomputed")
        result = self._verify()
        self.assertEqual(result["type"], "danger")
        self.assertIn("the chain was rewritten", result["message"])
        with self.assertRaises(UserError):
            self.Log.with_user(self.manager).action_sign_heads()

    def test_deleted_tail_is_detected(self):
        self._case_in("admitted")
        self._case_in("admitted")
        self.Log.with_user(self.manager).action_sign_heads()
        tail = self._company_entries()[:2]
        self.env.cr.execute(
            "DELETE FROM mediation_decision_log WHERE id IN %s", (tuple(tail.ids),)
        )
        self.env.invalidate_all()
        self.assertFalse(self.Log._verify_chain(self.company)[1], "no gap left")
        result = self._verify()
        self.assertEqual(result["type"], "danger")
        self.assertIn("was deleted", result["message"])

    def test_forged_signed_head_is_detected(self):
        self._case_in("admitted")
        self.Log.with_user(self.manager).action_sign_heads()
        self._case_in("admitted")
        head = self._company_entries()[:1]
        anchor = self.env["mediation.decision.anchor"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        # Without the key, the forger signs with a guess.
        self.env.cr.execute(
            "UPDATE mediation_decision_anchor SET sequence = %s, head_hash = %s, "
            "signature = %s WHERE id = %s",
            (head.sequence, head.entry_hash, "0" * 64, anchor.id),
        )
        self.env.invalidate_all()
        result = self._verify()
        self.assertEqual(result["type"], "danger")
        self.assertIn("not authentic", result["message"])
        with self.assertRaises(UserError):
            anchor.write({"signature": "x"})
        with self.assertRaises(UserError):
            anchor.unlink()

    def test_without_a_key_managers_are_warned(self):
        self._case_in("admitted")
        with patch.dict(os.environ, {"MEDIATION_CHAIN_KEY": ""}):
            result = self._verify()
            self.assertEqual(result["type"], "warning")
            self.assertIn("no signing key is configured", result["message"])
            with self.assertRaises(UserError):
                self.Log.with_user(self.manager).action_sign_heads()
            self.assertTrue(self._settings_warning())
        self.assertFalse(self._settings_warning())

    def _settings_warning(self):
        """What the settings form receives when it opens."""
        Settings = self.env["res.config.settings"].with_user(self.manager)
        values = Settings.onchange({}, [], {"mediation_chain_key_missing": {}})
        return values["value"]["mediation_chain_key_missing"]


@tagged("post_install", "-at_install")
class TestMediationDecisionLogConcurrency(MediationCaseCommon):
    def test_entry_committed_meanwhile_is_chained_after(self):
        """Two confirmations at once (the production rehearsal): the second
        transaction's snapshot does not see the entry the first committed.
        Its entry follows the committed one, neither taking its position nor
        failing the visitor's request."""
        Log = self.env["mediation.decision.log"]
        case = self._case_in("mediation")
        head = Log.search(
            [("company_id", "=", self.company.id)], order="sequence desc", limit=1
        )
        committed = (head.sequence + 1, "f" * 64)
        with patch.object(type(Log), "_committed_head", return_value=committed):
            entry = Log._append(case, "extension")
            self.assertEqual(entry.sequence, head.sequence + 2)
            self.assertEqual(entry.previous_hash, "f" * 64)
            # What this transaction appended itself comes next, not the
            # committed head again.
            second = Log._append(case, "extension")
        self.assertEqual(second.sequence, head.sequence + 3)
        self.assertEqual(second.previous_hash, entry.entry_hash)
        # Nothing committed meanwhile: the next position, after the last.
        third = Log._append(case, "extension")
        self.assertEqual(third.sequence, second.sequence + 1)
        self.assertEqual(third.previous_hash, second.entry_hash)


@tagged("post_install", "-at_install")
class TestMediationLetterReadBack(MediationCaseCommon):
    def test_letter_not_read_back_from_the_store_is_not_recorded(self):
        """Odoo reads a file it cannot find as empty: the fingerprint of
        nothing was recorded for a letter in the production rehearsal. The
        sending is refused instead, and nothing of it is kept."""
        Log = self.env["mediation.decision.log"]
        case = self._case()
        count = Log.search_count([])
        store = type(self.env["ir.attachment"])
        with (
            patch.object(store, "_file_read", return_value=b""),
            # Odoo's assertRaises rolls back what the block wrote.
            self.assertRaises(UserError) as refused,
        ):
            case.sudo()._send_letter("acknowledgement")
        self.assertIn("could not be read back", str(refused.exception))
        self.assertEqual(Log.search_count([]), count)
        self.assertFalse(case.date_acknowledged)
        # Read back as written: sent and recorded.
        case.sudo()._send_letter("acknowledgement")
        self.assertEqual(Log.search_count([]), count + 1)
