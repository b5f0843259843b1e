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
MATRIX_HEADING = "## Access matrix"


def _matrix_rows():
    """{(model, group label): row cells} from the tables of the "Access
    matrix" sections (up to the next second-level heading) of README.md and
    of the topic documents in docs/ (a topic's own models are listed there
    until the README takes them in)."""
    root = Path(get_module_path("consumer_mediation")).parent
    rows = {}
    for path in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        lines = path.read_text(encoding="utf-8").splitlines()
        if MATRIX_HEADING not in lines:
            continue
        start = lines.index(MATRIX_HEADING) + 1
        end = next(
            (i for i in range(start, len(lines)) if lines[i].startswith("## ")),
            len(lines),
        )
        for line in lines[start:end]:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not line.startswith("|") or len(cells) != 7 or cells[0] == "Model":
                continue
            if set(cells[0]) <= {"-", ":"}:
                continue
            model, group, *perms, records = cells
            rows[model.strip("`"), group] = {
                "perms": tuple(perm == "yes" for perm in perms),
                "records": records,
            }
    return rows


@tagged("post_install", "-at_install")
class TestAccessMatrix(MediationCaseCommon):
    """The access matrix of README.md is checked against the real access rights and
    record rules: a user of each group tries each operation, and reads a set of
    records covering every visibility the record rules make."""

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
        cls.unassigned = cls._case(
            mediator_id=False, professional_id=other_pro.id, consumer_id=consumer2.id
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
        }
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
        if link and scope == "assigned or unassigned cases":
            return records.filtered(
                lambda r: (
                    case_of(r).mediator_id in (self.mediator, self.env["res.users"])
                )
            )
        if link and scope == "own cases":
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
        missing = sorted(
            f"{model} / {group}"
            for model in addon_models
            for group in self.users
            if (model, group) not in rows
        )
        self.assertFalse(
            missing,
            "The access matrix (README.md, docs/*.md) has no row for these models "
            "and groups; add them as the README's 'Adding a row' part explains",
        )
        errors = []
        for (model, group), row in sorted(rows.items()):
            if group not in self.users:
                errors.append(f"{model}: unknown group {group!r}")
                continue
            Model = self.env[model].with_user(self.users[group])
            actual = tuple(Model.has_access(op) for op in OPERATIONS)
            if actual != row["perms"]:
                cells = " | ".join("yes" if perm else "no" for perm in actual)
                errors.append(f"{model} / {group}: rights are {cells}")
            scope = row["records"]
            if Model._transient:
                if scope != "own wizards":
                    errors.append(f"{model} / {group}: records are 'own wizards'")
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
