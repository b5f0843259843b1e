/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { roleTourSteps } from "@consumer_mediation/js/tours/tour_utils";

// As the mediation body's manager, in French: write the members' news and
// send it to the covered members' list.
registry.category("web_tour.tours").add("consumer_mediation_newsletter_tour", {
    url: "/odoo",
    steps: () => roleTourSteps([
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="mass_mailing.mass_mailing_menu_root"]',
            run: "click",
        },
        {
            trigger: "button.o_list_button_add",
            run: "click",
        },
        {
            trigger: "#contact_list_ids_0",
            run: "edit Adhérents couverts",
        },
        {
            trigger: '.o_input_dropdown a:contains("Adhérents couverts par la médiation")',
            run: "click",
        },
        {
            trigger: '[name="body_arch"] :iframe #empty',
            run() {
                this.anchor.click();
            },
        },
        {
            trigger:
                '[name="body_arch"] :iframe .o_editable[data-editor-message]',
        },
        {
            trigger: '[name="body_arch"] #oe_snippets .oe_snippet:has([data-snippet="s_title"]) .oe_snippet_thumbnail',
            async run(helpers) {
                await helpers.drag_and_drop('[name="body_arch"] :iframe .o_editable', {
                    position: { top: 340 },
                });
            },
        },
        {
            trigger: "body:not(:has(.o_we_ongoing_insertion))",
        },
        {
            trigger: '[name="body_arch"] :iframe .o_editable h1',
        },
        // A mistake: saved without a subject, refused, nothing written is lost.
        {
            trigger: "button.o_form_button_save",
            run: "click",
        },
        {
            trigger: "label.o_field_invalid",
        },
        {
            trigger: '[name="body_arch"] :iframe .o_editable h1',
        },
        {
            trigger: "input#subject_0",
            run: "edit Les nouvelles de la médiation - décembre",
        },
        {
            trigger: ".o_form_view",
            run: "click",
        },
        ...stepUtils.saveForm(),
        // After a reload the mailing is there as written.
        {
            trigger: '.o_form_view .o_breadcrumb:contains("Les nouvelles de la médiation")',
            run() {
                window.location.reload();
            },
        },
        {
            trigger: '[name="body_arch"] :iframe .o_editable h1',
        },
        {
            trigger: 'div[name="contact_list_ids"] .o_tag:contains("Adhérents couverts par la médiation")',
        },
        {
            trigger: 'button[name="action_launch"]',
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button[data-value="in_queue"].o_arrow_button_current',
        },
    ]),
});
