import os
from datetime import timedelta

from babel.dates import format_timedelta

from odoo.http import request
from odoo.tools.misc import babel_locale_parse


def client_address():
    """The visitor's IP address (behind a proxy, Odoo's ProxyFix has put the
    client's there when proxy_mode is on)."""
    return request.httprequest.remote_addr or ""


def throttled(scope, email=None, submission=None):
    """Count this POST of a public form against the company's limits. None
    when the visitor may go on; else the "too many requests" page (429, with
    Retry-After), and nothing is recorded. Staff are never limited; a portal
    user is counted as a user, a visitor by IP address."""
    user = request.env.user
    if user._is_internal():
        return None
    client = f"ip:{client_address()}" if user._is_public() else f"user:{user.id}"
    uploads = [f for f in request.httprequest.files.getlist("documents") if f.filename]
    size = 0
    for upload in uploads:
        upload.stream.seek(0, os.SEEK_END)
        size += upload.stream.tell()
        upload.stream.seek(0)
    wait = (
        request.env["mediation.web.throttle"]
        .sudo()
        ._check_and_record(
            scope, client, email, submission, size=size, files=len(uploads)
        )
    )
    if not wait:
        return None
    return request.render(
        "consumer_mediation.mediation_too_many_requests",
        {
            "company": request.env.company.sudo(),
            "scope": scope,
            "delay": format_timedelta(
                timedelta(seconds=wait),
                threshold=2,
                locale=babel_locale_parse(request.env.lang),
            ),
        },
        status=429,
        headers=[("Retry-After", str(wait))],
    )
