/** @odoo-module **/

import { registry } from "@web/core/registry";
import { openMediationMenu } from "@consumer_mediation/js/tours/tour_utils";

registry.category("web_tour.tours").add("consumer_mediation_case_tour", {
    url: "/odoo",
    steps: () => [
        ...openMediationMenu(),
        {
            // The case sits in its state column with its deadline badge.
            trigger: '.o_kanban_group:contains("Received") .o_kanban_record:contains("Tour Consumer") .badge:contains("Overdue")',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="deadline_status"]:contains("Overdue")',
        },
        {
            trigger: '.o_form_view button[name="action_start_review"]',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button[aria-checked="true"]:contains("Admissibility Review")',
        },
        {
            trigger: '.o_form_view button[name="action_open_refuse_wizard"]',
            run: "click",
        },
        {
            trigger: '.modal .o_field_widget[name="ground_id"] input',
            run: "edit No prior written",
        },
        {
            trigger: '.ui-autocomplete .dropdown-item:contains("No prior written complaint")',
            run: "click",
        },
        {
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            trigger: 'body:not(:has(.modal)) .o_statusbar_status button[aria-checked="true"]:contains("Refused")',
        },
        {
            trigger: '.o_notebook .nav-link:contains("Legal Timeline")',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="refusal_ground_id"]:contains("No prior written complaint")',
        },
        {
            trigger: '.o_form_view .o_field_widget[name="date_admissibility_notified"]:not(:empty)',
        },
    ],
});
