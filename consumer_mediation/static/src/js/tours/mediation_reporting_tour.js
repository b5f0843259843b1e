/** @odoo-module **/

import {registry} from "@web/core/registry";
import {downloadWorkbookStep, openMediationMenu} from "@consumer_mediation/js/tours/tour_utils";

registry.category("web_tour.tours").add("consumer_mediation_reporting_tour", {
    url: "/odoo",
    steps: () => [
        ...openMediationMenu("menu_mediation_reporting", "menu_mediation_case_export"),
        downloadWorkbookStep(".modal button[name='action_export']"),
        {
            trigger: "body.o_cm_workbook_downloaded:not(:has(.o_error_dialog))",
        },
        {
            trigger: ".modal .modal-footer button:contains(Cancel)",
            run: "click",
        },
        {
            trigger: 'body:not(:has(.modal)) .o_main_navbar button:contains("Reporting")',
            run: "click",
        },
        {
            trigger:
                '.dropdown-item[data-menu-xmlid="consumer_mediation.menu_mediation_dashboard_backlog"]',
            run: "click",
        },
        {
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
