"""Annual activity report on a large year: workbook against plain SQL.

    .venv/bin/python bench/bench_activity_report.py -c var/odoo-test.conf -d DB \
        [--cases 100000] [--year 2031]

Inserts the cases of one year in bulk SQL, in a transaction rolled back at
the end (the database is left as it was), then times, on warm caches:

- hand-written SQL returning the groups every summary figure is summed from
  (received per subject, sector, month; concluded per outcome, ground,
  mediator, month with durations, execution and deadlines);
- the report's own summary figures (``_compute_figures``), and their ratio
  to the hand-written SQL;
- the annual report workbook, all sheets including the CECMC sheet (one row
  per case, about a million cells), its ratio to the hand-written summary
  SQL and to hand-written SQL fetching the summary and the per-case rows;
- the peak memory of the process.
Not a test: the numbers depend on the machine.
"""

import argparse
import os
import resource
import time
from datetime import date

from common import (
    create_mediators,
    environment,
    insert_cases,
    out,
    registry,
    year_bounds,
)

MEDIATORS = 8


def insert_year(env, count, year):
    """Cases received during ``year``, of one consumer, no professional."""
    mediators = create_mediators(env, MEDIATORS)
    consumer = env["res.partner"].create({"name": "Bench Consumer"})
    start = date(year, 1, 1)
    insert_cases(env, count, start, 365, mediators.ids, consumer.ids)


def hand_written_summary(env, date_from, date_to):
    """The groups every summary figure is summed from, written by hand: the
    received cases per subject, sector and month; the concluded ones per
    outcome, ground, mediator and month with durations, execution and
    deadlines."""
    cr = env.cr
    period = {"f": date_from, "t": date_to}
    cr.execute(
        """SELECT subject_id, industry_id, date_trunc('month', date_received),
                  COUNT(*)
           FROM mediation_case WHERE date_received BETWEEN %(f)s AND %(t)s
           GROUP BY GROUPING SETS ((subject_id), (industry_id),
                                   (date_trunc('month', date_received)))""",
        period,
    )
    received = cr.fetchall()
    cr.execute(
        """SELECT outcome_id, refusal_ground_id, mediator_id,
                  date_trunc('month', date_outcome), COUNT(*),
                  SUM(date_outcome - date_received),
                  SUM(date_outcome - date_saisine_notified),
                  COUNT(date_saisine_notified),
                  COUNT(*) FILTER (WHERE execution = 'done'),
                  COUNT(*) FILTER (WHERE execution = 'not_done'),
                  COUNT(*) FILTER (WHERE date_admissibility_notified
                                   <= date_refusal_due),
                  COUNT(*) FILTER (WHERE date_outcome
                                   <= date_saisine_notified + 90),
                  COUNT(*) FILTER (WHERE date_outcome > date_saisine_notified + 90
                                   AND date_outcome <= date_mediation_due)
           FROM mediation_case
           WHERE outcome_id IS NOT NULL AND date_outcome BETWEEN %(f)s AND %(t)s
           GROUP BY 1, 2, 3, 4""",
        period,
    )
    return received, cr.fetchall()


def hand_written_cases(env, date_from, date_to):
    """The CECMC per-case rows of the workbook, fetched by hand in one query:
    what the per-case sheet costs in the database alone."""
    env.cr.execute(
        """SELECT c.name, p.name, c.date_received, c.date_saisine_notified,
                  c.date_admissibility_notified, g.name->>'en_US',
                  (SELECT MAX(date_notified) FROM mediation_case_extension
                   WHERE case_id = c.id),
                  c.date_proposal_notified, o.name->>'en_US', c.date_outcome
           FROM mediation_case c
           LEFT JOIN res_users u ON u.id = c.mediator_id
           LEFT JOIN res_partner p ON p.id = u.partner_id
           LEFT JOIN mediation_refusal_ground g ON g.id = c.refusal_ground_id
           LEFT JOIN mediation_outcome o ON o.id = c.outcome_id
           WHERE c.date_received BETWEEN %(f)s AND %(t)s
              OR c.date_outcome BETWEEN %(f)s AND %(t)s
           ORDER BY c.id""",
        {"f": date_from, "t": date_to},
    )
    return len(env.cr.fetchall())


def measure(env, date_from, date_to):
    """Times the hand-written summary, the report's figures and its
    workbook on the cases already in the database; prints them."""
    report = env["mediation.activity.report"].create(
        {"name": "Bench", "date_from": date_from, "date_to": date_to}
    )
    # Warm the cache first: both timings then read from memory.
    hand_written_summary(env, date_from, date_to)
    started = time.perf_counter()
    hand_written_summary(env, date_from, date_to)
    sql_time = time.perf_counter() - started
    started = time.perf_counter()
    hand_written_cases(env, date_from, date_to)
    cases_sql_time = time.perf_counter() - started
    report._compute_figures()
    started = time.perf_counter()
    report._compute_figures()
    figures_time = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    content, _kind = env["ir.actions.report"]._render_xlsx(
        "consumer_mediation.action_report_activity_xlsx", report.ids, None
    )
    xlsx_time = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out(f"hand-written SQL summary:      {sql_time:.3f} s")
    out(
        f"report's summary figures:      {figures_time:.3f} s "
        f"(ratio {figures_time / sql_time:.1f})"
    )
    out(
        f"annual report workbook:        {xlsx_time:.3f} s "
        f"(ratio {xlsx_time / sql_time:.1f}, {len(content)} bytes)"
    )
    out(f"  of which CPU in Odoo:        {cpu:.3f} s")
    content_sql_time = sql_time + cases_sql_time
    out(
        f"hand-written SQL, summary and per-case rows: {content_sql_time:.3f} s "
        f"(workbook ratio {xlsx_time / content_sql_time:.1f})"
    )
    out(f"load average (1 min):          {os.getloadavg()[0]:.1f}")
    out(f"peak memory of the process:    {peak:.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=2031)
    args = parser.parse_args()
    with registry(args.config, args.database).cursor() as cr:
        env = environment(cr)
        try:
            started = time.perf_counter()
            insert_year(env, args.cases, args.year)
            out(f"inserted {args.cases} cases in {time.perf_counter() - started:.1f} s")
            measure(env, *year_bounds(args.year))
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
