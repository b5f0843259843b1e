#!/usr/bin/env bash
# make run: install what is missing, create or upgrade the database, serve Odoo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --pdf
source scripts/common.sh
DB=${DB:-mediation}
PORT=${PORT:-8069}
conf="$VAR/odoo.conf"
write_conf "$conf" "$PORT"

state=$(psql -d "$DB" -Atc "select state from ir_module_module where name='consumer_mediation_mass_mailing'" 2>/dev/null || true)
hash=$(module_hash)
if [ "$state" != installed ]; then
    echo "==> creating database $DB with Odoo's French accounting, consumer_mediation, its mailing bridge and their demo data"
    # The French chart (PCG, French VAT, FEC) first: the demo keeps the
    # mediation body's books on it. The addon itself works on any chart.
    "${ODOO[@]}" -c "$conf" -d "$DB" -i l10n_fr_account --load-language=fr_FR \
        --stop-after-init --log-level=warn
    "${ODOO[@]}" -c "$conf" -d "$DB" -i consumer_mediation,consumer_mediation_mass_mailing \
        --stop-after-init --log-level=warn
    echo "$hash" >"$VAR/$DB.module-hash"
elif [ "$(cat "$VAR/$DB.module-hash" 2>/dev/null)" != "$hash" ]; then
    echo "==> the addon changed: upgrading consumer_mediation in $DB"
    "${ODOO[@]}" -c "$conf" -d "$DB" -u consumer_mediation --stop-after-init --log-level=warn
    echo "$hash" >"$VAR/$DB.module-hash"
fi
# The demo's public address is fictitious (docs/demo.md): the PDF engine
# fetches the report assets from this server instead.
psql -d "$DB" -qc "update ir_config_parameter set value='http://localhost:$PORT' where key='report.url'"
echo "==> serving Odoo on http://localhost:$PORT (login: admin / password: admin)"
exec "${ODOO[@]}" -c "$conf" -d "$DB" --db-filter="^$DB\$"
