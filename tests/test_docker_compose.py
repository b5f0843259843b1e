"""docker-compose.yml and docker-compose.prod.yml, checked without a Docker engine:
parsed as Docker Compose reads them, then held to what the README promises (images,
ports, mounts, secrets from the environment) and to the files they name. No database
needed."""

import configparser
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from odoo.tools import config as odoo_config

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("consumer_mediation", "consumer_mediation_mass_mailing")
# Mounted but not in git: unpacked by `make docker-addons`, or the operator's own.
NOT_IN_GIT = {"./var/oca-addons", "./deploy/certs"}
SECRETS = {"ODOO_DB_PASSWORD": "db-secret", "ODOO_ADMIN_PASSWD": "master-secret"}
# $$ is a literal $; ${NAME}, ${NAME:-default}, ${NAME:?error}, $NAME.
VARIABLE = re.compile(r"\$(?:(\$)|\{(\w+)(?:(:?[-?])([^}]*))?\}|(\w+))")


def _interpolate(value, env, required):
    if isinstance(value, dict):
        return {key: _interpolate(item, env, required) for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolate(item, env, required) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match):
        dollar, name, operator, argument, bare = match.groups()
        if dollar:
            return "$"
        name = name or bare
        if operator and operator.endswith("?"):
            required.add(name)
            if not env.get(name):
                raise ValueError(f"{name} unset: {argument}")
        if env.get(name):
            return env[name]
        return argument if operator and operator.endswith("-") else ""

    return VARIABLE.sub(substitute, value)


def _compose(name, env=None):
    """(the file as Compose runs it with env, the variables it requires)."""
    required = set()
    data = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    return _interpolate(data, env or {}, required), required


def _binds(service):
    """{target in the container: source in the repository} of its bind mounts."""
    volumes = (volume.split(":") for volume in service.get("volumes", []))
    return {target: source for source, target, *_mode in volumes if source[0] in "./"}


def _odoo_conf(path):
    parser = configparser.RawConfigParser()
    assert parser.read(path), f"{path} cannot be read"
    return dict(parser["options"])


def _check_mounts(compose):
    """Every bind mount's source exists (or is made elsewhere), every named volume
    is declared."""
    for name, service in compose["services"].items():
        for source in _binds(service).values():
            assert source in NOT_IN_GIT or (ROOT / source).exists(), (
                f"{name} mounts {source}, which does not exist"
            )
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source[0] not in "./":
                assert source in compose["volumes"], f"volume {source} not declared"


def _check_odoo_conf(options, service):
    """The configuration is Odoo's, and its addons path is what is mounted."""
    unknown = set(options) - set(odoo_config.options)
    assert not unknown, f"not Odoo options: {sorted(unknown)}"
    binds = _binds(service)
    addons_path = options["addons_path"].split(",")
    for addon in ADDONS:
        mounted = [target for target, source in binds.items() if source == f"./{addon}"]
        assert all(target.rsplit("/", 1)[0] in addons_path for target in mounted)
    assert any(binds.get(path) == "./var/oca-addons" for path in addons_path)
    assert options["data_dir"] in {
        volume.split(":")[1] for volume in service["volumes"]
    }, "data_dir (filestore, sessions) is not on a volume"


def test_make_docker_addons_fills_the_mounted_oca_addons():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = r"^docker-addons:.*\n\t@scripts/oca_addons\.sh$"
    assert re.search(target, makefile, re.MULTILINE)
    script = (ROOT / "scripts/oca_addons.sh").read_text(encoding="utf-8")
    assert re.search(r"^dest=var/oca-addons$", script, re.MULTILINE)


def test_development_compose():
    compose, required = _compose("docker-compose.yml")
    assert not required
    db, odoo = compose["services"]["db"], compose["services"]["odoo"]
    assert db["image"] == "postgres:16"
    assert odoo["image"] == "odoo:18.0"
    assert odoo["ports"] == ["8069:8069"]
    assert "ports" not in db
    assert odoo["depends_on"] == ["db"]
    env = odoo["environment"]
    assert (env["HOST"], env["USER"], env["PASSWORD"]) == (
        "db",
        db["environment"]["POSTGRES_USER"],
        db["environment"]["POSTGRES_PASSWORD"],
    )
    # The image reads /etc/odoo/odoo.conf; `docker compose run odoo -- ...`
    # replaces the command, so the addons path cannot be an option there.
    assert "command" not in odoo and "entrypoint" not in odoo
    conf = _binds(odoo)["/etc/odoo/odoo.conf"]
    _check_odoo_conf(_odoo_conf(ROOT / conf), odoo)
    assert {f"./{addon}" for addon in ADDONS} <= set(_binds(odoo).values())
    _check_mounts(compose)


def test_production_compose_needs_its_secrets():
    with pytest.raises(ValueError, match="ODOO_DB_PASSWORD"):
        _compose("docker-compose.prod.yml", {"ODOO_ADMIN_PASSWD": "x"})
    with pytest.raises(ValueError, match="ODOO_ADMIN_PASSWD"):
        _compose("docker-compose.prod.yml", {"ODOO_DB_PASSWORD": "x"})
    _data, required = _compose("docker-compose.prod.yml", SECRETS)
    assert required == set(SECRETS)


def test_production_compose():
    compose, _required = _compose("docker-compose.prod.yml", SECRETS)
    services = compose["services"]
    db, odoo, nginx = services["db"], services["odoo"], services["nginx"]
    assert db["image"] == "postgres:16"
    assert odoo["image"] == "odoo:18.0"
    assert re.fullmatch(r"nginx:[\d.]+", nginx["image"])
    # Only nginx is reachable from outside.
    assert nginx["ports"] == ["80:80", "443:443"]
    assert "ports" not in db and "ports" not in odoo
    assert all(service["restart"] == "unless-stopped" for service in services.values())
    # PostgreSQL runs on deploy/postgresql.conf.
    config_file = next(arg for arg in db["command"] if arg.startswith("config_file="))
    assert _binds(db)[config_file.split("=", 1)[1]] == "./deploy/postgresql.conf"
    assert db["environment"]["POSTGRES_PASSWORD"] == SECRETS["ODOO_DB_PASSWORD"]
    assert odoo["environment"]["PASSWORD"] == SECRETS["ODOO_DB_PASSWORD"]
    assert odoo["environment"]["HOST"] == "db"
    assert odoo["environment"]["USER"] == db["environment"]["POSTGRES_USER"]
    _check_mounts(compose)


def test_production_odoo_starts_on_deploy_odoo_conf_with_the_master_password(
    tmp_path,
):
    """The odoo service's entrypoint is run here with bash, on the files it would
    see in the container, the image's /entrypoint.sh replaced by a stub."""
    compose, _required = _compose("docker-compose.prod.yml", SECRETS)
    odoo = compose["services"]["odoo"]
    shell, flag, script, name = odoo["entrypoint"]
    assert (shell, flag) == ("/bin/bash", "-c")
    for target, source in _binds(odoo).items():
        script = script.replace(target, str(ROOT / source))
    stub = tmp_path / "entrypoint.sh"
    stub.write_text('#!/bin/sh\nprintf "%s\\n" "$@" >"$ARGS"\n')
    stub.chmod(0o755)
    script = script.replace("/entrypoint.sh", str(stub))
    env = {
        **odoo["environment"],
        "ODOO_RC": str(tmp_path / "odoo.conf"),
        "ARGS": str(tmp_path / "args"),
        "PATH": os.environ["PATH"],
    }
    subprocess.run(["bash", "-c", script, name, *odoo["command"]], env=env, check=True)
    assert (tmp_path / "args").read_text().split() == odoo["command"]
    options = _odoo_conf(tmp_path / "odoo.conf")
    assert options.pop("admin_passwd") == SECRETS["ODOO_ADMIN_PASSWD"]
    assert options == _odoo_conf(ROOT / "deploy/odoo.conf")
    # The command line may carry only options Odoo knows.
    unknown = [
        arg
        for arg in odoo["command"]
        if arg.startswith("-") and not odoo_config.parser.has_option(arg.split("=")[0])
    ]
    assert not unknown, f"not Odoo options: {unknown}"
    # What README "Production" promises of deploy/odoo.conf.
    assert int(options["workers"]) > 0
    assert (options["proxy_mode"], options["list_db"]) == ("True", "False")
    assert "admin_passwd" not in _odoo_conf(ROOT / "deploy/odoo.conf")
    _check_odoo_conf(options, odoo)
    # nginx sends HTTP to Odoo's port and /websocket to its gevent port.
    nginx = compose["services"]["nginx"]
    conf = (ROOT / _binds(nginx)["/etc/nginx/conf.d/default.conf"]).read_text()
    upstreams = dict(re.findall(r"upstream (\w+) \{\s*server ([\w:.]+);", conf))
    assert upstreams["odoo"] == f"odoo:{options['http_port']}"
    assert upstreams["odoo_websocket"] == f"odoo:{options['gevent_port']}"
    websocket = r"location /websocket \{\s*proxy_pass http://odoo_websocket;"
    assert re.search(websocket, conf)
    assert {options["http_port"], options["gevent_port"]} == set(odoo["expose"])
    certs = re.findall(r"ssl_certificate(?:_key)? (\S+);", conf)
    assert certs and all(path.rsplit("/", 1)[0] in _binds(nginx) for path in certs), (
        "TLS certificates outside the mounted certs folder"
    )
