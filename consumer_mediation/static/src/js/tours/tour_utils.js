/** @odoo-module **/

import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * Steps opening the Mediation app from the home menu, then, when given, the
 * item `menuXmlid` of the top bar section `topMenu` (both xml ids without the
 * module prefix, so that the steps work in every language).
 */
export function openMediationMenu(topMenu, menuXmlid) {
    const steps = [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="consumer_mediation.menu_mediation_root"]',
            run: "click",
        },
    ];
    if (topMenu) {
        steps.push(
            {
                trigger: `.o_main_navbar button[data-menu-xmlid="consumer_mediation.${topMenu}"]`,
                run: "click",
            },
            {
                trigger: `.dropdown-item[data-menu-xmlid="consumer_mediation.${menuXmlid}"]`,
                run: "click",
            }
        );
    }
    return steps;
}

const PAGE_TEXT_MARK = "mediation-page-text:";

/**
 * A step sending the visible text of the page to the test (MediationRoleTourCase
 * checks it for English strings of the addon), and failing on a server error
 * dialog (the "Oops!" dialog and its kin, which offer the traceback through a
 * link button). A warning dialog answering a user's mistake is allowed: its
 * text is checked like the rest of the page.
 */
export function pageTextStep() {
    return {
        trigger: "body",
        run() {
            const dialog = document.querySelector(".o_error_dialog");
            if (dialog && dialog.querySelector(".modal-body .btn-link")) {
                console.error(`Error dialog shown: ${dialog.innerText}`);
            }
            console.log(PAGE_TEXT_MARK + document.body.innerText);
        },
    };
}

/**
 * The steps of a role tour, each followed by a page-text step, so that every
 * page and dialog the tour walks through is checked.
 */
export function roleTourSteps(steps) {
    return steps.flatMap((step) => [step, pageTextStep()]);
}

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Reload the page, then wait for ``trigger`` on the new page. */
export function reloadSteps(trigger) {
    return [
        {
            trigger: "body",
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

/** Click ``trigger``, then mark the page once the browser got a workbook. */
export function downloadWorkbookStep(trigger) {
    return {
        trigger,
        run() {
            const open = XMLHttpRequest.prototype.open;
            XMLHttpRequest.prototype.open = function (method, url, ...rest) {
                if (String(url).includes("/report/download")) {
                    this.addEventListener("load", () => {
                        const type = this.getResponseHeader("Content-Type") || "";
                        if (this.status === 200 && type.includes(XLSX)) {
                            document.body.classList.add("o_cm_workbook_downloaded");
                        }
                    });
                }
                return open.call(this, method, url, ...rest);
            };
            this.anchor.click();
        },
    };
}

// A party's case page is whole once its exchanges are shown: wait for them
// before the tour ends and the browser closes.
export const casePageLoaded = {
    trigger: ".o_mediation_threads .o_mediation_thread_joint",
};
