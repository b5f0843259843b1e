"""Load of the production rehearsal (make rehearsal), for Locust, headless.

Read from the environment: REHEARSAL_SETTINGS (the JSON of rehearsal_odoo.py
prepare, plus password, maildir, journal). Each request is named
"<kind>: <page>" so that docs/scale.md gives figures per kind of user.

- visitors read the public pages and file a request with a document, read
  the confirmation e-mail in the SMTP server's mailbox, open its link (a
  page with a button) and press the button (a CSRF-checked POST); the
  outcome of each filing is appended to the journal that the reconciliation
  reads;
- consumers and professionals read their case and post a message with a file;
- mediators list, open and annotate cases (JSON-RPC, as the web client does);
- the accountant runs the batch invoicing wizard.
"""

import email
import json
import mailbox
import os
import random
import re
import time
import uuid
from datetime import date, datetime, timezone

import urllib3
from locust import HttpUser, between, task

# nginx's certificate is made on the fly, self-signed: not verified.
urllib3.disable_warnings()

SETTINGS = json.loads(os.environ.get("REHEARSAL_SETTINGS", "{}"))
CSRF = re.compile(r'(?:name="csrf_token" value="|csrf_token: ")([^"]+)"')
CONFIRM = re.compile(r"https?://[^\s\"'<>]+/mediation/confirm/([\w-]+)")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAIL_WAIT = float(os.environ.get("REHEARSAL_MAIL_WAIT", "150"))
CLICK_TRIES = 3


def _csrf(response):
    match = CSRF.search(response.text)
    return match.group(1) if match else ""


def _journal(record):
    with open(SETTINGS["journal"], "a", encoding="utf-8") as journal:
        journal.write(json.dumps(record) + "\n")


def _find_confirmation(address):
    """The confirmation link sent to ``address``, from the SMTP server's
    outgoing mailbox (None until it arrives)."""
    box = mailbox.Maildir(SETTINGS["maildir"] + "/outgoing", create=False)
    for key in box.iterkeys():
        message = box.get(key)
        if message is None or address not in (message.get("X-Rehearsal-Rcpt-To") or ""):
            continue
        for part in email.message_from_bytes(message.as_bytes()).walk():
            if part.get_content_maintype() == "text":
                text = part.get_payload(decode=True).decode(
                    part.get_content_charset() or "utf-8", "replace"
                )
                found = CONFIRM.search(text)
                if found:
                    return found.group(1)
    return None


class Base(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self):
        self.client.verify = False

    def login(self, login):
        page = self.client.get("/web/login", name=f"{self.kind}: /web/login")
        response = self.client.post(
            "/web/login",
            data={
                "login": login,
                "password": SETTINGS["password"],
                "csrf_token": _csrf(page),
                "redirect": "/my",
            },
            name=f"{self.kind}: POST /web/login",
        )
        return response.ok and "/web/login" not in response.url

    def rpc(self, model, method, args, kwargs=None, label=None):
        response = self.client.post(
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            },
            name=f"{self.kind}: {label or method}",
            catch_response=True,
        )
        with response:
            body = response.json() if response.ok else {}
            if "error" in body:
                response.failure(
                    body["error"].get("data", {}).get("message", "rpc error")[:200]
                )
                return None
            return body.get("result")


class Visitor(Base):
    kind = "visitor"
    weight = 4

    @task(3)
    def read_public_pages(self):
        for path in ("/mediation", "/mediation/members"):
            self.client.get(path, name=f"visitor: {path}")

    @task(1)
    def file_with_document(self):
        address = f"rehearsal-{uuid.uuid4().hex[:12]}@consommateurs.test"
        page = self.client.get("/mediation/saisine", name="visitor: /mediation/saisine")
        web_token = re.search(r'name="web_token" value="([^"]+)"', page.text)
        step1 = {
            "csrf_token": _csrf(page),
            "web_token": web_token.group(1) if web_token else uuid.uuid4().hex,
            "professional_id": str(random.choice(SETTINGS["covered"])),
            "complaint_sent": "yes",
            "date_complaint": date.today().replace(day=1).isoformat(),
            "action": "check",
        }
        page = self.client.post(
            "/mediation/saisine/check", data=step1, name="visitor: POST saisine/check"
        )
        step2 = {
            **step1,
            "csrf_token": _csrf(page) or step1["csrf_token"],
            "name": "Camille Répétition",
            "email": address,
            "subject_id": str(random.choice(SETTINGS["subjects"]))
            if SETTINGS["subjects"]
            else "",
            "amount": "149.90",
            "description": "Colis jamais livré malgré ma réclamation écrite.",
            "consent": "1",
        }
        record = {"email": address, "token": step1["web_token"], "result": "not sent"}
        with self.client.post(
            "/mediation/saisine/submit",
            data=step2,
            files={
                "documents": (
                    "facture.pdf",
                    PDF + uuid.uuid4().bytes,
                    "application/pdf",
                )
            },
            name="visitor: POST saisine/submit",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "saisine/done" in response.url:
                response.failure(
                    f"filing not awaiting confirmation: {response.status_code}"
                )
                _journal(record)
                return
        record["result"] = "no e-mail"
        deadline = time.monotonic() + MAIL_WAIT
        token = None
        while time.monotonic() < deadline and not token:
            time.sleep(2)
            token = _find_confirmation(address)
        if not token:
            _journal(record)
            return
        record["result"] = "retry"
        for _try in range(CLICK_TRIES):
            page = self.client.get(
                f"/mediation/confirm/{token}", name="visitor: /mediation/confirm (GET)"
            )
            if page.status_code != 200:
                time.sleep(3)
                continue
            with self.client.post(
                f"/mediation/confirm/{token}",
                data={"csrf_token": _csrf(page)},
                name="visitor: POST /mediation/confirm",
                catch_response=True,
            ) as response:
                if response.ok and "saisine/done" in response.url:
                    record.update(
                        result="filed",
                        confirmed_at=datetime.now(timezone.utc).isoformat(),
                    )
                    break
                response.failure(f"confirmation: {response.status_code}")
            time.sleep(3)
        _journal(record)


class Party(Base):
    abstract = True

    def on_start(self):
        super().on_start()
        self.logged_in = False
        if SETTINGS.get(self.pool):
            self.login_name, self.case_id = random.choice(SETTINGS[self.pool])
            self.logged_in = self.login(self.login_name)

    @task(3)
    def read_case(self):
        if not self.logged_in:
            return
        self.client.get("/my/mediation-cases", name=f"{self.kind}: /my/mediation-cases")
        self.client.get(
            f"/my/mediation-cases/{self.case_id}", name=f"{self.kind}: case page"
        )

    @task(1)
    def post_message_with_file(self):
        if not self.logged_in:
            return
        page = self.client.get(
            f"/my/mediation-cases/{self.case_id}", name=f"{self.kind}: case page"
        )
        with self.client.post(
            f"/my/mediation-cases/{self.case_id}/documents",
            data={
                "csrf_token": _csrf(page),
                "body": f"Pièce complémentaire {uuid.uuid4().hex[:8]}",
                "audience": "mediator",
            },
            files={
                "documents": ("piece.pdf", PDF + uuid.uuid4().bytes, "application/pdf")
            },
            name=f"{self.kind}: POST message with file",
            catch_response=True,
        ) as response:
            if not response.ok:
                response.failure(f"message: {response.status_code}")


class Consumer(Party):
    kind = "consumer"
    pool = "consumers"
    weight = 3


class Professional(Party):
    kind = "professional"
    pool = "professionals"
    weight = 1


class Mediator(Base):
    kind = "mediator"
    weight = 2

    def on_start(self):
        super().on_start()
        self.logged_in = self.login(random.choice(SETTINGS["mediators"]))

    @task
    def list_open_and_act(self):
        if not self.logged_in:
            return
        page = self.rpc(
            "mediation.case",
            "web_search_read",
            [[["state", "not in", ["closed", "refused"]]]],
            {
                "specification": {
                    "name": {},
                    "state": {},
                    "consumer_id": {"fields": {"display_name": {}}},
                },
                "limit": 80,
            },
            label="list cases",
        )
        records = (page or {}).get("records") or []
        if not records:
            return
        case = random.choice(records)
        self.rpc(
            "mediation.case",
            "web_read",
            [[case["id"]]],
            {
                "specification": {
                    "name": {},
                    "state": {},
                    "description": {},
                    "message_ids": {},
                }
            },
            label="open case",
        )
        self.rpc(
            "mediation.case",
            "message_post",
            [[case["id"]]],
            {
                "body": "Note de la répétition",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_note",
            },
            label="note on case",
        )


class Accountant(Base):
    kind = "accountant"
    fixed_count = 1
    wait_time = between(20, 30)

    def on_start(self):
        super().on_start()
        self.logged_in = self.login(SETTINGS["accountant"])

    @task
    def batch_invoicing(self):
        if not self.logged_in:
            return
        wizard = self.rpc(
            "mediation.invoice.wizard", "create", [{}], label="invoicing wizard"
        )
        if wizard:
            self.rpc(
                "mediation.invoice.wizard",
                "action_invoice",
                [[wizard]],
                label="batch invoicing",
            )
