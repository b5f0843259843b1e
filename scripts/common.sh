# Shared by run.sh and test.sh: writes an Odoo configuration file.
#   write_conf FILE PORT
PYTHON=${PYTHON:-python3}
VAR="$PWD/var"
ODOO=("$PYTHON" -m odoo)

write_conf() {
    sed -e "s|@ADDONS_PATH@|$(cat "$VAR/addons_path")|" -e "s|@VAR@|$VAR|" \
        -e "s|@PORT@|$2|" -e "s|@GEVENT_PORT@|$(($2 + 3))|" \
        scripts/odoo.conf.in >"$1"
}

module_hash() {
    find consumer_mediation -type f ! -path '*/__pycache__/*' -print0 | sort -z \
        | xargs -0 sha1sum | sha1sum | cut -c1-16
}
