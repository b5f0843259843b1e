#!/usr/bin/env bash
# Unpacks the OCA addons pinned in requirements.txt into var/oca-addons, for
# the Docker setup (the official image cannot pip-install them at start).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
dest=var/oca-addons
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
grep -E '^odoo-addon-' requirements.txt | sed 's/[[:space:]]*#.*//' >"$wheels/oca.txt"
"$PYTHON" -m pip download -q --no-deps -d "$wheels" -r "$wheels/oca.txt"
rm -rf "$dest" && mkdir -p "$dest"
for wheel in "$wheels"/*.whl; do
    "$PYTHON" - "$wheel" "$dest" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive:
    for name in archive.namelist():
        if name.startswith("odoo/addons/"):
            archive.extract(name, dest + "/_unpack")
PY
done
mv "$dest"/_unpack/odoo/addons/* "$dest"/ && rm -rf "$dest/_unpack"
ls "$dest"
