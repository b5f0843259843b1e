"""make rehearsal: the production shape on this machine, under load and
faults, with nothing lost (docs/production.md, "Rehearsal").

Run by scripts/rehearsal.sh with the rehearsal's own interpreter (Locust,
aiosmtpd); Odoo runs with ODOO_PYTHON. Everything listens on 127.0.0.1,
ports 8300-8399 (REHEARSAL_PORT_BASE). Every wait is bounded. Prints one line
per stage with its figure; exits 1 on any lost, doubled or corrupted record.
"""

import configparser
import csv
import json
import mailbox
import os
import re
import shutil
import signal
import smtplib
import subprocess
import sys
import threading
import time
import urllib.request
import xmlrpc.client
from email.message import EmailMessage
from pathlib import Path

import psutil
import requests
import urllib3

urllib3.disable_warnings()
# nginx's certificate is self-signed, made on the fly: these would make
# requests verify it whatever a session says.
for _name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
    os.environ.pop(_name, None)
ROOT = Path(__file__).resolve().parent.parent
RH = ROOT / "var" / "rehearsal"
ODOO_PY = os.environ["ODOO_PYTHON"]
ADDONS_PATH = os.environ["ADDONS_PATH"]  # Odoo's, then this worktree
PREVIOUS = os.environ.get("REHEARSAL_PREVIOUS", "7920187")
PREFIX = os.environ.get("REHEARSAL_DB", "h25_rh")
BASE = int(os.environ.get("REHEARSAL_PORT_BASE", "8300"))
USERS = int(os.environ.get("REHEARSAL_USERS", "20"))
LOAD_TIME = int(os.environ.get("REHEARSAL_LOAD_SECONDS", "60"))
FAULT_TIME = int(os.environ.get("REHEARSAL_FAULT_SECONDS", "420"))
STAGES = os.environ.get("REHEARSAL_STAGES", "all")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PORTS = {
    "pg": BASE + 10,
    "smtp": BASE + 25,
    "https": BASE + 43,
    "http": BASE + 80,
    "odoo": [(BASE + 1, BASE + 2), (BASE + 3, BASE + 4)],
    "restore": (BASE + 5, BASE + 6),
}
PASSWORD = "rehearsal-only-password"
ALIAS_DOMAIN = "mediation.rehearsal.test"
CHAIN_KEY = "rehearsal-chain-key-not-for-production"
URL = f"https://127.0.0.1:{PORTS['https']}"
FILESTORE = RH / "data" / "filestore"
started = time.monotonic()
failures = []
processes = {}


def line(stage, figure, ok=True):
    elapsed = time.monotonic() - started
    print(
        f"[{elapsed:6.0f}s] {stage:<22} {'ok  ' if ok else 'FAIL'} {figure}", flush=True
    )
    if not ok:
        failures.append(stage)


def run(cmd, timeout, **kw):
    kw.setdefault("capture_output", True)
    result = subprocess.run(cmd, timeout=timeout, text=True, check=False, **kw)
    if result.returncode:
        sys.stderr.write(
            f"$ {' '.join(map(str, cmd))}\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}\n"
        )
    return result


def as_postgres(*cmd, timeout=120):
    return run(["runuser", "-u", "postgres", "--", *map(str, cmd)], timeout)


def wait_for(check, timeout, step=1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except Exception:  # noqa: BLE001, S110 (the thing is not up yet)
            pass
        time.sleep(step)
    return False


# ----------------------------------------------------------------------
# PostgreSQL: a cluster of our own (restarting the shared one would stop
# everybody else's work), configured by deploy/postgresql.conf.
# ----------------------------------------------------------------------
PGDATA = RH / "pg"


def pg_env():
    return {
        **os.environ,
        "PGHOST": "127.0.0.1",
        "PGPORT": str(PORTS["pg"]),
        "PGUSER": "root",
    }


def pg_start():
    if not (PGDATA / "PG_VERSION").exists():
        PGDATA.mkdir(parents=True)
        shutil.chown(PGDATA, "postgres", "postgres")
        PGDATA.chmod(0o700)
        as_postgres(
            PG_BIN / "initdb",
            "-D",
            PGDATA,
            "--auth=trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        archive = RH / "wal_archive"
        archive.mkdir(exist_ok=True)
        shutil.chown(archive, "postgres", "postgres")
        production = (ROOT / "deploy" / "postgresql.conf").read_text()
        # Paths and addresses of this machine; every sizing value as deployed.
        production = production.replace(
            "/var/lib/postgresql/data/wal_archive", str(archive)
        )
        production = re.sub(
            r"(?m)^listen_addresses.*$", "listen_addresses = '127.0.0.1'", production
        )
        with open(PGDATA / "postgresql.conf", "a") as conf:
            conf.write(
                f"\n# make rehearsal: deploy/postgresql.conf\n{production}\n"
                f"port = {PORTS['pg']}\n"
            )
            conf.write(f"unix_socket_directories = '{PGDATA}'\n")
    as_postgres(
        PG_BIN / "pg_ctl",
        "-D",
        PGDATA,
        "-l",
        PGDATA / "server.log",
        "-w",
        "-t",
        "60",
        "start",
    )
    as_postgres(
        PG_BIN / "psql",
        "-h",
        "127.0.0.1",
        "-p",
        PORTS["pg"],
        "-U",
        "postgres",
        "-qc",
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='root') "
        "THEN CREATE ROLE root SUPERUSER LOGIN; END IF; END$$",
    )


def database_exists(name):
    found = run(
        [
            "psql",
            "-Atc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
            "postgres",
        ],
        30,
        env=pg_env(),
    )
    return found.stdout.strip() == "1"


def pg_stop():
    if (PGDATA / "postmaster.pid").exists():
        as_postgres(
            PG_BIN / "pg_ctl", "-D", PGDATA, "-m", "fast", "-w", "-t", "60", "stop"
        )


# ----------------------------------------------------------------------
# Odoo: deploy/odoo.conf, with this machine's paths and ports only.
# ----------------------------------------------------------------------
def odoo_conf(name, db, http_port, gevent_port, addons_path=ADDONS_PATH, **extra):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "deploy" / "odoo.conf")
    options = parser["options"]
    options.update(
        {
            "addons_path": addons_path,
            "data_dir": str(RH / "data"),
            "db_name": db,
            "dbfilter": f"^{db}$",
            "db_host": "127.0.0.1",
            "db_port": str(PORTS["pg"]),
            "http_interface": "127.0.0.1",
            "http_port": str(http_port),
            "gevent_port": str(gevent_port),
            "smtp_server": "127.0.0.1",
            "smtp_port": str(PORTS["smtp"]),
            "email_from": f"notifications@{ALIAS_DOMAIN}",
            "mediation_chain_key": CHAIN_KEY,
            "logfile": str(RH / f"{name}.log"),
            "admin_passwd": PASSWORD,
            **extra,
        }
    )
    path = RH / f"{name}.conf"
    with open(path, "w") as handle:
        parser.write(handle)
    return path


def odoo_cmd(conf, *args, timeout=1200):
    return run([ODOO_PY, "-m", "odoo", "-c", str(conf), *args], timeout)


def odoo_tool(conf, db, *args, timeout=600):
    result = run(
        [ODOO_PY, str(ROOT / "scripts" / "rehearsal_odoo.py"), str(conf), db, *args],
        timeout,
    )
    lines = result.stdout.strip().splitlines()
    return (json.loads(lines[-1]) if lines else {}), result.returncode


def odoo_start(name, conf, http_port):
    with open(RH / f"{name}.out", "ab") as out:
        processes[name] = subprocess.Popen(
            [ODOO_PY, "-m", "odoo", "-c", str(conf)],
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    return wait_for(
        lambda: (
            urllib.request.urlopen(
                f"http://127.0.0.1:{http_port}/web/login", timeout=10
            ).status
            == 200
        ),
        180,
        2,
    )


def odoo_kill(name, sig=signal.SIGKILL):
    proc = processes.pop(name, None)
    if not proc:
        return 0
    tree = (
        [proc.pid]
        + [child.pid for child in psutil.Process(proc.pid).children(recursive=True)]
        if proc.poll() is None
        else []
    )
    for pid in tree:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    for pid in tree[1:]:
        wait_for(lambda pid=pid: not psutil.pid_exists(pid), 30)
    return len(tree)


# ----------------------------------------------------------------------
# nginx: deploy/nginx.conf, with this machine's ports, certificate, upstreams
# ----------------------------------------------------------------------
def nginx_conf(servers):
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    odoo = "".join(f"    server 127.0.0.1:{http};\n" for http, _gevent in servers)
    websocket = "".join(
        f"    server 127.0.0.1:{gevent};\n" for _http, gevent in servers
    )
    text = text.replace("    server odoo:8069;\n", odoo).replace(
        "    server odoo:8072;\n", websocket
    )
    text = text.replace("listen 80;", f"listen 127.0.0.1:{PORTS['http']};")
    version = run(["nginx", "-v"], 10).stderr
    old = tuple(map(int, re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", version).groups())) < (
        1,
        25,
        1,
    )
    # Debian 12's nginx 1.22 predates "http2 on;" (1.25.1): same meaning,
    # older spelling.
    text = text.replace(
        "listen 443 ssl;",
        f"listen 127.0.0.1:{PORTS['https']} ssl{' http2' if old else ''};",
    )
    if old:
        text = text.replace("    http2 on;\n", "")
    # Not on the default ports here: the host the browser used carries its port.
    text = text.replace(
        "https://$host$request_uri", f"https://$host:{PORTS['https']}$request_uri"
    )
    text = text.replace("X-Forwarded-Host $host;", "X-Forwarded-Host $http_host;")
    text = text.replace("/etc/nginx/certs/", f"{RH}/certs/")
    nginx_dir = RH / "nginx"
    for sub in ("client_body", "proxy"):
        (nginx_dir / sub).mkdir(parents=True, exist_ok=True)
        # Debian's nginx workers run as www-data: uploads are buffered here.
        shutil.chown(nginx_dir / sub, "www-data", "www-data")
    full = f"""user www-data;
worker_processes 2;
pid {nginx_dir}/nginx.pid;
error_log {nginx_dir}/error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {nginx_dir}/access.log;
    client_body_temp_path {nginx_dir}/client_body;
    proxy_temp_path {nginx_dir}/proxy;
{text}
}}
"""
    (nginx_dir / "nginx.conf").write_text(full)
    return nginx_dir / "nginx.conf"


def nginx(servers):
    conf = nginx_conf(servers)
    if "nginx" in processes and processes["nginx"].poll() is None:
        run(["nginx", "-c", str(conf), "-s", "reload"], 30)
        time.sleep(2)
        return True
    test = run(["nginx", "-t", "-c", str(conf)], 30)
    if test.returncode:
        return False
    processes["nginx"] = subprocess.Popen(
        ["nginx", "-c", str(conf), "-g", "daemon off;"], start_new_session=True
    )
    return wait_for(
        lambda: requests.get(f"{URL}/web/login", verify=False, timeout=10).ok, 60
    )


def certificate():
    certs = RH / "certs"
    certs.mkdir(exist_ok=True)
    run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(certs / "privkey.pem"),
            "-out",
            str(certs / "fullchain.pem"),
        ],
        60,
    )


def smtp_start():
    with open(RH / "smtp.out", "ab") as out:
        processes["smtp"] = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "scripts" / "rehearsal_smtp.py"),
                str(PORTS["smtp"]),
                str(RH / "maildir"),
                ALIAS_DOMAIN,
            ],
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    return wait_for(
        lambda: smtplib.SMTP("127.0.0.1", PORTS["smtp"], timeout=5).quit(), 30, 0.5
    )


def smtp_stop():
    proc = processes.pop("smtp", None)
    if proc:
        proc.terminate()
        proc.wait(timeout=30)


# ----------------------------------------------------------------------
# Load
# ----------------------------------------------------------------------
class Sampler:
    """CPU and memory of each process of the rehearsal, every 2 s."""

    def __init__(self):
        self.samples = {}

    def groups(self):
        found = {}
        for name, proc in list(processes.items()):
            if proc.poll() is None:
                try:
                    root = psutil.Process(proc.pid)
                    found[name] = [root, *root.children(recursive=True)]
                except psutil.NoSuchProcess:
                    pass
        pg = [
            p
            for p in psutil.process_iter(["name", "cmdline"])
            if p.info["name"] == "postgres"
            and str(PGDATA) in " ".join(p.info["cmdline"] or [])
        ]
        if pg:
            try:
                found["postgresql"] = [pg[0], *pg[0].children(recursive=True)]
            except psutil.NoSuchProcess:
                pass
        return found

    def sample(self):
        for name, procs in self.groups().items():
            cpu = rss = 0
            for proc in procs:
                try:
                    times = proc.cpu_times()
                    cpu += times.user + times.system
                    rss += proc.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            entry = self.samples.setdefault(
                name, {"cpu0": cpu, "t0": time.monotonic(), "rss": 0, "n": len(procs)}
            )
            entry.update(
                cpu=cpu,
                t=time.monotonic(),
                rss=max(entry["rss"], rss),
                n=max(entry["n"], len(procs)),
            )

    def run(self, proc, deadline):
        while proc.poll() is None and time.monotonic() < deadline:
            self.sample()
            time.sleep(2)

    def table(self):
        return {
            name: {
                "cpu_percent": round(
                    100 * (s["cpu"] - s["cpu0"]) / max(s["t"] - s["t0"], 1), 1
                ),
                "peak_rss_mb": round(s["rss"] / 2**20),
                "processes": s["n"],
            }
            for name, s in self.samples.items()
        }


def locust(settings, users, seconds, tag, during=None):
    """Run Locust headless for ``seconds`` with ``users``; ``during`` is called
    while it runs (faults, a backup). Returns the per-kind figures."""
    env = {**os.environ, "REHEARSAL_SETTINGS": json.dumps(settings)}
    prefix = RH / f"locust-{tag}"
    cmd = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(ROOT / "scripts" / "rehearsal_locust.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(max(users // 10, 1)),
        "-t",
        f"{seconds}s",
        "--host",
        URL,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "60",
        "--exit-code-on-error",
        "0",
    ]
    sampler = Sampler()
    with open(RH / f"locust-{tag}.out", "w") as out:
        proc = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=out, start_new_session=True
        )
        processes["locust"] = proc
        # Sampled while Locust runs, whatever ``during`` does meanwhile.
        deadline = time.monotonic() + seconds + 300
        sampling = threading.Thread(
            target=sampler.run, args=(proc, deadline), daemon=True
        )
        sampling.start()
        result = during(sampler) if during else None
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(2)
        if proc.poll() is None:
            proc.kill()
        sampling.join(timeout=10)
        processes.pop("locust", None)
    return figures(prefix, seconds), sampler.table(), result


def figures(prefix, seconds):
    kinds = {}
    total = {"requests": 0, "failures": 0}
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return {"total": total, "kinds": kinds}
    for row in csv.DictReader(path.open()):
        if row["Name"] == "Aggregated":
            total = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50": row["50%"],
                "p95": row["95%"],
                "p99": row["99%"],
            }
            continue
        kind = row["Name"].split(":")[0]
        entry = kinds.setdefault(kind, {"requests": 0, "failures": 0, "rows": []})
        entry["requests"] += int(row["Request Count"])
        entry["failures"] += int(row["Failure Count"])
        entry["rows"].append(
            {
                k: row[k]
                for k in (
                    "Name",
                    "Request Count",
                    "Failure Count",
                    "50%",
                    "95%",
                    "99%",
                    "Requests/s",
                )
            }
        )
    return {"total": total, "kinds": kinds, "seconds": seconds}


# ----------------------------------------------------------------------
# Mail
# ----------------------------------------------------------------------
def outgoing_box():
    return mailbox.Maildir(RH / "maildir" / "outgoing", create=True)


INTERRUPTED = re.compile(
    r"Exception while processing mail with ID \d+ and Msg-Id '([^']+)'"
)


def interrupted_sendings():
    """The Message-Ids whose sending Odoo logged as interrupted (the SMTP
    server hung up, or the database went away between the server's
    acceptance and Odoo's record of it): delivered at least once, maybe
    twice with the same Message-Id, as SMTP itself allows (RFC 5321, 6.1)."""
    found = set()
    for log in RH.glob("odoo*.log"):
        found.update(INTERRUPTED.findall(log.read_text(errors="replace")))
    return found


def mail_audit(journal):
    """Every filing that asked for a confirmation got exactly one
    confirmation e-mail; no message was delivered twice, but for a sending
    Odoo logged as interrupted, counted apart."""
    deliveries, confirmations = {}, {}
    box = outgoing_box()
    for key in box.iterkeys():
        message = box.get(key)
        # One notification to several recipients shares its Message-Id.
        delivery = (message["Message-Id"], message.get("X-Rehearsal-Rcpt-To"))
        deliveries[delivery] = deliveries.get(delivery, 0) + 1
        if not CONFIRM_LINK.search(message_text(message)):
            continue
        for rcpt in (message.get("X-Rehearsal-Rcpt-To") or "").split(", "):
            confirmations.setdefault(rcpt.lower(), set()).add(message["Message-Id"])
    asked = [f for f in journal if f["result"] != "not sent"]
    lost = [f["email"] for f in asked if not confirmations.get(f["email"].lower())]
    # Two confirmations: two e-mails, each with its own Message-Id.
    twice = [
        f["email"] for f in asked if len(confirmations.get(f["email"].lower(), ())) > 1
    ]
    interrupted = interrupted_sendings()
    doubled = [d for d, n in deliveries.items() if n > 1]
    return {
        "messages": len(box),
        "asked": len(asked),
        "lost": lost,
        "twice": twice,
        "doubled_ids": [d for d in doubled if d[0] not in interrupted],
        "redelivered": [d for d in doubled if d[0] in interrupted],
        "interrupted": len(interrupted),
    }


CONFIRM_LINK = re.compile(r"/mediation/confirm/[\w-]+")


def message_text(message):
    texts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True) or b""
            texts.append(
                payload.decode(part.get_content_charset() or "utf-8", "replace")
            )
    return "\n".join(texts)


def read_journal():
    path = RH / "filings.jsonl"
    return (
        [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
        if path.exists()
        else []
    )


def flush_mail(conf, db, timeout=240):
    """Wait for Odoo's queue (triggered by the addon) to empty, bounded."""
    state = {}

    def empty():
        state.update(odoo_tool(conf, db, "mailqueue")[0])
        return not state.get("outgoing")

    ok = wait_for(empty, timeout, 10)
    return ok, state


# ----------------------------------------------------------------------
# Stages
# ----------------------------------------------------------------------
def main():
    db = PREFIX
    for name in ("filings.jsonl",):
        (RH / name).unlink(missing_ok=True)
    shutil.rmtree(RH / "maildir", ignore_errors=True)
    pg_start()
    run(["dropdb", "--if-exists", db], 120, env=pg_env())
    run(["dropdb", "--if-exists", f"{db}_restore"], 120, env=pg_env())
    shutil.rmtree(FILESTORE / db, ignore_errors=True)
    shutil.rmtree(FILESTORE / f"{db}_restore", ignore_errors=True)
    certificate()
    smtp_ok = smtp_start()
    line(
        "shape",
        f"PostgreSQL on :{PORTS['pg']} (deploy/postgresql.conf), "
        f"SMTP on :{PORTS['smtp']}",
        smtp_ok,
    )

    # 1. The previous release with the demo data, then the upgrade.
    previous = RH / "previous"
    shutil.rmtree(previous, ignore_errors=True)
    previous.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", PREVIOUS, "consumer_mediation"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    subprocess.run(
        ["tar", "-x", "-C", str(previous)], input=archive.stdout, check=True, timeout=60
    )
    old_path = ADDONS_PATH.rsplit(",", 1)[0] + f",{previous}"
    install_conf = odoo_conf(
        "install",
        db,
        *PORTS["odoo"][0],
        addons_path=old_path,
        workers="0",
        without_demo="False",
        logfile="",
    )
    t0 = time.monotonic()
    cached = f"{db}_previous"
    if os.environ.get("REHEARSAL_REUSE_INSTALL") and database_exists(cached):
        # A copy of an earlier run's install of the same release (CPU shared).
        run(["createdb", "-T", cached, db], 300, env=pg_env())
        shutil.copytree(FILESTORE / cached, FILESTORE / db)
        how, ok = "copied from an earlier install", True
    else:
        result = odoo_cmd(
            install_conf,
            "-d",
            db,
            "-i",
            "consumer_mediation",
            "--load-language=fr_FR",
            "--stop-after-init",
            timeout=1500,
        )
        how, ok = "installed", result.returncode == 0
        run(["dropdb", "--if-exists", cached], 120, env=pg_env())
        run(["createdb", "-T", db, cached], 300, env=pg_env())
        shutil.rmtree(FILESTORE / cached, ignore_errors=True)
        shutil.copytree(FILESTORE / db, FILESTORE / cached)
    install_s = time.monotonic() - t0
    before, _rc = odoo_tool(install_conf, db, "fingerprint")
    line(
        "demo database",
        f"release {PREVIOUS} with demo data {how} in {install_s:.0f} s: "
        f"{before.get('cases')} cases, {before.get('companies')} companies, "
        f"{before.get('contract_partners')} with a contract",
        ok and before.get("cases", 0) >= 1200,
    )
    work, _rc = odoo_tool(install_conf, db, "activity")
    odoo_tool(install_conf, db, "sign")
    before, _rc = odoo_tool(install_conf, db, "fingerprint")
    upgrade_conf = odoo_conf("upgrade", db, *PORTS["odoo"][0], workers="0", logfile="")
    t0 = time.monotonic()
    result = odoo_cmd(
        upgrade_conf,
        "-d",
        db,
        "-u",
        "consumer_mediation",
        "--stop-after-init",
        timeout=1500,
    )
    upgrade_s = time.monotonic() - t0
    after, _rc = odoo_tool(upgrade_conf, db, "fingerprint")
    counted = (
        "cases",
        "companies",
        "contract_partners",
        "chain_entries",
        "letters",
        "anchors",
    )
    changed = [key for key in counted if after.get(key, 0) < before.get(key, 0)]
    if before.get("letters_sha256") != after.get("letters_sha256"):
        changed.append("letters_sha256")
    # Each one kept as it was; the upgrade may add (a new dependency's data).
    for key in ("chain_heads", "attachment_files"):
        old_items, new_items = before.get(key) or {}, after.get(key) or {}
        if any(new_items.get(k) != v for k, v in old_items.items()):
            changed.append(key)
    added = len(after.get("attachment_files") or {}) - len(
        before.get("attachment_files") or {}
    )
    line(
        "upgrade",
        f"-u in {upgrade_s:.0f} s after {work} on the previous release: "
        f"{after.get('cases')} cases, {after.get('letters')} letters, "
        f"{after.get('chain_entries')} chain entries, "
        f"{len(before.get('attachment_files') or {})} files"
        + (f"; LOST OR CHANGED {changed}" if changed else ", each kept with its hash")
        + (f" ({added} added by the upgrade)" if added else ""),
        result.returncode == 0 and not changed,
    )

    # 2. The rehearsal's users and settings, the servers, nginx.
    settings, _rc = odoo_tool(
        upgrade_conf,
        db,
        "prepare",
        json.dumps(
            {
                "password": PASSWORD,
                "base_url": URL,
                "alias_domain": ALIAS_DOMAIN,
                "consumers": 15,
                "professionals": 8,
            }
        ),
    )
    settings.update(
        password=PASSWORD,
        maildir=str(RH / "maildir"),
        journal=str(RH / "filings.jsonl"),
    )
    (RH / "settings.json").write_text(json.dumps(settings, indent=1))
    odoo_tool(upgrade_conf, db, "sign")
    confs = [
        odoo_conf(f"odoo{i + 1}", db, http, gevent)
        for i, (http, gevent) in enumerate(PORTS["odoo"])
    ]
    up = odoo_start("odoo1", confs[0], PORTS["odoo"][0][0])
    up = up and nginx(PORTS["odoo"][:1])
    line(
        "servers",
        f"odoo1 ({production_workers()} workers) behind nginx {URL}, "
        f"{len(settings.get('consumers', []))} consumers, "
        f"{len(settings.get('professionals', []))} professionals, "
        f"{len(settings.get('mediators', []))} mediators",
        up,
    )
    if not up:
        return

    results = {}
    # 3. Load: one server, then two (with the backup taken meanwhile).
    results["load1"] = locust(settings, USERS, LOAD_TIME, "1server")
    load_line("load, 1 server", results["load1"])
    up = odoo_start("odoo2", confs[1], PORTS["odoo"][1][0]) and nginx(PORTS["odoo"])
    backup_dir = RH / "backup"

    def backup(sampler):
        time.sleep(LOAD_TIME / 3)
        return take_backup(db, backup_dir)

    results["load2"] = locust(settings, USERS, LOAD_TIME, "2servers", during=backup)
    load_line("load, 2 servers", results["load2"])
    ok, queue = flush_mail(confs[0], db)
    report, rc = odoo_tool(confs[0], db, "reconcile", str(RH / "filings.jsonl"))
    reconcile_line("reconcile after load", report, rc)

    # 4. The backup restored into a fresh database, checked, serving the portal.
    restore_stage(db, backup_dir, results["load2"][2])

    # 5. Faults during load.
    def faults(sampler):
        out = []
        for fault in (fault_kill, fault_postgres, fault_smtp, fault_disk):
            try:
                out.append(fault(confs, db, settings, sampler))
            except Exception as error:  # noqa: BLE001 (reported, the next fault runs)
                line(fault.__name__, repr(error)[:300], False)
        return out

    results["faults"] = locust(settings, USERS, FAULT_TIME, "faults", during=faults)
    load_line("load under faults", results["faults"], strict=False)
    servers_answer("servers after faults")
    ok, queue = flush_mail(confs[0], db)
    journal = read_journal()
    audit = mail_audit(journal)
    line(
        "mail",
        f"{audit['messages']} messages kept by the SMTP server, "
        f"{audit['asked']} confirmations asked; lost {len(audit['lost'])}, "
        f"twice {len(audit['twice'])}, Message-Id twice {len(audit['doubled_ids'])}; "
        f"{audit['interrupted']} sendings interrupted, of which delivered again "
        f"{len(audit['redelivered'])}; queue {queue}",
        ok
        and not audit["lost"]
        and not audit["twice"]
        and not audit["doubled_ids"]
        and not queue.get("exception"),
    )
    incoming_stage(confs[0], db, settings)
    odoo_tool(confs[0], db, "sign")
    report, rc = odoo_tool(confs[0], db, "reconcile", str(RH / "filings.jsonl"))
    reconcile_line("final reconciliation", report, rc)
    (RH / "results.json").write_text(json.dumps(results, indent=1, default=str))


def production_workers():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "deploy" / "odoo.conf")
    return parser["options"]["workers"]


def load_line(stage, result, strict=True):
    fig, table, _extra = result
    total = fig["total"]
    cpu = ", ".join(
        f"{name} {v['cpu_percent']}% {v['peak_rss_mb']} MB" for name, v in table.items()
    )
    line(
        stage,
        f"{USERS} users {fig.get('seconds')} s: {total.get('requests')} requests, "
        f"{total.get('rps')} req/s, p50/p95/p99 {total.get('p50')}/"
        f"{total.get('p95')}/{total.get('p99')} ms, {total.get('failures')} errors; "
        f"{cpu}",
        (not strict or total.get("failures") == 0) and total.get("requests", 0) > 0,
    )


def reconcile_line(stage, report, rc):
    line(
        stage,
        f"filings {report.get('filings')}, {report.get('confirmed_checked')} "
        f"confirmed = cases {report.get('cases_from_load')}; "
        f"{report.get('letters')} letters, {report.get('attachments')} attachments / "
        f"{report.get('files')} files ({report.get('pending_gc')} awaiting clean-up), "
        f"{report.get('chain_entries')} chain entries; "
        f"problems {report.get('problem_count')} {report.get('problems', [])[:3]}",
        rc == 0 and report.get("problem_count") == 0,
    )


def take_backup(db, backup_dir):
    """The commands of docs/production.md: the dump, then the filestore."""
    shutil.rmtree(backup_dir, ignore_errors=True)
    backup_dir.mkdir(parents=True)
    t0 = time.monotonic()
    from datetime import datetime, timezone

    at = datetime.now(timezone.utc).isoformat()
    dump = run(
        ["pg_dump", "-Fc", "-f", str(backup_dir / f"{db}.dump"), db], 600, env=pg_env()
    )
    rsync = run(
        ["rsync", "-a", f"{FILESTORE / db}/", str(backup_dir / "filestore")], 600
    )
    return {
        "at": at,
        "seconds": round(time.monotonic() - t0, 1),
        "ok": dump.returncode == 0 and rsync.returncode == 0,
        "size_mb": round(
            sum(p.stat().st_size for p in backup_dir.rglob("*") if p.is_file()) / 2**20
        ),
    }


def restore_stage(db, backup_dir, backup):
    target = f"{db}_restore"
    t0 = time.monotonic()
    run(["createdb", target], 60, env=pg_env())
    restore = run(
        ["pg_restore", "--no-owner", "-d", target, str(backup_dir / f"{db}.dump")],
        900,
        env=pg_env(),
    )
    shutil.rmtree(FILESTORE / target, ignore_errors=True)
    shutil.copytree(backup_dir / "filestore", FILESTORE / target)
    conf = odoo_conf("restore", target, *PORTS["restore"])
    report, _rc = odoo_tool(
        conf, target, "reconcile", str(RH / "filings.jsonl"), backup["at"]
    )
    # Files written after the dump have no row in it: expected, and harmless
    # (docs/production.md); anything else is a problem.
    problems = [
        p for p in report.get("problems", []) if "has no attachment row" not in p
    ]
    served = odoo_start("restore", conf, PORTS["restore"][0])
    portal = False
    if served:
        session = requests.Session()
        page = session.get(
            f"http://127.0.0.1:{PORTS['restore'][0]}/web/login", timeout=30
        )
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        settings = json.loads((RH / "settings.json").read_text())
        login, case_id = settings["consumers"][0]
        session.post(
            f"http://127.0.0.1:{PORTS['restore'][0]}/web/login",
            data={
                "login": login,
                "password": PASSWORD,
                "csrf_token": token.group(1) if token else "",
                "redirect": "/my",
            },
            timeout=30,
        )
        case = session.get(
            f"http://127.0.0.1:{PORTS['restore'][0]}/my/mediation-cases/{case_id}",
            timeout=30,
        )
        portal = case.status_code == 200 and "/web/login" not in case.url
    odoo_kill("restore", signal.SIGTERM)
    line(
        "backup + restore",
        f"taken during load in {backup.get('seconds')} s ({backup.get('size_mb')} MB), "
        f"restored in {time.monotonic() - t0:.0f} s: "
        f"{report.get('confirmed_checked')} confirmed filings, "
        f"{report.get('letters')} letters, {report.get('attachments')} attachments "
        f"({report.get('orphan_files')} files newer than the dump), "
        f"chain {report.get('chain_entries')} entries; portal served {portal}; "
        f"problems {problems[:3]}",
        backup.get("ok") and restore.returncode == 0 and not problems and portal,
    )


# A transaction open longer than this is stuck (the load has none so long).
STUCK_SECONDS = 180


def servers_answer(stage):
    """Each running Odoo server answers its health route, and no
    transaction has been open for minutes. If not, what PostgreSQL and each
    worker are doing is kept in var/rehearsal/stuck-*.txt for the analysis
    (py-spy's stacks)."""
    silent = []
    for name, (http, _gevent) in zip(("odoo1", "odoo2"), PORTS["odoo"], strict=True):
        if name not in processes:
            continue
        try:
            ok = requests.get(f"http://127.0.0.1:{http}/web/health", timeout=30).ok
        except requests.RequestException:
            ok = False
        if not ok:
            silent.append(name)
    activity = run(
        [
            "psql",
            "-d",
            "postgres",
            "-Atc",
            (
                "SELECT pid, state, wait_event_type, wait_event,"
                " round(extract(epoch FROM now() - xact_start)), left(query, 160)"
                " FROM pg_stat_activity WHERE backend_type = 'client backend'"
                " AND xact_start IS NOT NULL AND pid <> pg_backend_pid()"
                " ORDER BY xact_start"
            ),
        ],
        60,
        env=pg_env(),
    ).stdout
    stuck = [
        row
        for row in activity.splitlines()
        if row.split("|")[4:5] and float(row.split("|")[4] or 0) > STUCK_SECONDS
    ]
    if silent or stuck:
        dump = RH / f"stuck-{int(time.monotonic())}.txt"
        parts = [f"silent: {silent}", "pg_stat_activity:", activity]
        spy = RH / "venv" / "bin" / "py-spy"
        for name in ("odoo1", "odoo2"):
            proc = processes.get(name)
            if not proc or proc.poll() is not None:
                continue
            for child in psutil.Process(proc.pid).children(recursive=True):
                try:
                    command = " ".join(child.cmdline())[:200]
                except psutil.Error:  # ended meanwhile
                    continue
                parts.append(f"--- {name} {child.pid} {command}")
                if "python" in command and spy.exists():
                    parts.append(run([spy, "dump", "--pid", str(child.pid)], 60).stdout)
        dump.write_text("\n".join(parts))
    checked = [name for name in ("odoo1", "odoo2") if name in processes]
    line(
        stage,
        f"{checked} checked; not answering {silent or 'none'}; "
        f"{len(stuck)} transaction(s) open over {STUCK_SECONDS} s"
        + (f" (see {dump.name})" if silent or stuck else ""),
        not silent and not stuck,
    )


def reconcile_now(confs, db, stage):
    report, rc = odoo_tool(confs[0], db, "reconcile", str(RH / "filings.jsonl"))
    reconcile_line(stage, report, rc)


def fault_kill(confs, db, settings, sampler):
    time.sleep(30)
    killed = odoo_kill("odoo2")
    probe = [
        requests.get(f"{URL}/mediation", verify=False, timeout=30).status_code
        for _ in range(10)
    ]
    time.sleep(20)
    up = odoo_start("odoo2", confs[1], PORTS["odoo"][1][0])
    line(
        "fault: kill -9 odoo2",
        f"{killed} processes killed; nginx answered {probe.count(200)}/10 probes "
        f"meanwhile; restarted {up}",
        probe.count(200) == 10 and up,
    )
    reconcile_now(confs, db, "  reconcile")


def fault_postgres(confs, db, settings, sampler):
    time.sleep(15)
    t0 = time.monotonic()
    result = as_postgres(
        PG_BIN / "pg_ctl",
        "-D",
        PGDATA,
        "-m",
        "fast",
        "-w",
        "-t",
        "60",
        "restart",
        "-l",
        PGDATA / "server.log",
    )
    back = wait_for(
        lambda: requests.get(f"{URL}/mediation", verify=False, timeout=30).ok, 60
    )
    line(
        "fault: PostgreSQL restart",
        f"restarted in {time.monotonic() - t0:.1f} s; site answering again {back}",
        result.returncode == 0 and back,
    )
    reconcile_now(confs, db, "  reconcile")


def fault_smtp(confs, db, settings, sampler):
    time.sleep(15)
    smtp_stop()
    time.sleep(60)
    queued = odoo_tool(confs[0], db, "mailqueue")[0]
    up = smtp_start()
    line("fault: SMTP down 60 s", f"mail queue while down {queued}; SMTP back {up}", up)


def fault_disk(confs, db, settings, sampler):
    """The filestore on a full disk: a filing with a document is refused with
    a clear page, and nothing of it is stored."""
    time.sleep(10)
    store = FILESTORE / db
    full = RH / "fullfs"
    full.mkdir(exist_ok=True)
    used = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    mounted = (
        run(
            [
                "mount",
                "-t",
                "tmpfs",
                "-o",
                f"size={used // 1024 + 8192}k",
                "tmpfs",
                str(full),
            ],
            30,
        ).returncode
        == 0
    )
    if not mounted:
        line("fault: full disk", "tmpfs mount not permitted here: skipped", False)
        return
    try:
        run(["rsync", "-a", f"{store}/", f"{full}/"], 300)
        # Fill what is left, then put it over the filestore.
        run(["dd", "if=/dev/zero", f"of={full}/filler", "bs=64k"], 60)
        run(["mount", "--bind", str(full), str(store)], 30)
        pages = [file_on_full_disk(settings, i) for i in range(3)]
    finally:
        run(["umount", str(store)], 60)
        (full / "filler").unlink(missing_ok=True)
        # Whatever was written meanwhile goes back to the real filestore.
        run(["rsync", "-a", f"{full}/", f"{store}/"], 300)
        run(["umount", str(full)], 60)
    refused = sum(1 for status, clear, stored in pages if clear and not stored)
    line(
        "fault: full disk",
        f"{refused}/{len(pages)} filings with a document refused with a clear "
        f"page, none stored; pages {pages}",
        refused == len(pages),
    )
    reconcile_now(confs, db, "  reconcile")


def file_on_full_disk(settings, i):
    session = requests.Session()
    session.verify = False
    page = session.get(f"{URL}/mediation/saisine", timeout=60)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    token = f"fulldisk{os.getpid()}x{i}{int(time.time())}"
    email = f"rehearsal-fulldisk-{token}@consommateurs.test"
    data = {
        "csrf_token": csrf,
        "web_token": token,
        "professional_id": str(settings["covered"][0]),
        "complaint_sent": "yes",
        "date_complaint": time.strftime("%Y-%m-01"),
        "name": "Disque Plein",
        "email": email,
        "subject_id": str(settings["subjects"][0]) if settings["subjects"] else "",
        "amount": "10",
        "description": "Dépôt pendant que le disque est plein.",
        "consent": "1",
    }
    response = session.post(
        f"{URL}/mediation/saisine/submit",
        data=data,
        timeout=600,
        files={
            "documents": (
                "facture.pdf",
                b"%PDF-1.4 " + os.urandom(256 * 1024),
                "application/pdf",
            )
        },
    )
    clear = "plus de place" in response.text
    stored = "boîte" in response.text and not clear
    return response.status_code, clear, stored


class TimeoutTransport(xmlrpc.client.Transport):
    """An answer within a minute, or the call fails (a hung server once kept
    the rehearsal waiting here until it was stopped)."""

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = 60
        return connection


def incoming_stage(conf, db, settings):
    """A consumer's reply to a case e-mail, through the SMTP server's alias
    mailbox and Odoo's mail gateway: message_process over XML-RPC, the call
    of odoo-mailgate.py (which Odoo 18 still ships for Python 2: it imports
    xmlrpclib)."""
    target = settings.get("reply_to_message") or {}
    message = EmailMessage()
    message["From"] = "Consommateur <consommateur.reponse@consommateurs.test>"
    message["To"] = f"catchall@{ALIAS_DOMAIN}"
    message["Subject"] = "Re: votre dossier"
    message["Message-Id"] = f"<rehearsal-{int(time.time())}@consommateurs.test>"
    message["In-Reply-To"] = message["References"] = target.get("message_id") or ""
    message.set_content("Voici ma réponse, reçue par la passerelle de messagerie.")
    with smtplib.SMTP("127.0.0.1", PORTS["smtp"], timeout=30) as smtp:
        smtp.send_message(message)
    alias = mailbox.Maildir(RH / "maildir" / "alias", create=True)
    gateway = xmlrpc.client.ServerProxy(
        f"http://127.0.0.1:{PORTS['odoo'][0][0]}/xmlrpc/2/object",
        allow_none=True,
        transport=TimeoutTransport(),
    )
    fed, threads = 0, []
    for key in list(alias.keys())[:50]:
        raw = alias.get_bytes(key)
        try:
            thread = gateway.execute_kw(
                db,
                2,
                PASSWORD,
                "mail.thread",
                "message_process",
                [False, xmlrpc.client.Binary(raw)],
                {},
            )
        except (xmlrpc.client.Fault, OSError) as error:
            sys.stderr.write(f"mail gateway: {str(error)[-2000:]}\n")
            continue
        fed += 1
        threads.append(thread)
        alias.remove(key)
    line(
        "incoming mail",
        f"{fed} message(s) from the alias mailbox through message_process into "
        f"case {threads} (reply to a message of case {target.get('case')})",
        fed >= 1 and target.get("case") in threads,
    )


def cleanup():
    for name in ("locust", "restore", "odoo2", "odoo1"):
        odoo_kill(name, signal.SIGTERM) if name in processes else None
    proc = processes.pop("nginx", None)
    if proc:
        proc.terminate()
        proc.wait(timeout=30)
    smtp_stop()
    pg_stop()


if __name__ == "__main__":
    RH.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_a: sys.exit(2))
    try:
        main()
    finally:
        cleanup()
        total = time.monotonic() - started
        print(
            f"rehearsal: {'FAILED ' + ', '.join(failures) if failures else 'passed'} "
            f"in {total / 60:.1f} min",
            flush=True,
        )
    sys.exit(1 if failures else 0)
