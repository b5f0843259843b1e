"""A database that stops answering for a moment (a PostgreSQL restart, a
fail-over) is not a missing database. Odoo answers both the same way: the
request's session is logged out and the page is "not found" (404). Seen in
the production rehearsal: every consumer, professional and mediator working
during a PostgreSQL restart was logged out and shown pages that do not
exist. For a database this server already serves, answer "503 Service
Unavailable" with a "Retry-After" instead, and keep the session.

Odoo decides this in ``Request._open_registry``, before any model exists:
there is no ``ir.http`` to override, so the method is wrapped once, when
the addon is imported."""

import psycopg2
from markupsafe import Markup
from werkzeug.exceptions import ServiceUnavailable

from odoo import http
from odoo.modules.registry import Registry
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

RETRY_AFTER_SECONDS = 30
TITLE = _lt("Unavailable for a moment")
MESSAGE = _lt(
    "The service is unavailable for a moment. What you sent and saw "
    "confirmed is kept; please try again in a minute."
)


class DatabaseUnavailable(ServiceUnavailable):
    """The page says so in the visitor's language (the translations come
    from the addon's files: the database is not there to read them)."""

    def __init__(self, request):
        super().__init__(retry_after=RETRY_AFTER_SECONDS)
        cookie = request.httprequest.cookies.get("frontend_lang") or ""
        header = request.httprequest.accept_languages.best_match(["fr", "en"])
        self.lang = (
            "fr_FR"
            if cookie.startswith("fr") or (not cookie and header == "fr")
            else "en_US"
        )

    def get_body(self, environ=None, scope=None):
        title = TITLE._translate(self.lang)
        return str(
            Markup(
                '<!doctype html>\n<html lang="%s"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                "<title>%s</title><style>body{font-family:sans-serif;max-width:36em;"
                "margin:2em auto;padding:0 1em;line-height:1.5}</style></head>"
                "<body><h1>%s</h1><p>%s</p></body></html>"
            )
            % (self.lang[:2], title, title, MESSAGE._translate(self.lang))
        )


def _open_registry(self):
    served = self.db in Registry.registries
    try:
        return _odoo_open_registry(self)
    except http.RegistryError as error:
        if served and isinstance(error.__cause__, psycopg2.OperationalError):
            raise DatabaseUnavailable(self) from error
        raise


_odoo_open_registry = http.Request._open_registry
if not getattr(_odoo_open_registry, "mediation_wrapped", False):
    _open_registry.mediation_wrapped = True
    http.Request._open_registry = _open_registry
