# A command-line script: it prints its results and commits its setup data.
# pylint: disable=print-used,invalid-commit
"""Membership invoicing benchmark (not a test).

Creates N active memberships due on the same day in an existing database
with consumer_mediation installed, commits them, then, each in a fresh
process rolled back afterwards and the database vacuumed, so both see the same
data on the same tables:

- OCA contract's scheduled action, ``cron_recurring_create_invoice``
  (one ``account.move.create()`` for all, one transaction);
- the addon's batched run, ``mediation.invoicing._run`` (one savepoint
  and one ``create()`` per batch of 200, contract by contract when a batch
  fails, progress and cache emptied after each batch).

Prints milliseconds per invoice for both, their ratio, and the peak RSS of
each process.

    .venv/bin/python bench/bench_invoicing.py -c var/odoo-test.conf -d cm_bench \\
        1000 10000
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from unittest.mock import patch

DUE = date(2026, 1, 1)


def _env(conf, db):
    import odoo
    from odoo import api

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    return cr, api.Environment(cr, odoo.SUPERUSER_ID, {})


def setup(conf, db, count, tag):
    cr, env = _env(conf, db)
    Contract = env["contract.contract"]
    partners = env["res.partner"].create(
        [
            {"name": f"Bench {tag} {i}", "is_company": True, "mediation_headcount": 5}
            for i in range(count)
        ]
    )
    vals_list = []
    for partner in partners:
        vals = env["mediation.demo"]._contract_vals(partner, "individual", DUE)
        vals["name"] = f"Bench {tag} {partner.id}"
        vals_list.append(vals)
    contracts = Contract.create(vals_list)
    assert all(c.recurring_next_date == DUE for c in contracts)
    cr.commit()
    cr.close()
    vacuum(db)
    return contracts.ids


def vacuum(db):
    """Clean the rows a rolled-back run left and refresh the statistics, so
    that the next engine runs on the same tables as the first."""
    import odoo

    cnx = odoo.sql_db.db_connect(db).cursor()
    try:
        cnx._cnx.autocommit = True
        cnx.execute("VACUUM ANALYZE")
    finally:
        cnx.close()


def measure(conf, db, engine, ids):
    cr, env = _env(conf, db)
    Contract = type(env["contract.contract"])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if engine == "oca":
        # Only the bench contracts (the addon keeps its contracts out of
        # OCA's run).
        with patch.object(
            Contract,
            "_get_contracts_to_invoice_domain",
            lambda self, date_ref=None: [
                ("recurring_next_date", "<=", date_ref),
                ("id", "in", ids),
            ],
        ):
            env["contract.contract"].cron_recurring_create_invoice(DUE)
    else:
        Invoicing = type(env["mediation.invoicing"])
        due_contracts = Invoicing._due_contracts
        # Only the bench contracts: an earlier step's are still due.
        with patch.object(
            Invoicing,
            "_due_contracts",
            lambda self, date_ref, skip_failed_on=None: due_contracts(
                self, date_ref, skip_failed_on
            ).filtered_domain([("id", "in", ids)]),
        ):
            env["mediation.invoicing"]._run(DUE, batch_size=200)
    env.flush_all()
    elapsed = time.perf_counter() - start
    invoices = env["account.move"].search_count(
        [("invoice_line_ids.contract_line_id.contract_id", "in", ids)]
    )
    cr.rollback()
    cr.close()
    vacuum(db)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "engine": engine,
        "invoices": invoices,
        "ms_per_invoice": 1000 * elapsed / max(invoices, 1),
        "peak_rss_mb": peak / 1024,
        "rss_before_mb": rss_before / 1024,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--conf", required=True)
    parser.add_argument("-d", "--db", required=True)
    parser.add_argument("--child", choices=["setup", "oca", "mediation"])
    parser.add_argument("--ids-file")
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 10000])
    args = parser.parse_args()
    if args.child == "setup":
        ids = setup(args.conf, args.db, args.counts[0], f"{args.counts[0]}")
        with open(args.ids_file, "w") as f:
            json.dump(ids, f)
        return
    if args.child:
        with open(args.ids_file) as f:
            ids = json.load(f)
        print(json.dumps(measure(args.conf, args.db, args.child, ids)))
        return
    for count in args.counts:
        ids_file = f"/tmp/bench_invoicing_{count}.json"
        base = [sys.executable, __file__, "-c", args.conf, "-d", args.db]
        subprocess.run(
            [*base, "--child", "setup", "--ids-file", ids_file, str(count)], check=True
        )
        results = {}
        for engine in ("oca", "mediation"):
            out = (
                subprocess.run(
                    [*base, "--child", engine, "--ids-file", ids_file],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            results[engine] = json.loads(out)
        oca, med = results["oca"], results["mediation"]
        print(
            f"{count} contracts: OCA {oca['ms_per_invoice']:.1f} ms/invoice "
            f"({oca['invoices']} invoices, peak RSS {oca['peak_rss_mb']:.0f} MB); "
            f"addon {med['ms_per_invoice']:.1f} ms/invoice "
            f"({med['invoices']} invoices, peak RSS {med['peak_rss_mb']:.0f} MB); "
            f"ratio addon/OCA {med['ms_per_invoice'] / oca['ms_per_invoice']:.2f}"
        )


if __name__ == "__main__":
    main()
