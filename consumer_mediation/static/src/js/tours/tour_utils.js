/** @odoo-module **/

import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * Steps opening the Mediation app from the home menu, then, when given, the
 * item `menuXmlid` (without the module prefix) of the top bar menu `topMenu`.
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
                trigger: `.o_main_navbar button:contains("${topMenu}")`,
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
