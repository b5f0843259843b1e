import re
from datetime import date

from lxml import html
from stdnum.fr import siren, siret, tva

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import load_french


class FrenchDemoMixin:
    def _french(self):
        """The demo runs in French, as `make run` installs it."""
        load_french(self.env)
        return self.env["mediation.demo"].with_context(lang="fr_FR")


@tagged("post_install", "-at_install")
class TestMediationDemo(FrenchDemoMixin, TransactionCase):
    def _generate(self):
        return self.env["mediation.demo"]._generate(
            count=30, seed=7, today=date(2026, 11, 1)
        )

    def test_generator_is_deterministic_and_consistent(self):
        members = self._generate()
        self.assertEqual(len(members), 30)
        self.assertTrue(all(siren.is_valid(p.company_registry) for p in members))
        self.assertTrue(all(siret.is_valid(p.siret) for p in members))
        self.assertTrue(all(p.industry_id and p.mediation_headcount for p in members))
        Contract = self.env["contract.contract"]
        states = {
            state: Contract.search_count(
                [("partner_id", "in", members.ids), ("mediation_state", "=", state)]
            )
            for state in ("proposal", "active", "terminated")
        }
        self.assertTrue(all(states.values()), states)
        # Their responsible is the head mediator, not OdooBot.
        contracts = Contract.search([("partner_id", "in", members.ids)])
        self.assertEqual(contracts.user_id.mapped("login"), ["claire.rousseau"])
        federations = self.env["res.partner"].search(
            [("mediation_is_federation", "=", True), ("id", ">", members[-1].id)]
        )
        self.assertEqual(len(federations), 3)
        fair = federations.filtered(lambda f: "Foires" in f.name)
        self.assertEqual(len(fair.mediation_federation_member_ids), 4)
        covered = fair.mediation_federation_member_ids.partner_id[:1]
        self.assertEqual(covered._mediation_coverage().partner_id, fair)
        self.assertEqual(
            self.env["res.users"]
            .search([("login", "=", "claire.rousseau")])
            .has_group("consumer_mediation.group_mediation_manager"),
            True,
        )
        names = members.mapped("name")
        again = self._generate()
        self.assertEqual(again.mapped("name"), names)
        self.assertEqual(
            again.mapped("company_registry"), members.mapped("company_registry")
        )

    def test_company_is_a_french_mediation_body(self):
        company = self.env.ref("base.main_company")
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        client = self.env["res.partner"].create({"name": "Client"})
        # An entry in the old currency, as the accounting demo leaves.
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": client.id,
                "journal_id": journal.id,
                "invoice_line_ids": [
                    Command.create({"name": "Ancien", "price_unit": 100.0})
                ],
            }
        )
        invoice.action_post()
        self._french()._setup_company()
        self.assertFalse(invoice.exists())
        self.assertEqual(company.currency_id, self.env.ref("base.EUR"))
        self.assertEqual(company.country_id.code, "FR")
        self.assertEqual(company.paperformat_id.format, "A4")
        self.assertEqual(
            company.external_report_layout_id,
            self.env.ref("consumer_mediation.external_layout_mediation"),
        )
        self.assertEqual(company.name, "Médiation Conso Confluence")
        self.assertEqual(company.zip, "69002")
        self.assertTrue(siren.is_valid(company.partner_id.company_registry))
        self.assertTrue(siret.is_valid(company.siret))
        self.assertTrue(company.siret.startswith(company.company_registry))
        self.assertTrue(tva.is_valid(company.vat))
        self.assertTrue(company.phone.startswith("+33 "))
        self.assertTrue(company.email.endswith(".fr"))
        self.assertTrue(company.logo)
        self.assertEqual(company.partner_id.lang, "fr_FR")
        self.assertEqual(company.account_sale_tax_id.amount, 20.0)
        # Its books on Odoo's French chart (make run and make test install
        # l10n_fr_account): the chart's journals replaced the old ones.
        self.assertEqual(company.chart_template, "fr")
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        # The accounting still works, in euros.
        new = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": client.id,
                "journal_id": journal.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.env.ref(
                                "consumer_mediation.product_mediation_annual_fee"
                            ).id,
                            "price_unit": 45.0,
                        }
                    )
                ],
            }
        )
        new.action_post()
        self.assertEqual(new.currency_id.name, "EUR")
        # The membership fee: 706, VAT at 20 % on services, due on collection.
        line = new.invoice_line_ids
        self.assertEqual(line.account_id.code, "706000")
        self.assertEqual(
            (line.tax_ids.amount, line.tax_ids.tax_exigibility), (20.0, "on_payment")
        )
        self.assertEqual(new.amount_total, 54.0)
        for lang in ("en_US", "fr_FR"):
            self.assertIn(
                "CECMC", company.with_context(lang=lang).mediation_cecmc_listing
            )
            self.assertIn(
                "Claire Rousseau",
                company.with_context(lang=lang).mediation_mediators_info,
            )

    def test_demo_content_is_french(self):
        """Contracts, requests and reminders of a French body's demo are in
        French, and its requests fill the pipeline."""
        demo = self._french()
        members = demo._generate(count=60, seed=7, today=date(2026, 11, 1))
        contracts = self.env["contract.contract"].search(
            [("partner_id", "in", members.ids)]
        )
        self.assertTrue(contracts)
        for contract in contracts:
            self.assertTrue(
                contract.name.startswith("Adhésion à la médiation - "), contract.name
            )
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("mediation_request", "=", True)])
        )
        self.assertTrue(
            all(lead.name.startswith("Adhésion à la médiation : ") for lead in leads),
            leads.mapped("name"),
        )
        stages = self.env["crm.stage"].search([("is_won", "=", False)])
        self.assertGreaterEqual(len(leads.filtered("active").stage_id & stages), 3)
        self.assertTrue(leads.filtered("stage_id.is_won"))
        self.assertTrue(leads.filtered(lambda lead: not lead.active))
        proposals = contracts.filtered(lambda c: c.mediation_state == "proposal")
        self.assertTrue(proposals.mediation_lead_id)
        self.assertTrue(leads.activity_ids)
        # Members and federations are French: their lines and invoices too.
        everyone = self.env["contract.contract"].search(
            [("mediation_kind", "!=", False)]
        )
        self.assertEqual(set(everyone.partner_id.mapped("lang")), {"fr_FR"})
        self.assertEqual(
            set(everyone.contract_line_ids.mapped("name")),
            {"Cotisation annuelle d'adhésion"},
        )
        # Data names are translated; no ISO date in a label.
        self.assertEqual(
            proposals.mediation_tariff_id.with_context(lang="fr_FR").display_name,
            "Adhésion standard (v1, depuis le 01/01/2023)",
        )
        terminated = contracts.filtered(lambda c: c.mediation_state == "terminated")
        self.assertTrue(terminated)
        for text in terminated.message_ids.mapped("body"):
            self.assertNotIn("Activity ceased", str(text))


@tagged("post_install", "-at_install")
class TestMediationDemoPublicPage(FrenchDemoMixin, HttpCase):
    def test_mediation_page_has_no_empty_section(self):
        self._french()._setup_company()
        page = self.url_open("/mediation", headers={"Accept-Language": "fr"})
        self.assertEqual(page.status_code, 200)
        tree = html.fromstring(page.text)
        sections = tree.xpath("//div[hasclass('o_mediation_public')]//section")
        self.assertGreaterEqual(len(sections), 7)
        for section in sections:
            heading = section.xpath("string(.//h2)").strip()
            body = re.sub(r"\s+", " ", section.text_content()).strip()
            body = body.removeprefix(heading).strip()
            self.assertTrue(heading and len(body) > 20, f"empty section: {heading}")
            # No label left without its value ("E-mail:" with nothing after).
            self.assertNotRegex(body, r":\s*$", heading)
        text = tree.text_content()
        for value in (
            "Médiation Conso Confluence",
            "24 rue Ferrandière",
            "contact@mediation-confluence.fr",
            "CECMC",
            "Nadia Benali",
            "ECC-Net",
            "Français, anglais",
        ):
            self.assertIn(value, text)
        self.assertNotIn("YourCompany", page.text)
        self.assertNotIn("San Francisco", page.text)
