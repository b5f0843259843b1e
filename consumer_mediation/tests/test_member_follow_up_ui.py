from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .tour_common import MediationRoleTourCase
from .website_fixture import FixtureWebsite, page

FOOTER = (
    "<p>Médiateur de la consommation : Médiation Tour Conso, "
    "<a href='https://www.mediation-tour.example/saisine'>saisir le médiateur</a></p>"
)


@tagged("post_install", "-at_install")
class TestMemberFollowUpUi(MediationRoleTourCase):
    def test_mediator_opens_the_evidence_of_a_member_not_compliant(self):
        self.env.company.write(
            {
                "mediation_mediator_name": "Médiation Tour Conso",
                "website": "https://www.mediation-tour.example",
            }
        )
        self.env.company.partner_id.lang = "fr_FR"
        self.env["ir.config_parameter"].set_param(
            "consumer_mediation.scan_allow_private_addresses", "True"
        )
        self.env["ir.config_parameter"].set_param(
            "consumer_mediation.scan_host_delay", "0"
        )
        self.role_user("tour_follow_up", "consumer_mediation.group_mediation_user")
        Partner = self.env["res.partner"]
        bakery = Partner.create(
            {"name": "Boulangerie Tour", "is_company": True, "email": "b@example.com"}
        )
        cheese = Partner.create(
            {
                "name": "Fromagerie Conforme",
                "is_company": True,
                "email": "f@example.com",
            }
        )
        start = fields.Date.today() - timedelta(days=90)
        for member in bakery | cheese:
            self.env["contract.contract"]._mediation_prepare_proposal(
                member, "individual", date_start=start
            ).action_mediation_activate()
        # The nightly scan has run before the mediator comes.
        with FixtureWebsite(
            {
                "/boulangerie/": page("<a href='/boulangerie/cgv'>CGV</a>"),
                "/boulangerie/cgv": page("<h1>Conditions générales</h1>"),
                "/fromagerie/": page(FOOTER),
            }
        ) as site:
            bakery.website = site.url("/boulangerie/")
            cheese.website = site.url("/fromagerie/")
            while Partner._cron_mediation_scan_websites():
                pass
        self.assertEqual(bakery.mediation_scan_result, "missing")
        self.assertEqual(cheese.mediation_scan_result, "compliant")
        cgv_check = bakery.mediation_compliance_ids.filtered(
            lambda c: c.channel == "cgv"
        )
        self.assertEqual(cgv_check.evidence_excerpt, "Non trouvé")
        self.start_role_tour(
            "/odoo", "consumer_mediation_follow_up_tour", login="tour_follow_up"
        )
