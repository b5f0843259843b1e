#!/usr/bin/env bash
# Static checks, fast, before any database work: ruff and OCA's mandatory set.
set -uo pipefail
cd "$(dirname "$0")/.."
# The checkers are those installed beside the project's interpreter (.venv).
source scripts/common.sh
addons=(consumer_mediation consumer_mediation_mass_mailing consumer_mediation_fec)
py_dirs=("${addons[@]}" tests)
[ -n "$(find bench -name '*.py' 2>/dev/null)" ] && py_dirs+=(bench)
status=0
ruff check . && ruff format --check . || { echo "ruff FAILED"; status=1; }
pylint --rcfile=.pylintrc-mandatory "${py_dirs[@]}" || { echo "pylint-odoo FAILED"; status=1; }
oca-checks-odoo-module --no-verbose "${addons[@]}" || { echo "oca-checks-odoo-module FAILED"; status=1; }
po_files=(consumer_mediation*/i18n/*.po*)
if [ -e "${po_files[0]}" ]; then
    oca-checks-po --no-verbose "${po_files[@]}" || { echo "oca-checks-po FAILED"; status=1; }
fi
exit $status
