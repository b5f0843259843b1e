# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Consumer Mediation - FEC Export",
    "summary": "Let the mediation body's accountant download the FEC from "
    "France - Accounting's wizard",
    "version": "18.0.1.0.0",
    "category": "Services/Consumer Mediation",
    "website": "https://github.com/consumer-mediation/consumer_mediation",
    "author": "Consumer Mediation contributors",
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["consumer_mediation", "l10n_fr_account"],
    "data": [
        "security/ir.model.access.csv",
        "views/l10n_fr_fec_export_wizard_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["consumer_mediation_fec/static/src/js/tours/*.js"],
    },
}
