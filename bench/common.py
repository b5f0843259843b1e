"""Shared by the bench scripts: the Odoo environment and bulk SQL inserts
of consumers and cases (hundreds of thousands in seconds, where the ORM
would take hours)."""

import sys
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

OPEN_DAYS = 150  # cases received since then may still be open


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def registry(config, database):
    odoo.tools.config.parse_config(["-c", config, "-d", database])
    return odoo.modules.registry.Registry(database)


def environment(cr):
    return api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})


def ids(env, model, domain=()):
    return env[model].search(list(domain)).ids


def create_mediators(env, count, prefix="bench"):
    group = env.ref("consumer_mediation.group_mediation_user")
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench Mediator {index}",
                    "login": f"{prefix}.mediator{index}",
                    "groups_id": [(4, group.id)],
                }
                for index in range(count)
            ]
        )
    )


def insert_consumers(env, count):
    """``count`` consumers (plain contacts), their ids in order."""
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, active, type,
                is_company, email, autopost_bills, create_uid, write_uid,
                create_date, write_date)
            SELECT 'Bench Consumer ' || g, 'Bench Consumer ' || g, true,
                'contact', false, 'consumer' || g || '@example.com', 'ask',
                %(uid)s, %(uid)s, now(), now()
            FROM generate_series(1, %(count)s) g
            RETURNING id
            """,
            count=count,
            uid=SUPERUSER_ID,
        )
    )
    consumer_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        [consumer_ids],
    )
    return consumer_ids


def insert_cases(
    env,
    count,
    start,
    days,
    mediators,
    consumers,
    professionals=(),
    today=None,
    first=1,
):
    """``count`` cases received over ``days`` days from ``start``: about
    half refused, a tenth open (only among those received in the last
    OPEN_DAYS days before ``today``, in the state their age gives), the rest
    mediations, some extended, some ending after the period. Each case gets
    a consumer and a professional drawn from the lists (none if empty).
    Batches number their cases from ``first``, each with its own draws."""
    today = today or start + timedelta(days=days)
    ref = env.ref
    interruptions = ids(env, "mediation.outcome", [("kind", "=", "interrupted")])
    completions = ids(env, "mediation.outcome", [("kind", "=", "completed")])
    solution = ids(env, "mediation.outcome", [("has_solution", "=", True)])
    env.cr.execute("SELECT setseed(%s)", [0.42 / first])
    env.cr.execute(
        SQL(
            """
            WITH draw AS (
                SELECT g, random() AS r, random() AS r2, random() AS r3,
                       %(start)s::date + (random() * (%(days)s - 1))::int
                           AS received
                FROM generate_series(%(first)s, %(first)s + %(count)s - 1) g
            ), dated AS (
                SELECT *, received + 3 + (r2 * 25)::int AS saisine,
                       CASE WHEN r < 0.5 THEN 'refused'
                            WHEN r < 0.6 AND received >= %(open_since)s
                                THEN 'open'
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
                         THEN saisine + 20 + (r3 * 120)::int END AS ended,
                    CASE WHEN path <> 'open' THEN path
                         WHEN %(today)s::date - received < 3 THEN 'received'
                         WHEN saisine > %(today)s::date THEN 'review'
                         WHEN r3 < 0.3 THEN 'waiting'
                         ELSE 'mediation' END AS stage
                FROM dated
            )
            INSERT INTO mediation_case (
                name, company_id, consumer_id, professional_id, state, channel,
                date_received, mediator_id, subject_id, refusal_ground_id,
                outcome_id, outcome_kind, date_admissibility_decided,
                date_admissibility_notified, date_saisine_notified,
                date_professional_requested, professional_entry_days,
                date_outcome, date_refusal_due, date_entry_due,
                date_mediation_due, execution,
                create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH-' || g, %(company)s,
                (%(consumers)s::int[])[1 + mod(g, cardinality(%(consumers)s::int[]))],
                CASE WHEN cardinality(%(professionals)s::int[]) > 0 THEN
                    (%(professionals)s::int[])
                    [1 + mod(g * 7, cardinality(%(professionals)s::int[]))] END,
                CASE stage WHEN 'refused' THEN 'refused'
                           WHEN 'interrupted' THEN 'interrupted'
                           WHEN 'completed' THEN 'closed'
                           ELSE stage END,
                'web', received,
                (%(mediators)s::int[])[1 + mod(g, cardinality(%(mediators)s::int[]))],
                (%(subjects)s::int[])[1 + mod(g, array_length(%(subjects)s::int[], 1))],
                CASE WHEN path = 'refused' THEN (%(grounds)s::int[])
                    [1 + (r2 * (array_length(%(grounds)s::int[], 1) - 1))::int]
                END,
                outcome,
                CASE path WHEN 'refused' THEN 'refused'
                          WHEN 'interrupted' THEN 'interrupted'
                          WHEN 'completed' THEN 'completed' END,
                CASE WHEN path = 'refused' THEN received + (r2 * 25)::int
                     WHEN stage NOT IN ('received', 'review') THEN saisine END,
                CASE WHEN path = 'refused' THEN received + (r2 * 25)::int
                     WHEN stage NOT IN ('received', 'review') THEN saisine END,
                CASE WHEN path <> 'refused'
                      AND stage NOT IN ('received', 'review') THEN saisine END,
                CASE WHEN stage = 'waiting' THEN saisine END,
                21,
                CASE WHEN path = 'refused' THEN received + (r2 * 25)::int
                     ELSE ended END,
                received + 21,
                CASE WHEN stage = 'waiting' THEN saisine + 21 END,
                CASE WHEN path <> 'refused'
                      AND stage NOT IN ('received', 'review')
                     THEN saisine + CASE WHEN r3 > 0.85 THEN 150 ELSE 90 END
                END,
                CASE WHEN outcome = ANY(%(solution)s::int[])
                     THEN (ARRAY['done', 'done', 'not_done', 'unknown'])
                          [1 + (r2 * 3)::int] END,
                %(uid)s, %(uid)s, now(), now()
            FROM picked
            """,
            start=start,
            days=days,
            count=count,
            first=first,
            today=today,
            open_since=today - timedelta(days=OPEN_DAYS),
            refused=ref("consumer_mediation.outcome_refused").id,
            interruptions=interruptions,
            completions=completions,
            company=env.company.id,
            consumers=list(consumers),
            professionals=list(professionals),
            mediators=list(mediators),
            subjects=ids(env, "mediation.case.subject"),
            grounds=ids(env, "mediation.refusal.ground"),
            solution=solution,
            uid=SUPERUSER_ID,
        )
    )
    env.cr.execute("ANALYZE mediation_case")


def year_bounds(year):
    return date(year, 1, 1), date(year, 12, 31)
