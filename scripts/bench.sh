#!/usr/bin/env bash
# make bench: fill a dedicated database, then print every figure of the
# scale benchmark. BENCH_DB, BENCH_MEMBERS, BENCH_CASES, BENCH_INVOICING_COUNTS
# BENCH_SCAN_MEMBERS override the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/common.sh
DB=${BENCH_DB:-mediation_bench}
conf="$VAR/odoo-bench.conf"
write_conf "$conf" "${BENCH_PORT:-8269}"
"$PYTHON" bench/generate.py -c "$conf" -d "$DB" \
    --members "${BENCH_MEMBERS:-10000}" --cases "${BENCH_CASES:-300000}"
"$PYTHON" bench/run.py -c "$conf" -d "$DB"
# Invoicing commits its own contracts and bills every due one: its own database.
echo "== Batch invoicing vs OCA contract's scheduled action"
dropdb --if-exists "${DB}_invoicing"
"${ODOO[@]}" -c "$conf" -d "${DB}_invoicing" -i consumer_mediation --without-demo=all \
    --stop-after-init --log-level=warn
"$PYTHON" bench/bench_invoicing.py -c "$conf" -d "${DB}_invoicing" \
    ${BENCH_INVOICING_COUNTS:-1000 10000}
# The compliance scan of the members' websites against a local site
# (BENCH_SCAN_MEMBERS members of the database above).
echo "== Compliance scan of the members' websites"
"$PYTHON" bench/bench_compliance_scan.py -c "$conf" -d "$DB" \
    --members "${BENCH_SCAN_MEMBERS:-10000}"
