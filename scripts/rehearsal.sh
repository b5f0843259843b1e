#!/usr/bin/env bash
# make rehearsal: the production shape on this machine (two Odoo servers in
# multi-worker mode behind nginx, PostgreSQL, an SMTP server), the previous
# release upgraded, load, faults, backup and restore, and a reconciliation
# after each. Debian and PyPI packages only, loopback only, no Docker.
# One line per stage; exit status 1 on any lost, doubled or corrupted record.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
RH="$VAR/rehearsal"
mkdir -p "$RH"
# Debian: nginx, openssl, rsync, PostgreSQL's server binaries (own cluster).
missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v openssl >/dev/null || missing+=(openssl)
command -v rsync >/dev/null || missing+=(rsync)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get install -y "${missing[@]}" >"$RH/apt.log" 2>&1 || { cat "$RH/apt.log"; exit 1; }
fi
# PyPI: Locust and aiosmtpd in an interpreter of their own, so that Locust's
# gevent never replaces the one Odoo runs with.
if [ ! -x "$RH/venv/bin/locust" ] || [ ! -x "$RH/venv/bin/py-spy" ] || ! "$RH/venv/bin/python" -c "import aiosmtpd" 2>/dev/null; then
    python3 -m venv "$RH/venv"
    "$RH/venv/bin/pip" install -q -r scripts/rehearsal-requirements.txt
fi
ADDONS_PATH=$(cat "$VAR/addons_path")
PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
export ODOO_PYTHON="$PYTHON" ADDONS_PATH PG_BIN
exec timeout 3000 "$RH/venv/bin/python" scripts/rehearsal.py
