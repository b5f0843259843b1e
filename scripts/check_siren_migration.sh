#!/usr/bin/env bash
# Upgrade a copy of a database made with 18.0.1.1.0 (mediation_siren /
# mediation_siret) and check that every SIREN/SIRET arrived in Odoo's fields.
# usage: scripts/check_siren_migration.sh PREV_DB [CONF]
#   PREV_DB  a database where consumer_mediation 18.0.1.1.0 is installed
#            (e.g. with demo data, from commit 7920187); it is not modified.
#   CONF     the Odoo configuration whose addons_path has this worktree
#            (default var/odoo-test.conf).
set -euo pipefail
cd "$(dirname "$0")/.."
prev=$1
conf=${2:-var/odoo-test.conf}
db="${prev}_up"
PYTHON=${PYTHON:-python3}
q() { psql -d "$db" -Atqc "$1"; }

dropdb --if-exists "$db"
createdb -T "$prev" "$db"
# A member whose Odoo registry field already holds another value: the
# migration must keep it (chatter note) and not lose the mediation's SIREN.
conflict=$(q "SELECT id FROM res_partner WHERE is_company AND mediation_siren IS NOT NULL
              AND company_registry IS NULL ORDER BY id LIMIT 1")
q "UPDATE res_partner SET company_registry = 'RCS Lyon B 000' WHERE id = $conflict"
q "CREATE TABLE siren_before AS
   SELECT id, mediation_siren, mediation_siret, company_registry FROM res_partner
   WHERE mediation_siren IS NOT NULL OR mediation_siret IS NOT NULL"
q "CREATE TABLE lead_siren_before AS
   SELECT id, mediation_siren FROM crm_lead WHERE mediation_siren IS NOT NULL"

"$PYTHON" -m odoo -c "$conf" -d "$db" -u consumer_mediation --stop-after-init \
    --no-http >"var/siren-migration.log" 2>&1
grep -E "post-migrate|ERROR|CRITICAL" var/siren-migration.log || true

fail=0
check() {  # check LABEL SQL-returning-a-count-of-bad-rows
    bad=$(q "$2")
    if [ "$bad" = 0 ]; then echo "ok   $1"; else echo "FAIL $1: $bad"; fail=1; fi
}
echo "partners with numbers before: $(q 'SELECT count(*) FROM siren_before')," \
     "requests: $(q 'SELECT count(*) FROM lead_siren_before')"
check "version 18.0.1.2.0" "SELECT count(*) FROM ir_module_module
       WHERE name = 'consumer_mediation' AND latest_version != '18.0.1.2.0'"
check "every SIREN in company_registry" "SELECT count(*) FROM siren_before b
       JOIN res_partner p ON p.id = b.id WHERE b.mediation_siren IS NOT NULL
       AND p.company_registry IS DISTINCT FROM b.mediation_siren"
check "every SIRET in siret" "SELECT count(*) FROM siren_before b
       JOIN res_partner p ON p.id = b.id WHERE b.mediation_siret IS NOT NULL
       AND p.siret IS DISTINCT FROM b.mediation_siret"
check "every request's SIREN" "SELECT count(*) FROM lead_siren_before b
       JOIN crm_lead l ON l.id = b.id WHERE l.company_registry IS DISTINCT FROM b.mediation_siren"
check "replaced registry kept in the chatter" "SELECT count(*) FROM siren_before b
       WHERE b.company_registry IS NOT NULL AND b.company_registry != b.mediation_siren
       AND b.company_registry != b.mediation_siret AND NOT EXISTS (
           SELECT 1 FROM mail_message m WHERE m.model = 'res.partner'
           AND m.res_id = b.id AND m.body LIKE '%' || b.company_registry || '%')"
check "conflict row present" "SELECT 1 - count(*) FROM siren_before WHERE id = $conflict"
check "contacts carry their company's SIREN" "SELECT count(*) FROM res_partner c
       JOIN res_partner p ON p.id = c.commercial_partner_id
       WHERE c.id != p.id AND p.company_registry IS NOT NULL
       AND c.company_registry IS DISTINCT FROM p.company_registry"
# Odoo forgets the removed fields but keeps their columns: the previous
# values stay in the database as a backup until someone drops them.
echo "old columns kept as a backup: $(q "SELECT count(*) FROM information_schema.columns
       WHERE column_name IN ('mediation_siren', 'mediation_siret')")"
exit $fail
