/** @odoo-module **/

import {registry} from "@web/core/registry";
import {openMediationMenu} from "@consumer_mediation/js/tours/tour_utils";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

registry.category("web_tour.tours").add("consumer_mediation_reporting_tour", {
    url: "/odoo",
    steps: () => [
        ...openMediationMenu("menu_mediation_reporting", "menu_mediation_case_export"),
        {
            // Mark the page once the browser has received a workbook.
            trigger: ".modal button[name='action_export']",
            run() {
                const open = XMLHttpRequest.prototype.open;
                XMLHttpRequest.prototype.open = function (method, url, ...rest) {
                    if (String(url).includes("/report/download")) {
                        this.addEventListener("load", () => {
                            const type = this.getResponseHeader("Content-Type") || "";
                            if (this.status === 200 && type.includes(XLSX)) {
                                document.body.classList.add("o_cm_workbook_downloaded");
                            }
                        });
                    }
                    return open.call(this, method, url, ...rest);
                };
                this.anchor.click();
            },
        },
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
