# Consumer mediation on Odoo 18.0. Everything is installed into the project's
# .venv (PYTHON=... uses another interpreter); Odoo 18.0 is taken from ODOO_SRC,
# else from that interpreter, else cloned from ODOO_REPO at ODOO_REF into var/odoo.
export PYTHON ODOO_SRC ODOO_REPO ODOO_REF DB TEST_DB

.PHONY: run test lint setup docker-addons bench rehearsal
run:  ## serve Odoo with the addon and demo data on http://localhost:8069
	@scripts/run.sh

test:  ## static checks, Odoo's test runner (tours included), pytest-odoo scenarios
	@scripts/test.sh

lint:  ## static checks only
	@scripts/setup.sh && scripts/lint.sh

setup:  ## install what is missing and start PostgreSQL
	@scripts/setup.sh --browser

docker-addons:  ## unpack the pinned OCA addons for docker-compose.yml
	@scripts/oca_addons.sh

bench:  ## fill the database mediation_bench (10,000 members, 300,000 cases), then measure
	@scripts/bench.sh

rehearsal:  ## production shape on this machine: 2 servers, nginx, SMTP, load, faults, backup, upgrade (< 30 min)
	@scripts/rehearsal.sh
