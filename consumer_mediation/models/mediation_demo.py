import random
from datetime import date

from dateutil.relativedelta import relativedelta
from stdnum import luhn

from odoo import Command, api, models

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
MEDIATORS = [
    ("Claire Rousseau", "claire.rousseau", True),
    ("Julien Mercier", "julien.mercier", False),
    ("Nadia Benali", "nadia.benali", False),
    ("Thomas Garnier", "thomas.garnier", False),
]


class MediationDemo(models.AbstractModel):
    _name = "mediation.demo"
    _description = "Consumer Mediation Demo Data Generator"

    @api.model
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
        for company in proposals:
            Contract._mediation_prepare_proposal(company, "individual")
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
        return members

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
                    Contract._mediation_fee_line_vals(tariff._annual_fee(count), start)
                )
            ],
            "mediation_member_ids": [
                Command.create({"partner_id": member.id, "date_join": start})
                for member in (members or [])
            ],
        }

    @api.model
    def _generate_mediators(self):
        Users = self.env["res.users"].with_context(no_reset_password=True)
        user_group = self.env.ref("consumer_mediation.group_mediation_user")
        manager_group = self.env.ref("consumer_mediation.group_mediation_manager")
        for name, login, manager in MEDIATORS:
            if Users.search_count([("login", "=", login)]):
                continue
            Users.create(
                {
                    "name": name,
                    "login": login,
                    "email": f"{login}@example.com",
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
                    "mediation_siren": siren,
                    "mediation_siret": self._siret(rng, siren),
                    "email": f"contact{index}@example.com",
                    "lang": "fr_FR"
                    if self.env["res.lang"]._lang_get("fr_FR")
                    else "en_US",
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
                    "mediation_siren": siren,
                    "country_id": self.env.ref("base.fr").id,
                    "city": "Paris",
                    "email": f"federation{len(federations)}@example.com",
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
