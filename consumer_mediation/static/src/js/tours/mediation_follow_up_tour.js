/** @odoo-module **/

import { registry } from "@web/core/registry";
import { openMediationMenu, roleTourSteps } from "@consumer_mediation/js/tours/tour_utils";

// As a mediator, in French: the follow-up list, the members not compliant,
// one member's evidence from the website scan.
registry.category("web_tour.tours").add("consumer_mediation_follow_up_tour", {
    url: "/odoo",
    steps: () => roleTourSteps([
        ...openMediationMenu("menu_mediation_members", "menu_mediation_member_follow_up"),
        {
            trigger: '.o_data_row td:contains("Fromagerie Conforme")',
        },
        // A mistake: a misspelt name finds nobody.
        {
            trigger: ".o_searchview_input",
            run: "edit Boulangerie Tuor",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row))",
        },
        {
            trigger: ".o_searchview_facet:last .o_facet_remove",
            run: "click",
        },
        {
            trigger: '.o_data_row td:contains("Boulangerie Tour")',
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: '.o_filter_menu .dropdown-item:contains("Non conforme")',
            run: "click",
        },
        {
            trigger: '.o_list_view:not(:has(.o_data_row td:contains("Fromagerie Conforme")))',
        },
        {
            trigger: '.o_data_row td:contains("Boulangerie Tour")',
            run: "click",
        },
        {
            trigger: '.o_notebook a[name="mediation"]',
            run: "click",
        },
        {
            trigger: 'div[name="mediation_scan_result"]:contains("Non conforme")',
        },
        // The form comes back as it was after a reload.
        {
            trigger: 'div[name="mediation_compliance_ids"] .o_data_row',
            run() {
                window.location.reload();
            },
        },
        {
            trigger: '.o_form_view .o_breadcrumb:contains("Boulangerie Tour")',
        },
        {
            trigger: '.o_notebook a[name="mediation"]',
            run: "click",
        },
        {
            trigger: 'div[name="mediation_compliance_ids"] .o_data_row td:contains("Conditions générales")',
            run: "click",
        },
        {
            trigger: '.modal div[name="evidence_excerpt"]:contains("Non trouvé")',
        },
        {
            trigger: '.modal div[name="evidence_sha256"] span',
            run() {
                if (!/^[0-9a-f]{64}$/.test(this.anchor.textContent.trim())) {
                    console.error("The evidence has no SHA-256 of the page");
                }
            },
        },
        {
            trigger: '.modal div[name="scan_result"]:contains("Mention absente")',
        },
        {
            trigger: ".modal .btn-close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ]),
});
