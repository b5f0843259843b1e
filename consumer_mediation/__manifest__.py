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
        "security/mediation_case_security.xml",
        "security/mediation_privacy_security.xml",
        "data/mediation_case_config_data.xml",
        "report/mediation_case_letters.xml",
        "report/mediation_case_reports.xml",
        "data/mail_template_data.xml",
        "views/res_config_settings_views.xml",
        "views/mediation_menus.xml",
        "views/mediation_case_views.xml",
        "views/mediation_config_views.xml",
        "wizards/mediation_case_wizard_views.xml",
        "data/mediation_privacy_data.xml",
        "views/mediation_privacy_views.xml",
        "wizards/mediation_erasure_wizard_views.xml",
    ],
    "demo": [
        "demo/mediation_case_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "consumer_mediation/static/src/js/tours/*.js",
        ],
    },
}
