/** @odoo-module **/

import { registry } from "@web/core/registry";
import { casePageLoaded, roleTourSteps } from "@consumer_mediation/js/tours/tour_utils";

// The portal's roles, in French, each making the usual mistakes: a form sent
// back by the server keeps what was typed and says what is wrong, next to it.

const PDF = "%PDF-1.4\n% document\n";

function setValue(input, value) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** The date `daysFromToday` away, typed day/month/year as the form asks. */
function frenchDate(daysFromToday) {
    const [year, month, day] = new Date(Date.now() + daysFromToday * 86400000)
        .toISOString()
        .slice(0, 10)
        .split("-");
    return `${day}/${month}/${year}`;
}

/** Step choosing `files` ({name: [content, type]}) in the file input. */
function chooseFiles(trigger, files) {
    return {
        trigger,
        run() {
            const transfer = new DataTransfer();
            for (const [name, [content, type]] of Object.entries(files)) {
                transfer.items.add(new File([content], name, { type }));
            }
            this.anchor.files = transfer.files;
            this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

/** Steps reloading the page, then waiting for `trigger` on the new one. */
function reload(trigger) {
    return [
        {
            trigger,
            run() {
                document.body.classList.add("o_cm_before_reload");
                window.location.reload();
            },
        },
        {
            trigger: `body:not(.o_cm_before_reload) ${trigger}`,
        },
    ];
}

/** Step downloading the link `trigger` as the browser would; the page is
 * marked once a PDF came back. */
function downloadPdf(trigger, mark) {
    return [
        {
            trigger,
            async run() {
                const response = await fetch(this.anchor.getAttribute("href"));
                const type = response.headers.get("Content-Type") || "";
                const disposition = response.headers.get("Content-Disposition") || "";
                if (response.status === 200 && type.includes("application/pdf") && disposition.includes(".pdf")) {
                    document.body.classList.add(mark);
                } else {
                    console.error(`Download failed: ${response.status} ${type} ${this.anchor.href}`);
                }
            },
        },
        {
            trigger: `body.${mark}`,
        },
    ];
}

/** Step failing unless the field `trigger` holds `value`. */
function expectValue(trigger, value) {
    return {
        trigger,
        run() {
            if (this.anchor.value !== value) {
                console.error(`${trigger} holds "${this.anchor.value}", not "${value}"`);
            }
        },
    };
}


function openCasesFromHome() {
    return [
        {
            trigger: '.o_portal_index_card:not(.d-none) a[href="/my/mediation-cases"]',
            run: "click",
        },
    ];
}

function sign(decision, name, { confirm = true } = {}) {
    const block = `.o_mediation_decide_${decision}`;
    const steps = [];
    if (name) {
        steps.push({ trigger: `${block} input[name=signer_name]`, run: `edit ${name}` });
    }
    if (confirm) {
        steps.push({ trigger: `${block} input[name=confirm]:not(:checked)`, run: "click" });
    }
    steps.push({ trigger: `${block} button[type=submit]`, run: "click" });
    return steps;
}

// Anonymous visitor: files a case, then asks for a membership.
registry.category("web_tour.tours").add("consumer_mediation_visitor_tour", {
    steps: () => roleTourSteps([
        ...reload(".o_mediation_step1 #cm_search"),
        { trigger: "#cm_search", run: "edit Lefort" },
        { trigger: ".o_mediation_step1 button[value=search]", run: "click" },
        // The search comes back with the professional and no box ticked.
        { trigger: ".o_mediation_step1 #cm_already_examined:not(:checked)" },
        { trigger: ".o_mediation_step1 #cm_acting_as_professional:not(:checked)" },
        { trigger: ".o_mediation_step1 input[name=professional_id]:not(:disabled)", run: "click" },
        { trigger: "#cm_complaint_yes", run: "click" },
        // The date is asked day/month/year, whatever the browser's language.
        { trigger: "#cm_date_complaint_hint:contains(Jour/mois/année)" },
        { trigger: "#cm_date_complaint[placeholder='jj/mm/aaaa']" },
        // A date in the future, by mistake.
        {
            trigger: "#cm_date_complaint",
            run() {
                setValue(this.anchor, frenchDate(10));
            },
        },
        { trigger: ".o_mediation_step1 button[value=check]", run: "click" },
        { trigger: "#cm_error_date_complaint" },
        { trigger: ".o_mediation_step1 input[name=professional_id]:checked" },
        { trigger: "#cm_complaint_yes:checked" },
        { trigger: ".o_mediation_step1 #cm_already_examined:not(:checked)" },
        {
            trigger: "#cm_date_complaint",
            run() {
                setValue(this.anchor, frenchDate(-20));
            },
        },
        { trigger: ".o_mediation_step1 button[value=check]", run: "click" },
        // Step 2: nothing in the answers prevents the mediation.
        { trigger: "#cm_prequal + .alert-success" },
        { trigger: ".o_mediation_step2 #cm_name", run: "edit Léa Petit" },
        { trigger: ".o_mediation_step2 #cm_email", run: "edit lea.petit@example.com" },
        {
            trigger: ".o_mediation_step2 #cm_description",
            run: "edit Le lave-linge livré est tombé en panne au bout d'une semaine.",
        },
        // A file of a refused type with a good one, and the consent forgotten.
        // The picker speaks French whatever the browser's language.
        { trigger: "label[for=cm_documents]:contains(Choisir des fichiers)" },
        { trigger: "#cm_documents_chosen:contains(Aucun fichier choisi)" },
        chooseFiles(".o_mediation_step2 #cm_documents", {
            "programme.exe": ["MZ\0\0\0\0", "application/x-msdownload"],
            "facture.pdf": [PDF, "application/pdf"],
        }),
        { trigger: "#cm_documents_chosen:contains(programme.exe, facture.pdf)" },
        { trigger: ".o_mediation_submit", run: "click" },
        { trigger: "#cm_error_documents:contains(programme.exe)" },
        { trigger: "#cm_error_consent" },
        { trigger: ".o_mediation_step2 .o_mediation_drafts:contains(facture.pdf)" },
        { trigger: ".o_mediation_step2 #cm_name[value='Léa Petit']" },
        { trigger: ".o_mediation_step2 #cm_consent:not(:checked)", run: "click" },
        { trigger: ".o_mediation_submit", run: "click" },
        // Not filed yet: the visitor confirms their address from the e-mail.
        { trigger: ".o_mediation_check_mailbox" },
        { trigger: "body:not(:has(.o_mediation_case_number))" },
        // A company asks to join, with a wrong SIREN first.
        { trigger: '.o_mediation_public a[href="/mediation/adhesion"]', run: "click" },
        ...reload(".o_mediation_adhesion input[name=company]"),
        { trigger: ".o_mediation_adhesion input[name=company]", run: "edit Cave des Halles" },
        { trigger: ".o_mediation_adhesion input[name=siren]", run: "edit 123456789" },
        { trigger: ".o_mediation_adhesion input[name=contact_name]", run: "edit Luc Moreau" },
        { trigger: ".o_mediation_adhesion input[name=email]", run: "edit luc@cave.example.com" },
        { trigger: ".o_mediation_adhesion button[type=submit]", run: "click" },
        { trigger: "#cm_error_siren" },
        { trigger: ".o_mediation_adhesion #is_federation:not(:checked)" },
        { trigger: ".o_mediation_adhesion input[name=company][value='Cave des Halles']" },
        { trigger: ".o_mediation_adhesion input[name=siren]", run: "edit 443 061 841" },
        { trigger: ".o_mediation_adhesion button[type=submit]", run: "click" },
        { trigger: ".o_mediation_check_mailbox" },
    ]),
});

// The visitor opens the link of the confirmation e-mail: the page (opened
// twice, as a mail scanner would) files nothing until the button is clicked.
registry.category("web_tour.tours").add("consumer_mediation_visitor_confirm_tour", {
    steps: () => roleTourSteps([
        ...reload(".o_mediation_confirm .o_mediation_confirm_button"),
        { trigger: ".o_mediation_confirm_button", run: "click" },
        { trigger: ".o_mediation_case_number" },
        { trigger: ".o_mediation_new_account" },
        // Reloading the receipt files nothing twice.
        ...reload(".o_mediation_case_number"),
    ]),
});

// The new consumer chose a password from the invitation and finds the case.
registry.category("web_tour.tours").add("consumer_mediation_new_consumer_tour", {
    steps: () => roleTourSteps([
        ...openCasesFromHome(),
        { trigger: ".o_mediation_case_link", run: "click" },
        casePageLoaded,
    ]),
});

// Consumer: finds the case, sends a document, answers the proposal.
registry.category("web_tour.tours").add("consumer_mediation_consumer_tour", {
    steps: () => roleTourSteps([
        ...openCasesFromHome(),
        { trigger: ".o_mediation_case_link", run: "click" },
        { trigger: "#cm_answer_body", run: "edit Voici le bon de livraison." },
        chooseFiles("#cm_answer_documents", {
            "outil.exe": ["MZ\0\0\0\0", "application/x-msdownload"],
            "bon-livraison.pdf": [PDF, "application/pdf"],
        }),
        { trigger: ".o_mediation_upload button[type=submit]", run: "click" },
        { trigger: "#cm_error_documents:contains(outil.exe)" },
        expectValue("#cm_answer_body", "Voici le bon de livraison."),
        { trigger: ".o_mediation_upload .o_mediation_drafts:contains(bon-livraison.pdf)" },
        { trigger: ".o_mediation_upload button[type=submit]", run: "click" },
        { trigger: ".o_mediation_message" },
        ...reload(".o_mediation_documents:contains(bon-livraison.pdf)"),
        // Signed without ticking the statement, then confirmed.
        ...sign("proposal_accepted", "Camille Martin", { confirm: false }),
        { trigger: ".o_mediation_decide_proposal_accepted .o_mediation_decision_error" },
        { trigger: ".o_mediation_decide_proposal_accepted input[name=signer_name][value='Camille Martin']" },
        ...sign("proposal_accepted", null),
        { trigger: ".o_mediation_message" },
        ...reload(".o_mediation_signatures:contains(Camille Martin)"),
        casePageLoaded,
    ]),
});

// Professional: enters the mediation of one case, answers the proposal of
// another.
registry.category("web_tour.tours").add("consumer_mediation_professional_tour", {
    steps: () => roleTourSteps([
        { trigger: "tr:contains(Camille Martin) .o_mediation_case_link", run: "click" },
        // Confirmed without a name, then signed.
        ...sign("entry_agreed", null),
        { trigger: ".o_mediation_decide_entry_agreed .o_mediation_decision_error" },
        ...sign("entry_agreed", "Paul Lefort"),
        { trigger: ".o_mediation_message" },
        ...reload(".o_mediation_signatures:contains(Paul Lefort)"),
        { trigger: '.o_portal_submenu a[href="/my/mediation-cases"]', run: "click" },
        { trigger: "tr:contains(Hugo Dubois) .o_mediation_case_link", run: "click" },
        { trigger: ".o_mediation_proposal" },
        ...sign("proposal_accepted", "Paul Lefort"),
        { trigger: ".o_mediation_message" },
        { trigger: ".o_mediation_signatures:contains(Paul Lefort)" },
        casePageLoaded,
    ]),
});

// Member company contact: accepts the membership proposal, then takes the
// information kit and its window notices.
registry.category("web_tour.tours").add("consumer_mediation_member_tour", {
    steps: () => roleTourSteps([
        { trigger: '.o_portal_index_card:not(.d-none) a[href="/my/contracts"]', run: "click" },
        { trigger: ".tr_contract_link", run: "click" },
        ...reload(".o_mediation_accept"),
        ...downloadPdf(".o_mediation_proposal_pdf", "o_cm_proposal_downloaded"),
        // Accepted without ticking the box, then ticked.
        { trigger: ".o_mediation_accept #signatory", run: "edit Jeanne Dupont" },
        { trigger: ".o_mediation_accept button[type=submit]", run: "click" },
        { trigger: "#mediation_membership .alert-danger" },
        { trigger: ".o_mediation_accept #signatory[value='Jeanne Dupont']" },
        { trigger: ".o_mediation_accept #consent:not(:checked)", run: "click" },
        { trigger: ".o_mediation_accept button[type=submit]", run: "click" },
        { trigger: "#mediation_membership .alert-success" },
        { trigger: '#mediation_membership a[href="/my/mediation/kit"]', run: "click" },
        ...reload(".o_mediation_notice_a4"),
        ...downloadPdf(".o_mediation_notice_a4", "o_cm_a4_downloaded"),
        ...downloadPdf(".o_mediation_notice_a5", "o_cm_a5_downloaded"),
    ]),
});

// Representative (the consumer's lawyer): sees the represented case and
// writes to the mediator.
registry.category("web_tour.tours").add("consumer_mediation_representative_tour", {
    steps: () => roleTourSteps([
        ...openCasesFromHome(),
        { trigger: ".o_mediation_case_link", run: "click" },
        { trigger: ".o_mediation_decide_withdrawal" },
        // Sent empty by mistake, then written.
        { trigger: ".o_mediation_upload button[type=submit]", run: "click" },
        { trigger: "#cm_error_body" },
        { trigger: "#cm_answer_body", run: "edit Mon client maintient sa demande de remboursement." },
        { trigger: ".o_mediation_upload button[type=submit]", run: "click" },
        { trigger: ".o_mediation_message" },
        ...reload(".o_mediation_timeline"),
        casePageLoaded,
    ]),
});
