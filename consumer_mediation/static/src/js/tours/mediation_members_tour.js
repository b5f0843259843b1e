/** @odoo-module **/

import { registry } from "@web/core/registry";
import { openMediationMenu, roleTourSteps } from "@consumer_mediation/js/tours/tour_utils";

// As a mediator, in French: a member, its contract, its termination.
registry.category("web_tour.tours").add("consumer_mediation_members_tour", {
    url: "/odoo",
    steps: () => roleTourSteps([
        ...openMediationMenu("menu_mediation_members", "menu_mediation_member_company"),
        {
            trigger: '.o_data_row td:contains("Tour Bakery")',
            run: "click",
        },
        {
            trigger: '.o_notebook a[name="mediation"]',
            run: "click",
        },
        {
            trigger: 'div[name="company_registry"] input',
        },
        {
            trigger: 'div[name="mediation_coverage_badge"] .badge:contains("Couvert par")',
        },
        {
            trigger: 'button[name="action_mediation_open_contracts"]',
            run: "click",
        },
        {
            trigger: '.o_data_row td:contains("Tour Bakery")',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button[data-value="active"].o_arrow_button_current',
        },
        {
            trigger: '.o_notebook a[name="mediation_terms"]',
            run: "click",
        },
        {
            trigger: 'div[name="mediation_fee_simple"]',
        },
        {
            trigger: 'button[name="action_mediation_terminate"]',
            run: "click",
        },
        {
            trigger: '.modal div[name="reason"] textarea',
            run: "edit Fermeture du magasin",
        },
        {
            trigger: '.modal button[name="action_terminate"]',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button[data-value="terminated"].o_arrow_button_current',
        },
    ]),
});
