from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MediationCaseCommon


@tagged("post_install", "-at_install")
class TestMediationMultiCompany(MediationCaseCommon):
    """Two mediation bodies in one database never see each other's records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Médiateur Sud"})
        cls.manager_a = new_test_user(
            cls.env,
            "mc_manager_a",
            groups="consumer_mediation.group_mediation_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.mediator_b = new_test_user(
            cls.env,
            "mc_mediator_b",
            groups="consumer_mediation.group_mediation_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        env_b = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids)
        )
        cls.contract_b = env_b["contract.contract"].create(
            {
                "name": "Convention Fédération Sud",
                "partner_id": cls.env["res.partner"]
                .create({"name": "Fédération Sud", "is_company": True})
                .id,
                "mediation_kind": "convention",
                "date_start": cls.today - timedelta(days=400),
                "contract_type": "sale",
                "company_id": cls.company_b.id,
            }
        )
        cls.member_b = env_b["mediation.convention.member"].create(
            {
                "contract_id": cls.contract_b.id,
                "partner_id": cls.professional.id,
                "date_join": cls.today - timedelta(days=300),
            }
        )
        cls.case_a = cls._case()
        cls.case_b = (
            env_b["mediation.case"]
            .with_user(cls.mediator_b)
            .create(
                {
                    "consumer_id": cls.consumer.id,
                    "professional_id": cls.professional.id,
                    "mediator_id": cls.mediator_b.id,
                    "date_complaint": cls.today - timedelta(days=30),
                    "description": "Late delivery.",
                }
            )
        )
        cls.case_b.representative_ids = [
            Command.create({"partner_id": cls.consumer.id, "role": "assistant"})
        ]
        cls.case_b.action_start_review()
        cls.case_b.action_admit()
        cls.case_b.action_notify_saisine()
        cls.case_b.action_professional_agree()
        cls.case_b._extend(cls.case_b.date_mediation_due + timedelta(days=20), "Expert")
        cls.case_a.action_start_review()
        cls.case_a.action_admit()
        cls.signature_b = cls.env["mediation.case.signature"].create(
            {
                "case_id": cls.case_b.id,
                "party": "professional",
                "decision": "entry_agreed",
                "signer_name": "Jean Lefort",
                "statement": "We agree to enter the mediation.",
            }
        )
        cls.tariff_b = env_b["mediation.tariff"].create(
            {
                "name": "Tarif Sud",
                "code": "SUD",
                "company_id": cls.company_b.id,
                "line_ids": [Command.create({"count_min": 0, "annual_fee": 50.0})],
            }
        )
        cls.report_b = env_b["mediation.activity.report"].create(
            {"company_id": cls.company_b.id}
        )
        cls.check_b = env_b["mediation.compliance.check"].create(
            {"partner_id": cls.professional.id, "channel": "website"}
        )

    def _records_b(self):
        return {
            "mediation.case": self.case_b,
            "mediation.case.extension": self.case_b.extension_ids,
            "mediation.case.representative": self.case_b.representative_ids,
            "mediation.decision.log": self.case_b.decision_log_ids,
            "mediation.convention.member": self.member_b,
            "contract.contract": self.contract_b,
            "mediation.case.signature": self.signature_b,
            "mediation.tariff": self.tariff_b,
            "mediation.tariff.line": self.tariff_b.line_ids,
            "mediation.activity.report": self.report_b,
            "mediation.compliance.check": self.check_b,
            "mediation.case.analysis": self.env["mediation.case.analysis"].search(
                [("case_id", "=", self.case_b.id)]
            ),
        }

    def test_records_of_another_body_are_invisible(self):
        self.assertEqual(self.case_b.company_id, self.company_b)
        for model, records in self._records_b().items():
            self.assertTrue(records, model)
            Model = self.env[model].with_user(self.manager_a)
            self.assertFalse(Model.search([("id", "in", records.ids)]), model)
            with self.assertRaises(AccessError, msg=model):
                records.with_user(self.manager_a).read(["display_name"])
        # Their own body's records stay visible.
        self.assertEqual(
            self.env["mediation.case"]
            .with_user(self.manager_a)
            .search([("id", "in", (self.case_a | self.case_b).ids)]),
            self.case_a,
        )

    def test_a_user_of_both_bodies_sees_the_selected_ones(self):
        self.manager_a.company_ids = [Command.link(self.company_b.id)]
        Case = self.env["mediation.case"].with_user(self.manager_a)
        both = self.case_a | self.case_b
        only_a = Case.with_context(allowed_company_ids=self.company.ids)
        self.assertEqual(only_a.search([("id", "in", both.ids)]), self.case_a)
        allowed = Case.with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        )
        self.assertEqual(allowed.search([("id", "in", both.ids)]), both)

    def test_records_cannot_mix_bodies(self):
        with self.assertRaises(UserError):
            self.case_a.mediator_id = self.mediator_b
        entry = self.case_b.decision_log_ids[0]
        with self.assertRaises(UserError):
            self.env["mediation.decision.log"].sudo().create(
                {
                    "company_id": self.company.id,
                    "sequence": 1000,
                    "case_id": self.case_b.id,
                    "kind": "outcome",
                    "snapshot": entry.snapshot,
                    "user_id": self.env.uid,
                    "timestamp": entry.timestamp,
                    "entry_hash": entry.entry_hash,
                }
            )

    def test_each_body_has_its_own_decision_chain(self):
        Log = self.env["mediation.decision.log"]
        chain_b = Log.search([("company_id", "=", self.company_b.id)], order="sequence")
        # Its decisions and the letters sent (saisine, request, closing).
        self.assertEqual(chain_b.mapped("sequence"), [1, 2, 3, 4, 5])
        self.assertEqual(chain_b.case_id, self.case_b)
        self.assertFalse(chain_b[0].previous_hash)
        self.assertEqual(Log._verify_chain(self.company_b), (5, Log))
        self.assertNotIn(
            self.case_b, Log.search([("company_id", "=", self.company.id)]).case_id
        )

    def test_erasure_stays_within_the_body(self):
        person = self.env["res.partner"].create(
            {"name": "Chloé Leroy", "email": "chloe@example.com"}
        )
        closed = {
            "consumer_id": person.id,
            "professional_id": self.professional.id,
            "state": "closed",
            "outcome_id": self.env.ref("consumer_mediation.outcome_agreement").id,
            "date_outcome": self.today,
            "description": "<p>Chloé's sofa</p>",
        }
        case_a = self.env["mediation.case"].create(closed)
        case_b = self.env["mediation.case"].create(
            {**closed, "company_id": self.company_b.id, "mediator_id": False}
        )
        wizard = (
            self.env["mediation.erasure.wizard"]
            .with_user(self.manager_a)
            .create({"partner_id": person.id})
        )
        self.assertEqual(wizard.case_ids, case_a)
        wizard.action_confirm()
        self.assertTrue(case_a.date_anonymised)
        self.assertFalse(case_b.date_anonymised)
        self.assertTrue(case_b.description)
        # Still a party before the other body: the identity stays.
        self.assertEqual(person.name, "Chloé Leroy")
