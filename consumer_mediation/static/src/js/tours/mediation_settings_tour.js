/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("consumer_mediation_settings_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="consumer_mediation.menu_mediation_root"]',
            run: "click",
        },
        {
            trigger: '.o_main_navbar button:contains("Configuration")',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="consumer_mediation.menu_mediation_config_settings"]',
            run: "click",
        },
        {
            trigger: 'div[name="mediation_proposal_answer_days"] input',
            run: "edit 20",
        },
        {
            // Saving settings reloads the page: the mark tells old from new.
            trigger: ".o_form_button_save",
            run() {
                document.body.classList.add("o_cm_before_save");
                this.anchor.click();
            },
        },
        {
            trigger: 'body:not(.o_cm_before_save) div[name="mediation_proposal_answer_days"] input',
        },
    ],
});
