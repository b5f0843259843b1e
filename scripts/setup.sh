#!/usr/bin/env bash
# Installs what `make run` / `make test` need and is missing, then starts
# PostgreSQL. Idempotent: a second call only checks.
#   scripts/setup.sh [--browser | --pdf]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${PYTHON:-}" ] && PYTHON_FORCED=1
source scripts/common.sh
mkdir -p "$VAR"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
    say "installing system packages: $*"
    if [ ! -f "$VAR/.apt-updated" ]; then
        as_root apt-get update -qq && touch "$VAR/.apt-updated"
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
# Old sdists among Odoo's pins still import pkg_resources in setup.py.
export PIP_CONSTRAINT="$PWD/scripts/build-constraints.txt"
pip_install() { "$PYTHON" -m pip install -q --disable-pip-version-check "$@"; }
took() { echo "    ($(($(date +%s) - $1)) s)"; }

# --- The interpreter: the project's .venv unless PYTHON is given -------------
if [ -z "${PYTHON_FORCED:-}" ] && [ ! -x "$VENV/bin/python" ]; then
    base=""
    for candidate in ${BASE_PYTHON:-python3.12 python3.11 python3.10 python3}; do
        if command -v "$candidate" >/dev/null \
            && "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null; then
            base=$("$candidate" -c 'import sys; print(sys.executable)') && break
        fi
    done
    if [ -z "$base" ]; then
        echo "Odoo 18.0 runs on Python 3.10 to 3.12; none was found. Install one, or give PYTHON=..." >&2
        exit 3
    fi
    say "creating the project's virtual environment .venv on $base ($("$base" --version))"
    say "first run: Odoo 18.0 (fetched when missing, 1.1 GB), its requirements, the OCA addons and the test tools are installed there (1 min from local mirrors, a few more over the internet); later runs reuse them"
    # A half-made .venv (no pip) is removed, or the next run would take it as ready.
    make_venv() { "$base" -m venv "$VENV" && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; }
    if ! make_venv; then
        rm -rf "$VENV"
        # Debian and Ubuntu ship venv's pip (ensurepip) in a package of its own.
        if command -v apt-get >/dev/null; then
            apt_install "python$("$base" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
        fi
        make_venv || { rm -rf "$VENV"; echo "Could not create .venv with $base -m venv." >&2; exit 3; }
    fi
fi

# --- Odoo 18.0 -------------------------------------------------------------
# ODOO_SRC names a tree to use; otherwise an importable Odoo 18.0 is used, and
# failing that the official 18.0 branch (ODOO_REPO, ODOO_REF) is cloned into var/.
ODOO_REPO=${ODOO_REPO:-https://github.com/odoo/odoo.git}
ODOO_REF=${ODOO_REF:-18.0}
odoo_importable() { "$PYTHON" -c 'import odoo.release as r, sys; sys.exit(r.version_info[:2] != (18, 0))' 2>/dev/null; }
if [ -z "${ODOO_SRC:-}" ] && ! odoo_importable; then
    ODOO_SRC="$VAR/odoo"
    if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        say "fetching Odoo $ODOO_REF from $ODOO_REPO into var/odoo (shallow, about 1 GB, a few minutes)"
        t0=$(date +%s)
        rm -rf "$ODOO_SRC.part" && git init -q "$ODOO_SRC.part"
        if ! git -C "$ODOO_SRC.part" fetch -q --depth 1 "$ODOO_REPO" "$ODOO_REF"; then
            rm -rf "$ODOO_SRC.part"
            echo "Could not fetch Odoo $ODOO_REF from $ODOO_REPO (no network, or no such repository or ref?)." >&2
            "$PYTHON" scripts/odoo_env.py >/dev/null || true
            exit 3
        fi
        git -C "$ODOO_SRC.part" -c advice.detachedHead=false checkout -q FETCH_HEAD
        mv "$ODOO_SRC.part" "$ODOO_SRC"
        took "$t0"
    fi
fi
if [ -n "${ODOO_SRC:-}" ]; then
    if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        echo "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo/release.py)." >&2
        exit 3
    fi
    src=$(cd "$ODOO_SRC" && pwd)
    found=$("$PYTHON" -c 'import odoo,os;print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))' 2>/dev/null || true)
    if [ "$found" != "$src" ]; then
        say "installing Odoo from $src and its requirements into $PYTHON"
        t0=$(date +%s)
        command -v pg_config >/dev/null || apt_install libpq-dev
        # python-ldap needs OpenLDAP headers and is only used by auth_ldap.
        grep -v -e '^python-ldap' "$src/requirements.txt" >"$VAR/odoo-requirements.txt"
        pip_install -r "$VAR/odoo-requirements.txt"
        pip_install --no-deps -e "$src" --config-settings editable_mode=compat
        took "$t0"
    fi
fi
"$PYTHON" scripts/odoo_env.py >"$VAR/addons_path" || exit 3

# --- Python requirements ---------------------------------------------------
req_hash=$( (cat requirements.txt; realpath "$PYTHON"; stat -c %Z "$PYTHON") | sha1sum | cut -c1-12)
if [ ! -f "$VAR/.requirements-$req_hash" ]; then
    say "installing Python requirements"
    pip_install -r requirements.txt
    rm -f "$VAR"/.requirements-* && touch "$VAR/.requirements-$req_hash"
fi

# --- PostgreSQL ------------------------------------------------------------
if ! command -v pg_isready >/dev/null && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    apt_install postgresql
fi
if ! pg_isready -q 2>/dev/null; then
    say "starting PostgreSQL"
    if command -v pg_ctlcluster >/dev/null; then
        for cluster in $(pg_lsclusters -h | awk '{print $1 "/" $2}'); do
            as_root pg_ctlcluster "${cluster%/*}" "${cluster#*/}" start || true
        done
    else
        as_root service postgresql start
    fi
    for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || { echo "PostgreSQL did not start." >&2; exit 4; }
fi
me=$(id -un)
if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    say "creating PostgreSQL role $me"
    as_root su postgres -c "createuser --superuser '$me'"
fi

# --- PDF engine and fonts for the letters and notices (make run, make test) ---
# Letters print in DejaVu, which embeds (the text stays readable and copyable).
if [ -n "${1:-}" ]; then
    if ! command -v wkhtmltopdf >/dev/null; then
        apt_install wkhtmltopdf
    fi
    if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
        apt_install fonts-dejavu-core
    fi
fi

# --- Browser for the tours, PDF text for the letter tests (make test) --------
if [ "${1:-}" = "--browser" ]; then
    if ! command -v chromium >/dev/null && ! command -v google-chrome >/dev/null \
        && ! command -v chromium-browser >/dev/null; then
        apt_install chromium
    fi
    if ! command -v pdftotext >/dev/null; then
        apt_install poppler-utils
    fi
    # axe-core, run in the browser by the accessibility test (npm registry).
    AXE_CORE_VERSION=4.10.2
    if [ "$(cat "$VAR/axe/node_modules/axe-core/package.json" 2>/dev/null \
        | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["version"])' 2>/dev/null)" != "$AXE_CORE_VERSION" ]; then
        command -v npm >/dev/null || apt_install npm
        say "installing axe-core $AXE_CORE_VERSION into var/axe"
        npm install --no-save --no-audit --no-fund --prefix "$VAR/axe" "axe-core@$AXE_CORE_VERSION" >/dev/null
    fi
fi
exit 0
