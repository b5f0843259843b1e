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
import sys
import time
from datetime import date

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

MEDIATORS = 8


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def ids(env, model, domain=()):
    return env[model].search(list(domain)).ids


def insert_cases(env, count, year):
    """Cases received during ``year``: about half refused, a tenth still
    open, the rest mediations, some extended, some ending the next year."""
    group = env.ref("consumer_mediation.group_mediation_user")
    mediators = env["res.users"].create(
        [
            {
                "name": f"Bench Mediator {index}",
                "login": f"bench.mediator{index}",
                "groups_id": [(4, group.id)],
            }
            for index in range(MEDIATORS)
        ]
    )
    consumer = env["res.partner"].create({"name": "Bench Consumer"})
    ref = env.ref
    refused = ref("consumer_mediation.outcome_refused").id
    interruptions = ids(env, "mediation.outcome", [("kind", "=", "interrupted")])
    completions = ids(env, "mediation.outcome", [("kind", "=", "completed")])
    solution = ids(env, "mediation.outcome", [("has_solution", "=", True)])
    env.cr.execute("SELECT setseed(0.42)")
    env.cr.execute(
        SQL(
            """
            WITH draw AS (
                SELECT g, random() AS r, random() AS r2, random() AS r3,
                       %(start)s::date + (random() * 364)::int AS received
                FROM generate_series(1, %(count)s) g
            ), dated AS (
                SELECT *, received + 3 + (r2 * 25)::int AS saisine,
                       CASE WHEN r < 0.5 THEN 'refused'
                            WHEN r < 0.6 THEN 'open'
                            WHEN r < 0.68 THEN 'interrupted'
                            ELSE 'completed' END AS path
                FROM draw
            ), picked AS (
                SELECT *,
                    CASE path
                        WHEN 'refused' THEN %(refused)s
                        WHEN 'interrupted' THEN (%(interruptions)s::int[])
                            [1 + (r3 * (array_length(%(interruptions)s::int[], 1)
                                        - 1))::int]
                        WHEN 'completed' THEN (%(completions)s::int[])
                            [1 + (r3 * (array_length(%(completions)s::int[], 1)
                                        - 1))::int]
                    END AS outcome,
                    CASE WHEN path IN ('interrupted', 'completed')
                         THEN saisine + 20 + (r3 * 120)::int END AS ended
                FROM dated
            )
            INSERT INTO mediation_case (
                name, company_id, consumer_id, state, channel, date_received,
                mediator_id, subject_id, refusal_ground_id, outcome_id,
                outcome_kind, date_admissibility_decided,
                date_admissibility_notified, date_saisine_notified,
                date_outcome, date_refusal_due, date_mediation_due, execution,
                create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH-' || g, %(company)s, %(consumer)s,
                CASE path WHEN 'refused' THEN 'refused'
                          WHEN 'open' THEN 'mediation'
                          WHEN 'interrupted' THEN 'interrupted'
                          ELSE 'closed' END,
                'web', received,
                (%(mediators)s::int[])[1 + mod(g, %(mediator_count)s)],
                (%(subjects)s::int[])[1 + mod(g, array_length(%(subjects)s::int[], 1))],
                CASE WHEN path = 'refused' THEN (%(grounds)s::int[])
                    [1 + (r2 * (array_length(%(grounds)s::int[], 1) - 1))::int]
                END,
                outcome,
                CASE path WHEN 'refused' THEN 'refused'
                          WHEN 'interrupted' THEN 'interrupted'
                          WHEN 'completed' THEN 'completed' END,
                CASE WHEN path = 'refused' THEN received + (r2 * 25)::int
                     ELSE saisine END,
                CASE WHEN path = 'refused' THEN received + (r2 * 25)::int
                     ELSE saisine END,
                CASE WHEN path <> 'refused' THEN saisine END,
                CASE WHEN path = 'refused' THEN received + (r2 * 25)::int
                     ELSE ended END,
                received + 21,
                CASE WHEN path <> 'refused'
                     THEN saisine + CASE WHEN r3 > 0.85 THEN 150 ELSE 90 END
                END,
                CASE WHEN outcome = ANY(%(solution)s::int[])
                     THEN (ARRAY['done', 'done', 'not_done', 'unknown'])
                          [1 + (r2 * 3)::int] END,
                %(uid)s, %(uid)s, now(), now()
            FROM picked
            """,
            start=date(year, 1, 1),
            count=count,
            refused=refused,
            interruptions=interruptions,
            completions=completions,
            company=env.company.id,
            consumer=consumer.id,
            mediators=mediators.ids,
            mediator_count=MEDIATORS,
            subjects=ids(env, "mediation.case.subject"),
            grounds=ids(env, "mediation.refusal.ground"),
            solution=solution,
            uid=SUPERUSER_ID,
        )
    )
    env.cr.execute("ANALYZE mediation_case")


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=2031)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    date_from, date_to = date(args.year, 1, 1), date(args.year, 12, 31)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
        try:
            started = time.perf_counter()
            insert_cases(env, args.cases, args.year)
            out(f"inserted {args.cases} cases in {time.perf_counter() - started:.1f} s")
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
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
