# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Consumer Mediation",
    "summary": "Run a French consumer-mediation body: member companies, "
    "contracts, dispute cases and their legal clocks, invoicing, reports",
    "version": "18.0.1.0.0",
    "category": "Services/Consumer Mediation",
    "website": "https://github.com/consumer-mediation/consumer_mediation",
    "author": "Consumer Mediation contributors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "mail",
        "portal",
        "account",
        "contract",
        "report_xlsx",
    ],
    "data": [
        "security/mediation_security.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/mediation_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "consumer_mediation/static/src/js/tours/*.js",
        ],
    },
}
