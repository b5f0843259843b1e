import base64
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MediationCaseCommon

# What the annual report (L613-1, R614-2) and the CECMC statistics read from
# a case: listed here independently of the anonymisation code.
REPORT_FIELDS = [
    "name",
    "company_id",
    "state",
    "channel",
    "date_received",
    "date_purchase",
    "date_complaint",
    "date_acknowledged",
    "date_admissibility_decided",
    "date_admissibility_notified",
    "refusal_ground_id",
    "date_saisine_notified",
    "date_professional_requested",
    "professional_entry",
    "date_professional_entry",
    "date_mediation_due",
    "date_proposal_notified",
    "consumer_answer",
    "professional_answer",
    "outcome_id",
    "outcome_kind",
    "date_outcome",
    "execution",
    "date_execution",
    "date_conflict_declared",
    "subject_id",
    "industry_id",
    "amount",
    "professional_id",
    "mediator_id",
    "contract_id",
]
REPORT_GROUPBYS = [
    "state",
    "outcome_id",
    "refusal_ground_id",
    "subject_id",
    "industry_id",
    "execution",
    "channel",
    "professional_id",
    "date_received:year",
    "date_outcome:month",
]


@tagged("post_install", "-at_install")
class TestMediationRetention(MediationCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.retention = cls.env["mediation.retention"]
        cls.france = cls.env.ref("base.fr")
        cls.consumer.write(
            {
                "phone": "+33 6 12 34 56 78",
                "street": "3 rue des Lilas",
                "zip": "69003",
                "city": "Lyon",
                "country_id": cls.france.id,
            }
        )
        cls.subject = cls.env["mediation.case.subject"].search([], limit=1)
        cls.industry = cls.env["res.partner.industry"].create({"name": "Furniture"})
        cls.lawyer = cls.env["res.partner"].create(
            {"name": "Maître Roux", "email": "roux@avocats.example.com"}
        )
        cls.hold_consumer = cls.env["res.partner"].create(
            {"name": "Hugo Dubois", "email": "hugo@example.com"}
        )
        cls.returning = cls.env["res.partner"].create(
            {"name": "Léa Petit", "email": "lea@example.com"}
        )

    @classmethod
    def _finished(cls, consumer, years=6, outcome="outcome_accepted_both", **values):
        """A case finished ``years`` ago, with the dates the reports read."""
        closed = cls.today - relativedelta(years=years)
        received = closed - timedelta(days=70)
        outcome = cls.env.ref(f"consumer_mediation.{outcome}")
        return cls._case(
            consumer_id=consumer.id,
            date_received=received,
            date_complaint=received - timedelta(days=20),
            date_purchase=received - timedelta(days=90),
            date_acknowledged=received,
            date_admissibility_decided=received + timedelta(days=5),
            date_admissibility_notified=received + timedelta(days=6),
            date_saisine_notified=received + timedelta(days=6),
            professional_entry="agreed",
            date_professional_entry=received + timedelta(days=10),
            date_proposal_notified=closed - timedelta(days=10),
            proposal_text="<p>Camille Martin gets 300 EUR back.</p>",
            state="closed" if outcome.kind == "completed" else outcome.kind,
            outcome_id=outcome.id,
            date_outcome=closed,
            execution="done" if outcome.has_solution else False,
            subject_id=cls.subject.id,
            industry_id=cls.industry.id,
            amount=780,
            channel="web",
            **values,
        )

    def _figures(self, cases):
        Case = self.env["mediation.case"]
        domain = [("id", "in", cases.ids)]
        return {
            "cases": {
                case.id: {
                    **{fname: case[fname] for fname in REPORT_FIELDS},
                    "extensions": [
                        (ext.previous_deadline, ext.new_deadline, ext.date_notified)
                        for ext in case.extension_ids
                    ],
                    "consumer_country": case.consumer_id.country_id,
                }
                for case in cases
            },
            "groups": {
                groupby: Case._read_group(domain, [groupby], ["__count", "amount:sum"])
                for groupby in REPORT_GROUPBYS
            },
        }

    def _personal_data(self, cases):
        """Messages, attachments and free texts left on ``cases``."""
        messages = self.env["mail.message"].search(
            [("model", "=", "mediation.case"), ("res_id", "in", cases.ids)]
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "mediation.case"), ("res_id", "in", cases.ids)]
        )
        return messages, attachments

    def _invoice(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.professional.id,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {"name": "Membership 2020", "quantity": 1, "price_unit": 450},
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _invoice_values(self, invoice):
        return {
            "name": invoice.name,
            "state": invoice.state,
            "partner": invoice.partner_id.name,
            "total": invoice.amount_total,
            "lines": [
                (line.account_id, line.partner_id, line.debit, line.credit, line.name)
                for line in invoice.line_ids
            ],
        }

    def test_anonymisation_keeps_the_figures_and_removes_personal_data(self):
        agreed = self._finished(self.consumer)
        agreed.representative_ids = [(0, 0, {"partner_id": self.lawyer.id})]
        self.env["mediation.case.extension"].create(
            {
                "case_id": agreed.id,
                "previous_deadline": agreed.date_received + timedelta(days=96),
                "new_deadline": agreed.date_received + timedelta(days=130),
                "reason": "Camille Martin's expert is ill",
                "date_notified": agreed.date_received + timedelta(days=80),
            }
        )
        refused = self._finished(
            self.returning,
            outcome="outcome_refused",
            refusal_ground_id=self.ground_no_complaint.id,
            refusal_note="Léa never wrote to the seller",
        )
        interrupted = self._finished(
            self.consumer,
            years=7,
            outcome="outcome_withdrawn_consumer",
            interruption_note="Camille found a settlement alone",
        )
        held = self._finished(
            self.hold_consumer,
            legal_hold=True,
            legal_hold_reason="Court of Lyon, case 21/0042",
        )
        recent = self._finished(self.returning, years=2)
        proof = self.env["ir.attachment"].create(
            {
                "name": "complaint.pdf",
                "datas": base64.b64encode(b"Camille Martin, 3 rue des Lilas"),
                "res_model": "mediation.case",
                "res_id": agreed.id,
            }
        )
        agreed.complaint_attachment_ids = proof
        agreed.message_post(
            body="Call me on +33 6 12 34 56 78",
            author_id=self.consumer.id,
            attachments=[("receipt.txt", b"Camille Martin receipt")],
        )
        agreed.message_subscribe(partner_ids=self.consumer.ids)
        invoice = self._invoice()
        invoice_before = self._invoice_values(invoice)
        every = agreed | refused | interrupted | held | recent
        before = self._figures(every)

        remaining = self.retention._cron_anonymise_expired()

        self.assertEqual(remaining, 0)
        expired = agreed | refused | interrupted
        self.assertEqual(self._figures(every), before)
        self.assertEqual(expired.mapped("date_anonymised"), [self.today] * 3)
        self.assertFalse(held.date_anonymised or recent.date_anonymised)
        for case in expired:
            for fname in ("description", "proposal_text", "refusal_note"):
                self.assertFalse(case[fname], fname)
            self.assertFalse(case.interruption_note)
            self.assertFalse(case.representative_ids)
            self.assertFalse(case.message_follower_ids)
        self.assertNotIn("Camille", agreed.extension_ids.reason)
        messages, attachments = self._personal_data(expired)
        self.assertFalse(attachments)
        self.assertFalse(proof.exists())
        # One note per case tells why its history is gone; nothing personal.
        self.assertEqual(len(messages), 3)
        self.assertFalse(messages.author_id & self.consumer)
        for text in ("Camille", "+33 6", "Lilas"):
            self.assertNotIn(text, "".join(messages.mapped("body")))
        # The consumer and the lawyer have no case left: anonymised.
        for person in (self.consumer, self.lawyer):
            self.assertNotIn(person.name, ("Camille Martin", "Maître Roux"))
            self.assertFalse(person.email or person.phone or person.street)
            self.assertFalse(person.active)
        self.assertEqual(self.consumer.country_id, self.france)
        self.assertFalse(
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("name", "ilike", "Camille Martin")])
        )
        # Still a party to a recent case: kept as they are.
        self.assertEqual(self.returning.name, "Léa Petit")
        self.assertTrue(recent.proposal_text)
        # Legal hold: skipped entirely.
        self.assertEqual(self.hold_consumer.email, "hugo@example.com")
        self.assertTrue(held.description)
        # The professional is a company and its invoice is untouched.
        self.assertEqual(self.professional.name, "Meubles Lefort")
        self.assertEqual(self._invoice_values(invoice), invoice_before)
        # Each anonymisation is itself logged, and the chain still holds.
        self.assertEqual(agreed.decision_log_ids.mapped("kind"), ["anonymisation"])
        self.assertFalse(
            self.env["mediation.decision.log"]._verify_chain(self.company)[1]
        )

    def test_retention_follows_the_company_setting(self):
        case = self._finished(self.consumer, years=3)
        self.retention._cron_anonymise_expired()
        self.assertFalse(case.date_anonymised)
        self.company.mediation_retention_years = 2
        self.retention._cron_anonymise_expired()
        self.assertEqual(case.date_anonymised, self.today)

    def test_open_cases_are_never_anonymised(self):
        case = self._case_in("mediation", date_received=self.today - timedelta(days=20))
        self.company.mediation_retention_years = 0
        self.retention._cron_anonymise_expired()
        self.assertFalse(case.date_anonymised)
        self.assertEqual(case.consumer_id.name, "Camille Martin")

    def test_archived_after_the_current_period(self):
        old = self._finished(self.consumer, years=1)
        fresh = self._finished(self.consumer, years=0)
        open_case = self._case()
        Case = self.env["mediation.case"]
        archived = Case.search([("is_archived", "=", True)])
        self.assertIn(old, archived)
        self.assertNotIn(fresh, archived)
        self.assertNotIn(open_case, archived)
        self.assertTrue(old.is_archived)
        self.assertIn(fresh, Case.search([("is_archived", "=", False)]))

    def test_batches_report_progress(self):
        cases = self._finished(self.consumer) | self._finished(self.returning)
        cases |= self._finished(self.hold_consumer)
        cron = self.env.ref("consumer_mediation.ir_cron_mediation_anonymise")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        retention = self.retention.with_context(ir_cron_progress_id=progress.id)
        self.assertEqual(retention._cron_anonymise_expired(batch_size=2), 1)
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        self.assertEqual(len(cases.filtered("date_anonymised")), 2)
        self.assertEqual(retention._cron_anonymise_expired(batch_size=2), 0)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertTrue(all(cases.mapped("date_anonymised")))

    def test_legal_hold_managers_only_with_reason(self):
        case = self._finished(self.consumer)
        with self.assertRaises(AccessError):
            case.with_user(self.mediator).write({"legal_hold": True})
        with self.assertRaises(UserError):
            case.with_user(self.manager).write({"legal_hold": True})
        case.with_user(self.manager).write(
            {"legal_hold": True, "legal_hold_reason": "DGCCRF inquiry"}
        )
        self.retention._cron_anonymise_expired()
        self.assertFalse(case.date_anonymised)
