"""The scale benchmark, every figure of issue 9 in one run.

    .venv/bin/python bench/run.py -c var/odoo-bench.conf [-d mediation_bench]

Reads the database filled by bench/generate.py and prints, side by side:
the annual report against hand-written SQL (bench_activity_report), the daily
clocks scheduled action over every
case (seconds, queries per batch), the back-office case list, searches and
grouped counts, and the portal list and case page queries for the parties
with 1 and 100 cases, with the query plans showing the indexes used.
Whatever it writes is rolled back at the end. Not a test: the numbers
depend on the machine.
"""

import argparse
import os
import time
from datetime import date

from bench_activity_report import measure as measure_activity_report
from common import environment, out, registry, year_bounds
from werkzeug.test import Client

import odoo
from odoo import sql_db
from odoo.service import security
from odoo.tools import SQL

LIST_SPEC = {
    "name": {},
    "date_received": {},
    "consumer_id": {"fields": {"display_name": {}}},
    "professional_id": {"fields": {"display_name": {}}},
    "mediator_id": {"fields": {"display_name": {}}},
    "state": {},
    "next_due_date": {},
    "deadline_status": {},
}


def timed(func):
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def explain(env, label, model, domain, order=None, limit=None):
    """The plan of the query ``search`` runs: which index serves it."""
    query = env[model]._search(domain, order=order or env[model]._order, limit=limit)
    env.cr.execute(SQL("EXPLAIN ANALYZE %s", query.select()))
    plan = [row[0] for row in env.cr.fetchall()]
    scans = [line.strip() for line in plan if "Scan" in line]
    out(f"  plan {label}: {' | '.join(scans[:3])}")
    out(f"    {plan[-1].strip()}")


def section(title):
    out("")
    out(f"== {title}")


def bench_activity_report(env):
    section("Annual report vs hand-written SQL (bench_activity_report)")
    measure_activity_report(env, *year_bounds(date.today().year - 1))


def bench_back_office(env):
    from odoo.addons.consumer_mediation.models.mediation_case import OPEN_STATES

    section("Back office: case list, searches, grouped counts")
    manager = env.ref("base.user_admin")
    manager.groups_id = [(4, env.ref("consumer_mediation.group_mediation_manager").id)]
    Case = env["mediation.case"].with_user(manager)
    out(f"  cases in the database: {Case.search_count([])}")
    searches = {
        "list, first page (80)": [],
        "open cases": [("state", "in", OPEN_STATES)],
        "overdue": [("is_overdue", "=", True)],
        "my cases": [("mediator_id", "=", Case.env.uid)],
        "received last month": [
            ("date_received", ">=", date.today().replace(day=1)),
        ],
        "consumer name": [("consumer_id", "ilike", "Bench Consumer 4242")],
    }
    for label, domain in searches.items():
        Case.env.invalidate_all()
        seconds, result = timed(
            lambda domain=domain: Case.web_search_read(
                domain, LIST_SPEC, limit=80, count_limit=10001
            )
        )
        out(f"  {label:<28} {seconds:7.3f} s ({result['length']} found)")
    for groupby in (["state"], ["mediator_id"], ["date_received:month"]):
        seconds, groups = timed(
            lambda groupby=groupby: Case.read_group(
                [], ["__count"], groupby, lazy=False
            )
        )
        out(f"  read_group by {groupby[0]:<19} {seconds:7.3f} s ({len(groups)} groups)")
    explain(env, "list page", "mediation.case", [], limit=80)
    explain(
        env, "open cases", "mediation.case", [("state", "in", OPEN_STATES)], limit=80
    )
    explain(env, "overdue", "mediation.case", [("is_overdue", "=", True)], limit=80)
    date_from, date_to = year_bounds(date.today().year - 1)
    explain(
        env,
        "report cohort",
        "mediation.case",
        [("date_outcome", ">=", date_from), ("date_outcome", "<=", date_to)],
        order="id",
    )
    party = env["res.users"].search([("login", "=", "bench.party100")]).partner_id
    explain(env, "a party's cases", "mediation.case", [("consumer_id", "=", party.id)])
    explain(
        env,
        "a member's contracts",
        "contract.contract",
        [("partner_id", "=", env["res.partner"].search([], limit=1).id)],
    )


def bench_clocks(env):
    from odoo.addons.consumer_mediation.models.mediation_case import (
        RUNNING_CLOCK_DOMAIN as domain,
    )

    section("Daily clocks scheduled action over every case")
    Case = env["mediation.case"]
    out(f"  cases with a running clock: {Case.search_count(domain)}")
    explain(env, "batch search", "mediation.case", domain, order="id", limit=500)
    batches, started = [], time.perf_counter()
    remaining = True
    while remaining:
        before = env.cr.sql_log_count
        remaining = Case._cron_check_clocks()
        env.flush_all()
        batches.append(env.cr.sql_log_count - before)
        env.invalidate_all()
    seconds = time.perf_counter() - started
    out(f"  {len(batches)} batches of 500 in {seconds:.1f} s")
    out(f"  queries per batch: min {min(batches)}, max {max(batches)}")
    out(f"  overdue after the run: {Case.search_count([('is_overdue', '=', True)])}")
    out(f"  reminders scheduled: {env['mail.activity'].search_count([])}")


def portal_client(env, login):
    """A browser logged in as ``login``, served in this process."""
    user = env["res.users"].search([("login", "=", login)])
    root = odoo.http.root
    session = root.session_store.new()
    session.update(odoo.http.get_default_session(), db=env.cr.dbname)
    session.uid, session.login = user.id, login
    session.session_token = security.compute_session_token(session, env)
    session.context = dict(env["res.users"].with_user(user).context_get())
    root.session_store.save(session)
    client = Client(root)
    client.set_cookie("localhost", "session_id", session.sid)
    return client, user


def count_queries(client, url):
    """Queries of the second GET of ``url`` (the first warms the caches)."""
    for _attempt in range(2):
        before = sql_db.sql_counter
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return sql_db.sql_counter - before


def bench_portal(env):
    section("Portal: queries for the parties with 1 and 100 cases")
    state = None
    for login in ("bench.party1", "bench.party100"):
        client, user = portal_client(env, login)
        cases = env["mediation.case"].search([("consumer_id", "=", user.partner_id.id)])
        listing = count_queries(client, "/my/mediation-cases")
        seconds, _response = timed(
            lambda client=client: client.get("/my/mediation-cases")
        )
        # The page shows what the case's state allows: compare cases in the
        # same state. A fresh session has no list history, hence no links to
        # the previous and next case (the portal's pager, two queries).
        state = state or cases[0].state
        case = cases.filtered(lambda c, state=state: c.state == state)[:1]
        page = count_queries(portal_client(env, login)[0], case.access_url)
        out(
            f"  {len(cases):>3} cases: list {listing} queries ({seconds:.3f} s), "
            f"page of a {state} case {page} queries"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", default="mediation_bench")
    args = parser.parse_args()
    started = time.perf_counter()
    out(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    with registry(args.config, args.database).cursor() as cr:
        env = environment(cr)
        try:
            bench_portal(env)
            bench_clocks(env)
            bench_back_office(env)
            bench_activity_report(env)
        finally:
            cr.rollback()
    out(f"\nwhole bench: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
