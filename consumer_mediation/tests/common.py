import os
import subprocess
import tempfile
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, new_test_user

# The decision log's signing key, as the server configuration gives it.
CHAIN_KEY = "test-chain-key-from-odoo-conf"


class MediationCaseCommon(TransactionCase):
    """Covered professional, consumer, mediators; cases walked through the
    workflow by the real actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(
            patch.dict(os.environ, {"MEDIATION_CHAIN_KEY": CHAIN_KEY})
        )
        cls.today = fields.Date.context_today(cls.env["mediation.case"])
        cls.company = cls.env.company
        cls.company.write({"email": "contact@mediateur.example.com"})
        cls.mediator = new_test_user(
            cls.env,
            "case_mediator",
            groups="consumer_mediation.group_mediation_user",
            email="mediator@example.com",
        )
        cls.other_mediator = new_test_user(
            cls.env, "case_mediator2", groups="consumer_mediation.group_mediation_user"
        )
        cls.manager = new_test_user(
            cls.env, "case_manager", groups="consumer_mediation.group_mediation_manager"
        )
        cls.professional = cls.env["res.partner"].create(
            {"name": "Meubles Lefort", "is_company": True, "email": "pro@example.com"}
        )
        cls.contract = cls.env["contract.contract"].create(
            {
                "name": "Membership Meubles Lefort",
                "partner_id": cls.professional.id,
                "mediation_kind": "individual",
                "date_start": cls.today - timedelta(days=400),
                "contract_type": "sale",
            }
        )
        cls.contract.action_mediation_activate()
        cls.uncovered = cls.env["res.partner"].create(
            {"name": "Garage Sans Médiateur", "is_company": True}
        )
        cls.consumer = cls.env["res.partner"].create(
            {"name": "Camille Martin", "email": "camille@example.com"}
        )
        cls.ground_no_complaint = cls.env.ref("consumer_mediation.ground_no_complaint")
        cls.ground_competence = cls.env.ref(
            "consumer_mediation.ground_out_of_competence"
        )

    @classmethod
    def _case(cls, **values):
        return cls.env["mediation.case"].create(
            {
                "consumer_id": cls.consumer.id,
                "professional_id": cls.professional.id,
                "mediator_id": cls.mediator.id,
                "date_complaint": cls.today - timedelta(days=30),
                "description": "<p>The sofa delivered was torn.</p>",
                **values,
            }
        )

    def _case_in(self, state, **values):
        """A case brought to ``state`` through the actions."""
        case = self._case(**values)
        steps = ["review", "admitted", "waiting", "mediation", "proposal"]
        for step in steps[: steps.index(state) + 1]:
            if step == "review":
                case.action_start_review()
            elif step == "admitted":
                case.action_admit()
            elif step == "waiting":
                case.action_notify_saisine()
            elif step == "mediation":
                case.action_professional_agree()
            elif step == "proposal":
                case.proposal_text = "<p>Refund of 300 EUR.</p>"
                case.proposal_favours = "balanced"
                case.action_send_proposal()
        return case

    def _letters(self, case, partner):
        """Letters posted on ``case`` to ``partner``."""
        return case.message_ids.filtered(
            lambda m: m.message_type == "comment" and partner in m.partner_ids
        )


class MediationMemberCommon(TransactionCase):
    """Members, the seeded tariffs and a mediator, for the membership tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # The kit only goes out with a public https address.
        cls.env["ir.config_parameter"].set_param(
            "web.base.url", "https://mediateur.example.com"
        )
        cls.company.write(
            {
                "mediation_mediator_name": "Médiateur Test Conso",
                "mediation_term_years": 3,
                "mediation_tacit_renewal": True,
                "mediation_notice_months": 3,
            }
        )
        cls.Contract = cls.env["contract.contract"]
        cls.tariff = cls.env.ref("consumer_mediation.tariff_individual_standard")
        cls.convention_tariff = cls.env.ref(
            "consumer_mediation.tariff_convention_standard"
        )
        cls.bakery = cls._company("Boulangerie Dupont", 7, "732829320")
        cls.garage = cls._company("Garage du Lac", 60)
        cls.federation = cls._company("Fédération des Exposants", 3)
        cls.federation.mediation_is_federation = True
        cls.exhibitor = cls._company("Stand Martin", 4)
        cls.other_exhibitor = cls._company("Stand Bernard", 12)

    @classmethod
    def _company(cls, name, headcount, siren=False):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.split()[-1].lower()}@example.com",
                "mediation_headcount": headcount,
                "company_registry": siren,
            }
        )

    def _active_contract(self, partner, start, kind="individual", members=None):
        contract = self.Contract._mediation_prepare_proposal(
            partner, kind, date_start=start, members=members
        )
        contract.action_mediation_activate()
        return contract

    @staticmethod
    def d(text):
        return date.fromisoformat(text)

    @contextmanager
    def assertRaisesText(self, exception, text):
        """assertRaises (which rolls back to a savepoint) plus the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))

    def _today(self, day):
        """Make ``day`` the current date for the code under test."""
        return patch.object(fields.Date, "context_today", lambda *a, **k: self.d(day))


def run_pdf_tool(tool, content, *args):
    """The output of a poppler tool (pdftotext, pdffonts, pdfimages) on the
    PDF ``content``, as a person's reader would read the document."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        return subprocess.run(
            [tool, *args, pdf.name, *(["-"] if tool == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_text(content, *args):
    """The text of the PDF ``content``, its whitespace made single spaces."""
    return " ".join(run_pdf_tool("pdftotext", content, *args).split())


def pdf_without_server(env):
    """Let ``force_report_rendering`` run wkhtmltopdf in a TransactionCase:
    pointed at the test server for the report assets, wkhtmltopdf would wait
    for ever (the server does not answer while a non-HTTP test holds the
    registry); pointed nowhere, it prints the page body, which holds all the
    letters' layout, with the PDF fonts."""
    env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")


def load_french(env):
    """French installed with the addon's own terms, as users read them."""
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"]._load_module_terms(
        ["consumer_mediation"], ["fr_FR"], overwrite=True
    )
