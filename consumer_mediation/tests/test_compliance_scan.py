import hashlib
import socket
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..tools.website_fetcher import FetchError, WebsiteFetcher
from .common import MediationMemberCommon
from .website_fixture import Answer, FixtureWebsite, page, redirect

MEDIATOR_SITE = "https://www.mediateur-test.example"
FOOTER = (
    "<footer><p>En cas de litige, le consommateur peut saisir gratuitement le "
    "médiateur de la consommation MÉDIATEUR TEST CONSO : "
    f"<a href='{MEDIATOR_SITE}/saisine'>www.mediateur-test.example</a></p></footer>"
)
ROBOTS_OK = Answer(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")


@tagged("post_install", "-at_install")
class TestComplianceScan(MediationMemberCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.website = MEDIATOR_SITE
        params = cls.env["ir.config_parameter"]
        params.set_param("consumer_mediation.scan_allow_private_addresses", "True")
        params.set_param("consumer_mediation.scan_host_delay", "0.0001")
        params.set_param("consumer_mediation.scan_timeout", "0.5")
        params.set_param("consumer_mediation.scan_max_kb", "64")
        cls.responsible = cls.env["res.users"].create(
            {
                "name": "Suivi Adhérents",
                "login": "scan_responsible",
                "groups_id": [
                    (4, cls.env.ref("consumer_mediation.group_mediation_user").id)
                ],
            }
        )
        cls.company.mediation_scan_user_id = cls.responsible
        start = fields.Date.today() - timedelta(days=60)
        for partner in (cls.bakery, cls.garage):
            cls.Contract._mediation_prepare_proposal(
                partner, "individual", date_start=start
            ).action_mediation_activate()

    def _site(self, answers):
        site = FixtureWebsite({"/robots.txt": ROBOTS_OK, **answers})
        self.enterContext(site)
        return site

    def _scan(self, partner, site, path="/"):
        partner.website = site.url(path)
        result = partner._mediation_scan_website(partner._mediation_website_fetcher())
        checks = partner.mediation_compliance_ids.filtered(
            lambda c: c.source == "scan"
        ).sorted("id")
        return result, checks

    def _assert_evidence(self, check, url, result, body=None):
        self.assertEqual(check.scan_result, result)
        self.assertEqual(check.evidence_url, url)
        self.assertTrue(check.evidence_fetched_at)
        self.assertEqual(check.date_checked, fields.Date.today())
        if body is not None:
            self.assertEqual(check.evidence_sha256, hashlib.sha256(body).hexdigest())

    # ------------------------------------------------------------------
    # Outcomes, each with its evidence
    # ------------------------------------------------------------------
    def test_compliant_site(self):
        home = page(f"<h1>Boulangerie Dupont</h1>{FOOTER}")
        site = self._site({"/": home})
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "compliant")
        self.assertEqual(len(checks), 1, "no terms link on the page: one line")
        self._assert_evidence(checks, site.url("/"), "compliant", home.body)
        self.assertTrue(checks.compliant)
        self.assertIn("MÉDIATEUR TEST CONSO", checks.evidence_excerpt)
        self.assertEqual(self.bakery.mediation_scan_result, "compliant")
        self.assertTrue(self.bakery.mediation_scan_date)
        self.assertEqual(site.paths(), ["/robots.txt", "/"])
        agent = site.requests[-1][1]
        self.assertIn("ConsumerMediationBot", agent)
        self.assertIn("Mediateur Test Conso", agent, "the mediator, accents off")
        self.assertIn(MEDIATOR_SITE, agent)
        self.assertFalse(self.bakery.activity_ids, "nothing to follow up")

    def test_mention_only_in_terms_page(self):
        cgv = page(f"<h1>Conditions générales de vente</h1><p>Article 12.</p>{FOOTER}")
        site = self._site(
            {
                "/": page(
                    "<a href='/infos/cgv.html'>Conditions Générales de Vente</a>"
                ),
                "/infos/cgv.html": cgv,
            }
        )
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "compliant")
        self.assertEqual(checks.mapped("channel"), ["website", "cgv"])
        self._assert_evidence(checks[0], site.url("/"), "missing")
        self.assertEqual(checks[0].evidence_excerpt, "Not found")
        self._assert_evidence(
            checks[1], site.url("/infos/cgv.html"), "compliant", cgv.body
        )
        self.assertIn("Article 12", checks[1].evidence_excerpt)

    def test_terms_url_set_on_member(self):
        site = self._site(
            {"/": page("<p>Accueil</p>"), "/legal": page(f"<p>CGV</p>{FOOTER}")}
        )
        self.bakery.mediation_terms_url = site.url("/legal")
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "compliant")
        self.assertEqual(checks[1].evidence_url, site.url("/legal"))
        with self.assertRaises(ValidationError):
            self.bakery.mediation_terms_url = "www.example.fr/cgv"

    def test_no_mention_activity_and_reminder(self):
        self.company.mediation_scan_reminder = True
        legal = page("<h1>Mentions légales</h1><p>Hébergeur : OVH.</p>")
        site = self._site(
            {
                "/": page("<a href='/mentions'>Mentions légales</a>"),
                "/mentions": legal,
            }
        )
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "missing")
        self._assert_evidence(checks[1], site.url("/mentions"), "missing", legal.body)
        self.assertFalse(checks.filtered("compliant"))
        activity = self.bakery.activity_ids
        self.assertEqual(activity.user_id, self.responsible)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("consumer_mediation.mail_activity_type_compliance"),
        )
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.bakery.ids)], order="id desc", limit=1
        )
        self.assertIn("did not find the details", str(mail.body_html))
        self.assertTrue(mail.attachment_ids, "the window notice of the kit")
        # Scanned again: still one open activity; compliant: it is done.
        self._scan(self.bakery, site)
        self.assertEqual(len(self.bakery.activity_ids), 1)
        site.answers["/mentions"] = page(FOOTER)
        self.assertEqual(self._scan(self.bakery, site)[0], "compliant")
        self.assertFalse(self.bakery.activity_ids)

    def test_name_without_address_is_incomplete(self):
        site = self._site({"/": page("<p>Médiateur : Médiateur Test Conso.</p>")})
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "missing")
        self.assertEqual(checks.scan_result, "incomplete")
        self.assertIn("Médiateur Test Conso", checks.evidence_excerpt)
        self.assertIn("website address not found", checks.note)

    def test_redirect_chain(self):
        answers = {
            "/": redirect("/a"),
            "/a": redirect("/b", 301),
            "/b": redirect("/accueil"),
            "/accueil": page(FOOTER),
        }
        site = self._site(answers)
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "compliant")
        self._assert_evidence(checks, site.url("/accueil"), "compliant")
        self.assertIn("3 redirect(s)", checks.note)
        # One hop more than the three allowed.
        answers["/"] = redirect("/zero")
        answers["/zero"] = redirect("/a")
        site.answers.update(answers)
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "failed")
        self.assertEqual(checks[-1].scan_result, "too_many_redirects")
        self.assertNotIn("/accueil", site.paths()[-4:])
        self.assertEqual(self.bakery.activity_ids.user_id, self.responsible)

    def test_timeout(self):
        site = self._site({"/": Answer(page(FOOTER).body, delay=2)})
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "failed")
        self._assert_evidence(checks, site.url("/"), "timeout")
        self.assertFalse(checks.evidence_sha256)

    def test_huge_page(self):
        filler = "<p>" + "Pain au levain. " * 20000 + "</p>"
        huge = page(filler + FOOTER)
        site = self._site({"/": huge})
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "failed", "the mention is beyond what is read")
        self.assertEqual(checks.scan_result, "too_large")
        self.assertEqual(
            checks.evidence_sha256, hashlib.sha256(huge.body[: 64 * 1024]).hexdigest()
        )
        self.assertIn("64 KB", checks.note)

    def test_non_html_answer(self):
        site = self._site(
            {"/": Answer(b"%PDF-1.4 CGV", content_type="application/pdf")}
        )
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "failed")
        self.assertEqual(checks.scan_result, "not_html")
        self.assertIn("application/pdf", checks.note)

    def test_error_page(self):
        site = self._site({})
        result, checks = self._scan(self.bakery, site, "/absent")
        self.assertEqual(result, "failed")
        self.assertEqual(checks.scan_result, "http_error")
        self.assertEqual(checks.note, "404")

    def test_robots_disallow(self):
        site = self._site(
            {
                "/robots.txt": Answer(
                    b"User-agent: ConsumerMediationBot\nDisallow: /\n",
                    content_type="text/plain",
                ),
                "/": page(FOOTER),
            }
        )
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "failed")
        self.assertEqual(checks.scan_result, "robots_disallowed")
        self.assertEqual(site.paths(), ["/robots.txt"], "the page is never fetched")

    def test_unreachable_host(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.bakery.website = f"http://127.0.0.1:{port}/"
        result = self.bakery._mediation_scan_website(
            self.bakery._mediation_website_fetcher()
        )
        self.assertEqual(result, "failed")
        check = self.bakery.mediation_compliance_ids
        self.assertEqual(check.scan_result, "unreachable")
        self.assertEqual(check.evidence_url, f"http://127.0.0.1:{port}/")

    def test_private_address_refused_without_the_setting(self):
        self.env["ir.config_parameter"].set_param(
            "consumer_mediation.scan_allow_private_addresses", "False"
        )
        site = self._site({"/": page(FOOTER)})
        result, checks = self._scan(self.bakery, site)
        self.assertEqual(result, "failed")
        self.assertEqual(checks.scan_result, "refused_address")
        self.assertEqual(checks.note, "127.0.0.1")
        self.assertFalse(site.requests, "nothing was sent to the address")

    def test_private_addresses_refused(self):
        fetcher = WebsiteFetcher("test", allow_private=False)
        with self.assertRaises(FetchError) as caught:
            fetcher._check_url("http://[::ffff:10.0.0.1]/")
        self.assertEqual(caught.exception.code, "refused_address")
        for url in ("http://169.254.169.254/", "http://0.0.0.0/", "http://[::1]/"):
            with self.assertRaises(FetchError):
                fetcher._check_url(url)
        with self.assertRaises(FetchError) as caught:
            fetcher._check_url("file:///etc/passwd")
        self.assertEqual(caught.exception.code, "invalid_url")

    def test_delay_between_requests_to_one_host(self):
        site = self._site({"/": page(FOOTER), "/cgv": page(FOOTER)})
        waits = []
        fetcher = WebsiteFetcher(
            "test", host_delay=5, allow_private=True, sleep=waits.append
        )
        fetcher.fetch(site.url("/"))
        fetcher.fetch(site.url("/cgv"))
        self.assertEqual(len(waits), 2, "before the page, then before the terms")
        self.assertTrue(all(4 < wait <= 5 for wait in waits))
        self.assertEqual(site.paths(), ["/robots.txt", "/", "/cgv"])

    # ------------------------------------------------------------------
    # The scheduled action
    # ------------------------------------------------------------------
    def test_cron_scans_due_members_and_survives_a_failure(self):
        members = self.env["mediation.demo"]._generate(count=8, seed=7)
        site = self._site({"/": page(FOOTER), "/nothing": page("<p>Bonjour</p>")})
        covered = members.filtered("mediation_covered")
        self.assertGreaterEqual(len(covered), 5)
        for index, member in enumerate(covered):
            member.website = site.url("/" if index % 2 else "/nothing")
        broken, excluded, recent = covered[:3]
        excluded.mediation_scan_exclusion = "shop_only"
        recent.mediation_scan_date = fields.Datetime.now() - timedelta(days=3)
        not_covered = members - covered
        not_covered.website = site.url("/")
        self.bakery.website = False
        original = type(broken)._mediation_scan_pages

        def scan_pages(partner, fetcher, now):
            if partner == broken:
                raise RuntimeError("parser crashed")
            return original(partner, fetcher, now)

        progress = []
        with (
            patch.object(type(broken), "_mediation_scan_pages", scan_pages),
            patch.object(
                type(self.env["ir.cron"]),
                "_notify_progress",
                lambda cron, done, remaining: progress.append((done, remaining)),
            ),
        ):
            Partner = self.env["res.partner"]
            with self.assertLogs(
                "odoo.addons.consumer_mediation.models.res_partner_compliance_scan",
                "ERROR",
            ):
                while Partner._cron_mediation_scan_websites(batch_size=2):
                    pass
        scanned = covered - excluded - recent
        self.assertTrue(all(scanned.mapped("mediation_scan_date")))
        self.assertEqual(broken.mediation_scan_result, "failed")
        self.assertEqual(broken.mediation_compliance_ids.scan_result, "error")
        self.assertIn("parser crashed", broken.mediation_compliance_ids.note)
        for member in scanned - broken:
            self.assertEqual(
                member.mediation_scan_result,
                "compliant" if member.website == site.url("/") else "missing",
            )
        self.assertFalse(excluded.mediation_compliance_ids)
        self.assertFalse(recent.mediation_compliance_ids)
        self.assertFalse(not_covered.mediation_compliance_ids.filtered("source"))
        self.assertFalse(self.bakery.mediation_compliance_ids)
        self.assertEqual(sum(done for done, _rest in progress), len(scanned))
        self.assertEqual(progress[-1][1], 0)

    def test_exclusion_needs_a_reason_when_other(self):
        with self.assertRaises(ValidationError):
            self.garage.mediation_scan_exclusion = "other"
        self.garage.write(
            {
                "mediation_scan_exclusion": "other",
                "mediation_scan_exclusion_note": "Vente sur marchés uniquement",
            }
        )
        self.assertNotIn(
            self.garage,
            self.env["res.partner"].search(
                self.env["res.partner"]._mediation_scan_due_domain()
            ),
        )

    def test_mediator_scans_now_from_the_form(self):
        site = self._site({"/": page(FOOTER)})
        self.bakery.website = site.url("/")
        mediator = self.env["res.users"].create(
            {
                "name": "Médiatrice",
                "login": "scan_mediator",
                "groups_id": [
                    (6, 0, self.env.ref("consumer_mediation.group_mediation_user").ids)
                ],
            }
        )
        self.bakery.with_user(mediator).action_mediation_scan_website()
        self.assertEqual(self.bakery.mediation_scan_result, "compliant")
        self.assertEqual(self.bakery.mediation_compliance_ids.scan_result, "compliant")
        stranger = self.env["res.users"].create(
            {
                "name": "Comptable",
                "login": "scan_stranger",
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.bakery.with_user(stranger).action_mediation_scan_website()
        self.assertEqual(len(self.bakery.mediation_compliance_ids), 1)

    def test_notice_download_recorded_on_the_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Paul Dupont", "parent_id": self.bakery.id}
        )
        contact._mediation_record_notice_download()
        self.assertTrue(self.bakery.mediation_notice_downloaded_on)
