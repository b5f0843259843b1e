"""Scenario: a visitor's filing form sent six times at once, then its
confirmation link clicked twice at once, against the running server (real
threads, real transactions; pytest-odoo --odoo-http). Odoo's own runner cannot
do this: its HttpCase shares one cursor between all requests.

Runs last (file name) and commits: the database is made for this run."""

import re
import threading
import uuid
from datetime import date, timedelta

import requests
from scenario_data import active_membership

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

# The limits of the public forms are not this scenario's subject.
LIMITS = (
    "mediation_limit_filing_client",
    "mediation_limit_filing_email",
    "mediation_limit_upload_mb",
    "mediation_limit_upload_files",
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _env_do(registry, function):
    with registry.cursor() as cr:
        result = function(api.Environment(cr, SUPERUSER_ID, {}))
        cr.commit()  # pylint: disable=invalid-commit
        return result


def _at_once(count, send):
    """Call ``send`` from ``count`` threads released together."""
    barrier = threading.Barrier(count)
    responses = [None] * count

    def run(index):
        barrier.wait()
        responses[index] = send()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return responses


def _session(base, cookies):
    session = requests.Session()
    session.cookies.update(cookies)
    return session


def test_same_form_at_once_makes_one_request_then_one_case_and_one_contact():
    registry = Registry(odoo.tools.config["db_name"])
    base = f"http://127.0.0.1:{odoo.tools.config['http_port']}"
    email = f"camille.{uuid.uuid4().hex[:8]}@example.com"

    def prepare(env):
        env.company.write(dict.fromkeys(LIMITS, 0))
        return active_membership(
            env, "Cuisines Simultanées", "cuisines@example.com"
        ).partner_id.id

    professional_id = _env_do(registry, prepare)

    # The visitor fills in both steps, as in the browser.
    visitor = requests.Session()
    page = visitor.get(f"{base}/mediation/saisine", timeout=60)
    token = re.search(r'name="web_token" value="([^"]+)"', page.text).group(1)
    step2 = visitor.post(
        f"{base}/mediation/saisine/check",
        data={
            "csrf_token": CSRF.search(page.text).group(1),
            "professional_id": professional_id,
            "complaint_sent": "yes",
            "date_complaint": str(date.today() - timedelta(days=20)),
            "web_token": token,
        },
        timeout=60,
    )
    assert step2.status_code == 200
    form = {
        "csrf_token": CSRF.search(step2.text).group(1),
        "professional_id": professional_id,
        "complaint_sent": "yes",
        "date_complaint": str(date.today() - timedelta(days=20)),
        "web_token": token,
        "name": "Camille Simultanée",
        "email": email,
        "description": "Cuisine livrée incomplète.",
        "consent": "1",
    }

    # Six submits of that form at the same instant (a double-click, a
    # flaky connection): one request, one e-mail, no contact yet.
    submits = _at_once(
        6,
        lambda: _session(base, visitor.cookies).post(
            f"{base}/mediation/saisine/submit", data=form, timeout=120
        ),
    )
    assert [r.status_code for r in submits] == [200] * 6
    assert all("o_mediation_check_mailbox" in r.text for r in submits)

    def pending(env):
        web_request = env["mediation.web.request"].search([("form_token", "=", token)])
        mails = env["mail.mail"].search(
            [("email_to", "=", email), ("body_html", "like", "/mediation/confirm/")]
        )
        contacts = env["res.partner"].with_context(active_test=False)
        return (
            len(web_request),
            [mail.body_html for mail in mails],
            contacts.search_count([("email", "=ilike", email)]),
        )

    count, bodies, contacts = _env_do(registry, pending)
    assert (count, len(bodies), contacts) == (1, 1, 0)
    link = re.search(r'href="[^"]*(/mediation/confirm/[^"]+)"', bodies[0]).group(1)

    # The link clicked twice at once: filed once, one contact, one case.
    page = visitor.get(f"{base}{link}", timeout=60)
    confirm = {"csrf_token": CSRF.search(page.text).group(1)}
    confirmations = _at_once(
        2,
        lambda: _session(base, visitor.cookies).post(
            f"{base}{link}", data=confirm, timeout=120
        ),
    )
    assert [r.status_code for r in confirmations] == [200, 200]
    filed = [r for r in confirmations if "o_mediation_case_number" in r.text]
    assert len(filed) == 1, [r.url for r in confirmations]

    def filed_once(env):
        cases = env["mediation.case"].search([("web_token", "=", token)])
        contacts = env["res.partner"].with_context(active_test=False)
        return len(cases), contacts.search_count([("email", "=ilike", email)])

    assert _env_do(registry, filed_once) == (1, 1)
