# A command-line script: it prints its results and commits like the cron runner.
# pylint: disable=print-used,invalid-commit
"""Compliance scan benchmark (not a test): the scheduled action that checks
the members' websites, over N covered members served by a local website.

    python3 bench/bench_compliance_scan.py -c var/odoo-bench.conf \\
        [-d mediation_bench] [--members 10000] [--generate]

The local site (tests/website_fixture.py, in its own process so that its CPU
and memory are not counted) serves each member a home page linking to its
terms and conditions: a third show the mediator on the home page, a third
only in their terms, a third nowhere. The members' websites point at it, the
private-address setting is on and the delay between two requests to one host
is 0: every member is on the same host here, where in production each has
its own (the delay then costs nothing while other hosts are fetched... in a
sequential scan it adds host_delay per member: see docs/member-follow-up.md).

The scheduled action's method runs batch after batch, committed like the cron
runner does, until no member is due. Prints members per minute, queries and
HTTP requests per member, and the peak RSS of the process. The members'
websites, scan results and checklist lines are put back at the end.
``--generate`` first adds demo members (mediation.demo) until N are covered.
"""

import argparse
import functools
import importlib.util
import multiprocessing
import resource
import time
from datetime import date
from pathlib import Path

from common import environment, out, registry

MEDIATOR_NAME = "Médiation Bench Conso"
MEDIATOR_SITE = "https://www.mediation-bench.example"
FOOTER = (
    f"<footer><p>Médiateur de la consommation : {MEDIATOR_NAME}, "
    f"<a href='{MEDIATOR_SITE}/saisine'>{MEDIATOR_SITE}</a></p></footer>"
)
FILLER = "<p>" + "Pain, viennoiseries et pâtisseries artisanales. " * 200 + "</p>"


@functools.cache
def fixture():
    """The tests' local website, loaded from its file: importing the tests
    package would load Odoo's test framework."""
    path = Path(__file__).parent.parent / "consumer_mediation/tests/website_fixture.py"
    spec = importlib.util.spec_from_file_location("website_fixture", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def member_page(path):
    """/m/<n>/ and /m/<n>/cgv: where the mention is depends on n."""
    Answer, page = fixture().Answer, fixture().page
    parts = path.strip("/").split("/")
    if parts[0] != "m" or len(parts) not in (2, 3):
        return Answer(b"not found", 404, "text/plain")
    kind = int(parts[1]) % 3
    if len(parts) == 2:
        mention = FOOTER if kind == 0 else ""
        return page(f"{FILLER}<a href='cgv'>Conditions générales de vente</a>{mention}")
    return page(f"<h1>CGV</h1>{FILLER}{FOOTER if kind == 1 else ''}")


def serve(port_queue):
    robots = fixture().Answer(
        b"User-agent: *\nDisallow: /admin/\n", content_type="text/plain"
    )
    site = fixture().FixtureWebsite({"/robots.txt": robots}, default=member_page)
    site.requests = _Counter()
    port_queue.put(site.server.server_address[1])
    site.server.serve_forever()


class _Counter(list):
    """Counts the requests without keeping them."""

    count = 0

    def append(self, _item):
        self.count += 1


def covered_members(env, count):
    Partner = env["res.partner"]
    return Partner.search(
        Partner._mediation_covered_domain(date.today()), limit=count, order="id"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", default="mediation_bench")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--generate", action="store_true")
    args = parser.parse_args()

    ports = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports,), daemon=True)
    server.start()
    port = ports.get(timeout=30)
    reg = registry(args.config, args.database)
    with reg.cursor() as cr:
        env = environment(cr)
        if args.generate:
            seed = 0
            while len(covered_members(env, args.members)) < args.members:
                env["mediation.demo"]._generate(count=500, seed=10_000 + seed)
                seed += 1
                cr.commit()
        members = covered_members(env, args.members)
        out(f"== Compliance scan of {len(members)} covered members (local site)")
        company = env.company
        saved = (company.mediation_mediator_name, company.website)
        company.write(
            {"mediation_mediator_name": MEDIATOR_NAME, "website": MEDIATOR_SITE}
        )
        params = env["ir.config_parameter"]
        saved_params = {
            key: params.get_param(f"consumer_mediation.scan_{key}")
            for key in ("allow_private_addresses", "host_delay")
        }
        params.set_param("consumer_mediation.scan_allow_private_addresses", "True")
        params.set_param("consumer_mediation.scan_host_delay", "0")
        websites = dict(zip(members.ids, members.mapped("website"), strict=True))
        for member in members:
            cr.execute(
                "UPDATE res_partner SET website = %s, mediation_scan_date = NULL,"
                " mediation_scan_result = NULL, mediation_scan_exclusion = NULL"
                " WHERE id = %s",
                [f"http://127.0.0.1:{port}/m/{member.id}/", member.id],
            )
        env.invalidate_all()
        due = env["res.partner"].search_count(
            env["res.partner"]._mediation_scan_due_domain()
        )
        cr.commit()

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        queries_before = cr.sql_log_count
        started = time.perf_counter()
        batches = 0
        while env["res.partner"]._cron_mediation_scan_websites(batch_size=args.batch):
            cr.commit()
            batches += 1
            if batches % 10 == 0:  # the runner's next job: a fresh environment
                env.invalidate_all()
        cr.commit()
        elapsed = time.perf_counter() - started
        queries = cr.sql_log_count - queries_before
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        cr.execute(
            "SELECT mediation_scan_result, count(*) FROM res_partner"
            " WHERE id = ANY(%s) GROUP BY 1 ORDER BY 1",
            [members.ids],
        )
        results = dict(cr.fetchall())
        out(f"  members due: {due}; results: {results}")
        out(f"  time: {elapsed:.1f} s, {due / elapsed * 60:.0f} members per minute")
        out(f"  SQL queries per member: {queries / max(due, 1):.1f}")
        out(
            f"  peak RSS: {rss_peak / 1024:.0f} MB "
            f"({rss_before / 1024:.0f} MB before the scan)"
        )

        # Put the members back as they were.
        cr.execute(
            "DELETE FROM mediation_compliance_check WHERE source = 'scan'"
            " AND partner_id = ANY(%s)",
            [members.ids],
        )
        cr.execute(
            "DELETE FROM mail_activity WHERE res_model = 'res.partner'"
            " AND res_id = ANY(%s) AND activity_type_id = %s",
            [
                members.ids,
                env.ref("consumer_mediation.mail_activity_type_compliance").id,
            ],
        )
        for member_id, website in websites.items():
            cr.execute(
                "UPDATE res_partner SET website = %s, mediation_scan_date = NULL,"
                " mediation_scan_result = NULL WHERE id = %s",
                [website or None, member_id],
            )
        company.write({"mediation_mediator_name": saved[0], "website": saved[1]})
        for key, value in saved_params.items():
            params.set_param(f"consumer_mediation.scan_{key}", value or False)
        cr.commit()
    server.terminate()


if __name__ == "__main__":
    main()
