/** @odoo-module **/

import { registry } from "@web/core/registry";
import { openMediationMenu } from "@consumer_mediation/js/tours/tour_utils";

registry.category("web_tour.tours").add("consumer_mediation_settings_tour", {
    url: "/odoo",
    steps: () => [
        ...openMediationMenu("menu_mediation_config", "menu_mediation_config_settings"),
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
