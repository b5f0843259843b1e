"""The Odoo side of the production rehearsal (make rehearsal): run with
Odoo's interpreter against one database, prints JSON on stdout.

  rehearsal_odoo.py CONF DB fingerprint          counts and hashes kept by an upgrade
  rehearsal_odoo.py CONF DB prepare SETTINGS     rehearsal users, limits, mail; JSON out
  rehearsal_odoo.py CONF DB activity             letters, decisions before an upgrade
  rehearsal_odoo.py CONF DB sign                 sign the decision chain heads now
  rehearsal_odoo.py CONF DB mailqueue            mail.mail by state
  rehearsal_odoo.py CONF DB sendqueue            run the mail queue now
  rehearsal_odoo.py CONF DB reconcile JOURNAL [UNTIL]
      every confirmed filing of the load's JOURNAL (confirmed before UNTIL, an
      ISO time, when given) is exactly one case and no filing is two; every
      letter's documents match the SHA-256 of the decision log; every
      attachment row has its whole file and every file its row (or is
      awaiting Odoo's clean-up); the decision chain verifies against its
      signed heads. Exit status 1 on any problem.
"""

import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config


def _env(conf, db):
    config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    odoo.service.server.load_server_wide_modules()
    return odoo.modules.registry.Registry(db)


def _digest(items):
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()[:16]


def fingerprint(env):
    Log = env["mediation.decision.log"]
    letters = []
    for entry in Log.search([("kind", "=", "letter")], order="id"):
        recorded = json.loads(entry.snapshot)["letter"]["documents"]
        letters.append(
            [entry.sequence, [(d["attachment"], d["sha256"]) for d in recorded]]
        )
    chain = {
        str(company.id): Log.search(
            [("company_id", "=", company.id)], order="sequence desc", limit=1
        ).entry_hash
        for company in env["res.company"].search([])
    }
    env.cr.execute(
        "SELECT id, checksum, file_size FROM ir_attachment"
        " WHERE store_fname IS NOT NULL"
        # Files the web client serves at a URL (compiled bundles, the style
        # sheet Odoo writes from the companies' layouts): derived, rebuilt
        # by an upgrade. Documents and images have no URL.
        " AND url IS NULL ORDER BY id"
    )
    attachments = env.cr.fetchall()
    return {
        "cases": env["mediation.case"].with_context(active_test=False).search_count([]),
        "companies": env["res.partner"]
        .with_context(active_test=False)
        .search_count([("is_company", "=", True)]),
        "contract_partners": len(
            env["contract.contract"]
            .with_context(active_test=False)
            .search([])
            .partner_id
        ),
        "chain_entries": Log.search_count([]),
        # Kept means each one found after as it was before: an upgrade may
        # add (a new dependency's data), it must not lose or alter.
        "chain_heads": chain,
        "letters": len(letters),
        "letters_sha256": _digest(letters),
        "attachments": len(attachments),
        "attachment_files": {str(id_): [sha, size] for id_, sha, size in attachments},
        "anchors": env["mediation.decision.anchor"].search_count([]),
        "messages": env["mail.message"].search_count([]),
    }


def prepare(env, settings):
    """Users with known passwords for the load, the public forms' limits set
    for one IP address (everything comes through nginx from 127.0.0.1), the
    confirmation links on nginx's address, the alias domain of incoming
    mail."""
    password = settings["password"]
    icp = env["ir.config_parameter"]
    icp.set_param("web.base.url", settings["base_url"])
    icp.set_param("web.base.url.freeze", "True")
    company = env.company
    # Deliberate (docs/scale.md): every visitor comes from nginx's 127.0.0.1,
    # so the per-visitor limits would throttle the whole load; the per-e-mail
    # one stays (each visitor has its own address).
    company.write(
        {
            "mediation_limit_filing_client": 0,
            "mediation_limit_upload_mb": 0,
            "mediation_limit_upload_files": 0,
            "mediation_limit_filing_email": 3,
        }
    )
    domain = env["mail.alias.domain"].search(
        [("name", "=", settings["alias_domain"])], limit=1
    )
    if not domain:
        domain = env["mail.alias.domain"].create({"name": settings["alias_domain"]})
    env["res.company"].search([]).write({"alias_domain_id": domain.id})
    env.ref("base.user_admin").password = password
    Case = env["mediation.case"]
    running = Case.search(
        [("state", "not in", ("closed", "refused", "interrupted", "cancelled"))]
    )
    consumers = running.consumer_id.user_ids.filtered("share")[: settings["consumers"]]
    if len(consumers) < settings["consumers"]:
        for partner in (running.consumer_id - consumers.partner_id)[
            : settings["consumers"] - len(consumers)
        ]:
            consumers |= _portal_user(env, partner)
    professionals = env["res.users"]
    # A professional reads only the cases it is involved in.
    involved = running.filtered("is_professional_involved")
    for partner in involved.professional_id[: settings["professionals"]]:
        professionals |= partner.user_ids.filtered("share")[:1] or _portal_user(
            env, partner
        )
    mediators = env.ref("consumer_mediation.group_mediation_user").users.filtered(
        lambda user: not user.share and user.id != SUPERUSER_ID
    )
    accountant = env["res.users"].search([("login", "=", "rehearsal.accountant")])
    if not accountant:
        accountant = env["res.users"].create(
            {
                "name": "Comptable de la répétition",
                "login": "rehearsal.accountant",
                # A staff mailbox, not one of Odoo's aliases: the SMTP
                # server hands every address of the alias domain to Odoo.
                "email": "comptable@cabinet.rehearsal.test",
                "groups_id": [
                    (4, env.ref("account.group_account_invoice").id),
                    (4, env.ref("consumer_mediation.group_mediation_user").id),
                ],
            }
        )
    users = consumers | professionals | mediators | accountant
    users.write({"password": password})
    covered = running.professional_id.filtered(
        lambda p: p.is_company and p._mediation_coverage()
    )
    subjects = env["mediation.case.subject"].search([])
    message = env["mail.message"].search(
        [
            ("model", "=", "mediation.case"),
            ("message_type", "in", ("email", "comment")),
        ],
        limit=1,
        order="id desc",
    )
    return {
        "consumers": [
            [u.login, Case.search([("consumer_id", "=", u.partner_id.id)], limit=1).id]
            for u in consumers
        ],
        "professionals": [
            [
                u.login,
                involved.filtered(lambda c, u=u: c.professional_id == u.partner_id)[
                    :1
                ].id,
            ]
            for u in professionals
        ],
        "mediators": mediators.mapped("login"),
        "accountant": accountant.login,
        "covered": covered.ids[:50],
        "subjects": subjects.ids,
        "reply_to_message": {"message_id": message.message_id, "case": message.res_id},
    }


def _portal_user(env, partner):
    login = partner.email or f"partner{partner.id}@rehearsal.invalid"
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": partner.name,
                "login": login,
                "partner_id": partner.id,
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
            }
        )
    )


def sign(env):
    Anchor = env["mediation.decision.anchor"]
    return {
        "signed": [
            Anchor._sign(company).sequence for company in env["res.company"].search([])
        ]
    }


def activity(env):
    """Work done on the previous release before its upgrade, through its own
    actions, so that the upgrade has letters, their SHA-256 and decision
    chain entries to keep (the demo data has none): acknowledgements of
    received cases, admissions and their saisine letters."""
    Case = env["mediation.case"]
    done = Counter()
    # No server runs yet: the PDF engine must not wait for one.
    env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
    steps = (
        ("received", "action_send_acknowledgement", 4),
        ("review", "action_admit", 3),
        ("admitted", "action_notify_saisine", 3),
    )
    for state, action, limit in steps:
        for case in Case.search([("state", "=", state)], order="id", limit=limit * 3):
            if done[action] >= limit:
                break
            try:
                with env.cr.savepoint():
                    getattr(case, action)()
            except Exception as error:  # noqa: BLE001 (a case it does not suit)
                done[f"{action} refused"] += bool(error)
                continue
            done[action] += 1
    env["ir.config_parameter"].set_param("report.url", False)
    return dict(done)


def mailqueue(env):
    env.cr.execute("SELECT state, count(*) FROM mail_mail GROUP BY state")
    return dict(env.cr.fetchall())


def sendqueue(env):
    """Run Odoo's mail queue now, as its scheduled action does."""
    env["mail.mail"].process_email_queue()
    return mailqueue(env)


def reconcile(env, journal, until=None):
    problems = []
    # 1. Filings: every confirmed one is exactly one case, none is two.
    # No journal: no filing got as far as its confirmation (a hung server).
    text = Path(journal).read_text() if Path(journal).exists() else ""
    filings = [json.loads(line) for line in text.splitlines() if line.strip()]
    confirmed = [
        f
        for f in filings
        if f["result"] == "filed" and (not until or f["confirmed_at"] < until)
    ]
    env.cr.execute(
        "SELECT lower(p.email), count(*) FROM mediation_case c"
        " JOIN res_partner p ON p.id = c.consumer_id "
        "WHERE p.email LIKE %s GROUP BY lower(p.email)",
        ["rehearsal-%"],
    )
    cases_by_email = dict(env.cr.fetchall())
    doubled = {email: n for email, n in cases_by_email.items() if n > 1}
    missing = [
        f["email"] for f in confirmed if cases_by_email.get(f["email"].lower(), 0) != 1
    ]
    problems += [
        f"filing of {email} confirmed but {cases_by_email.get(email, 0)} cases"
        for email in missing
    ]
    problems += [f"{email}: {n} cases (doubled)" for email, n in doubled.items()]
    env.cr.execute(
        "SELECT web_token, count(*) FROM mediation_case"
        " WHERE web_token IS NOT NULL GROUP BY 1 HAVING count(*) > 1"
    )
    problems += [f"form {token} filed {n} times" for token, n in env.cr.fetchall()]
    # 2. Letters: the documents sent still match their SHA-256 in the log.
    Log = env["mediation.decision.log"]
    letters = Log.search([("kind", "=", "letter")])
    for entry in letters:
        recorded = json.loads(entry.snapshot)["letter"]["documents"]
        kept = {
            doc.id: hashlib.sha256(doc.raw or b"").hexdigest()
            for doc in entry.attachment_ids
        }
        for doc in recorded:
            if kept.get(doc["attachment"]) != doc["sha256"]:
                problems.append(
                    f"letter entry #{entry.sequence}: "
                    f"document {doc['attachment']} altered or lost"
                )
    # 3. Attachments and files, both ways, and each file whole.
    filestore = Path(config.filestore(env.cr.dbname))
    env.cr.execute(
        "SELECT id, store_fname, checksum FROM ir_attachment"
        " WHERE store_fname IS NOT NULL"
    )
    rows = env.cr.fetchall()
    referenced = set()
    for att_id, fname, checksum in rows:
        referenced.add(fname)
        path = filestore / fname
        if not path.is_file():
            problems.append(f"attachment {att_id}: file {fname} missing")
        elif checksum and hashlib.sha1(path.read_bytes()).hexdigest() != checksum:
            problems.append(f"attachment {att_id}: file {fname} corrupted")
    pending = {
        p.relative_to(filestore / "checklist").as_posix()
        for p in (filestore / "checklist").rglob("*")
        if p.is_file()
    }
    files = {
        p.relative_to(filestore).as_posix()
        for p in filestore.rglob("*")
        if p.is_file() and p.parts[-3] != "checklist"
    }
    orphans = sorted(files - referenced - pending)
    problems += [f"file {name} has no attachment row" for name in orphans[:20]]
    # 4. The decision chain against its signed heads.
    entries = 0
    for company in env["res.company"].search([]):
        count, broken = Log._verify_chain(company)
        entries += count
        if broken:
            problems.append(f"{company.name}: chain broken at entry #{broken.sequence}")
        _anchor, problem = env["mediation.decision.anchor"]._verify(company)
        if problem:
            problems.append(f"{company.name}: {problem}")
    counts = Counter(f["result"] for f in filings)
    return {
        "filings": dict(counts),
        "confirmed_checked": len(confirmed),
        "cases_from_load": sum(cases_by_email.values()),
        "letters": len(letters),
        "attachments": len(rows),
        "files": len(files),
        "orphan_files": len(orphans),
        "pending_gc": len(pending),
        "chain_entries": entries,
        "problems": problems[:50],
        "problem_count": len(problems),
    }


def main(conf, db, command, *args):
    registry = _env(conf, db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "fr_FR", "tz": "Europe/Paris"})
        if command == "fingerprint":
            result = fingerprint(env)
        elif command == "prepare":
            result = prepare(env, json.loads(args[0]))
        elif command == "sign":
            result = sign(env)
        elif command == "activity":
            result = activity(env)
        elif command == "sendqueue":
            result = sendqueue(env)
        elif command == "mailqueue":
            result = mailqueue(env)
        elif command == "reconcile":
            result = reconcile(env, *args)
        else:
            raise SystemExit(f"unknown command {command}")
        cr.commit()
    sys.stdout.write(json.dumps(result) + "\n")
    return 1 if result.get("problem_count") else 0


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    sys.exit(main(*sys.argv[1:]))
