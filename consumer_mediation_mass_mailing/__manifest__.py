# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Consumer Mediation - Email Marketing",
    "summary": "Keep a mailing list of the covered members' contacts in sync "
    "with the membership contracts",
    "version": "18.0.1.0.0",
    "category": "Services/Consumer Mediation",
    "website": "https://github.com/consumer-mediation/consumer_mediation",
    "author": "Consumer Mediation contributors",
    "license": "AGPL-3",
    "installable": True,
    "auto_install": False,
    "depends": ["consumer_mediation", "mass_mailing"],
    "data": ["data/mailing_list_data.xml", "views/res_partner_views.xml"],
    "demo": ["demo/mailing_demo.xml"],
    "post_init_hook": "post_init_hook",
    "assets": {
        "web.assets_tests": [
            "consumer_mediation_mass_mailing/static/src/js/tours/*.js",
        ]
    },
}
