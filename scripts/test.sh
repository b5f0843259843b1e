#!/usr/bin/env bash
# make test: static checks, then Odoo's runner on a fresh database, then the
# pytest-odoo scenarios on that database. One summary line per runner.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser || exit $?
source scripts/common.sh
DB=${TEST_DB:-mediation_test}
PORT=${TEST_PORT:-8169}
conf="$VAR/odoo-test.conf"
write_conf "$conf" "$PORT"
summary=()
fail() { summary+=("$1"); printf '%s\n' "${summary[@]}"; exit 1; }

echo "==> static checks"
scripts/lint.sh || fail "static: FAILED"
summary+=("static: ruff, pylint-odoo, oca-checks-odoo-module, oca-checks-po passed")

# l10n_fr_account: the French chart the accounting tests load on their own
# company (the main company keeps the generic chart: the addon works on both).
echo "==> Odoo test runner on a fresh database $DB (log: var/test-odoo.log)"
dropdb --if-exists "$DB"
rm -rf "$VAR/data/filestore/$DB"
"${ODOO[@]}" -c "$conf" -d "$DB" -i consumer_mediation,consumer_mediation_mass_mailing,l10n_fr_account --without-demo=all --load-language=en_US,fr_FR \
    --test-enable --test-tags /consumer_mediation,/consumer_mediation_mass_mailing --stop-after-init \
    --log-level=test >"$VAR/test-odoo.log" 2>&1
grep -E '(ERROR|CRITICAL|FAIL|Traceback)' -A25 "$VAR/test-odoo.log" | head -400
odoo_line=$("$PYTHON" scripts/check_odoo_log.py "$VAR/test-odoo.log") || fail "$odoo_line"
summary+=("$odoo_line")

echo "==> pytest-odoo scenarios in tests/ on $DB"
"$PYTHON" -m pytest tests -p no:cacheprovider -rs --odoo-config="$conf" \
    --odoo-database="$DB" --odoo-http 2>&1 | tee "$VAR/test-pytest.log"
rc=${PIPESTATUS[0]}
counts=$("$PYTHON" - "$VAR/test-pytest.log" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read().splitlines()
last = next((line for line in reversed(text) if re.search(r"\d+ (passed|failed|error)", line)), "")
get = lambda word: sum(int(n) for n in re.findall(r"(\d+) " + word, last))
print(get("passed"), get("failed") + get("error"), get("skipped"))
PY
)
read -r passed failed skipped <<<"$counts"
pytest_line="pytest: $passed passed, $failed failed, $skipped skipped"
if [ "$rc" != 0 ] || [ "$passed" = 0 ] || [ "$skipped" != 0 ]; then
    fail "$pytest_line (pytest exit $rc; skipped or zero tests count as failure)"
fi
summary+=("$pytest_line")

echo "==> summary"
printf '%s\n' "${summary[@]}"
