"""The route sweep (issue 23): every HTTP route of Odoo's routing map that
takes a record, an id or a token, and the ORM's read methods over JSON-RPC,
walked as every role, with and without the case's and the documents' access
tokens. No answer (status, headers, body, JSON, the text of a PDF) may carry a
marker of an audience closed to the role.

The routes come from the routing map, so a route added by any installed
module is walked too; routes that cannot be given a case, a message, a
document or a token are counted and reported, never silently dropped."""

import functools
import inspect
import itertools
import json
import logging
import re
import subprocess
import tempfile
import time
import uuid

from markupsafe import Markup

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import find_in_path

from .common import pdf_without_server
from .test_portal import MediationPortalCommon

_logger = logging.getLogger(__name__)

# One marker per audience or confidential item; each appears only in what it
# marks (a message body, a document's name and content, a letter's address).
CONSUMER_MESSAGE = "MKCONSUMERPRIVATEMSG"
CONSUMER_DOCUMENT = "MKCONSUMERPRIVATEDOC"
PROFESSIONAL_MESSAGE = "MKPROPRIVATEMSG"
PROFESSIONAL_DOCUMENT = "MKPROPRIVATEDOC"
JOINT_MESSAGE = "MKJOINTMSG"
TEAM_NOTE = "MKTEAMNOTE"
TEAM_DOCUMENT = "MKTEAMDOC"
CONSUMER_STREET = "MKCONSUMERSTREET"
PROFESSIONAL_STREET = "MKPROSTREET"
REFUSAL_NOTE = "MKREFUSALNOTE"
MARKERS = (
    CONSUMER_MESSAGE,
    CONSUMER_DOCUMENT,
    PROFESSIONAL_MESSAGE,
    PROFESSIONAL_DOCUMENT,
    JOINT_MESSAGE,
    TEAM_NOTE,
    TEAM_DOCUMENT,
    CONSUMER_STREET,
    PROFESSIONAL_STREET,
    REFUSAL_NOTE,
)
# Every employee reads the contacts, hence their postal addresses.
ADDRESSES = {CONSUMER_STREET, PROFESSIONAL_STREET}
CONSUMER_SIDE = {CONSUMER_MESSAGE, CONSUMER_DOCUMENT, JOINT_MESSAGE, REFUSAL_NOTE}
PROFESSIONAL_SIDE = {PROFESSIONAL_MESSAGE, PROFESSIONAL_DOCUMENT, JOINT_MESSAGE}
# login: the markers its audience opens to it (all others are closed).
ROLES = {
    "cm_consumer": CONSUMER_SIDE | {CONSUMER_STREET},
    "cm_pro": PROFESSIONAL_SIDE | {PROFESSIONAL_STREET},
    "sw_p_lawyer": PROFESSIONAL_SIDE | {PROFESSIONAL_STREET},
    "cm_stranger": set(),
    "sw_secretary": {JOINT_MESSAGE, TEAM_NOTE, TEAM_DOCUMENT} | ADDRESSES,
    "sw_accountant": ADDRESSES,
    "sw_employee": ADDRESSES,
    "case_mediator2": ADDRESSES,
    "sw_manager2": ADDRESSES,
    # A visitor, not logged in, with the tokens only.
    "public": set(),
}
# What the sweep must find, or it proves nothing: between them, the roles
# reach every marker of their own audiences.
MUST_FIND = {
    "cm_consumer": CONSUMER_SIDE | {CONSUMER_STREET},
    "cm_pro": PROFESSIONAL_SIDE | {PROFESSIONAL_STREET},
    "sw_secretary": {JOINT_MESSAGE, TEAM_NOTE, TEAM_DOCUMENT},
}

# Arguments that only shape an answer (sizes, names): a route that differs
# from another only by them is the same entry point.
COSMETIC_ARGS = {"filename", "width", "height", "unique", "size", "alpha", "page"}
COSMETIC_INTS = {"width", "height", "size", "alpha", "page"}
# Routes that change data are the write side of the issue (their own tests):
# the sweep reads.
MUTATING = re.compile(
    r"delete|remove|unlink|/post|update|create|write|upload|add|set_|toggle|"
    r"mark|join|leave|unfollow|unsubscribe|accept|decline|decide|fold|reaction|"
    r"drop|backup|restore|duplicate|password|deactivate|become|logout|destroy|"
    r"archive|save|modify|confirm|submit|notify|ping|broadcast|feedback|"
    r"transaction|resequence|import|convert|won|lost|hide|translate|security|"
    r"signup|reset|call_button|attachment_upload|is_internal|login|authenticate|"
    r"session|database|rpc|totp|profil|test|link_preview",
    re.IGNORECASE,
)
# Routes the sweep reaches otherwise: the ORM's JSON-RPC (walked method by
# method below).
ORM_ROUTES = {"DataSet.call_kw"}
RECORD_PARAMS = re.compile(
    r"(^|_)(id|ids|model|token|docids|reportname|data|subpath|step|attachments?)$"
)
RECORD_PREFIXES = (
    "/mail/",
    "/report/",
    "/web/content",
    "/web/image",
    "/my/",
    "/portal/",
    "/mediation/",
    "/json/",
)
# Entry points of issue 23 the sweep must walk (any other is walked too).
KNOWN_ROUTES = {
    "/mail/chatter_fetch",
    "/mail/thread/data",
    "/mail/thread/messages",
    "/mail/view",
    "/portal/chatter_init",
    "/web/content/<string:model>/<int:id>/<string:field>",
    "/web/image/<string:model>/<int:id>/<string:field>",
    "/report/<converter>/<reportname>/<docids>",
    "/report/download",
    "/my/mediation-cases/<int:case_id>",
    "/my/mediation-cases/<int:case_id>/documents/<int:attachment_id>",
    "/my/mediation-cases/<int:case_id>/letters/<string:step>",
    "/web/export/csv",
}
# ... and are given the tokens.
TOKEN_ROUTES = (
    "/mail/chatter_fetch",
    "/mail/thread/data",
    "/portal/chatter_init",
    "/mail/view",
    "/web/content/<string:model>/<int:id>/<string:field>",
    "/web/image/<string:model>/<int:id>/<string:field>",
)
TOKEN_PARAMS = ("access_token", "token")
MODEL_ARGS = ("thread_model", "model", "res_model")
ID_ARGS = (
    "thread_id",
    "res_id",
    "id",
    "case_id",
    "attachment_id",
    "message_id",
    "docids",
    "attachments",
    "file_ids",
)
# How a route takes its record id.
ID_FORMATS = {"docids": str, "attachments": str, "file_ids": str}
PRIVATE = ("consumer", "professional")
# Routes that pass their keywords on to Odoo's binary streaming, which
# takes an access_token (as the JSON chatter routes pass theirs on to
# _get_thread_with_access).
BINARY_ROUTES = ("/web/content", "/web/image")
LETTER_PREFIX = "consumer_mediation.report_case_"


def _pdf_text(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        result = subprocess.run(
            [find_in_path("pdftotext"), pdf.name, "-"],
            capture_output=True,
            check=False,
            timeout=60,
        )
    return result.stdout.decode(errors="replace")


@tagged("post_install", "-at_install")
class TestRouteSweep(MediationPortalCommon):
    """A case with a private message and document on each side, a joint
    message, a team note with its document, letters to each side (kept as
    sent, PDF) and a refused case with its refusal note; then the sweep."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pdf_without_server(cls.env)
        cls.consumer.street = f"12 rue {CONSUMER_STREET}"
        cls.consumer.city = "Lyon"
        cls.professional.street = f"1 quai {PROFESSIONAL_STREET}"
        cls.professional.city = "Marseille"
        cls.pro_lawyer = cls.env["res.partner"].create(
            {"name": "Maître Blanc", "email": "blanc@example.com"}
        )
        cls.pro_lawyer_user = cls._portal_user("sw_p_lawyer", cls.pro_lawyer)
        new_test_user(
            cls.env,
            "sw_secretary",
            groups="consumer_mediation.group_mediation_secretariat",
        )
        new_test_user(cls.env, "sw_accountant", groups="account.group_account_invoice")
        new_test_user(cls.env, "sw_employee", groups="base.group_user")
        company2 = cls.env["res.company"].create({"name": "Médiation Sud"})
        new_test_user(
            cls.env,
            "sw_manager2",
            groups="consumer_mediation.group_mediation_manager",
            company_id=company2.id,
            company_ids=[(6, 0, company2.ids)],
        )
        cls.case, cls.refused = cls._build_cases()

    @classmethod
    def _build_cases(cls):
        """Made by the actions, as their users make them (the parties' posts
        are what the portal's message route runs)."""
        as_mediator = cls.env(
            user=cls.mediator,
            context=dict(cls.env.context, force_report_rendering=True),
        )
        case = cls._case().with_env(as_mediator)
        case.representative_ids = [
            (0, 0, {"partner_id": cls.pro_lawyer.id, "party": "professional"})
        ]
        case.action_send_acknowledgement()
        case.action_start_review()
        case.action_admit()
        case.action_notify_saisine()
        for user, audience, body, document in (
            (cls.consumer_user, "consumer", CONSUMER_MESSAGE, CONSUMER_DOCUMENT),
            (cls.pro_user, "professional", PROFESSIONAL_MESSAGE, PROFESSIONAL_DOCUMENT),
            (cls.pro_user, "parties", JOINT_MESSAGE, None),
        ):
            party_case = case.with_user(user).sudo()
            drafts = party_case._portal_create_drafts(
                [(f"{document}.pdf", b"%PDF-1.4\n% " + document.encode())]
                if document
                else []
            )
            party_case._mediation_post(audience, Markup("<p>%s</p>") % body, drafts)
        case.message_post(
            body=TEAM_NOTE,
            subtype_xmlid="mail.mt_note",
            attachments=[
                (f"{TEAM_DOCUMENT}.pdf", b"%PDF-1.4\n% " + TEAM_DOCUMENT.encode())
            ],
        )
        refused = cls._case(date_complaint=False).with_env(as_mediator)
        cls.env["mediation.case.refuse.wizard"].with_env(as_mediator).create(
            {
                "case_ids": refused.ids,
                "ground_id": cls.ground_no_complaint.id,
                "note": REFUSAL_NOTE,
                "send_letter": True,
            }
        ).action_confirm()
        # Tokens as Odoo hands them out (the portal chatter, a shared link):
        # whoever holds one tries it.
        for record in (case | refused).sudo():
            record.access_token = str(uuid.uuid4())
        for document in (
            cls.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "mediation.case"),
                    ("res_id", "in", (case | refused).ids),
                ]
            )
        ):
            document.access_token = str(uuid.uuid4())
        return case.sudo(), refused.sudo()

    # ------------------------------------------------------------------
    # The values a route is given
    # ------------------------------------------------------------------
    @functools.cached_property
    def _records(self):
        """The values routes are given: the cases; the documents with a
        marker and, for each case and audience, a letter kept; the messages
        that carry them or a marker; the letters' reports."""
        cases = self.case | self.refused
        on_cases = [("model", "=", "mediation.case"), ("res_id", "in", cases.ids)]
        posted = self.env["mail.message"].search(on_cases, order="id")
        attachments = posted.attachment_ids.filtered(
            lambda a: any(marker in a.name for marker in MARKERS)
        )
        letters = set()
        for message in posted.filtered("attachment_ids"):
            group = (message.res_id, message.mediation_audience)
            if not (message.attachment_ids & attachments or group in letters):
                letters.add(group)
                attachments |= message.attachment_ids[:1]
        messages = posted.filtered(
            lambda m: (
                m.attachment_ids & attachments
                or any(marker in (m.body or "") for marker in MARKERS)
            )
        )
        reports = self.env["ir.actions.report"].search(
            [("model", "=", "mediation.case")]
        )
        return cases, messages, attachments, reports

    def _record_pairs(self, path, args, converters):
        """(model argument, id argument, [(model, id)]) a route is about, or
        the reason it cannot be given one."""
        cases, messages, attachments, _reports = self._records
        ids_of = {
            "mediation.case": cases.ids,
            "mail.message": messages.ids,
            "ir.attachment": attachments.ids,
        }
        model_arg = next((n for n in MODEL_ARGS if n in args), None)
        id_arg = next((n for n in ID_ARGS if n in args), None)
        for name, converter in converters.items():
            model = getattr(converter, "model", None)
            if model:
                if model not in ids_of:
                    return f"record of {model}"
                return None, name, [(model, rid) for rid in ids_of[model]]
        if model_arg and not id_arg:
            return model_arg, None, [(m, None) for m in ids_of]
        named = [m for m in ids_of if f"/{m}/" in path]
        if model_arg and "field" in args:
            # A binary field of a record: the documents hold the contents.
            kinds = ["ir.attachment"]
        elif "subpath" in args or (model_arg and model_arg != "thread_model"):
            kinds = list(ids_of)
        elif id_arg in ("case_id", "docids") or model_arg == "thread_model":
            kinds = ["mediation.case"]
        elif id_arg in ("attachment_id", "attachments", "file_ids") or (
            id_arg == "id" and path.startswith(("/web/content", "/web/image"))
        ):
            kinds = ["ir.attachment"]
        elif id_arg == "message_id":
            kinds = ["mail.message"]
        elif id_arg and named:
            kinds = named[:1]
        elif id_arg:
            # An id of no known model: the cases, then each party's private
            # message and document.
            private = messages.filtered(
                lambda m: m.mediation_audience in PRIVATE and m.author_id.user_ids.share
            )
            return (
                model_arg,
                id_arg,
                [
                    *(("mediation.case", rid) for rid in cases.ids),
                    *(("mail.message", rid) for rid in private.ids),
                    *(("ir.attachment", rid) for rid in private.attachment_ids.ids),
                ],
            )
        else:
            return model_arg, id_arg, [(None, None)]
        return model_arg, id_arg, [(m, rid) for m in kinds for rid in ids_of[m]]

    def _argument_values(self, name, model, rid, path, in_path):
        """The values tried for the argument ``name`` of a route about
        ``model`` ``rid``; None when it has none."""
        cases, messages, attachments, reports = self._records
        steps = [r.report_name.removeprefix(LETTER_PREFIX) for r in reports]
        values = {
            "case_id": cases.ids,
            "attachment_id": attachments.ids,
            "message_id": messages.ids,
            "request_list": [["attachments", "followers", "scheduledActivities"]],
            # pdf renders a kept letter, or (test mode) the HTML of a new
            # one; text is the third rendering method.
            "converter": ["pdf", "text"],
            "report_type": ["pdf", "html"],
            "zip_name": ["x.zip"],
            "step": steps,
            "reportname": reports.mapped("report_name"),
            # Routes given a field are given documents (_record_pairs).
            "field": ["datas"],
            "subpath": [f"{model}/{rid}"] if model else None,
        }
        if name == "data" and path == "/report/download":
            return [
                json.dumps([f"/report/pdf/{r.report_name}/{c}", "qweb-pdf"])
                for r in reports
                for c in cases.ids
                if self._coherent({"reportname": r.report_name, "docids": str(c)})
            ]
        if name == "data" and path in ("/web/export/csv", "/web/export/xlsx"):
            return [
                json.dumps(
                    {
                        "model": export_model,
                        "fields": [{"name": f, "label": f} for f in fields],
                        "ids": ids,
                        "domain": [],
                        "import_compat": False,
                    }
                )
                for export_model, ids, fields in (
                    ("mail.message", messages.ids, ["body", "attachment_ids/name"]),
                    ("ir.attachment", attachments.ids, ["name", "datas"]),
                    ("mediation.case", cases.ids, ["refusal_note", "message_ids/body"]),
                )
            ]
        if name in COSMETIC_ARGS:
            return [1 if name in COSMETIC_INTS else "x.pdf"] if in_path else None
        return values.get(name)

    def _coherent(self, values):
        """A letter is printed for the case it was written for (the refusal
        for the refused case): any other pair renders the same code."""
        report, docids = values.get("reportname"), values.get("docids")
        if not (report and docids):
            return True
        refusal = report == f"{LETTER_PREFIX}refusal"
        return docids == str(self.refused.id if refusal else self.case.id)

    def _route_variants(self, rule, endpoint):
        """[(method, path, params)] for ``rule``, or the reason it cannot be
        parametrised."""
        signature = inspect.signature(endpoint)
        params = [p for name, p in signature.parameters.items() if name != "self"]
        takes_any = any(p.kind == p.VAR_KEYWORD for p in params)
        names = {
            p.name for p in params if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        }
        converters = dict(rule._converters)
        path_args = set(converters)
        found = self._record_pairs(rule.rule, path_args | names, converters)
        if isinstance(found, str):
            return found
        model_arg, id_arg, pairs = found
        cases, _messages, attachments, _reports = self._records
        tokens = {("mediation.case", c.id): c.access_token for c in cases} | {
            ("ir.attachment", a.id): a.access_token for a in attachments
        }
        routing = rule.endpoint.routing
        is_json = routing.get("type") in ("json", "jsonrpc")
        variants = []
        for model, rid in pairs:
            values = {model_arg: model} if model_arg else {}
            if id_arg:
                values[id_arg] = ID_FORMATS.get(id_arg, lambda i: i)(rid)
            options = {}
            for name in (path_args | names) - set(values) - set(TOKEN_PARAMS):
                options[name] = self._argument_values(
                    name, model, rid, rule.rule, name in path_args
                )
                if options[name] is not None:
                    continue
                if name in path_args:
                    return f"path argument {name}"
                if signature.parameters[name].default is inspect.Parameter.empty:
                    return f"required parameter {name}"
                del options[name]
            for combination in itertools.product(*options.values()):
                base = {**values, **dict(zip(options, combination, strict=True))}
                if not self._coherent(base):
                    continue
                variants.append(base)
                token = tokens.get((model, rid))
                if token and (
                    set(TOKEN_PARAMS) & names
                    or (takes_any and (is_json or rule.rule.startswith(BINARY_ROUTES)))
                ):
                    variants.append({**base, "access_token": token, "token": token})
        if is_json:
            method = "json"
        else:
            method = "GET" if "GET" in (routing.get("methods") or ["GET"]) else "POST"
        return [
            (
                method,
                re.sub(
                    r"<(?:[^<>:]*:)?(\w+)>",
                    lambda m, v=variant: str(v[m.group(1)]),
                    rule.rule,
                ),
                {k: v for k, v in variant.items() if k not in path_args},
            )
            for variant in variants
        ]

    def _walk_plan(self):
        """{route: [(method, path, params)]} and {route: reason skipped}.
        Routes are deduplicated by endpoint: the same function behind several
        URL shapes is walked once, through its rule that takes the most
        records (e.g. /web/content/<model>/<id>/<field>)."""
        endpoints = {}
        for rule in self.env["ir.http"].routing_map().iter_rules():
            endpoint = getattr(rule.endpoint, "original_endpoint", rule.endpoint)
            key = (endpoint.__module__, endpoint.__qualname__)
            endpoints.setdefault(key, (endpoint, []))[1].append(rule)
        plan, skipped = {}, {}
        for (_module, name), (endpoint, rules) in endpoints.items():
            names = set(inspect.signature(endpoint).parameters) - {"self"}
            rules = sorted(
                rules,
                key=lambda r: (
                    -len(set(r.arguments) - COSMETIC_ARGS),
                    len(r.arguments),
                ),
            )
            if (
                name in ORM_ROUTES
                or not any(
                    set(r.arguments) - COSMETIC_ARGS
                    or r.rule.startswith(RECORD_PREFIXES)
                    for r in rules
                )
                and not any(RECORD_PARAMS.search(n) for n in names)
            ):
                continue
            plain = re.sub(r"<[^>]*>", "", rules[0].rule)
            if MUTATING.search(plain) or MUTATING.search(name):
                skipped[rules[0].rule] = "changes data (write side)"
                continue
            for rule in rules:
                variants = self._route_variants(rule, endpoint)
                if not isinstance(variants, str):
                    plan[rule.rule] = variants
                    break
            else:
                skipped[rules[0].rule] = f"cannot be parametrised: {variants}"
        return plan, skipped

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------
    def _answer(self, method, url, params):
        """The whole answer as text. A redirection is not followed: where it
        leads is a route of the sweep itself."""
        target = self.base_url() + url
        if method == "json":
            payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
            response = self.opener.post(
                target,
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
                timeout=60,
            )
        else:
            params = {
                k: json.dumps(v) if isinstance(v, list) else v
                for k, v in params.items()
            }
            if method == "POST":
                params["csrf_token"] = self.csrf
            response = self.opener.request(
                method,
                target,
                **{"data" if method == "POST" else "params": params},
                timeout=60,
                allow_redirects=False,
            )
        content = response.content
        text = f"{response.status_code} {dict(response.headers)} " + content.decode(
            errors="replace"
        )
        if content.startswith(b"%PDF"):
            text += _pdf_text(content)
        return text

    def _orm_calls(self):
        cases, messages, attachments, _reports = self._records
        message_spec = {"body": {}, "attachment_ids": {"fields": {"name": {}}}}
        on_cases = [("model", "=", "mediation.case")]
        on_case_files = [("res_model", "=", "mediation.case")]
        return [
            (
                "mail.message",
                "search_read",
                [on_cases],
                {"fields": ["body", "attachment_ids"]},
            ),
            ("mail.message", "read", [messages.ids, ["body", "attachment_ids"]], {}),
            (
                "mail.message",
                "web_search_read",
                [],
                {"domain": on_cases, "specification": message_spec},
            ),
            (
                "mail.message",
                "web_read",
                [messages.ids],
                {"specification": message_spec},
            ),
            (
                "mail.message",
                "read_group",
                [on_cases, ["body:array_agg"], ["res_id"]],
                {},
            ),
            (
                "ir.attachment",
                "search_read",
                [on_case_files],
                {"fields": ["name", "access_token", "raw"]},
            ),
            (
                "ir.attachment",
                "read",
                [attachments.ids, ["name", "access_token", "raw"]],
                {},
            ),
            (
                "ir.attachment",
                "web_search_read",
                [],
                {
                    "domain": on_case_files,
                    "specification": {"name": {}, "access_token": {}},
                },
            ),
            (
                "ir.attachment",
                "web_read",
                [attachments.ids],
                {"specification": {"name": {}, "raw": {}}},
            ),
            (
                "ir.attachment",
                "read_group",
                [on_case_files, ["name:array_agg"], ["res_id"]],
                {},
            ),
            (
                "mediation.case",
                "search_read",
                [[]],
                {"fields": ["name", "access_token", "refusal_note"]},
            ),
            ("mediation.case", "read", [cases.ids, ["refusal_note"]], {}),
            (
                "mediation.case",
                "read",
                [cases.ids, ["access_token", "message_ids"]],
                {},
            ),
            (
                "mediation.case",
                "web_read",
                [cases.ids],
                {
                    "specification": {
                        "message_ids": {"fields": message_spec},
                        "website_message_ids": {"fields": message_spec},
                    }
                },
            ),
            (
                "mediation.case",
                "web_search_read",
                [],
                {
                    "domain": [],
                    "specification": {
                        "message_ids": {"fields": message_spec},
                        "access_token": {},
                    },
                },
            ),
            (
                "mediation.case",
                "read_group",
                [[], ["refusal_note:array_agg"], ["state"]],
                {},
            ),
            (
                "ir.actions.report",
                "search_read",
                [[("model", "=", "mediation.case")]],
                {"fields": ["report_name"]},
            ),
        ]

    # ------------------------------------------------------------------
    # The sweep
    # ------------------------------------------------------------------
    @mute_logger(
        "odoo.http",
        "odoo.sql_db",
        "odoo.addons.web.controllers.report",
        "odoo.addons.report_xlsx.controllers.main",
        "odoo.addons.base.models.ir_qweb",
        "odoo.addons.web.controllers.json",
        "odoo.addons.web.controllers.export",
    )
    def test_route_sweep(self):
        started = time.monotonic()
        plan, skipped = self._walk_plan()
        # The entry points of the issue stay in the sweep, whatever it learns.
        self.assertLessEqual(KNOWN_ROUTES, set(plan))
        for route in TOKEN_ROUTES:
            self.assertTrue(any("token" in p for _m, _u, p in plan[route]), route)
        orm_calls = self._orm_calls()
        leaks, found = [], {}
        count = 0
        logins = list(ROLES)
        for login in logins:
            if login == "public":
                self.authenticate(None, None)
            else:
                self.authenticate(login, login)
            self.csrf = self._csrf("/my")
            closed = set(MARKERS) - ROLES[login]
            seen = found.setdefault(login, set())
            answers = []
            for route, requests in plan.items():
                for method, url, params in requests:
                    answers.append(
                        (
                            f"{route} {url} {sorted(params)}",
                            self._answer(method, url, params),
                        )
                    )
            for model, function, args, kwargs in orm_calls:
                answers.append(
                    (
                        f"call_kw {model}.{function}",
                        self._answer(
                            "json",
                            f"/web/dataset/call_kw/{model}/{function}",
                            {
                                "model": model,
                                "method": function,
                                "args": args,
                                "kwargs": kwargs,
                            },
                        ),
                    )
                )
            count += len(answers)
            for where, text in answers:
                present = {marker for marker in MARKERS if marker in text}
                seen |= present
                leaks += [
                    f"{login}: {marker} via {where}" for marker in present & closed
                ]
        _logger.info(
            "route sweep: %s routes x %s roles, %s requests in %.0f s; %s routes "
            "skipped: %s",
            len(plan) + 1,
            len(logins),
            count,
            time.monotonic() - started,
            len(skipped),
            "; ".join(f"{route} ({why})" for route, why in sorted(skipped.items())),
        )
        self.assertFalse(leaks, "\n".join(sorted(set(leaks))))
        for login, markers in MUST_FIND.items():
            self.assertLessEqual(markers, found[login], login)

    # ------------------------------------------------------------------
    # The faults of the issue, one by one
    # ------------------------------------------------------------------
    def _json(self, url, params):
        return self.opener.post(
            self.base_url() + url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
            timeout=60,
        ).text

    @mute_logger("odoo.http")
    def test_a_token_opens_nothing(self):
        documents = self.env["ir.attachment"].search(
            [
                (
                    "name",
                    "in",
                    (f"{CONSUMER_DOCUMENT}.pdf", f"{PROFESSIONAL_DOCUMENT}.pdf"),
                )
            ]
        )
        self.assertEqual(len(documents), 2)
        for login in (
            "sw_secretary",
            "sw_accountant",
            "sw_employee",
            "case_mediator2",
            "sw_manager2",
        ):
            self.authenticate(login, login)
            answer = self._json(
                "/mail/chatter_fetch",
                {
                    "thread_model": "mediation.case",
                    "thread_id": self.case.id,
                    "token": self.case.access_token,
                    "limit": 100,
                },
            )
            for marker in (CONSUMER_MESSAGE, PROFESSIONAL_MESSAGE, CONSUMER_DOCUMENT):
                self.assertNotIn(marker, answer, login)
            for document in documents:
                response = self.url_open(
                    f"/web/content/{document.id}?access_token={document.access_token}"
                )
                self.assertNotEqual(response.status_code, 200, login)
            # Nobody but the system reads the case's token.
            answer = self._json(
                "/web/dataset/call_kw/mediation.case/read",
                {
                    "model": "mediation.case",
                    "method": "read",
                    "args": [self.case.ids, ["access_token"]],
                    "kwargs": {},
                },
            )
            self.assertNotIn(self.case.access_token, answer, login)
        # No new token is handed out for a case's documents.
        self.assertEqual(documents.generate_access_token(), [False, False])

    @mute_logger("odoo.http", "odoo.addons.web.controllers.report")
    def test_report_routes_print_a_letter_for_its_audience_only(self):
        self.authenticate("cm_pro", "cm_pro")
        for converter in ("pdf", "html"):
            response = self.url_open(
                f"/report/{converter}/consumer_mediation.report_case_saisine/{self.case.id}"
            )
            self.assertEqual(response.status_code, 200)
            text = self._text(response.content)
            self.assertIn(PROFESSIONAL_STREET, text)
            self.assertNotIn(CONSUMER_STREET, text)
        # A letter to the consumer alone is not the professional's.
        response = self.url_open(
            f"/report/pdf/consumer_mediation.report_case_acknowledgement/{self.case.id}"
        )
        self.assertNotIn(CONSUMER_STREET, self._text(response.content))
        self.authenticate("sw_secretary", "sw_secretary")
        for converter in ("pdf", "html", "text"):
            response = self.url_open(
                f"/report/{converter}/consumer_mediation.report_case_refusal/"
                f"{self.refused.id}"
            )
            self.assertNotIn(REFUSAL_NOTE, self._text(response.content))
        # The secretariat still prints the letters it sends.
        response = self.url_open(
            "/report/html/consumer_mediation.report_case_acknowledgement/"
            f"{self.case.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(CONSUMER_STREET, response.text)

    def _text(self, content):
        return _pdf_text(content) if content.startswith(b"%PDF") else content.decode()

    def test_portal_letters_download_as_pdf(self):
        for login, case, own, other in (
            ("cm_consumer", self.case, CONSUMER_STREET, PROFESSIONAL_STREET),
            ("cm_consumer", self.refused, REFUSAL_NOTE, PROFESSIONAL_STREET),
            ("cm_pro", self.case, PROFESSIONAL_STREET, CONSUMER_STREET),
            ("sw_p_lawyer", self.case, PROFESSIONAL_STREET, CONSUMER_STREET),
        ):
            self.authenticate(login, login)
            user = self.env["res.users"].search([("login", "=", login)])
            steps = [
                step
                for step, _report in case._portal_letters(
                    case._mediation_sides(user.partner_id)
                )
            ]
            self.assertTrue(steps, login)
            for step in steps:
                response = self.url_open(f"{case.access_url}/letters/{step}")
                self.assertEqual(response.status_code, 200, f"{login} {step}")
                self.assertEqual(response.headers["Content-Type"], "application/pdf")
                self.assertIn("attachment", response.headers["Content-Disposition"])
                self.assertTrue(response.content.startswith(b"%PDF"), f"{login} {step}")
                text = " ".join(_pdf_text(response.content).split())
                self.assertIn(own, text, f"{login} {step}")
                self.assertNotIn(other, text, f"{login} {step}")
