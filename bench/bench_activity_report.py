"""Annual activity report on a large year: workbook against plain SQL.

    python3 bench/bench_activity_report.py -c var/odoo-test.conf -d DB \
        [--cases 100000] [--year 2031]

Inserts the cases of one year in bulk SQL, in a transaction rolled back at
the end (the database is left as it was), then times the annual report
workbook and a hand-written SQL query computing the same summary figures,
and prints both times, their ratio and the peak memory of the process.
The workbook also writes the CECMC sheet, one row per case (a million
cells): its ratio to the summary query measures that writing, while the
report's own summary figures compare with the hand-written query.
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
    """The summary figures in one pass per cohort, written by hand."""
    cr = env.cr
    cr.execute(
        """SELECT subject_id, COUNT(*) FROM mediation_case
           WHERE date_received BETWEEN %(f)s AND %(t)s GROUP BY subject_id""",
        {"f": date_from, "t": date_to},
    )
    subjects = cr.fetchall()
    cr.execute(
        """SELECT o.kind, c.outcome_id, c.refusal_ground_id, COUNT(*),
                  SUM(c.date_outcome - c.date_received),
                  SUM(c.date_outcome - c.date_saisine_notified),
                  COUNT(*) FILTER (WHERE c.execution = 'done'),
                  COUNT(*) FILTER (WHERE c.execution = 'not_done'),
                  COUNT(*) FILTER (WHERE c.date_admissibility_notified
                                   <= c.date_refusal_due),
                  COUNT(*) FILTER (WHERE c.date_outcome <= c.date_mediation_due)
           FROM mediation_case c JOIN mediation_outcome o ON o.id = c.outcome_id
           WHERE c.date_outcome BETWEEN %(f)s AND %(t)s
           GROUP BY o.kind, c.outcome_id, c.refusal_ground_id""",
        {"f": date_from, "t": date_to},
    )
    return subjects, cr.fetchall()


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
