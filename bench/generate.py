"""Fill a dedicated database with a large mediator's volume.

    .venv/bin/python bench/generate.py -c var/odoo-bench.conf [-d mediation_bench] \\
        [--members 10000] [--cases 300000]

Drops and recreates the database, installs consumer_mediation without demo
data, then creates the member companies with their federations and
contracts through the demo generator (mediation.demo), and inserts the
cases over the last three years in bulk SQL batches (bench/common.py), with
two consumers holding a portal account: one with 1 case, one with 100.
Prints the time of each step. The data is committed: bench/run.py reads it.
"""

# A standalone loader, not addon code: it commits each batch on purpose.
# pylint: disable=invalid-commit

import argparse
import subprocess
import sys
import time
from datetime import date, timedelta

from common import (
    create_mediators,
    environment,
    insert_cases,
    insert_consumers,
    out,
    registry,
)

BATCH = 50_000
MEMBERS_CHUNK = 500
MEDIATORS = 20
CASES_PER_CONSUMER = 3
PORTAL_PARTIES = {"bench.party1": 1, "bench.party100": 100}


def create_database(config, database):
    subprocess.run(["dropdb", "--if-exists", database], check=True)
    subprocess.run(
        [sys.executable, "-m", "odoo", "-c", config, "-d", database]
        + ["-i", "consumer_mediation", "--without-demo=all", "--stop-after-init"]
        + ["--log-level=warn"],
        check=True,
    )


def portal_parties(env, start, days, mediators, professionals, first):
    """The portal consumers of bench/run.py, each with their cases."""
    portal = env.ref("base.group_portal")
    for login, count in PORTAL_PARTIES.items():
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create({"name": login, "login": login, "groups_id": [(6, 0, portal.ids)]})
        )
        insert_cases(
            env,
            count,
            start,
            days,
            mediators,
            user.partner_id.ids,
            professionals,
            first=first,
        )
        first += count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", default="mediation_bench")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=300_000)
    args = parser.parse_args()
    begin = started = time.perf_counter()

    def step(label):
        nonlocal started
        now = time.perf_counter()
        out(f"{label:<45} {now - started:7.1f} s")
        started = now

    create_database(args.config, args.database)
    step(f"database {args.database} created, addon installed")
    with registry(args.config, args.database).cursor() as cr:
        env = environment(cr)
        # In chunks: OCA contract fails computing the next invoice dates of
        # thousands of new contracts created at once.
        members = env["res.partner"]
        for seed in range(0, args.members, MEMBERS_CHUNK):
            count = min(MEMBERS_CHUNK, args.members - seed)
            members |= env["mediation.demo"]._generate(count=count, seed=seed)
            env.flush_all()
            cr.commit()
        federations = env["res.partner"].search_count(
            [("mediation_is_federation", "=", True)]
        )
        contracts = env["contract.contract"].search_count([])
        step(
            f"{len(members)} members, {federations} federations, {contracts} contracts"
        )
        mediators = create_mediators(env, MEDIATORS).ids
        consumers = insert_consumers(env, max(1, args.cases // CASES_PER_CONSUMER))
        cr.commit()
        step(f"{MEDIATORS} mediators, {len(consumers)} consumers")
        today = date.today()
        days = 3 * 365
        start = today - timedelta(days=days)
        for first in range(1, args.cases + 1, BATCH):
            count = min(BATCH, args.cases - first + 1)
            insert_cases(
                env, count, start, days, mediators, consumers, members.ids, today, first
            )
            cr.commit()
            step(f"cases {first} to {first + count - 1}")
        portal_parties(env, start, days, mediators, members.ids, args.cases + 1)
        cr.execute("ANALYZE")
        cr.commit()
        step("portal parties with 1 and 100 cases, ANALYZE")
    out(f"{'total':<45} {time.perf_counter() - begin:7.1f} s")


if __name__ == "__main__":
    main()
