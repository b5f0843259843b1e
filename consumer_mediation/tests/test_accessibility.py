"""axe-core (WCAG 2.1 A and AA) run in the browser on every page a visitor or
a party reaches, in French, at phone width: no violation."""

import json
from pathlib import Path

from odoo.tests import tagged

from .test_public_forms import MediationFrenchPortalCommon

# Installed by scripts/setup.sh --browser (npm axe-core, pinned there).
AXE_JS = Path(__file__).parents[2] / "var/axe/node_modules/axe-core/axe.min.js"
# The page's scripts have started (translations loaded, widgets attached):
# leaving earlier cuts their requests short, which logs errors.
PAGE_STARTED = """(async () => {
    const root = odoo.loader.modules.get("root.widget");
    if (!root) {
        return false;
    }
    await root;
    return true;
})()"""
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe-core is served to the page as a public attachment: passed as code, its
# 550 kB would be written to the log with each page.
RUN_AXE = """
new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "%s";
    script.onload = resolve;
    script.onerror = () => reject(new Error("axe-core could not be loaded"));
    document.head.appendChild(script);
})
    .then(() =>
        axe.run(document, {
            runOnly: {type: "tag", values: %s},
            resultTypes: ["violations"],
        })
    )
    .then((results) => {
        if (results.violations.length) {
            console.error("axe-core on " + location.pathname + ": " + JSON.stringify(
                results.violations.map((v) => ({
                    rule: v.id,
                    impact: v.impact,
                    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
                }))
            ));
        } else {
            console.log("test successful");
        }
    });
"""


@tagged("post_install", "-at_install")
class TestMediationAccessibility(MediationFrenchPortalCommon):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A missing axe-core is a failure, never a skip: setup.sh installs it.
        cls.axe = cls.env["ir.attachment"].create(
            {
                "name": "axe.min.js",
                "raw": AXE_JS.read_bytes(),
                "mimetype": "application/javascript",
                "public": True,
            }
        )

    def _check(self, url, login=None):
        code = RUN_AXE % (f"/web/content/{self.axe.id}", json.dumps(WCAG_21_AA))
        self.browser_js(url, code, ready=PAGE_STARTED, login=login)

    def test_public_pages_and_login(self):
        for url in (
            "/mediation",
            "/mediation/saisine",
            "/mediation/members",
            "/mediation/adhesion",
            "/mediation/reports",
            "/web/login",
        ):
            with self.subTest(url=url):
                self._check(url)

    def test_consumer_home_and_case_page(self):
        case = self._case_in("proposal")
        for url in ("/my", "/my/mediation-cases", case.access_url):
            with self.subTest(url=url):
                self._check(url, login="cm_consumer")
