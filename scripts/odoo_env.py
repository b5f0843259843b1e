"""Locate Odoo 18.0 for the Makefile without ever showing a traceback.

Prints the addons path Odoo needs (its own addons, then this repository).
Exit code 3 with a message when Odoo 18.0 cannot be imported.
"""

import os
import sys

HELP = """\
Odoo 18.0 Community cannot be found by {python}.
Provide it in one of these ways, then run the command again:
  * a reachable copy of the official repository (a clone, a mirror URL), and a
    branch or commit, which make fetches into var/odoo and installs:
      make ODOO_REPO=/path/to/odoo.git ODOO_REF=18.0 run
  * an Odoo 18.0 source tree, which make installs into this Python:
      make ODOO_SRC=~/odoo18 run
  * an interpreter where Odoo 18.0 is installed:  make PYTHON=/path/to/python run
  * or the official image:  docker compose up  (see README.md)
{detail}\n"""


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        import odoo.release
    except ImportError as exc:
        sys.stderr.write(HELP.format(python=sys.executable, detail=f"({exc})"))
        return 3
    if odoo.release.version_info[:2] != (18, 0):
        sys.stderr.write(
            HELP.format(
                python=sys.executable,
                detail=f"(found Odoo {odoo.release.version} in "
                f"{os.path.dirname(odoo.__file__)}, this addon needs 18.0)",
            )
        )
        return 3
    odoo_dir = os.path.dirname(os.path.abspath(odoo.__file__))
    paths = [
        path
        for path in (
            os.path.join(os.path.dirname(odoo_dir), "addons"),
            os.path.join(odoo_dir, "addons"),
        )
        if os.path.isdir(path)
    ]
    print(",".join([*paths, repo]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
