# Shared by the make targets: where things live, and the Odoo configuration.
# PYTHON is the project's virtual environment unless the caller forces one.
VAR="$PWD/var"
VENV="$PWD/.venv"
PYTHON=${PYTHON:-$VENV/bin/python}
# The tools installed beside the interpreter (ruff, pylint, pytest) come first.
PATH="$(dirname "$PYTHON"):$PATH"
export PYTHON PATH
ODOO=("$PYTHON" -m odoo)

#   write_conf FILE PORT
write_conf() {
    sed -e "s|@ADDONS_PATH@|$(cat "$VAR/addons_path")|" -e "s|@VAR@|$VAR|" \
        -e "s|@PORT@|$2|" -e "s|@GEVENT_PORT@|$(($2 + 3))|" \
        scripts/odoo.conf.in >"$1"
}

module_hash() {
    find consumer_mediation -type f ! -path '*/__pycache__/*' -print0 | sort -z \
        | xargs -0 sha1sum | sha1sum | cut -c1-16
}
