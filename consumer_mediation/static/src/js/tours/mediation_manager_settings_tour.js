/** @odoo-module **/

import { registry } from "@web/core/registry";
import {
    openMediationMenu,
    reloadSteps,
    roleTourSteps,
} from "@consumer_mediation/js/tours/tour_utils";

// As a manager (Mediation / Manager only, no Odoo administrator), in French:
// the mediation settings of the company, a reminder set after the closing of
// an incomplete file first (refused), then corrected, saved and reloaded.
registry.category("web_tour.tours").add("consumer_mediation_manager_settings_tour", {
    url: "/odoo",
    steps: () => roleTourSteps([
        ...openMediationMenu("menu_mediation_config", "menu_mediation_company_settings"),
        {
            trigger: 'div[name="mediation_documents_reminder_days"] input',
            run: "edit 45",
        },
        {
            trigger: 'div[name="mediation_proposal_answer_days"] input',
            run: "edit 20",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: '.modal:contains("avant la clôture") .modal-footer .btn-primary',
            run: "click",
        },
        {
            trigger: 'div[name="mediation_documents_reminder_days"] input',
            run: "edit 10",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        ...reloadSteps('div[name="mediation_proposal_answer_days"] input:value("20")'),
    ]),
});
