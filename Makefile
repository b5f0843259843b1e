# Consumer mediation on Odoo 18.0. Needs Odoo 18.0 importable by $(PYTHON),
# or its source tree in ODOO_SRC.
PYTHON ?= python3
export PYTHON ODOO_SRC DB TEST_DB

.PHONY: run test lint setup docker-addons bench
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
