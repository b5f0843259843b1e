"""Limits of the public forms (issue 15): a visitor over a limit gets a French
429 page saying when to retry and how else to reach the mediator, and nothing
is created. The counters live in the database (mediation.web.throttle)."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields, sql_db
from odoo.tests import new_test_user, tagged

from .test_portal import PDF
from .test_public_forms import MediationFrenchPortalCommon

CLIENT_ADDRESS = "odoo.addons.consumer_mediation.controllers.throttle.client_address"
SUBMIT = "/mediation/saisine/submit"


@tagged("post_install", "-at_install")
class TestMediationWebThrottle(MediationFrenchPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"street": "12 rue de la Paix", "zip": "75002", "city": "Paris"}
        )

    def _filing(self, token, email="lea@example.com", files=None, **values):
        data = {
            "csrf_token": self._csrf("/mediation/saisine"),
            "professional_id": self.professional.id,
            "complaint_sent": "yes",
            "date_complaint": str(self.today - timedelta(days=20)),
            "web_token": token,
            "name": "Léa Petit",
            "email": email,
            "description": "Ma machine à laver est tombée en panne.",
            "consent": "1",
            **values,
        }
        return self.url_open(SUBMIT, data=data, files=files)

    def _adhesion(self, **values):
        data = {
            "csrf_token": self._csrf("/mediation/adhesion"),
            "company": "Boulangerie Martin",
            "contact_name": "Jean Martin",
            "email": "jean@boulangerie.example.com",
            **values,
        }
        return self.url_open("/mediation/adhesion", data=data)

    def assertSent(self, response):
        """Accepted: a visitor is asked to confirm their e-mail address."""
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_mediation_check_mailbox", response.text)

    def _created(self):
        """What a filing or a membership request may create."""
        env = self.env
        return {
            model: env[model].sudo().with_context(active_test=False).search_count([])
            for model in (
                "mediation.web.request",
                "mediation.case",
                "res.partner",
                "ir.attachment",
                "mail.mail",
                "crm.lead",
            )
        }

    def assertRefused(self, response, max_wait):
        """The 429 page in French, with its Retry-After, the delay and the
        mediator's addresses."""
        self.assertEqual(response.status_code, 429)
        wait = int(response.headers["Retry-After"])
        self.assertTrue(0 < wait <= max_wait, wait)
        self.assertIn("Merci de patienter avant d'envoyer à nouveau", response.text)
        self.assertIn("rien n'a été envoyé ni enregistré", response.text)
        self.assertIn("Vous pourrez l'envoyer à nouveau dans environ", response.text)
        self.assertIn("12 rue de la Paix", response.text)
        self.assertIn("contact@mediateur.example.com", response.text)
        return wait

    def test_filing_limit_per_client(self):
        self.company.mediation_limit_filing_client = 2
        # A mistake then the same form corrected: one filing.
        self.assertEqual(self._filing("t-1", email="wrong").status_code, 200)
        self.assertSent(self._filing("t-1"))
        self.assertSent(self._filing("t-2", email="a@example.com"))
        self._csrf("/mediation/saisine")
        before = self._created()
        response = self._filing(
            "t-3",
            email="b@example.com",
            files={"documents": ("invoice.pdf", PDF, "application/pdf")},
        )
        wait = self.assertRefused(response, 3600)
        self.assertGreater(wait, 3500, "the hour of the first filing")
        self.assertEqual(self._created(), before)
        self.assertFalse(
            self.env["mediation.web.request"]
            .sudo()
            .search([("form_token", "=", "t-3")])
        )

    def test_filing_limit_per_email_whatever_the_client(self):
        self.company.write(
            {"mediation_limit_filing_client": 0, "mediation_limit_filing_email": 1}
        )
        with patch(CLIENT_ADDRESS, return_value="203.0.113.1"):
            self.assertSent(self._filing("t-1"))
        with patch(CLIENT_ADDRESS, return_value="198.51.100.7"):
            self._csrf("/mediation/saisine")
            before = self._created()
            response = self._filing("t-2", email="LEA@Example.com")
            wait = self.assertRefused(response, 24 * 3600)
            self.assertGreater(wait, 23 * 3600, "a day for an e-mail")
            self.assertEqual(self._created(), before)
            # Another e-mail from that client goes through.
            self.assertSent(self._filing("t-3", email="m@example.com"))

    def test_drafts_limit(self):
        self.company.write(
            {"mediation_limit_upload_files": 3, "mediation_limit_upload_mb": 100}
        )
        files = [
            ("documents", ("a.pdf", PDF, "application/pdf")),
            ("documents", ("b.pdf", PDF, "application/pdf")),
        ]
        # A form refused for an error keeps its files as drafts.
        response = self._filing("t-1", email="wrong", files=files)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text.count('name="drafts"'), 2)
        self._csrf("/mediation/saisine")
        before = self._created()
        response = self._filing("t-2", email="wrong", files=files)
        self.assertRefused(response, 24 * 3600)
        self.assertEqual(self._created(), before)
        # Size: 1 MB a day; 1.2 MB more is over it.
        self.company.write(
            {"mediation_limit_upload_files": 0, "mediation_limit_upload_mb": 1}
        )
        big = PDF + b"0" * (1200 * 1024)
        response = self._filing("t-3", files={"documents": ("big.pdf", big)})
        self.assertRefused(response, 24 * 3600)
        self.assertEqual(self._created(), before)

    def test_adhesion_limit_and_who_is_limited(self):
        self.company.mediation_limit_adhesion_client = 2
        requests = [("kind", "=", "membership")]
        Request = self.env["mediation.web.request"].sudo()
        pending = Request.search_count(requests)
        # Every POST counts, a refused form too.
        self.assertEqual(self._adhesion(email="").status_code, 200)
        self.assertSent(self._adhesion())
        self.assertEqual(Request.search_count(requests), pending + 1)
        self._csrf("/mediation/adhesion")
        before = self._created()
        response = self._adhesion(company="Boulangerie Durand")
        self.assertRefused(response, 3600)
        self.assertIn("demandes d'adhésion", response.text)
        self.assertEqual(self._created(), before)
        self.assertEqual(self.url_open("/mediation/adhesion").status_code, 200)
        # A portal user is counted as a user, whatever its address.
        self.authenticate("cm_stranger", "cm_stranger")
        with patch(CLIENT_ADDRESS, return_value="203.0.113.9"):
            self.assertEqual(self._adhesion().status_code, 200)
            self.assertEqual(self._adhesion().status_code, 200)
            self.assertEqual(self._adhesion().status_code, 429)
        # Staff are never limited.
        new_test_user(
            self.env, "cm_staff", groups="consumer_mediation.group_mediation_user"
        )
        self.authenticate("cm_staff", "cm_staff")
        for _i in range(3):
            self.assertEqual(self._adhesion().status_code, 200)

    def test_settings_change_the_limit(self):
        settings = self.env["res.config.settings"].create(
            {"mediation_limit_adhesion_client": 1}
        )
        settings.execute()
        self.assertEqual(self._adhesion().status_code, 200)
        self.assertEqual(self._adhesion().status_code, 429)
        self.env["res.config.settings"].create(
            {"mediation_limit_adhesion_client": 2}
        ).execute()
        self.assertEqual(self._adhesion().status_code, 200)
        self.assertEqual(self._adhesion().status_code, 429)
        self.env["res.config.settings"].create(
            {"mediation_limit_adhesion_client": 0}
        ).execute()
        self.assertEqual(self._adhesion().status_code, 200)

    def test_count_sees_hits_committed_by_another_worker(self):
        """Two workers, two transactions: a request that started before
        another one committed its hit still counts that hit."""
        Throttle = self.env["mediation.web.throttle"]
        key = Throttle._hash("client", "ip:192.0.2.50")
        db = sql_db.db_connect(self.env.cr.dbname)
        with db.cursor() as cr_a, db.cursor() as cr_b:
            worker_a = Throttle._on_cursor(cr_a)
            worker_a.search_count([])  # worker A's transaction has begun
            worker_b = Throttle._on_cursor(cr_b)
            worker_b.create({"scope": "adhesion", "client_key": key})
            cr_b.commit()
            try:
                now = fields.Datetime.now()
                self.assertGreater(
                    worker_a._wait(
                        now, "client_key", key, "adhesion", "count", 3600, 1, 1, None
                    ),
                    0,
                )
            finally:
                cr_b.execute(
                    "DELETE FROM mediation_web_throttle WHERE client_key = %s", [key]
                )
                cr_b.commit()

    def test_autovacuum_purges_old_hits(self):
        Throttle = self.env["mediation.web.throttle"].sudo()
        old, recent = Throttle.create(
            [
                {"scope": "filing", "client_key": "old"},
                {"scope": "filing", "client_key": "recent"},
            ]
        )
        self.env.cr.execute(
            "UPDATE mediation_web_throttle SET create_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=1, minutes=1), old.id],
        )
        old.invalidate_recordset()
        Throttle._gc_throttle()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
