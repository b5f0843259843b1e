from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase


class MediationMemberCommon(TransactionCase):
    """Members, the seeded tariffs and a mediator, for the membership tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
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
                "mediation_siren": siren,
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
