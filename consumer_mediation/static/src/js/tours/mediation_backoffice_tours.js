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
            trigger: 'div[name="company_registry"] input',
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
            trigger: 'div[name="company_registry"] input',
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
            trigger: '.o_form_view div[name="company_registry"] input:value(732829320)',
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
            trigger: '.modal div[name="signed_copy"] input.o_input:value(proposition-signee.pdf)',
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

function frenchDate(daysAgo) {
    const day = new Date(Date.now() - daysAgo * 86400000);
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(day.getDate())}/${pad(day.getMonth() + 1)}/${day.getFullYear()}`;
}

// The status of the form, even while the crowded status bar is laid out
// (":visible" in the trigger lifts the tour's visibility requirement).
function current(state) {
    return {
        trigger: `.o_form_view:visible .o_statusbar_status button[data-value="${state}"][aria-checked="true"]`,
    };
}

function clickButton(name) {
    return {
        trigger: `.o_form_view .o_statusbar_buttons button[name="${name}"]`,
        run: "click",
    };
}

function closeWarning(text) {
    return {
        trigger: `.modal:contains("${text}") .modal-footer .btn-primary`,
        run: "click",
    };
}

const save = [
    {
        trigger: ".o_form_button_save",
        run: "click",
    },
];

// As a mediator (Mediation / User only), in French: the mediator lands on
// their cases, reviews a case (a wrong date first), admits it, notifies the
// saisine, sends a proposal (forgotten text first), closes the case through
// the dialog and prints a letter of the case's steps.
registry.category("web_tour.tours").add("consumer_mediation_mediator_case_tour", {
    url: "/odoo",
    steps: () => roleTourSteps([
        {
            // Home is the cases, not Discuss; finished columns are folded.
            trigger: '.o_kanban_view .o_kanban_group .o_column_folded, .o_kanban_view .o_column_folded',
        },
        {
            trigger: '.o_kanban_record:contains("Camille Tour")',
            run: "click",
        },
        clickButton("action_start_review"),
        current("review"),
        {
            trigger: 'div[name="date_complaint"] input',
            run: `edit ${frenchDate(-30)}`,
        },
        ...save,
        closeWarning("réclamation écrite"),
        {
            trigger: 'div[name="date_complaint"] input',
            run: `edit ${frenchDate(40)}`,
        },
        ...save,
        {
            trigger: ".o_form_saved",
        },
        reload,
        current("review"),
        clickButton("action_admit"),
        current("admitted"),
        clickButton("action_notify_saisine"),
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        current("waiting"),
        clickButton("action_professional_agree"),
        current("mediation"),
        clickButton("action_send_proposal"),
        closeWarning("solution proposée"),
        {
            trigger: '.o_notebook a[name="proposal"]',
            run: "click",
        },
        {
            // Whom the solution favours, for item 8 of the annual report.
            trigger: 'div[name="proposal_favours"] select',
            run: 'select "balanced"',
        },
        {
            trigger: 'div[name="proposal_text"] .odoo-editor-editable',
            run: "editor Remboursement de 300 € et reprise du canapé.",
        },
        ...save,
        {
            trigger: ".o_form_saved",
        },
        clickButton("action_send_proposal"),
        current("proposal"),
        clickButton("action_consumer_accept"),
        {
            trigger: '.o_form_view .o_statusbar_buttons:not(:has(button[name="action_consumer_accept"]))',
        },
        clickButton("action_professional_accept"),
        {
            trigger: '.o_form_view .o_statusbar_buttons:not(:has(button[name="action_professional_accept"]))',
        },
        clickButton("action_open_close_wizard"),
        {
            // The outcome is shown, the letters to send are ticked.
            trigger: '.modal div[name="outcome_id"]:contains("Accept")',
        },
        {
            trigger: '.modal div[name="send_closing"] input:checked',
        },
        {
            trigger: '.modal div[name="send_certificate"] input:checked',
        },
        {
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        current("closed"),
        {
            trigger: '.o_notebook a[name="timeline"]',
            run: "click",
        },
        {
            trigger: 'div[name="date_certificate_issued"]:not(:empty)',
        },
        {
            // The certificate is sent: it is not offered again.
            trigger: '.o_form_view .o_statusbar_buttons:not(:has(button[name="action_send_certificate"]))',
        },
        {
            trigger: ".o_cp_action_menus .fa-cog",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o_menu_item:has(.fa-print)",
            run: "click",
        },
        {
            // Only the letters of the case's steps: no refusal.
            trigger: '.modal a.o_mediation_letter[data-letter="closing"]',
        },
        {
            trigger: '.modal:not(:has(a[data-letter="refusal"])) a[data-letter="certificate"]',
            async run() {
                const response = await fetch(this.anchor.getAttribute("href"));
                if (!response.ok) {
                    console.error(`Letter download failed: ${response.status}`);
                }
            },
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ]),
});

// As the secretariat (Mediation / Secretariat only), in French: a case
// received by post from a consumer who is not a contact yet (created with
// their address) registered (a wrong date, then an incomplete file), made
// complete, assigned to a mediator and handed over to the admissibility
// review; the secretariat has no decision button.
registry.category("web_tour.tours").add("consumer_mediation_secretariat_tour", {
    url: "/odoo",
    steps: () => roleTourSteps([
        {
            trigger: ".o_kanban_view .o-kanban-button-new",
            run: "click",
        },
        {
            trigger: 'div[name="consumer_id"] input',
            run: "edit Lucie Courrier",
        },
        {
            // A consumer who is not a contact yet: the secretariat creates
            // them with their postal address, where the letters will go.
            trigger: '.ui-autocomplete .o_m2o_dropdown_option_create_edit',
            run: "click",
        },
        {
            trigger: '.modal .o_form_view div[name="street"] input',
            run: "edit 12 rue des Lilas",
        },
        {
            trigger: '.modal .o_form_view div[name="zip"] input',
            run: "edit 69003",
        },
        {
            trigger: '.modal .o_form_view div[name="city"] input',
            run: "edit Lyon",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: 'body:not(:has(.modal)) div[name="consumer_id"] input:value("Lucie Courrier")',
        },
        {
            trigger: 'div[name="date_complaint"] input',
            run: `edit ${frenchDate(-5)}`,
        },
        {
            trigger: 'div[name="description"] .odoo-editor-editable',
            run: "editor Voyage annulé, acompte de 800 € jamais remboursé.",
        },
        ...save,
        closeWarning("réclamation écrite"),
        {
            trigger: 'div[name="date_complaint"] input',
            run: `edit ${frenchDate(15)}`,
        },
        ...save,
        {
            trigger: ".o_form_saved",
        },
        reload,
        {
            trigger: '.o_form_view div[name="channel"] select:has(option:selected:contains("Courrier postal"))',
        },
        clickButton("action_start_review"),
        closeWarning("identifiez le professionnel"),
        {
            trigger: 'div[name="professional_id"] input',
            run: "edit Agence Tour",
        },
        {
            trigger: '.ui-autocomplete .dropdown-item:contains("Agence Tour Voyages")',
            run: "click",
        },
        {
            trigger: 'div[name="mediator_id"] input',
            run: "edit Médiatrice",
        },
        {
            trigger: '.ui-autocomplete .dropdown-item:contains("Médiatrice Tour")',
            run: "click",
        },
        ...save,
        {
            trigger: ".o_form_saved",
        },
        clickButton("action_start_review"),
        current("review"),
        // It acknowledges the request it registered.
        clickButton("action_send_acknowledgement"),
        {
            trigger: '.o_form_view .o_statusbar_buttons:not(:has(button[name="action_send_acknowledgement"]))',
        },
        {
            // The admissibility decision is the mediator's.
            trigger: '.o_form_view .o_statusbar_buttons:not(:has(button[name="action_admit"])):not(:has(button[name="action_open_refuse_wizard"]))',
        },
        {
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            // The whole reference shows in the list.
            trigger: '.o_list_view td.o_data_cell[name="name"]:contains("MED")',
            run() {
                const cell = this.anchor;
                if (cell.scrollWidth > cell.clientWidth) {
                    console.error(`Reference cut in the list: ${cell.innerText}`);
                }
            },
        },
        {
            // The cases awaiting documents among the open ones: a filter that
            // narrows the list (the case registered is complete).
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: '.o_filter_menu .o-dropdown-item:contains("Pièces attendues")',
            run: "click",
        },
        {
            trigger: '.o_searchview_facet:contains("Pièces attendues"):not(:contains("Ouverts"))',
        },
        {
            trigger: '.o_searchview_facet:contains("Ouverts")',
        },
        {
            trigger: '.o_list_view:not(:has(td.o_data_cell[name="name"]:contains("MED")))',
        },
    ]),
});
