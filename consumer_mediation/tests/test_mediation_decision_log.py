import json
from datetime import timedelta
from itertools import pairwise

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MediationCaseCommon


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
            extension.new_deadline = case.date_mediation_due + timedelta(days=60)
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
