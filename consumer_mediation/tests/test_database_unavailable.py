"""A PostgreSQL restart under a working user (the production rehearsal): the
pages answer "503, try again" in the user's language and the session is
kept, instead of Odoo's "page not found" and a logout."""

from unittest.mock import patch

import psycopg2

from odoo.modules.registry import Registry
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMediationDatabaseUnavailable(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.lang_fr").active = True
        cls.consumer = new_test_user(
            cls.env,
            login="camille.restart",
            groups="base.group_portal",
            lang="fr_FR",
        )

    def test_restart_answers_503_and_keeps_the_session(self):
        self.authenticate("camille.restart", "camille.restart")
        self.assertEqual(self.url_open("/my").status_code, 200)
        down = psycopg2.OperationalError("server closed the connection unexpectedly")
        with patch.object(Registry, "cursor", side_effect=down):
            response = self.url_open(
                "/my", headers={"Accept-Language": "fr-FR,fr;q=0.9"}
            )
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.headers["Retry-After"], "30")
        self.assertIn('lang="fr"', response.text)
        self.assertIn("Indisponible un instant", response.text)
        self.assertIn("réessayer dans une minute", response.text)
        # The database is back: the consumer is still logged in.
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("/web/login", response.url)
        self.assertIn("/my", response.url)
