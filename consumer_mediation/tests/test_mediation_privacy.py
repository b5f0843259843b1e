import os
import random
import re
import secrets
from ast import literal_eval
from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, config

from .test_portal import MediationPortalCommon

# What may still match a needle after anonymisation or erasure, and why.
# Empty: the decision log keeps keyed fingerprints, the online decisions a
# keyed hash, neither of which contains the text it proves.
ALLOWED_COLUMNS = {}


class MediationPrivacyCommon(MediationPortalCommon):
    """Cases made the way real ones are: filed online (so the consumer has a
    portal account), answered by the parties in their portal, letters sent,
    messages with files, a representative, addresses under the consumer.
    Each run uses its own names, so that files an earlier run left on disk
    cannot be mistaken for this one's."""

    def setUp(self):
        super().setUp()
        token = secrets.token_hex(4)
        self.token = token
        self.ip = f"203.0.113.{random.randint(1, 254)}"
        self.web_token = secrets.token_urlsafe(8)
        self.person = {
            "name": f"Odile Kerbrat {token}",
            "email": f"odile.{token}@example.org",
            "phone": f"06 {random.randint(10, 99)} {random.randint(10, 99)} "
            f"{random.randint(10, 99)} {random.randint(10, 99)}",
            "street": f"{random.randint(100000, 999999)} rue des Tilleuls",
            "ip": self.ip,
        }
        self.lawyer_data = {
            "name": f"Maitre Gwenaelle {token}",
            "email": f"gwen.{token}@avocats.example.org",
        }

    # ------------------------------------------------------------------
    # Real data
    # ------------------------------------------------------------------
    def _headers(self):
        """Requests as they reach Odoo behind its proxy, from the IP of the
        person or, once the professional is logged in, of the professional."""
        host = self.base_url().split("://")[1]
        return {
            "X-Forwarded-For": self.ip,
            "X-Forwarded-Host": host,
            "X-Forwarded-Proto": "http",
        }

    def _open(self, url, data=None, files=None):
        with patch.dict(config.options, {"proxy_mode": True}):
            return self.url_open(url, data=data, files=files, headers=self._headers())

    def _file_online(self):
        """The consumer files the case on the public form, with a document."""
        token = self._csrf("/mediation/saisine")
        person = self.person
        response = self._open(
            "/mediation/saisine/submit",
            data={
                "csrf_token": token,
                "professional_id": self.professional.id,
                "complaint_sent": "yes",
                "date_complaint": str(self.today - timedelta(days=20)),
                "web_token": self.web_token,
                "name": person["name"],
                "email": person["email"],
                "phone": person["phone"],
                "street": person["street"],
                "zip": "29200",
                "city": "Brest",
                "description": f"Kitchen {self.token} delivered broken to "
                f"{person['street']}.",
                "consent": "1",
            },
            files={
                "documents": (
                    "invoice.txt",
                    f"Invoice for {person['name']}, {person['street']}".encode(),
                    "text/plain",
                )
            },
        )
        self.assertIn("o_mediation_check_mailbox", response.text)
        response = self._confirm(person["email"], open_url=self._open)
        self.assertIn("/mediation/saisine/done", response.url)
        case = self.env["mediation.case"].search([("web_token", "=", self.web_token)])
        self.assertTrue(case.consumer_id.user_ids._is_portal())
        return case

    def _as_portal(self, user):
        """The person chose a password from the invitation, and logs in."""
        user.password = f"pw-{self.token}"
        self.authenticate(user.login, f"pw-{self.token}")
        self.ip = self.person["ip"]

    def _as_professional(self):
        self.authenticate("cm_pro", "cm_pro")
        self.ip = "198.51.100.20"

    def _decide(self, case, party, decision, signer_name):
        token = self._csrf(case.access_url)
        self._open(
            f"{case.access_url}/decide",
            data={
                "csrf_token": token,
                "party": party,
                "decision": decision,
                "signer_name": signer_name,
                "confirm": "1",
            },
        )

    def _online_case(self):
        """Filed online, walked through the mediation by the mediator and the
        parties (letters sent), closed with both acceptances signed online."""
        case = self._file_online()
        consumer = case.consumer_id
        address = self.env["res.partner"].create(
            {
                "parent_id": consumer.id,
                "type": "other",
                "name": f"Holiday home {self.token}",
                "street": f"Holiday {self.person['street']}",
                "phone": self.person["phone"],
            }
        )
        self.env["res.partner"].create(
            {
                "parent_id": address.id,
                "name": f"Neighbour of {self.person['name']}",
                "email": f"neighbour.{self.token}@example.org",
            }
        )
        lawyer = self.env["res.partner"].create(self.lawyer_data)
        new_test_user(
            self.env,
            lawyer.email,
            groups="base.group_portal",
            partner_id=lawyer.id,
            name=lawyer.name,
        )
        case.write(
            {
                "mediator_id": self.mediator.id,
                "representative_ids": [
                    (0, 0, {"partner_id": lawyer.id, "party": "consumer"})
                ],
            }
        )
        mediator_case = case.with_user(self.mediator)
        mediator_case.action_start_review()
        mediator_case.action_admit()
        mediator_case.action_notify_saisine()
        self._as_professional()
        self._decide(case, "professional", "entry_agreed", "Paul Lefort")
        self.assertEqual(case.state, "mediation")
        mediator_case._extend(
            case.date_mediation_due + timedelta(days=30),
            f"Expert visit at {self.person['street']}",
        )
        mediator_case.write(
            {
                "proposal_text": f"<p>{self.person['name']} gets 300 EUR.</p>",
                "proposal_favours": "balanced",
            }
        )
        mediator_case.action_send_proposal()
        self._as_portal(consumer.user_ids)
        self._open(
            f"{case.access_url}/documents",
            data={
                "csrf_token": self._csrf(case.access_url),
                "body": f"Call me on {self.person['phone']}",
            },
            files={
                "documents": (
                    "photo-notes.txt",
                    f"Notes of {self.person['name']}".encode(),
                    "text/plain",
                )
            },
        )
        self._decide(case, "consumer", "proposal_accepted", self.person["name"])
        self._as_professional()
        self._decide(case, "professional", "proposal_accepted", "Paul Lefort")
        self.assertEqual(case.consumer_answer, "accepted")
        self.assertEqual(case.professional_answer, "accepted")
        mediator_case.action_close()
        self.assertEqual(
            case.signature_ids.filtered(lambda s: s.party == "consumer").ip_address,
            self.person["ip"],
        )
        self.authenticate(None, None)
        return case

    # ------------------------------------------------------------------
    # What is left
    # ------------------------------------------------------------------
    def _needles(self, case):
        """The person's identity, the lawyer's, and the case's free texts."""
        digits = re.sub(r"\D", "", self.person["phone"])[1:]
        return [
            *self.person.values(),
            *self.lawyer_data.values(),
            digits,
            self.token,
        ]

    def _scan_database(self, needles):
        """Every text, varchar and jsonb column of every table holding one of
        ``needles``: [(table, column, value)]."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            SELECT c.table_name, c.column_name
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('text', 'character varying', 'jsonb')
            """
        )
        patterns = [f"%{needle}%" for needle in needles]
        hits = []
        for table, column in cr.fetchall():
            if (table, column) in ALLOWED_COLUMNS:
                continue
            cr.execute(
                SQL(
                    "SELECT %s::text FROM %s WHERE %s::text ILIKE ANY(%s)",
                    SQL.identifier(column),
                    SQL.identifier(table),
                    SQL.identifier(column),
                    patterns,
                )
            )
            hits += [
                f"{table}.{column}: {self._around(value, needles)}"
                for (value,) in cr.fetchall()
            ]
        return hits

    @staticmethod
    def _around(value, needles):
        lowered = value.lower()
        for needle in needles:
            at = lowered.find(needle.lower())
            if at >= 0:
                return value[max(at - 60, 0) : at + len(needle) + 20]
        return value[:80]

    def _scan_filestore(self, needles):
        """Files of the database's filestore holding one of ``needles``."""
        root = self.env["ir.attachment"]._filestore()
        encoded = [needle.encode() for needle in needles]
        hits = []
        for dirpath, _dirs, filenames in os.walk(root):
            for filename in filenames:
                path = os.path.join(dirpath, filename)
                with open(path, "rb") as handle:
                    content = handle.read()
                if any(needle in content for needle in encoded):
                    hits.append(path)
        return hits

    def _run_triggered_filestore_gc(self):
        """What the cron runner does with the trigger the run left: run the
        filestore collection in its own transaction."""
        cron = self.env.ref("consumer_mediation.ir_cron_mediation_filestore_gc")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]),
            "the run triggers the collection",
        )
        with self.registry.cursor() as cr:
            cron.with_env(cron.env(cr=cr)).sudo().method_direct_trigger()

    def _files(self, case):
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "mediation.case"), ("res_id", "=", case.id)]
        )
        self.assertGreaterEqual(len(attachments), 2)
        return [
            attachment._full_path(attachment.store_fname) for attachment in attachments
        ]

    def _assert_nothing_left(self, case, files):
        consumer = case.consumer_id.with_context(active_test=False)
        user = consumer.user_ids
        self.assertEqual(len(user), 1)
        self.assertFalse(user.active)
        self.assertEqual(user.login, f"anonymised-{user.id}")
        self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", user.ids)
        self.assertIsNone(self.env.cr.fetchone()[0])
        self.assertFalse(consumer.active)
        family = consumer.search([("id", "child_of", consumer.id)])
        self.assertEqual(len(family), 3, "the person, an address, a contact under it")
        self.assertFalse(any(family.mapped("active")))
        # The online decisions keep the decision, its date and the hash.
        for signature in case.signature_ids:
            self.assertTrue(signature.decision and signature.date_signed)
            self.assertTrue(signature.proof_hash)
            self.assertFalse(signature.signer_name or signature.ip_address)
            self.assertFalse(signature.user_id or signature.partner_id)
        # The decision log's references hold.
        self.assertFalse(
            self.env["mediation.decision.log"]._verify_chain(self.company)[1]
        )
        self._run_triggered_filestore_gc()
        for path in files:
            self.assertFalse(os.path.exists(path), f"{path} is still on disk")
        needles = self._needles(case)
        hits = self._scan_database(needles) + self._scan_filestore(needles)
        self.assertFalse(hits, "Personal data left:\n" + "\n".join(hits))


@tagged("post_install", "-at_install")
class TestMediationPrivacy(MediationPrivacyCommon):
    def test_scheduled_anonymisation_of_an_online_filer(self):
        case = self._online_case()
        proofs = case.signature_ids.mapped("proof_hash")
        self.assertTrue(all(proofs))
        files = self._files(case)
        case.sudo().write({"date_outcome": self.today - relativedelta(years=6)})
        cron = self.env.ref("consumer_mediation.ir_cron_mediation_anonymise")
        cron.method_direct_trigger()
        self.assertEqual(case.date_anonymised, self.today)
        self.assertEqual(case.signature_ids.mapped("proof_hash"), proofs)
        self._assert_nothing_left(case, files)

    def test_erasure_of_an_online_filer_by_a_manager(self):
        case = self._online_case()
        files = self._files(case)
        consumer = case.consumer_id
        # The manager, with the manager's groups only, through the form's action.
        self.authenticate("case_manager", "case_manager")
        context = {"active_model": "res.partner", "active_id": consumer.id}
        wizard = self.make_jsonrpc_request(
            "/web/dataset/call_kw/mediation.erasure.wizard/web_save",
            {
                "model": "mediation.erasure.wizard",
                "method": "web_save",
                "args": [[], {"partner_id": consumer.id}],
                "kwargs": {"context": context, "specification": {"blockers": {}}},
            },
        )[0]
        self.assertFalse(wizard["blockers"])
        self.make_jsonrpc_request(
            "/web/dataset/call_button/mediation.erasure.wizard/action_confirm",
            {
                "model": "mediation.erasure.wizard",
                "method": "action_confirm",
                "args": [[wizard["id"]]],
                "kwargs": {"context": context},
            },
        )
        self.assertEqual(case.date_anonymised, self.today)
        self._assert_nothing_left(case, files)

    def test_a_failing_case_does_not_stop_the_others(self):
        consumers = self.env["res.partner"].create(
            [
                {"name": f"Consumer {n}", "email": f"c{n}@example.com"}
                for n in range(200)
            ]
        )
        closed = self.today - relativedelta(years=6)
        outcome = self.env.ref("consumer_mediation.outcome_accepted_both")
        cases = self.env["mediation.case"].create(
            [
                {
                    "consumer_id": consumer.id,
                    "professional_id": self.professional.id,
                    "date_received": closed - timedelta(days=60),
                    "date_complaint": closed - timedelta(days=80),
                    "description": "<p>Broken.</p>",
                    "state": "closed",
                    "outcome_id": outcome.id,
                    "date_outcome": closed,
                }
                for consumer in consumers
            ]
        )
        failing = cases[57]
        Partner = type(self.env["res.partner"])
        write = Partner.write

        def refuse_one(partners, vals):
            if failing.consumer_id in partners and "active" in vals:
                raise ValidationError(
                    partners.env._("A third-party rule refuses this contact.")
                )
            return write(partners, vals)

        cron = self.env.ref("consumer_mediation.ir_cron_mediation_anonymise")
        with patch.object(Partner, "write", refuse_one):
            cron.method_direct_trigger()
        done = cases - failing
        self.assertTrue(all(done.mapped("date_anonymised")))
        self.assertFalse(consumers[:57].filtered("active"))
        # The failing case is left whole, set aside and handed to the managers.
        self.assertFalse(failing.date_anonymised)
        self.assertEqual(failing.description, "<p>Broken.</p>")
        self.assertEqual(failing.consumer_id.name, "Consumer 57")
        self.assertIn("third-party rule", failing.anonymisation_failure)
        self.assertIn(self.manager, failing.activity_ids.user_id)
        self.assertTrue(cron.active)
        # The next runs do not stumble on it again; a manager retries it.
        self.assertEqual(self.env["mediation.retention"]._cron_anonymise_expired(), 0)
        with self.assertRaises(UserError):
            failing.with_user(self.mediator).action_retry_anonymisation()
        self.assertTrue(failing.anonymisation_failure)
        failing.with_user(self.manager).action_retry_anonymisation()
        self.assertFalse(failing.activity_ids)
        self.env["mediation.retention"]._cron_anonymise_expired()
        self.assertEqual(failing.date_anonymised, self.today)


@tagged("post_install", "-at_install")
class TestMediationArchivedCases(MediationPortalCommon):
    """Archived cases leave the working lists and the portal list unless
    asked for, and stay counted by the reports."""

    def _closed(self, months_ago):
        case = self._case_in("proposal")
        case.action_consumer_accept()
        case.action_professional_accept()
        case.action_close()
        case.sudo().write(
            {"date_outcome": self.today - relativedelta(months=months_ago)}
        )
        return case

    def test_working_list_hides_archived_cases_until_asked(self):
        old = self._closed(months_ago=14)
        fresh = self._closed(months_ago=1)
        self.assertTrue(old.is_archived)
        self.assertFalse(fresh.is_archived)
        action = self.env.ref("consumer_mediation.action_mediation_case")
        self.assertIn("'search_default_current': 1", action.context)
        view = self.env.ref("consumer_mediation.mediation_case_view_search_privacy")
        domain = re.search(r'name="current"[^>]*domain="([^"]+)"', view.arch_db).group(
            1
        )
        Case = self.env["mediation.case"].with_user(self.mediator)
        listed = Case.search(literal_eval(domain))
        self.assertIn(fresh, listed)
        self.assertNotIn(old, listed)
        self.assertIn(old, Case.search([("is_archived", "=", True)]))
        # Time passing archives a case: the daily scheduled action.
        later = self.today + relativedelta(months=12)
        cron = self.env.ref("consumer_mediation.ir_cron_mediation_archive")
        with patch.object(fields.Date, "context_today", lambda *a, **k: later):
            cron.method_direct_trigger()
        self.assertTrue(fresh.is_archived)
        # The reports count archived cases.
        report = self.env["mediation.activity.report"].create(
            {
                "date_from": old.date_outcome - timedelta(days=1),
                "date_to": fresh.date_outcome,
            }
        )
        self.assertEqual(report._compute_figures()["concluded"], 2)

    def test_portal_list_hides_archived_cases_until_asked(self):
        old = self._closed(months_ago=14)
        fresh = self._closed(months_ago=1)
        self.authenticate("cm_consumer", "cm_consumer")
        page = self.url_open("/my/mediation-cases").text
        self.assertIn(fresh.name, page)
        self.assertNotIn(old.name, page)
        self.assertIn("/my/mediation-cases?archived=1", page)
        page = self.url_open("/my/mediation-cases?archived=1").text
        self.assertIn(fresh.name, page)
        self.assertIn(old.name, page)
        # The archived case itself still opens for its party.
        self.assertEqual(self.url_open(old.access_url).status_code, 200)
        counters = self.url_open(
            "/my/counters",
            data='{"params": {"counters": ["mediation_case_count"]}}',
            headers={"Content-Type": "application/json"},
        ).json()["result"]
        self.assertEqual(counters["mediation_case_count"], 1)
