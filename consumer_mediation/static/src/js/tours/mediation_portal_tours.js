/** @odoo-module **/

import { registry } from "@web/core/registry";
import { casePageLoaded } from "@consumer_mediation/js/tours/tour_utils";

function setValue(input, value) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
}


function signStep(decision, name) {
    return [
        {
            trigger: `.o_mediation_decide_${decision} input[name=confirm]`,
            run: "click",
        },
        {
            trigger: `.o_mediation_decide_${decision} input[name=signer_name]`,
            run: `edit ${name}`,
        },
        {
            trigger: `.o_mediation_decide_${decision} button[type=submit]`,
            run: "click",
        },
        {
            trigger: ".o_mediation_message",
        },
    ];
}

registry.category("web_tour.tours").add("consumer_mediation_filing_tour", {
    steps: () => [
        {
            trigger: ".o_mediation_step1 input[name=professional_id]:checked",
        },
        {
            trigger: "#cm_complaint_yes",
            run: "click",
        },
        {
            trigger: "#cm_date_complaint",
            run() {
                const date = new Date(Date.now() - 20 * 86400000);
                setValue(this.anchor, date.toISOString().slice(0, 10));
            },
        },
        {
            trigger: ".o_mediation_step1 button[value=check]",
            run: "click",
        },
        {
            trigger: ".o_mediation_step2 #cm_description",
            run: "edit The sofa delivered was torn and the shop never answered.",
        },
        {
            trigger: ".o_mediation_step2 #cm_documents",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["%PDF-1.4\n% complaint\n"], "complaint.pdf", {
                        type: "application/pdf",
                    })
                );
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: ".o_mediation_step2 #cm_consent",
            run: "click",
        },
        {
            trigger: ".o_mediation_submit",
            run: "click",
        },
        {
            trigger: ".o_mediation_case_number",
        },
        {
            trigger: "a[href='/my/mediation-cases'].btn",
            run: "click",
        },
        {
            trigger: ".o_mediation_case_link",
            run: "click",
        },
        {
            trigger: ".o_mediation_documents a:contains(complaint.pdf)",
        },
        casePageLoaded,
    ],
});

registry.category("web_tour.tours").add("consumer_mediation_accept_tour", {
    steps: () => [
        {
            trigger: ".o_mediation_proposal:contains(Refund)",
        },
        ...signStep("proposal_accepted", "Camille Martin"),
        {
            trigger: ".o_mediation_signatures:contains(Camille Martin)",
        },
        casePageLoaded,
    ],
});

registry.category("web_tour.tours").add("consumer_mediation_decline_tour", {
    steps: () => [
        ...signStep("entry_declined", "Paul Lefort"),
        {
            trigger: ".o_mediation_state:contains(Interrupted)",
        },
        casePageLoaded,
    ],
});
