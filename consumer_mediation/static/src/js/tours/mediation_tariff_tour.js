/** @odoo-module **/

import { registry } from "@web/core/registry";
import { openMediationMenu } from "@consumer_mediation/js/tours/tour_utils";

registry.category("web_tour.tours").add("consumer_mediation_tariff_tour", {
    url: "/odoo",
    steps: () => [
        ...openMediationMenu("menu_mediation_config", "menu_mediation_config_tariff"),
        {
            trigger: '.o_data_row td:contains("Standard membership")',
            run: "click",
        },
        {
            trigger: 'button[name="action_new_version"]',
            run: "click",
        },
        {
            trigger: '.modal button[name="action_create"]',
            run: "click",
        },
        {
            trigger: 'div[name="version"]:contains("2")',
        },
        {
            trigger: '.o_main_navbar button:contains("Members")',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="consumer_mediation.menu_mediation_information_request"]',
            run: "click",
        },
        {
            trigger: '.o_kanban_record:contains("Tour request")',
        },
        {
            trigger: '.o_main_navbar button:contains("Members")',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="consumer_mediation.menu_mediation_contract"]',
            run: "click",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: '.o_filter_menu .o-dropdown-item:contains("Expiring within 90 days")',
            run: "click",
        },
        {
            trigger: '.o_filter_menu .o-dropdown-item:contains("Unpaid")',
            run: "click",
        },
        {
            trigger: '.o_searchview_facet:contains("Unpaid")',
        },
        {
            trigger: '.o_list_view .o_data_row td:contains("Tour Expiring")',
        },
    ],
});
