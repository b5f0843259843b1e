from pathlib import Path

from odoo import Command
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user, tagged

from .common import MediationCaseCommon

OPERATIONS = ("read", "write", "create", "unlink")
# Models of the matrix whose records live in the records of a case.
CASE_LINKS = {
    "mediation.case": "id",
    "mediation.case.extension": "case_id",
    "mediation.case.representative": "case_id",
    "mediation.decision.log": "case_id",
    "mediation.case.signature": "case_id",
    "mediation.case.analysis": "case_id",
    "mediation.case.fee": "case_id",
}
# Operations in the order of a cell's letters: read, write, create, delete.
CELL_LETTERS = "rwcd"


def _matrix_rows():
    """{(model, group label): cell} from the table of docs/access-matrix.md: its header
    row names the groups, then one row per model. A row with the wrong number of cells
    gives its model one cell None."""
    doc = Path(get_module_path("consumer_mediation")).parent / "docs/access-matrix.md"
    table = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in doc.read_text(encoding="utf-8").splitlines()
        if line.startswith("|")
    ]
    header, _rule, *body = table
    groups = header[1:]
    rows = {}
    for model, *cells in body:
        if len(cells) != len(groups):
            rows[model.strip("`"), ""] = None
            continue
        rows.update(
            ((model.strip("`"), group), cell)
            for group, cell in zip(groups, cells, strict=True)
        )
    return rows


def _parse_cell(cell):
    """'-' is no access; 'rwc all' is (read, write, create, no delete) on 'all'.
    None when the cell does not follow that form."""
    if cell == "-":
        return (False,) * len(CELL_LETTERS), "none"
    letters, _space, scope = cell.partition(" ")
    if not letters or letters != "".join(x for x in CELL_LETTERS if x in letters):
        return None
    return tuple(x in letters for x in CELL_LETTERS), scope


def _cell(perms, scope):
    letters = "".join(
        x for x, allowed in zip(CELL_LETTERS, perms, strict=True) if allowed
    )
    return f"{letters} {scope}" if letters else "-"


@tagged("post_install", "-at_install")
class TestAccessMatrix(MediationCaseCommon):
    """The access matrix of docs/access-matrix.md is checked against the real access
    rights and record rules: a user of each group tries each operation, and reads a set
    of records covering every visibility the record rules make."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lawyer = cls.env["res.partner"].create({"name": "Maître Roux"})
        other_pro = cls.env["res.partner"].create(
            {"name": "Voyages Azur", "is_company": True}
        )
        employee = cls.env["res.partner"].create(
            {"name": "Paul Azur", "parent_id": other_pro.id}
        )
        consumer2 = cls.env["res.partner"].create({"name": "Hugo Dubois"})
        cls.mine = cls._case()
        # Asked to enter the mediation: the professional's side sees it.
        cls.unassigned = cls._case(
            mediator_id=False,
            professional_id=other_pro.id,
            consumer_id=consumer2.id,
            date_professional_requested=cls.today,
        )
        cls.others = cls._case(
            mediator_id=cls.other_mediator.id, consumer_id=consumer2.id
        )
        cases = cls.mine | cls.unassigned | cls.others
        for case in cases:
            case.representative_ids = [
                Command.create(
                    {"partner_id": lawyer.id if case == cls.others else consumer2.id}
                )
            ]
            cls.env["mediation.case.extension"].create(
                {
                    "case_id": case.id,
                    "previous_deadline": cls.today,
                    "new_deadline": cls.today,
                    "reason": "Expert",
                }
            )
        cls.env["mediation.decision.log"]._append(cases, "admissibility")
        for case in cases:
            cls.env["mediation.case.signature"].create(
                {
                    "case_id": case.id,
                    "party": "consumer",
                    "decision": "withdrawal",
                    "signer_name": case.consumer_id.name,
                    "statement": "I withdraw.",
                }
            )
        fee_product = cls.env.ref(
            "consumer_mediation.product_mediation_case_fee_simple"
        )
        for case in cases:
            cls.env["mediation.case.fee"].create(
                {
                    "case_id": case.id,
                    "case_reference": case.name,
                    "kind": "case",
                    "date": cls.today,
                    "contract_id": cls.contract.id,
                    "partner_id": cls.professional.id,
                    "product_id": fee_product.id,
                    "amount": 150.0,
                }
            )
        cls.cases = cases
        portal = "base.group_portal"
        cls.users = {
            "public": cls.env.ref("base.public_user"),
            "portal consumer": new_test_user(
                cls.env, "am_consumer", groups=portal, partner_id=cls.consumer.id
            ),
            "portal professional": new_test_user(
                cls.env, "am_pro", groups=portal, partner_id=employee.id
            ),
            "representative": new_test_user(
                cls.env, "am_lawyer", groups=portal, partner_id=lawyer.id
            ),
            "mediation user": cls.mediator,
            "mediation manager": cls.manager,
            "accountant": new_test_user(
                cls.env, "am_accountant", groups="account.group_account_invoice"
            ),
            "other internal user": new_test_user(
                cls.env, "am_employee", groups="base.group_user"
            ),
            "mediation secretariat": new_test_user(
                cls.env,
                "am_secretary",
                groups="consumer_mediation.group_mediation_secretariat",
            ),
        }
        convention = cls.env["contract.contract"].create(
            {
                "name": "Convention",
                "partner_id": other_pro.id,
                "mediation_kind": "convention",
                "date_start": cls.today,
                "contract_type": "sale",
            }
        )
        cls.fixtures = {
            "mediation.case.subject": cls.env["mediation.case.subject"].search([]),
            "mediation.refusal.ground": cls.env["mediation.refusal.ground"].search([]),
            "mediation.outcome": cls.env["mediation.outcome"].search([]),
            "mediation.document.type": cls.env["mediation.document.type"].search([]),
            "mediation.convention.member": cls.env[
                "mediation.convention.member"
            ].create({"contract_id": convention.id, "partner_id": other_pro.id}),
            "mediation.tariff": cls.env["mediation.tariff"].search([]),
            "mediation.tariff.line": cls.env["mediation.tariff.line"].search([]),
            "mediation.compliance.check": cls.env["mediation.compliance.check"].create(
                {"partner_id": other_pro.id, "channel": "website"}
            ),
            "mediation.activity.report": cls.env["mediation.activity.report"].create(
                {}
            ),
            "mediation.decision.anchor": cls.env["mediation.decision.anchor"].create(
                {
                    "company_id": cls.company.id,
                    "sequence": 1,
                    "head_hash": "0" * 64,
                    "date_signed": "2026-01-01 05:00:00",
                    "signature": "0" * 64,
                }
            ),
            "mediation.web.throttle": cls.env["mediation.web.throttle"].create(
                {"scope": "filing", "client_key": "0" * 64}
            ),
        }
        cls.fixtures["mediation.web.request"] = cls.env["mediation.web.request"].create(
            {
                "kind": "case",
                "email": "visitor@example.com",
                "form_token": "matrix-form",
                "token_hash": "0" * 64,
                "date_expiry": "2026-01-01 05:00:00",
                "values": {"case": {}, "contact": {}},
            }
        )
        for model, link in CASE_LINKS.items():
            cls.fixtures[model] = cls.env[model].search([(link, "in", cases.ids)])

    def _expected_records(self, model, group, scope):
        records = self.fixtures[model]
        link = CASE_LINKS.get(model)
        case_of = (lambda r: r) if link == "id" else (lambda r: r[link])
        if scope == "none":
            return records.browse()
        if scope == "all":
            return records
        if link and scope == "assigned":
            return records.filtered(
                lambda r: (
                    case_of(r).mediator_id in (self.mediator, self.env["res.users"])
                )
            )
        if link and scope == "own":
            own = {
                "portal consumer": self.mine,
                "portal professional": self.unassigned,
                "representative": self.others,
            }.get(group, self.cases.browse())
            return records.filtered(lambda r: case_of(r) in own)
        return None

    def test_matrix_matches_access_rights_and_record_rules(self):
        rows = _matrix_rows()
        registry = self.env.registry
        addon_models = {
            name
            for name, model in registry.items()
            if model._original_module == "consumer_mediation" and not model._abstract
        }
        errors = []
        for model in sorted(addon_models):
            missing = [group for group in self.users if (model, group) not in rows]
            if missing:
                errors.append(
                    f"{model}: no cell for {', '.join(missing)} "
                    "(see 'Adding a model' in docs/access-matrix.md)"
                )
        for (model, group), cell in sorted(rows.items()):
            if cell is None:
                errors.append(f"{model}: not one cell per group")
                continue
            if group not in self.users:
                errors.append(f"unknown group {group!r}")
                continue
            if model not in registry:
                errors.append(f"unknown model {model!r}")
                continue
            parsed = _parse_cell(cell)
            if parsed is None:
                errors.append(f"{model} / {group}: {cell!r} is not a cell")
                continue
            perms, scope = parsed
            Model = self.env[model].with_user(self.users[group])
            actual = tuple(Model.has_access(op) for op in OPERATIONS)
            if actual != perms:
                errors.append(f"{model} / {group}: rights are {_cell(actual, scope)}")
            if Model._transient:
                if any(perms) and scope != "own":
                    errors.append(f"{model} / {group}: records are 'own' (wizard)")
                continue
            if model not in self.fixtures:
                errors.append(f"{model}: add fixture records to this test")
                continue
            expected = self._expected_records(model, group, scope)
            if expected is None:
                errors.append(f"{model} / {group}: unknown records {scope!r}")
                continue
            fixtures = self.fixtures[model]
            visible = (
                Model.search([("id", "in", fixtures.ids)])
                if actual[0]
                else fixtures.browse()
            )
            if visible != expected:
                errors.append(
                    f"{model} / {group}: sees {len(visible)} of the "
                    f"{len(fixtures)} test records, not {scope!r}"
                )
        self.assertFalse(errors, "\n".join(errors))
