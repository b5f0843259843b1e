/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { reloadSteps, roleTourSteps } from "@consumer_mediation/js/tours/tour_utils";

/** Steps opening ``menuXmlid`` under the Invoicing app's top menu ``topXmlid``. */
function openInvoicingMenu(topXmlid, menuXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="account.menu_finance"]',
            run: "click",
        },
        {
            trigger: `.o_main_navbar button[data-menu-xmlid="${topXmlid}"]`,
            run: "click",
        },
        {
            trigger: `.dropdown-item[data-menu-xmlid="${menuXmlid}"]`,
            run: "click",
        },
    ];
}

const year = new Date().getFullYear();

// The accountant's day, in French, as a user of the Invoicing group only:
// the batch invoicing, the invoice sent (Factur-X), its payment, a reminder
// of another member's unpaid invoice, the FEC of the year.
registry.category("web_tour.tours").add("consumer_mediation_fec_accountant_day_tour", {
    url: "/odoo",
    steps: () => roleTourSteps([
        ...openInvoicingMenu(
            "account.menu_finance_receivables",
            "consumer_mediation.menu_mediation_invoice_wizard"
        ),
        {
            trigger: '.modal div[name="preview_html"] td:contains("Boulangerie Jour")',
        },
        {
            trigger: '.modal button[name="action_invoice"]',
            run: "click",
        },
        {
            trigger: 'body:not(:has(.modal)) .o_list_view .o_data_row:contains("Boulangerie Jour") td[name="invoice_partner_display_name"]',
            run: "click",
        },
        {
            trigger: '.o_form_view button[name="action_invoice_sent"]',
            run: "click",
        },
        {
            trigger: '.modal button[name="action_send_and_print"]',
            run: "click",
        },
        {
            trigger: 'body:not(:has(.modal)) .o_form_view .o_form_saved button[name="action_register_payment"]',
            run: "click",
        },
        {
            trigger: '.modal button[name="action_create_payments"]:visible',
            run: "click",
        },
        {
            trigger: 'body:not(:has(.modal)) .o_form_view .ribbon:contains("En paiement"), body:not(:has(.modal)) .o_form_view .ribbon:contains("Payé")',
        },
        ...reloadSteps(".o_form_view .ribbon"),
        // A reminder: the other member's overdue invoice is sent again.
        ...openInvoicingMenu(
            "account.menu_finance_receivables",
            "account.menu_action_move_out_invoice_type"
        ),
        {
            trigger: '.o_list_view .o_data_row:contains("Fleurs Jour") td[name="invoice_partner_display_name"]',
            run: "click",
        },
        {
            trigger: '.o_form_view button[name="action_invoice_sent"]',
            run: "click",
        },
        {
            trigger: '.modal button[name="action_send_and_print"]',
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_form_view .o_form_saved",
        },
        // The FEC of the year.
        ...openInvoicingMenu(
            "account.menu_finance_reports",
            "consumer_mediation_fec.menu_mediation_fec_export"
        ),
        {
            trigger: '.modal div[name="date_from"] input',
            run: `edit 01/01/${year}`,
        },
        {
            trigger: '.modal div[name="date_to"] input',
            run: `edit 31/12/${year}`,
        },
        {
            // The mistake: the official export, which locks the year.
            trigger: '.modal div[name="test_file"] input',
            run: "click",
        },
        {
            trigger: '.modal div[name="test_file"] input:not(:checked)',
        },
        {
            trigger: '.modal footer button[name="create_fec_report_action"]',
            run: "click",
        },
        {
            trigger: '.modal:contains("administrateur de la comptabilité") .modal-footer .btn-primary',
            run: "click",
        },
        {
            trigger: '.modal div[name="date_from"] input:value(01/01/' + year + ")",
        },
        {
            trigger: '.modal div[name="test_file"] input',
            run: "click",
        },
        {
            trigger: '.modal div[name="test_file"] input:checked',
        },
        {
            trigger: '.modal footer button[name="create_fec_report_action"]',
            run: "click",
        },
        {
            // The buttons come back once the file is generated and its
            // download started (the test checks the file and its download).
            trigger: '.modal footer button[name="create_fec_report_action"]:enabled',
        },
    ]),
});
