/** @odoo-module **/

import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";
import { openMediationMenu, roleTourSteps } from "@consumer_mediation/js/tours/tour_utils";

function uploadPdf(selector, name) {
    return async function () {
        const pdf = new File(["%PDF-1.4\n% signed\n"], name, { type: "application/pdf" });
        await inputFiles(selector, [pdf]);
    };
}

const reload = {
    trigger: "body",
    run() {
        window.location.reload();
    },
};

// As a mediator (Mediation / User only), in French: an information request
// qualified (a wrong SIREN first), turned into a proposal, accepted on paper.
registry.category("web_tour.tours").add("consumer_mediation_mediator_membership_tour", {
    url: "/odoo",
    steps: () => roleTourSteps([
        ...openMediationMenu("menu_mediation_members", "menu_mediation_information_request"),
        {
            trigger: '.o_kanban_record:contains("Boulangerie du Tour")',
            run: "click",
        },
        {
            trigger: '.o_notebook a[name="mediation"]',
            run: "click",
        },
        {
            trigger: 'div[name="mediation_siren"] input',
            run: "edit 123456789",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            // The mistake is answered in French, and nothing typed is lost.
            trigger: '.modal:contains("SIREN") .modal-footer .btn-primary',
            run: "click",
        },
        {
            trigger: 'div[name="mediation_siren"] input',
            run: "edit 732829320",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        reload,
        {
            trigger: '.o_form_view div[name="mediation_siren"] input:value(732829320)',
        },
        {
            trigger: 'button[name="action_mediation_create_proposal"]',
            run: "click",
        },
        {
            trigger: '.o_statusbar_status button[data-value="proposal"].o_arrow_button_current',
        },
        {
            trigger: 'button[name="action_mediation_sign_paper"]',
            run: "click",
        },
        {
            trigger: '.modal div[name="signatory"] input',
            run: "edit Jeanne Tour",
        },
        {
            // No signed copy yet: the wizard refuses and says which field.
            trigger: '.modal button[name="action_record"]',
            run: "click",
        },
        {
            trigger: '.modal div[name="signed_copy"].o_field_invalid',
        },
        {
            trigger: '.modal div[name="signed_copy"] .o_select_file_button',
            run: uploadPdf('.modal div[name="signed_copy"] .o_input_file', "proposition-signee.pdf"),
        },
        {
            trigger: '.modal div[name="signed_copy"]:contains("proposition-signee.pdf")',
        },
        {
            trigger: '.modal button[name="action_record"]',
            run: "click",
        },
        {
            trigger: 'body:not(:has(.modal)) .o_statusbar_status button[data-value="active"].o_arrow_button_current',
        },
        reload,
        {
            trigger: '.o_statusbar_status button[data-value="active"].o_arrow_button_current',
        },
    ]),
});
