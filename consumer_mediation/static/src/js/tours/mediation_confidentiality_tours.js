/** @odoo-module **/

import { registry } from "@web/core/registry";

const DOCUMENT = "arret-maladie.pdf";

function assertNotShown(text) {
    return {
        trigger: ".o_mediation_threads .o_mediation_thread_joint",
        run() {
            if (document.body.innerText.includes(text)) {
                throw new Error(`${text} is shown to this party`);
            }
        },
    };
}

// The consumer confides a message and a document to the mediator only,
// after a first try with nothing to send.
registry.category("web_tour.tours").add("consumer_mediation_aparte_tour", {
    steps: () => [
        {
            trigger: "label[for=cm_audience_mediator]:contains(Le médiateur uniquement)",
        },
        {
            trigger: "#cm_audience_mediator:checked",
        },
        {
            trigger: ".o_mediation_upload button[type=submit]",
            run: "click",
        },
        {
            trigger: ".alert-danger:contains(Rien n'a été envoyé)",
        },
        {
            trigger: "#cm_answer_body",
            run: "edit Mon arrêt maladie explique le retard de ma réclamation.",
        },
        {
            trigger: "#cm_answer_documents",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["%PDF-1.4\n% sick leave\n"], DOCUMENT, {
                        type: "application/pdf",
                    })
                );
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: ".o_mediation_upload button[type=submit]",
            run: "click",
        },
        {
            trigger: ".o_mediation_message",
        },
        {
            trigger: `.o_mediation_thread_private a:contains(${DOCUMENT})`,
        },
        {
            trigger: ".o_mediation_thread_private:contains(Mon arrêt maladie)",
        },
    ],
});

registry.category("web_tour.tours").add("consumer_mediation_aparte_hidden_tour", {
    steps: () => [
        {
            trigger: "h3:contains(Vos échanges privés avec le médiateur)",
        },
        assertNotShown(DOCUMENT),
        assertNotShown("Mon arrêt maladie"),
    ],
});

// The mediator shares the consumer's document with both parties.
registry.category("web_tour.tours").add("consumer_mediation_share_tour", {
    steps: () => [
        {
            trigger: `.o-mail-Message:contains(${DOCUMENT}) .o_mediation_audience:contains(Côté consommateur)`,
        },
        {
            trigger: ".o_notebook a.nav-link:contains(Échanges)",
            run: "click",
        },
        {
            trigger: `div[name=message_consumer_ids] .o_data_row:contains(${DOCUMENT}) button[name=action_mediation_share]`,
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: `div[name=message_parties_ids] .o_data_row:contains(${DOCUMENT})`,
        },
    ],
});

registry.category("web_tour.tours").add("consumer_mediation_shared_tour", {
    steps: () => [
        {
            trigger: `.o_mediation_thread_joint a:contains(${DOCUMENT})`,
        },
        assertNotShown("Mon arrêt maladie"),
    ],
});
