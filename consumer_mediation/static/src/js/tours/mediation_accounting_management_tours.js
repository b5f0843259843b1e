/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import {
    downloadWorkbookStep,
    openMediationMenu,
    reloadSteps,
    roleTourSteps,
} from "@consumer_mediation/js/tours/tour_utils";

/** Steps opening an item of the Invoicing app's Customers menu. */
function openInvoicingMenu(menuXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
            run: "click",
        },
        {
            trigger: '.o_main_navbar button[data-menu-xmlid="account.menu_finance_receivables"]',
            run: "click",
        },
        {
            trigger: `.dropdown-item[data-menu-xmlid="${menuXmlid}"]`,
            run: "click",
        },
    ];
}

// As an accountant (Invoicing only), in French: the case fees to invoice, the
// wizard narrowed to one member and one kind of fee, the invoice made.
registry.category("web_tour.tours").add("consumer_mediation_accountant_tour", {
    url: "/odoo",
    steps: () => roleTourSteps([
        ...openInvoicingMenu("consumer_mediation.menu_mediation_case_fee_accounting"),
        {
            trigger: '.o_searchview_facet:contains("À facturer")',
        },
        {
            trigger: '.o_list_view .o_data_row:contains("Boulangerie Tour"):contains("Frais de dossier")',
        },
        {
            trigger: '.o_list_view .o_data_row:contains("Fleurs Tour")',
        },
        ...reloadSteps('.o_list_view .o_data_row:contains("Boulangerie Tour")'),
        ...openInvoicingMenu("consumer_mediation.menu_mediation_invoice_wizard"),
        {
            trigger: '.modal div[name="partner_ids"] input',
            run: "edit Boulangerie",
        },
        {
            trigger: '.o-autocomplete--dropdown-item a:contains("Boulangerie Tour")',
            run: "click",
        },
        {
            trigger: '.modal div[name="partner_ids"] .o_tag:contains("Boulangerie Tour")',
        },
        {
            // A mistake: nothing of that kind is due.
            trigger: '.modal div[name="fee_kind"] select',
            run: "selectByLabel Frais en cas de refus",
        },
        {
            trigger: '.modal div[name="preview_html"]:contains("Rien n\'est dû")',
        },
        {
            trigger: '.modal:not(:has(button[name="action_invoice"]))',
        },
        {
            trigger: '.modal div[name="fee_kind"] select',
            run: "selectByLabel Frais de dossier",
        },
        {
            trigger: '.modal div[name="preview_html"] td:contains("Boulangerie Tour")',
        },
        {
            trigger: '.modal div[name="preview_html"]:not(:contains("Fleurs Tour")):not(:contains("Cotisation"))',
        },
        {
            trigger: '.modal button[name="action_invoice"]',
            run: "click",
        },
        {
            trigger: 'body:not(:has(.modal)) .o_list_view .o_data_row:contains("Boulangerie Tour") td[name="name"]',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="partner_id"] input:value(Boulangerie Tour)',
        },
        {
            trigger: '.o_form_view .o_field_widget[name="invoice_line_ids"] td:contains("Frais de dossier")',
        },
        ...reloadSteps(
            '.o_form_view .o_field_widget[name="invoice_line_ids"] td:contains("Frais de dossier")'
        ),
    ]),
});

// As a mediation manager, in French: the case analysis, the activity report
// with its figures (a mistake, a reload), its workbook, the cases export.
registry.category("web_tour.tours").add("consumer_mediation_manager_tour", {
    url: "/odoo",
    steps: () => roleTourSteps([
        ...openMediationMenu("menu_mediation_reporting", "menu_mediation_case_analysis"),
        {
            trigger: ".o_pivot table",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: '.o_group_by_menu .o-dropdown-item:contains("Statut")',
            run: "click",
        },
        {
            trigger: '.o_pivot th:contains("Examen de la recevabilité")',
        },
        {
            trigger: '.o_pivot th:contains("Refusé")',
        },
        ...openMediationMenu("menu_mediation_reporting", "menu_mediation_activity_report"),
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: '.o_form_view div[name="summary_html"] td:contains("Litiges reçus")',
        },
        {
            // A mistake: the report needs a name.
            trigger: '.o_form_view div[name="name"] input',
            run: "clear",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: '.o_form_view div[name="name"].o_field_invalid',
        },
        {
            trigger: '.o_form_view div[name="name"] input',
            run: "edit Rapport d'activité de l'année",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: '.o_breadcrumb .active:contains("Rapport d\'activité de l\'année")',
        },
        ...reloadSteps('.o_form_view div[name="summary_html"] td:contains("Litiges reçus")'),
        {
            trigger: '.o_form_view div[name="summary_html"] tr:contains("Litiges reçus") td:contains("3")',
        },
        downloadWorkbookStep('.o_form_view button[name="action_download_xlsx"]'),
        {
            trigger: "body.o_cm_workbook_downloaded:not(:has(.o_error_dialog))",
        },
        {
            trigger: "body",
            run() {
                document.body.classList.remove("o_cm_workbook_downloaded");
            },
        },
        ...openMediationMenu("menu_mediation_reporting", "menu_mediation_case_export"),
        {
            trigger: '.modal div[name="state"] select',
            run: "selectByLabel Examen de la recevabilité",
        },
        downloadWorkbookStep(".modal button[name='action_export']"),
        {
            trigger: "body.o_cm_workbook_downloaded:not(:has(.o_error_dialog))",
        },
    ]),
});
