"""Browser tours run as a role's own user, in French.

A role tour fails on what its user would see as broken, beyond what Odoo's tour
runner already catches (console errors, failed steps):
- any HTTP answer of 400 or more to the browser (pages, downloads, RPC);
- an error dialog left on the screen;
- a string of this addon shown in English on a French page: the tour's steps are
  built with ``roleTourSteps`` (static/src/js/tours/tour_utils.js), which sends the
  visible text of the page after every step; it is checked here against the
  English sources of ``i18n/fr.po`` that have a different French translation.
"""

import re
from functools import lru_cache
from pathlib import Path

import polib

from odoo.http import Application
from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import ChromeBrowser

PAGE_TEXT_MARK = "mediation-page-text:"
# Sources that are French words too (beyond those that are some entry's French).
NOT_TELLING = {
    "Documents",
    "Notes",
    "Message",
    "Type",
    "Total",
    "Contact",
    "Date",
    "E-mail",
}


@lru_cache(maxsize=1)
def untranslated_patterns():
    """{English source: compiled pattern} for the addon's translated strings that
    would show on a page when the French translation is missing. A phrase of
    three words or more is looked for anywhere (case-sensitive, whole words);
    a shorter one only as a line of its own (a label, a button, a column),
    since data ("My Company") or another module's string ("Send to all") may
    contain it."""
    po_path = Path(get_module_path("consumer_mediation")) / "i18n" / "fr.po"
    entries = polib.pofile(str(po_path))
    french_words = {entry.msgstr for entry in entries}
    patterns = {}
    for entry in entries:
        source, french = entry.msgid, entry.msgstr
        if (
            not french
            or source in french
            or source in french_words
            or source in NOT_TELLING
            or len(source) < 4
            or len(source) > 120
            or re.search(r"[%{}<>\n]|\$\(", source)
            or not re.search(r"[A-Za-z]{3}", source)
        ):
            continue
        if source.count(" ") >= 2:
            pattern = r"(?<![\w-])" + re.escape(source) + r"(?![\w-])"
        else:
            pattern = r"^[ \t]*" + re.escape(source) + r"[ \t]*$"
        patterns[source] = re.compile(pattern, re.MULTILINE)
    return patterns


class MediationRoleTourCase(HttpCase):
    """Base of the role tours: users holding only their role's groups, in French.
    The fixtures are made in French too, as in a database created in French
    (where new contacts default to French)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="fr_FR"))
        cls.env["ir.default"].set("res.partner", "lang", "fr_FR")
        cls.env["res.lang"]._activate_lang("fr_FR")
        menu = cls.env.ref("consumer_mediation.menu_mediation_root")
        if menu.with_context(lang="fr_FR").name == menu.with_context(lang="en_US").name:
            raise AssertionError(
                "French terms are not loaded in this database: install it with "
                "--load-language=en_US,fr_FR, as make test does."
            )

    @classmethod
    def role_user(cls, login, groups, **values):
        """A user of the given groups only (comma-separated xml ids), in French."""
        return new_test_user(
            cls.env, login, groups=groups, lang="fr_FR", tz="Europe/Paris", **values
        )

    def setUp(self):
        super().setUp()
        self.http_errors = []
        self.page_texts = []
        self._record_http_errors()
        self._collect_page_texts()

    def _record_http_errors(self):
        call = Application.__call__
        errors = self.http_errors

        def recording_call(app, environ, start_response):
            def recording_start_response(status, headers, exc_info=None):
                # The test server does not serve the bus: its 503 is expected.
                path = environ.get("PATH_INFO")
                if int(status.split(" ", 1)[0]) >= 400 and path != "/websocket":
                    errors.append(f"{status} {path}")
                return start_response(status, headers, exc_info)

            return call(app, environ, recording_start_response)

        self.patch(Application, "__call__", recording_call)

    def _collect_page_texts(self):
        handle = ChromeBrowser._handle_console
        texts = self.page_texts

        def collecting_handle(browser, type, args=None, stackTrace=None, **kw):
            first = args and args[0].get("value")
            if isinstance(first, str) and first.startswith(PAGE_TEXT_MARK):
                texts.append(first[len(PAGE_TEXT_MARK) :])
                return None
            return handle(browser, type, args=args, stackTrace=stackTrace, **kw)

        self.patch(ChromeBrowser, "_handle_console", collecting_handle)

    def start_role_tour(self, url, tour, login, allowed_errors=(), timeout=60):
        """Run the tour as ``login``, then fail on any HTTP error not in
        ``allowed_errors`` (regexes on "STATUS PATH") and on any English string
        of the addon on the pages it walked. ``timeout``: seconds for the whole
        tour (a day's journey needs more than Odoo's default minute)."""
        self.start_tour(url, tour, login=login, timeout=timeout)
        unexpected = [
            error
            for error in self.http_errors
            if not any(re.search(allowed, error) for allowed in allowed_errors)
        ]
        self.assertFalse(unexpected, f"HTTP errors during the tour {tour}")
        self.assertTrue(
            self.page_texts, "the tour sent no page text: use roleTourSteps"
        )
        english = {}
        for text in self.page_texts:
            for source, pattern in untranslated_patterns().items():
                found = pattern.search(text)
                if found and source not in english:
                    english[source] = text[
                        max(found.start() - 40, 0) : found.end() + 40
                    ]
        self.assertFalse(english, f"English strings shown by the tour {tour}")
