import base64
import functools
import random
from datetime import date

from dateutil.relativedelta import relativedelta
from stdnum import luhn

from odoo import Command, api, fields, models
from odoo.tools import file_open

# Trade names are built from these parts so the demo looks like a real year
# of French members while staying deterministic.
NAME_HEADS = [
    "Boulangerie",
    "Atelier",
    "Maison",
    "Garage",
    "Menuiserie",
    "Optique",
    "Pharmacie",
    "Librairie",
    "Cave",
    "Agence",
    "Fromagerie",
    "Jardinerie",
    "Cuisines",
    "Électricité",
    "Plomberie",
    "Immobilier",
    "Voyages",
    "Auto-école",
    "Salon",
    "Brasserie",
]
NAME_TAILS = [
    "Dupont",
    "Martin",
    "Lefèvre",
    "du Vieux Port",
    "des Halles",
    "Saint-Michel",
    "de la Loire",
    "Bernard",
    "Garnier",
    "du Marais",
    "Moreau",
    "des Alpes",
    "Rousseau",
    "de Provence",
    "Lambert",
    "Fontaine",
    "du Lac",
    "Chevalier",
    "Mercier",
    "de Bretagne",
]
LEGAL_FORMS = ["SARL", "SAS", "EURL", "SA", "SASU"]
CITIES = [
    ("Lyon", "69002"),
    ("Marseille", "13001"),
    ("Nantes", "44000"),
    ("Lille", "59000"),
    ("Bordeaux", "33000"),
    ("Toulouse", "31000"),
    ("Rennes", "35000"),
    ("Strasbourg", "67000"),
    ("Dijon", "21000"),
    ("Paris", "75011"),
]
SECTORS = [
    ("base.res_partner_industry_G", "Retail of goods to consumers"),
    ("base.res_partner_industry_I", "Restaurant and catering"),
    ("base.res_partner_industry_F", "Building and renovation work for homes"),
    ("base.res_partner_industry_L", "Real estate agency and property management"),
    ("base.res_partner_industry_N", "Travel and leisure services"),
    ("base.res_partner_industry_S", "Personal services (hairdressing, repairs)"),
    ("base.res_partner_industry_C", "Craft manufacturing sold to individuals"),
]
HEADCOUNTS = [2, 4, 7, 9, 15, 28, 45, 60, 95, 180, 420, 750, 1500, 3500]
FEDERATIONS = [
    ("Fédération des Exposants de Foires et Salons", 40, "base.res_partner_industry_N"),
    ("Union des Artisans du Bâtiment", 15, "base.res_partner_industry_F"),
    ("Groupement des Opticiens Indépendants", 10, "base.res_partner_industry_G"),
]
# (name, login, manager, background published on /mediation); each demo
# user's password is their login.
MEDIATORS = [
    (
        "Claire Rousseau",
        "claire.rousseau",
        True,
        (
            "médiatrice principale, juriste, ancienne responsable du service "
            "consommateurs d'une fédération du commerce, diplômée en médiation"
        ),
    ),
    (
        "Julien Mercier",
        "julien.mercier",
        False,
        "ancien avocat au barreau de Lyon, spécialiste du droit de la consommation",
    ),
    (
        "Nadia Benali",
        "nadia.benali",
        False,
        "juriste, ancienne conseillère d'une association de consommateurs",
    ),
    (
        "Thomas Garnier",
        "thomas.garnier",
        False,
        "ingénieur, ancien expert judiciaire en bâtiment et travaux",
    ),
]
# The demo company: a French consumer-mediation body (fictitious; the phone
# number is in a range ARCEP reserves for fiction).
COMPANY_SIREN = "813547205"
COMPANY = {
    "name": "Médiation Conso Confluence",
    "street": "24 rue Ferrandière",
    "zip": "69002",
    "city": "Lyon",
    "phone": "+33 4 65 71 12 34",
    "email": "contact@mediation-confluence.fr",
    "website": "https://www.mediation-confluence.fr",
    "company_registry": COMPANY_SIREN,
    "siret": COMPANY_SIREN + "00019",
    "vat": "FR86" + COMPANY_SIREN,
    "mediation_mediator_name": "Médiation Conso Confluence",
}
# The demo's public address: `make run` serves on a local one, which the kit,
# the QR codes and the letters rightly refuse to print. Fictitious (".example"
# is reserved by RFC 2606), https, and said to be a demonstration.
DEMO_PUBLIC_URL = "https://demonstration.mediation-confluence.example"
COMPANY_TEXTS = {
    "mediation_cecmc_listing": "Médiateur de la consommation référencé par la "
    "Commission d'évaluation et de contrôle de la médiation de la consommation "
    "(CECMC) et inscrit sur la liste des médiateurs notifiés à la Commission "
    "européenne.",
    "mediation_appointment": "Les médiateurs sont désignés par le conseil "
    "d'administration de l'association pour un mandat de trois ans renouvelable "
    "(article L613-2 du Code de la consommation). Leur rémunération ne dépend "
    "pas de l'issue des médiations et ils ne reçoivent aucune instruction des "
    "parties.",
    "mediation_networks": "Membre du Club des médiateurs de services au public. "
    "Litiges transfrontaliers : coopération avec le Centre européen des "
    "consommateurs France (réseau ECC-Net).",
    "mediation_dispute_types": "Litiges nationaux et transfrontaliers entre un "
    "consommateur et un professionnel adhérent : commerce de détail, artisanat "
    "et travaux chez les particuliers, restauration, agences immobilières, "
    "voyages et loisirs, services à la personne.",
    "mediation_languages": "Français, anglais",
}
# Information requests in the CRM pipeline: (company, contact, e-mail,
# SIREN, headcount, federation, activity, request, stage); stage is the
# index of the pipeline stage or "lost" (a won request is made from a
# signed contract, see _generate_won_lead).
LEADS = [
    (
        "Boutique Les Petits Pas",
        "Sophie Morel",
        "sophie.morel@example.com",
        "",
        3,
        False,
        "Chaussures pour enfants, boutique à Annecy et vente en ligne",
        (
            "Nous ouvrons notre boutique en ligne et devons indiquer un médiateur "
            "de la consommation dans nos CGV. Quels sont vos tarifs ?"
        ),
        0,
    ),
    (
        "Camping Les Pins Bleus",
        "Éric Vidal",
        "eric.vidal@example.com",
        "",
        12,
        False,
        "Camping trois étoiles, location d'emplacements et de mobil-homes",
        "Pouvez-vous nous rappeler pour une adhésion avant la saison ?",
        0,
    ),
    (
        "Toiture Méditerranée SARL",
        "Karim Haddad",
        "karim.haddad@example.com",
        "532841095",
        18,
        False,
        "Couverture et zinguerie chez les particuliers",
        (
            "Nos devis doivent mentionner un médiateur. Nous intervenons surtout "
            "chez des particuliers du Var."
        ),
        1,
    ),
    (
        "Fédération régionale des Antiquaires",
        "Hélène Perrin",
        "helene.perrin@example.com",
        "448120352",
        35,
        True,
        "Fédération de 35 antiquaires et brocanteurs de la région",
        "Nous souhaitons une convention collective pour nos adhérents.",
        1,
    ),
    (
        "Pizzeria Da Marco",
        "Marco Rinaldi",
        "marco.rinaldi@example.com",
        "",
        4,
        False,
        "Restaurant et vente à emporter",
        "Combien coûte l'adhésion pour un petit restaurant ?",
        "lost",
    ),
]


def in_french(generator):
    """The demo is a French body's: a generator decorated with this makes its
    records in French, with the code's own French terms, when French is
    installed (`make run` loads it)."""

    @functools.wraps(generator)
    def wrapper(demo, *args, **kwargs):
        if demo.env["res.lang"]._lang_get("fr_FR"):
            demo = demo.with_context(lang="fr_FR")
        return generator(demo, *args, **kwargs)

    return wrapper


class MediationDemo(models.AbstractModel):
    _name = "mediation.demo"
    _description = "Consumer Mediation Demo Data Generator"

    @api.model
    @in_french
    def _setup_company(self):
        """Make the main company the French mediation body of the demo: its
        address, SIREN, logo, the documents' layout on A4 paper, the facts
        /mediation publishes, its books on Odoo's French chart (PCG, French
        VAT, FEC) when l10n_fr_account is installed (`make run` installs it
        first), else the euro. A company's chart and currency can change
        only while it has no journal entry: the accounting demo's entries
        (US dollars, not a mediation body's) are removed first."""
        company = self.env.ref("base.main_company")
        euro = self.env.ref("base.EUR")
        french_chart = (
            self.env["ir.module.module"]._get("l10n_fr_account").state == "installed"
        )
        if french_chart and company.chart_template != "fr":
            self._clear_accounting(company)
            self.env["account.chart.template"].try_loading("fr", company)
        elif company.currency_id != euro:
            self._clear_accounting(company)
            euro.active = True
            company.currency_id = euro
            self._french_sale_tax(company)
        with file_open("consumer_mediation/demo/mediation_company_logo.png", "rb") as f:
            logo = base64.b64encode(f.read())
        company.write(
            {
                **COMPANY,
                "country_id": self.env.ref("base.fr").id,
                "external_report_layout_id": self.env.ref(
                    "consumer_mediation.external_layout_mediation"
                ).id,
                "paperformat_id": self.env.ref(
                    "consumer_mediation.paperformat_mediation_letter"
                ).id,
                "logo": logo,
            }
        )
        company.partner_id.lang = self.env.lang or "en_US"
        # Published texts of a French body: French in every language.
        texts = {
            **COMPANY_TEXTS,
            "mediation_mediators_info": "\n".join(
                f"{name} : {background}." for name, __, __, background in MEDIATORS
            ),
        }
        company.write(texts)
        langs = [code for code, __ in self.env["res.lang"].get_installed()]
        for fname, value in texts.items():
            company.update_field_translations(fname, dict.fromkeys(langs, value))
        self._set_public_address()
        return company

    @api.model
    def _set_public_address(self):
        """Give the demo its fictitious public address, frozen so that the
        administrator's first login does not put the local one back; the PDF
        engine keeps fetching the report assets from the local server."""
        params = self.env["ir.config_parameter"].sudo()
        if not params.get_param("report.url"):
            params.set_param(
                "report.url", params.get_param("web.base.url", "http://localhost:8069")
            )
        params.set_param("web.base.url", DEMO_PUBLIC_URL)
        params.set_param("web.base.url.freeze", True)

    @api.model
    def _clear_accounting(self, company):
        moves = self.env["account.move"].search([("company_id", "=", company.id)])
        if not moves:
            return
        moves.line_ids.remove_move_reconcile()
        domain = [("company_id", "=", company.id)]
        self.env["account.payment"].search(domain).unlink()
        self.env["account.bank.statement.line"].search(domain).unlink()
        self.env["account.bank.statement"].search(domain).unlink()
        moves = moves.exists()
        moves.filtered(lambda m: m.state != "draft").button_draft()
        moves.with_context(force_delete=True).unlink()

    @api.model
    def _french_sale_tax(self, company):
        """The default sales tax becomes the French standard VAT rate (the
        French chart of accounts is not a dependency)."""
        tax = company.account_sale_tax_id
        if not tax or self.env["account.move.line"].search_count(
            [("tax_ids", "in", tax.ids)], limit=1
        ):
            return
        tax.write({"amount": 20.0, "name": "TVA 20 %", "invoice_label": "TVA 20 %"})
        tax.tax_group_id.name = "TVA 20 %"

    @api.model
    @in_french
    def _generate(self, count=293, seed=2025, today=None):
        """Members, federations with conventions, proposals and terminated
        contracts; same ``seed`` gives the same data. Returns the members."""
        rng = random.Random(seed)
        today = today or date.today()
        self._generate_mediators()
        members = self._generate_companies(rng, count)
        federations = self._generate_federations(rng, members, today)
        Contract = self.env["contract.contract"]
        in_conventions = federations.mediation_federation_member_ids.partner_id
        individuals = members - in_conventions
        n_proposals = max(1, count // 50)
        n_terminated = max(1, count // 60)
        proposals = individuals[:n_proposals]
        terminated = individuals[n_proposals : n_proposals + n_terminated]
        # The pipeline is filled once (the benchmark generates in chunks).
        first = (
            not self.env["crm.lead"]
            .with_context(active_test=False)
            .search_count([("mediation_request", "=", True)], limit=1)
        )
        leads = self._generate_leads(proposals[:2]) if first else {}
        for company in proposals:
            Contract._mediation_prepare_proposal(
                company, "individual", lead=leads.get(company)
            ).user_id = self._demo_responsible()
        vals_list = []
        for company in individuals - proposals:
            start = today - relativedelta(days=rng.randint(30, 1000))
            vals_list.append(self._contract_vals(company, "individual", start))
        contracts = Contract.create(vals_list)
        for contract in contracts.filtered(lambda c: c.partner_id in terminated):
            contract._mediation_terminate(
                contract.date_start + relativedelta(months=rng.randint(6, 20)),
                self.env._("Activity ceased."),
            )
        if first:
            self._generate_won_lead((contracts - contracts.filtered("date_end"))[:1])
        return members

    @api.model
    def _pipeline_stages(self):
        return self.env["crm.stage"].search(
            [("is_won", "=", False)], order="sequence, id"
        )

    @api.model
    def _lead_vals(self, company_name, stage, user=None, **vals):
        return {
            "name": self.env._(
                "Mediation membership: %(company)s", company=company_name
            ),
            "type": "opportunity",
            "mediation_request": True,
            "stage_id": stage.id,
            "user_id": user.id if user else False,
            **vals,
        }

    @api.model
    def _generate_leads(self, proposals):
        """Information requests at each stage of the pipeline, as the public
        form and the mediators make them; the requests that led to
        ``proposals`` are returned as {company: lead}."""
        stages = self._pipeline_stages()
        manager = self.env["res.users"].search(
            [("login", "=", MEDIATORS[0][1])], limit=1
        )
        # Assigned without the assignment e-mail the demo cannot send.
        Lead = self.env["crm.lead"].with_context(mail_auto_subscribe_no_notify=True)
        vals_list = []
        for row in LEADS:
            company, contact, email, siren, headcount, federation = row[:6]
            activity, request, stage = row[6:]
            vals_list.append(
                self._lead_vals(
                    company,
                    stages[stage if isinstance(stage, int) else 0],
                    manager if stage else None,
                    partner_name=company,
                    contact_name=contact,
                    email_from=email,
                    company_registry=siren,
                    mediation_headcount=headcount,
                    mediation_is_federation=federation,
                    mediation_activity=activity,
                    description=f"<p>{request}</p>",
                )
            )
        leads = Lead.create(vals_list)
        lost_names = [row[0] for row in LEADS if row[-1] == "lost"]
        lost = leads.filtered(lambda lead: lead.partner_name in lost_names)
        lost.action_set_lost(lost_reason_id=self.env.ref("crm.lost_reason_1").id)
        today = fields.Date.context_today(self)
        qualified = leads.filtered(lambda lead: lead.stage_id == stages[1:2])
        for lead in qualified.with_context(mail_activity_quick_update=True):
            lead.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today + relativedelta(days=2),
                summary="Préparer la proposition d'adhésion",
                user_id=manager.id or self.env.uid,
            )
        by_company = {}
        for company in proposals:
            by_company[company] = Lead.create(
                self._lead_vals(
                    company.name,
                    stages[min(2, len(stages) - 1)],
                    manager,
                    partner_id=company.id,
                    email_from=company.email,
                    mediation_headcount=company.mediation_headcount,
                    mediation_activity=company.mediation_activity,
                )
            )
        return by_company

    @api.model
    def _generate_won_lead(self, contract):
        """The request that became ``contract``: won."""
        if not contract:
            return
        partner = contract.partner_id
        lead = (
            self.env["crm.lead"]
            .with_context(mail_auto_subscribe_no_notify=True)
            .create(
                self._lead_vals(
                    partner.name,
                    self._pipeline_stages()[:1],
                    partner_id=partner.id,
                    email_from=partner.email,
                )
            )
        )
        contract.mediation_lead_id = lead
        lead.action_set_won()

    @api.model
    def _contract_vals(self, partner, kind, start, members=None):
        """Values of a contract active since ``start`` (demo history, written
        directly so thousands of kit e-mails are not queued)."""
        tariff = self.env["mediation.tariff"]._select(kind, start)
        count = len(members) if kind == "convention" else partner.mediation_headcount
        Contract = self.env["contract.contract"]
        return {
            "name": self.env._(
                "Mediation membership - %(partner)s", partner=partner.name
            ),
            "partner_id": partner.id,
            # A person, not OdooBot who generates the data: its invoices
            # show the same salesperson.
            "user_id": self._demo_responsible().id,
            "mediation_kind": kind,
            "mediation_state": "active",
            "mediation_date_activated": start,
            "mediation_term_start": start,
            "date_start": start,
            "recurring_rule_type": "yearly",
            "recurring_invoicing_type": "pre-paid",
            "mediation_tariff_id": tariff.id,
            "mediation_fee_simple": tariff.case_fee_simple,
            "mediation_fee_complex": tariff.case_fee_complex,
            "mediation_fee_trigger": tariff.fee_trigger,
            "mediation_case_fee_payer": tariff.case_fee_payer
            if kind == "convention"
            else False,
            "contract_line_ids": [
                Command.create(
                    Contract._mediation_fee_line_vals(
                        tariff._annual_fee(count), start, partner.lang
                    )
                )
            ],
            "mediation_member_ids": [
                Command.create({"partner_id": member.id, "date_join": start})
                for member in (members or [])
            ],
        }

    @api.model
    def _demo_responsible(self):
        """The head mediator, responsible for the demo memberships."""
        return self.env["res.users"].search([("login", "=", MEDIATORS[0][1])], limit=1)

    @api.model
    def _generate_mediators(self):
        Users = self.env["res.users"].with_context(no_reset_password=True)
        user_group = self.env.ref("consumer_mediation.group_mediation_user")
        manager_group = self.env.ref("consumer_mediation.group_mediation_manager")
        for name, login, manager, __ in MEDIATORS:
            if Users.search_count([("login", "=", login)]):
                continue
            Users.create(
                {
                    "name": name,
                    "login": login,
                    "password": login,
                    "lang": self.env.lang or "en_US",
                    "tz": "Europe/Paris",
                    "email": f"{login}@mediation-confluence.fr",
                    "groups_id": [
                        Command.link((manager_group if manager else user_group).id)
                    ],
                }
            )

    @api.model
    def _generate_companies(self, rng, count):
        vals_list = []
        for index in range(count):
            head = NAME_HEADS[index % len(NAME_HEADS)]
            tail = NAME_TAILS[(index // len(NAME_HEADS) + index) % len(NAME_TAILS)]
            city, zip_code = rng.choice(CITIES)
            sector, activity = rng.choice(SECTORS)
            siren = self._siren(rng)
            vals_list.append(
                {
                    "name": f"{head} {tail} {rng.choice(LEGAL_FORMS)}"
                    + (f" {index // 400 + 1}" if index >= 400 else ""),
                    "is_company": True,
                    "city": city,
                    "zip": zip_code,
                    "country_id": self.env.ref("base.fr").id,
                    "industry_id": self.env.ref(sector).id,
                    "mediation_activity": activity,
                    "mediation_headcount": rng.choice(HEADCOUNTS),
                    "mediation_consumer_share": rng.choice([40, 60, 80, 95, 100]),
                    "company_registry": siren,
                    "siret": self._siret(rng, siren),
                    "email": f"contact{index}@example.com",
                    "lang": self.env.lang or "en_US",
                }
            )
        return self.env["res.partner"].create(vals_list)

    @api.model
    def _generate_federations(self, rng, members, today):
        """Federations sized in proportion to 293 members; each signs a
        convention covering a slice of ``members``."""
        federations = self.env["res.partner"]
        offset = len(members) // 3
        for name, size, sector in FEDERATIONS:
            size = max(1, round(size * len(members) / 293))
            fed_members = members[offset : offset + size]
            offset += size
            siren = self._siren(rng)
            federation = self.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "mediation_is_federation": True,
                    "industry_id": self.env.ref(sector).id,
                    "company_registry": siren,
                    "country_id": self.env.ref("base.fr").id,
                    "city": "Paris",
                    "email": f"federation{len(federations)}@example.com",
                    "lang": self.env.lang or "en_US",
                }
            )
            start = today - relativedelta(days=rng.randint(100, 700))
            vals = self._contract_vals(federation, "convention", start, fed_members)
            # Members join a proposal, then the whole history is written at
            # once: joining an active convention would send each kit by mail.
            history = {
                key: vals.pop(key)
                for key in (
                    "mediation_state",
                    "mediation_date_activated",
                    "mediation_term_start",
                )
            }
            self.env["contract.contract"].create(vals).write(history)
            federations |= federation
        return federations

    @api.model
    def _siren(self, rng):
        digits = "".join(str(rng.randint(0, 9)) for _ in range(8))
        return digits + luhn.calc_check_digit(digits)

    @api.model
    def _siret(self, rng, siren):
        digits = siren + f"{rng.randint(1, 99):04d}"
        return digits + luhn.calc_check_digit(digits)
