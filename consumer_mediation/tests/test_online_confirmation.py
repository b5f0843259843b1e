"""Online requests of visitors who are not logged in: nothing is filed, nobody
else is e-mailed and no contact is made until the sender confirms from their
mailbox; every field is checked on the server and comes back with its error."""

import re
from datetime import timedelta
from unittest.mock import patch

import psycopg2
from lxml import html

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, Form, get_db_name, tagged
from odoo.tests.common import Opener
from odoo.tools import mute_logger

from .test_portal import PDF
from .test_public_forms import MediationFrenchPortalCommon
from .test_sealed_writes import RAW_REQUEST

CHECK_MAILBOX = "Vérifiez votre boîte e-mail"


@tagged("post_install", "-at_install")
class TestMediationOnlineConfirmation(MediationFrenchPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Many forms from one address: the limits are TestMediationWebThrottle's.
        cls.company.write(
            {
                "mediation_limit_filing_client": 0,
                "mediation_limit_filing_email": 0,
                "mediation_limit_upload_mb": 0,
                "mediation_limit_upload_files": 0,
            }
        )

    def _post_form(self, files=None, **values):
        """The request form (step 2) posted in the current session."""
        data = {
            "csrf_token": self._csrf("/mediation/saisine"),
            "professional_id": self.professional.id,
            "complaint_sent": "yes",
            "date_complaint": str(self.today - timedelta(days=20)),
            "web_token": "token-confirm",
            "name": "Léa Petit",
            "email": "lea@example.com",
            "phone": "06 11 22 33 44",
            "street": "3 rue des Lilas",
            "zip": "44000",
            "city": "Nantes",
            "description": "Le canapé livré était déchiré.",
            "consent": "1",
            **values,
        }
        return self.url_open("/mediation/saisine/submit", data=data, files=files)

    def _submit(self, files=None, **values):
        """The request form (step 2) posted as a visitor."""
        self.authenticate(None, None)
        return self._post_form(files=files, **values)

    def _submit_as_consumer(self, web_token):
        """The request form posted by the consumer, logged in."""
        self.authenticate("cm_consumer", "cm_consumer")
        return self._post_form(
            web_token=web_token, name="Camille Martin", email="camille@example.com"
        )

    def _cases(self):
        return self.env["mediation.case"].search([("channel", "=", "web")])

    def _requests(self):
        return self.env["mediation.web.request"].search([])

    def _partners(self, email):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("email", "=ilike", email)])
        )

    def _listed_cases(self, login):
        """The case names the portal lists to ``login``."""
        self.authenticate(login, login)
        page = self._page(self.url_open("/my/mediation-cases"))
        self.authenticate(None, None)
        return [
            link.text_content().strip()
            for link in page.xpath('//a[hasclass("o_mediation_case_link")]')
        ]

    # ------------------------------------------------------------------
    # Filing in someone else's name
    # ------------------------------------------------------------------
    def test_someone_elses_email_files_nothing_until_confirmed_from_it(self):
        self.assertFalse(self._listed_cases("cm_consumer"))
        before = self.env["res.partner"].search_count([])
        account_name = self.consumer.name
        mails_before = self.env["mail.mail"].search([])
        response = self._submit(
            email="Camille@Example.com",
            name="Usurpateur Dupont",
            street="1 rue du Faux",
            phone="0600000000",
            files={"documents": ("facture.pdf", PDF, "application/pdf")},
        )
        page = self._page(response)
        self.assertIn(CHECK_MAILBOX, page.text_content())
        # The address typed, for the filer to notice a typo.
        self.assertIn("E-mail envoyé à : Camille@Example.com", page.text_content())
        self.assertNotIn("/mediation/saisine/done", response.url)
        self.assertFalse(page.xpath('//*[hasclass("o_mediation_case_number")]'))
        # Nothing filed, no contact made, the account's contact untouched.
        self.assertFalse(self._cases())
        self.assertEqual(self.env["res.partner"].search_count([]), before)
        self.assertEqual(self.consumer.name, account_name)
        self.assertFalse(self._listed_cases("cm_consumer"))
        # Only the account's mailbox is written to: no professional, no team.
        mails = self.env["mail.mail"].search([]) - mails_before
        self.assertEqual(mails.mapped("email_to"), ["camille@example.com"])
        self.assertFalse(mails.recipient_ids)
        self.assertIn("Confirmez votre demande", mails.subject)
        # The owner of the mailbox confirms: the case joins their account.
        response = self._confirm("camille@example.com")
        case = self._cases()
        self.assertEqual(case.consumer_id, self.consumer)
        self.assertIn(case.name, response.text)
        self.assertEqual(self._listed_cases("cm_consumer"), [case.name])
        self.assertEqual(case._portal_documents().name, "facture.pdf")
        # What was typed is kept for the team, never written on the account.
        self.assertEqual(self.consumer.name, account_name)
        self.assertFalse(self.consumer.street)
        note = case.message_ids.filtered(lambda m: "Usurpateur Dupont" in m.body)
        self.assertEqual(note.mediation_audience, "team")
        self.assertIn("1 rue du Faux", note.body)

    def test_mediators_email_files_nothing(self):
        self._submit(email=self.mediator.email, name="Faux médiateur")
        self.assertFalse(self._cases())
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Faux médiateur")])
        )
        self.assertEqual(
            self.mediator.partner_id.user_ids.mapped("login"), [self.mediator.login]
        )
        self._confirmation_mail(self.mediator.email)

    def test_email_from_an_accounts_address_files_nothing_until_confirmed(self):
        """The alias, through Odoo's gateway: "From:" is typed by the sender,
        as the form's e-mail is."""
        self.env.ref(
            "consumer_mediation.mail_alias_mediation_case"
        ).alias_domain_id = self.env["mail.alias.domain"].create(
            {"name": "mediateur.example.com"}
        )
        raw = RAW_REQUEST.format(
            sender="Usurpateur <camille@example.com>",
            domain="mediateur.example.com",
            message_id="forged-request",
        )
        Case = self.env["mediation.case"]
        before = Case.search([])
        self.env["mail.thread"].message_process(False, raw.encode())
        self.assertEqual(Case.search([]), before)
        self.assertFalse(self._listed_cases("cm_consumer"))
        # The owner of the mailbox confirms: the case joins their account.
        self._confirm("camille@example.com")
        case = Case.search([]) - before
        self.assertEqual(len(case), 1)
        self.assertEqual((case.consumer_id, case.channel), (self.consumer, "email"))
        self.assertIn("nothing was installed", case.description)
        self.assertEqual(self._listed_cases("cm_consumer"), [case.name])

    def test_done_page_names_the_case_to_the_confirming_browser_only(self):
        # A visitor sends the form with a token of its choice and someone
        # else's e-mail; that person confirms in their own browser.
        self._submit(web_token="chosen-token", email="camille@example.com")
        browser = Opener(self.cr)

        def open_in_browser(path, data=None):
            url = self.base_url() + path
            if data:
                return browser.post(url, data=data, timeout=30)
            return browser.get(url, timeout=30)

        response = self._confirm("camille@example.com", open_url=open_in_browser)
        case = self._cases()
        self.assertEqual(len(case), 1)
        self.assertIn(case.name, response.text)
        done = "/mediation/saisine/done?token=chosen-token"
        self.assertIn(case.name, open_in_browser(done).text)
        page = self.url_open(done)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(case.name, page.text)
        self.assertFalse(
            self._page(page).xpath('//*[hasclass("o_mediation_case_number")]')
        )

    # ------------------------------------------------------------------
    # The confirmation link
    # ------------------------------------------------------------------
    def test_link_opened_shows_a_button_and_files_once(self):
        self._submit(files={"documents": ("facture.pdf", PDF, "application/pdf")})
        mail, path = self._confirmation_mail("lea@example.com")
        # It says what is asked, and for whom.
        self.assertIn(
            f"Une demande de médiation concernant {self.professional.name}, au nom "
            "de Léa Petit.",
            mail.body_html,
        )
        self.assertFalse(self._partners("lea@example.com"), "no contact before")
        # A mail scanner opens the link: nothing is filed.
        for _scan in range(2):
            page = self._page(self.url_open(path))
            (button,) = page.xpath('//form[hasclass("o_mediation_confirm")]//button')
            self.assertEqual(button.text_content().strip(), "Confirmer ma demande")
        self.assertFalse(self._cases())
        self.assertFalse(self._partners("lea@example.com"))
        # Without the page's CSRF token, refused.
        self.assertEqual(self.url_open(path, data={"confirm": "1"}).status_code, 400)
        self.assertFalse(self._cases())
        response = self._confirm("lea@example.com")
        case = self._cases()
        self.assertEqual(len(case), 1)
        self.assertIn("/mediation/saisine/done", response.url)
        page = self._page(response)
        (number,) = page.xpath('//*[hasclass("o_mediation_case_number")]')
        self.assertEqual(number.text, case.name)
        self.assertTrue(page.xpath('//*[hasclass("o_mediation_new_account")]'))
        consumer = self._partners("lea@example.com")
        self.assertEqual(case.consumer_id, consumer)
        self.assertEqual(
            (consumer.name, consumer.street, consumer.zip, consumer.city),
            ("Léa Petit", "3 rue des Lilas", "44000", "Nantes"),
        )
        self.assertTrue(consumer.user_ids._is_portal())
        self.assertEqual(case.date_acknowledged, self.today)
        # The link is used once.
        page = self._page(self.url_open(path))
        self.assertFalse(page.xpath('//form[hasclass("o_mediation_confirm")]'))
        token = self._csrf("/mediation/saisine")
        page = self._page(self.url_open(path, data={"csrf_token": token}))
        (refusal,) = page.xpath('//*[hasclass("o_mediation_confirm_refused")]')
        self.assertIn("déjà été utilisé", refusal.text_content())
        self.assertEqual(len(self._cases()), 1)
        self.assertEqual(len(self._partners("lea@example.com")), 1)
        # A forged link is refused too.
        page = self._page(self.url_open("/mediation/confirm/forged-token"))
        self.assertTrue(page.xpath('//*[hasclass("o_mediation_confirm_refused")]'))

    def test_expired_link_is_refused(self):
        self._submit()
        self._requests().date_expiry = fields.Datetime.now() - timedelta(minutes=1)
        _mail, path = self._confirmation_mail("lea@example.com")
        page = self._page(self.url_open(path))
        (refusal,) = page.xpath('//*[hasclass("o_mediation_confirm_refused")]')
        self.assertIn("a expiré", refusal.text_content())
        self.assertFalse(page.xpath('//form[hasclass("o_mediation_confirm")]'))
        token = self._csrf("/mediation/saisine")
        page = self._page(self.url_open(path, data={"csrf_token": token}))
        self.assertTrue(page.xpath('//*[hasclass("o_mediation_confirm_refused")]'))
        self.assertFalse(self._cases())
        self.assertFalse(self._partners("lea@example.com"))

    def test_same_form_sent_twice_makes_one_request_and_one_email(self):
        first = self._submit()
        second = self._submit()
        self.assertIn(CHECK_MAILBOX, second.text)
        self.assertEqual(first.url, second.url)
        self.assertEqual(len(self._requests()), 1)
        self._confirmation_mail("lea@example.com")

    def test_unconfirmed_requests_and_their_files_are_purged(self):
        self._submit(files={"documents": ("facture.pdf", PDF, "application/pdf")})
        self._submit(web_token="token-recent", email="hugo@example.com")
        old, recent = self._requests().sorted("id")
        document = self.env["ir.attachment"].search(
            [("res_model", "=", old._name), ("res_id", "=", old.id)]
        )
        self.assertEqual(document.name, "facture.pdf")
        old.date_expiry = fields.Datetime.now() - timedelta(seconds=1)
        self.env["mediation.web.request"]._gc_web_requests()
        self.assertFalse(old.exists())
        self.assertFalse(document.exists())
        self.assertTrue(recent.exists())

    def test_erasure_removes_every_pending_request_of_the_email(self):
        """A person asks for erasure while two requests sent from their
        address were never confirmed: both go, with their documents, and
        their links no longer file anything."""
        person = self.env["res.partner"].create(
            {"name": "Léa Petit", "email": "Lea@Example.com"}
        )
        self._submit()
        self._submit(
            web_token="token-second",
            files={"documents": ("facture.pdf", PDF, "application/pdf")},
        )
        other = self._submit(web_token="token-other", email="hugo@example.com")
        self.assertEqual(other.status_code, 200)
        requests = self._requests().filtered(lambda r: r.email == "lea@example.com")
        self.assertEqual(len(requests), 2)
        documents = self.env["ir.attachment"].search(
            [("res_model", "=", requests._name), ("res_id", "in", requests.ids)]
        )
        self.assertEqual(documents.mapped("name"), ["facture.pdf"])
        paths = [
            re.search(r'href="[^"]*(/mediation/confirm/[^"]+)"', mail.body_html)[1]
            for mail in self.env["mail.mail"].search(
                [
                    ("email_to", "=", "lea@example.com"),
                    ("body_html", "like", "/mediation/confirm/"),
                ]
            )
        ]
        self.assertEqual(len(paths), 2)
        Wizard = self.env["mediation.erasure.wizard"].with_user(self.manager)
        Form(
            Wizard.with_context(active_model="res.partner", active_id=person.id)
        ).save().action_confirm()
        self.assertFalse(requests.exists())
        self.assertFalse(documents.exists())
        self.assertEqual(self._requests().mapped("email"), ["hugo@example.com"])
        for path in paths:
            page = self._page(self.url_open(path))
            self.assertTrue(page.xpath('//*[hasclass("o_mediation_confirm_refused")]'))
            self.assertFalse(page.xpath('//form[hasclass("o_mediation_confirm")]'))
        self.assertFalse(self._cases())

    def test_logged_in_user_files_at_once(self):
        response = self._submit_as_consumer("token-logged-in")
        case = self._cases()
        self.assertEqual(case.consumer_id, self.consumer)
        self.assertIn(case.name, response.text)
        self.assertFalse(self._requests())

    # ------------------------------------------------------------------
    # Nothing lost, nothing invented
    # ------------------------------------------------------------------
    def test_tampered_values_come_back_with_their_error(self):
        archived = self.env["mediation.case.subject"].create(
            {"name": "Ancien objet", "code": "old_subject", "active": False}
        )
        tampered = [
            ("subject_id", "999999"),
            ("subject_id", str(archived.id)),
            ("amount", "inf"),
            ("amount", "1e400"),
            ("amount", "nan"),
            ("amount", "99999999999"),
            ("date_purchase", "0001-01-01"),
            ("date_purchase", "9999-12-31"),
            ("date_complaint", "0001-01-01"),
            ("name", "L" * 129),
            ("phone", "0" * 33),
            ("street", "r" * 129),
            ("zip", "4" * 17),
            ("city", "N" * 65),
            ("description", "d" * 10001),
        ]
        for field, value in tampered:
            with self.subTest(field=field, value=value[:20]):
                response = self._submit(
                    **{field: value},
                    web_token=f"token-{field}",
                    files={"documents": ("facture.pdf", PDF, "application/pdf")},
                )
                page = self._page(response)
                self.assertTrue(page.xpath(f'//*[@id="cm_error_{field}"]'))
                self.assertNotIn(CHECK_MAILBOX, response.text)
                typed = "" if field == "name" else "Léa Petit"
                if typed:
                    self.assertEqual(
                        page.xpath('//input[@name="name"]/@value'), [typed]
                    )
                self.assertEqual(
                    page.xpath('//input[@name="email"]/@value'), ["lea@example.com"]
                )
                self.assertIn("facture.pdf", response.text)
                if field != "subject_id":  # a list: only its own subjects
                    self.assertIn(value, response.text)
                self.assertFalse(self._cases())
                self.assertFalse(self._requests())
                self.assertFalse(self._partners("lea@example.com"))

    def test_inputs_carry_their_maximum_length(self):
        self.authenticate(None, None)
        token = self._csrf("/mediation/saisine")
        page = self._page(
            self.url_open(
                "/mediation/saisine/check",
                data={
                    "csrf_token": token,
                    "professional_id": self.professional.id,
                    "complaint_sent": "no",
                    "action": "check",
                },
            )
        )
        lengths = {
            node.get("name"): node.get("maxlength")
            for node in page.xpath('//form[hasclass("o_mediation_step2")]//*[@name]')
        }
        for name, limit in {
            "name": "128",
            "email": "254",
            "phone": "32",
            "street": "128",
            "zip": "16",
            "city": "64",
            "description": "10000",
        }.items():
            self.assertEqual(lengths[name], limit, name)

    def test_database_error_is_never_shown_as_success(self):
        """A logged-in filing failing in the database (not the form's token)
        shows the form again with a general error and everything typed."""

        def failing_file(case, values, attachments, token):
            case.env.cr.execute(
                "UPDATE res_partner SET name = NULL WHERE id = %s",
                [values["consumer_id"]],
            )

        account_name = self.consumer.name
        with (
            patch.object(type(self.env["mediation.case"]), "_web_file", failing_file),
            self.assertLogs("odoo.addons.consumer_mediation", "ERROR"),
            mute_logger("odoo.sql_db"),
        ):
            response = self._submit_as_consumer("token-db-error")
        page = self._page(response)
        self.assertNotIn("/mediation/saisine/done", response.url)
        (alert,) = page.xpath('//*[@id="cm_errors"]')
        self.assertIn("n'a pas pu être enregistrée", alert.text_content())
        self.assertIn("Le canapé livré était déchiré.", response.text)
        self.assertFalse(self._cases())
        self.assertEqual(self.consumer.name, account_name)

    # ------------------------------------------------------------------
    # Membership requests
    # ------------------------------------------------------------------
    def _adhesion(self, **values):
        self.authenticate(None, None)
        page = self.url_open("/mediation/adhesion")
        data = {
            "csrf_token": re.search(
                r'name="csrf_token" value="([^"]+)"', page.text
            ).group(1),
            "web_token": html.fromstring(page.content).xpath(
                '//input[@name="web_token"]/@value'
            )[0],
            "company": "Cave des Halles",
            "siren": "443 061 841",
            "contact_name": "Luc Moreau",
            "email": "luc@cave.example.com",
            "headcount": "12",
            **values,
        }
        return self.url_open("/mediation/adhesion", data=data)

    def _leads(self):
        return self.env["crm.lead"].search([("partner_name", "=", "Cave des Halles")])

    def test_membership_request_made_once_confirmed(self):
        response = self._adhesion()
        self.assertIn(CHECK_MAILBOX, response.text)
        self.assertFalse(self._leads())
        response = self._confirm("luc@cave.example.com")
        self.assertIn("o_mediation_adhesion_thanks", response.text)
        lead = self._leads()
        self.assertEqual(len(lead), 1)
        self.assertEqual(
            (lead.company_registry, lead.mediation_headcount, lead.email_from),
            ("443061841", 12, "luc@cave.example.com"),
        )

    def test_membership_values_out_of_range_come_back(self):
        for field, value in (
            ("headcount", "1000000000"),
            ("headcount", "²"),
            ("company", "C" * 129),
            ("contact_name", "L" * 129),
            ("description", "d" * 5001),
            ("email", "pas-une-adresse@"),
        ):
            with self.subTest(field=field):
                page = self._page(self._adhesion(**{field: value}))
                self.assertTrue(page.xpath(f'//*[@id="cm_error_{field}"]'))
                self.assertIn(value, html.tostring(page, encoding="unicode"))
                self.assertFalse(self._leads())
                self.assertFalse(self._requests())


@tagged("post_install", "-at_install")
class TestMediationOnlineConcurrency(BaseCase):
    """A confirmation racing another one. HTTP tests share one test cursor
    (their requests run one after the other), and threads cannot build an
    environment while the test runner holds the registries' lock; so two real
    database transactions are driven in turn from the test: one holds the row
    lock of a confirmation in progress, the other must wait for it, then finds
    the request used. The rows they commit are deleted at the end."""

    EMAIL = "concurrent.filer@example.com"

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.addCleanup(self._cleanup)

    def _cursor(self):
        cr = db_connect(get_db_name()).cursor()
        self.addCleanup(cr.close)
        return cr

    def _env(self, cr):
        """An environment on ``cr`` built without Registry(): the test runner
        holds the registries' lock while it runs the tests."""
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def _cleanup(self):
        with db_connect(get_db_name()).cursor() as cr:
            env = self._env(cr)
            env["mediation.web.request"].search(
                [("form_token", "=", "token-concurrent")]
            ).unlink()
            env["res.partner"].with_context(active_test=False).search(
                [("email", "=", self.EMAIL)]
            ).unlink()

    def test_racing_confirmations_make_one_contact(self):
        WebRequest = self.registry["mediation.web.request"]
        first, second = self._cursor(), self._cursor()
        env1, env2 = self._env(first), self._env(second)
        values = {"case": {}, "contact": {"name": "Concurrent Filer"}}
        with patch.object(WebRequest, "_send_confirmation") as sent:
            request1 = env1["mediation.web.request"]._submit(
                "case", self.EMAIL, values, "token-concurrent"
            )
            first.commit()
            # The same form sent again: no second request, no second e-mail.
            with mute_logger("odoo.sql_db"):
                duplicate = env2["mediation.web.request"]._submit(
                    "case", self.EMAIL, values, "token-concurrent"
                )
            self.assertFalse(duplicate)
            second.rollback()
        self.assertEqual(sent.call_count, 1)
        filed = []

        def fake_file(case, values, attachments, token):
            filed.append(values["consumer_id"])
            return case.browse()

        with patch.object(self.registry["mediation.case"], "_web_file", fake_file):
            # A confirmation in progress holds the row...
            request2 = env2["mediation.web.request"].browse(request1.id)
            self.assertIsNone(request2._confirm())
            # ...the other one waits for it (here: gives up waiting).
            first.execute("SET LOCAL lock_timeout = '300ms'")
            with (
                self.assertRaises(psycopg2.errors.LockNotAvailable),
                mute_logger("odoo.sql_db"),
            ):
                request1._confirm()
            first.rollback()
            env1.invalidate_all()
            second.commit()
            # Once the first one is committed, the link is used.
            self.assertIn(
                "déjà été utilisé", request1.with_context(lang="fr_FR")._confirm()
            )
            first.commit()
        contacts = (
            env1["res.partner"]
            .with_context(active_test=False)
            .search([("email", "=", self.EMAIL)])
        )
        self.assertEqual(len(contacts), 1, "one contact")
        self.assertEqual(filed, contacts.ids, "filed once")
        self.assertEqual(request1.state, "confirmed")
