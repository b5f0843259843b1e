/** @odoo-module **/

import { registry } from "@web/core/registry";
import { reloadSteps, roleTourSteps } from "@consumer_mediation/js/tours/tour_utils";

// As the secretariat (Mediation / Secretariat only), in French: missing
// documents requested on a new case, after sending the dialog empty once.
registry.category("web_tour.tours").add("consumer_mediation_documents_tour", {
    steps: () => roleTourSteps([
        {
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_open_documents_wizard"]',
            run: "click",
        },
        {
            trigger: '.modal .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            // The mistake is answered in French; the dialog stays open.
            trigger: '.modal:contains("Choisissez les pièces manquantes") .modal-footer .btn-primary',
            run: "click",
        },
        {
            trigger: '.modal div[name="document_type_ids"] label:contains("Facture ou confirmation de commande")',
            run: "click",
        },
        {
            trigger: '.modal div[name="document_type_ids"] input:checked',
        },
        {
            trigger: '.modal .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            trigger: ".o_form_view .o_mediation_awaiting_documents:contains('Pièces attendues')",
        },
        ...reloadSteps(".o_form_view .o_mediation_awaiting_documents:contains('Facture ou confirmation de commande')"),
        {
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_mark_file_complete"]',
        },
    ]),
});
