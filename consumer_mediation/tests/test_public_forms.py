"""Public and portal forms as their users post them: what comes back after a
search or an error is what the user typed, nothing more."""

import re
from datetime import timedelta
from urllib.parse import unquote

from lxml import html

from odoo.tests import new_test_user, tagged

from .common import load_french
from .test_portal import PDF, MediationPortalCommon

EXE = b"MZ" + b"0" * 64
NOT_ACCEPTED = "ce type de fichier n'est pas accepté"


class MediationFrenchPortalCommon(MediationPortalCommon):
    """The portal parties and visitors in French, as users meet the pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        (cls.consumer_user | cls.pro_user | cls.stranger_user).lang = "fr_FR"

    def _page(self, response):
        self.assertEqual(response.status_code, 200, response.url)
        return html.fromstring(response.content)


@tagged("post_install", "-at_install")
class TestMediationPublicForms(MediationFrenchPortalCommon):
    def _ticked(self, page, css_id):
        (node,) = page.xpath(f'//*[@id="{css_id}"]')
        return "checked" in node.attrib or "selected" in node.attrib

    def _step1(self, **data):
        token = self._csrf("/mediation/saisine")
        return self.url_open(
            "/mediation/saisine/check", data={"csrf_token": token, **data}
        )

    def _step2_data(self, **values):
        return {
            "csrf_token": self._csrf("/mediation/saisine"),
            "professional_id": self.professional.id,
            "complaint_sent": "yes",
            "date_complaint": str(self.today - timedelta(days=20)),
            "web_token": "token-forms",
            "name": "Léa Petit",
            "email": "lea@example.com",
            "description": "My washing machine broke after a week.",
            "consent": "1",
            **values,
        }

    def test_search_leaves_unticked_boxes_unticked(self):
        page = self._page(self._step1(search="Lefort", action="search"))
        for box in (
            "cm_already_examined",
            "cm_acting_as_professional",
            "cm_complaint_yes",
            "cm_complaint_no",
            f"cm_pro_{self.professional.id}",
        ):
            self.assertFalse(self._ticked(page, box), box)
        # What the visitor ticked stays ticked through the search.
        page = self._page(
            self._step1(
                search="Lefort",
                action="search",
                professional_id=self.professional.id,
                complaint_sent="no",
                already_examined="1",
            )
        )
        self.assertTrue(self._ticked(page, "cm_already_examined"))
        self.assertTrue(self._ticked(page, "cm_complaint_no"))
        self.assertTrue(self._ticked(page, f"cm_pro_{self.professional.id}"))
        self.assertFalse(self._ticked(page, "cm_acting_as_professional"))

    def test_step1_error_then_step2_keeps_the_answers_given(self):
        # Continue without answering the complaint question: an error, no box.
        page = self._page(
            self._step1(professional_id=self.professional.id, action="check")
        )
        self.assertTrue(page.xpath('//*[@id="cm_error_complaint_sent"]'))
        self.assertFalse(self._ticked(page, "cm_already_examined"))
        self.assertFalse(self._ticked(page, "cm_acting_as_professional"))
        # Corrected: step 2 carries no answer the visitor did not give.
        response = self._step1(
            professional_id=self.professional.id,
            complaint_sent="yes",
            date_complaint=str(self.today - timedelta(days=10)),
            action="check",
        )
        page = self._page(response)
        self.assertIn("Rien dans vos réponses", response.text)
        for kept in ("already_examined", "acting_as_professional"):
            (node,) = page.xpath(
                f'//form[hasclass("o_mediation_step2")]//input[@name="{kept}"]'
            )
            self.assertFalse(node.get("value"), kept)

    def test_step2_error_leaves_consent_and_subject_as_given(self):
        subject = self.env["mediation.case.subject"].search([], limit=1)
        data = self._step2_data(email="not-an-email", consent="")
        page = self._page(self.url_open("/mediation/saisine/submit", data=data))
        self.assertFalse(self._ticked(page, "cm_consent"))
        self.assertFalse(page.xpath('//select[@id="cm_subject_id"]/option[@selected]'))
        data = self._step2_data(email="not-an-email", subject_id=str(subject.id))
        page = self._page(self.url_open("/mediation/saisine/submit", data=data))
        self.assertTrue(self._ticked(page, "cm_consent"))
        self.assertEqual(
            page.xpath('//select[@id="cm_subject_id"]/option[@selected]/@value'),
            [str(subject.id)],
        )

    def test_refused_file_named_with_its_reason_in_every_pass(self):
        # Pass 1: a wrong e-mail, a refused file and a good one.
        data = self._step2_data(email="not-an-email")
        response = self.url_open(
            "/mediation/saisine/submit",
            data=data,
            files=[
                ("documents", ("tool.exe", EXE, "application/x-msdos")),
                ("documents", ("invoice.pdf", PDF, "application/pdf")),
            ],
        )
        page = self._page(response)
        self.assertTrue(page.xpath('//*[@id="cm_error_email"]'))
        (documents_error,) = page.xpath('//*[@id="cm_error_documents"]')
        self.assertIn(f"tool.exe : {NOT_ACCEPTED}", documents_error.text_content())
        drafts = page.xpath('//input[@name="drafts"]/@value')
        self.assertEqual(len(drafts), 1)
        # Pass 2: the e-mail corrected, consent forgotten, another refused file.
        data = self._step2_data(consent="", drafts=drafts[0])
        response = self.url_open(
            "/mediation/saisine/submit",
            data=data,
            files={"documents": ("notes.txt", b"", "text/plain")},
        )
        page = self._page(response)
        self.assertTrue(page.xpath('//*[@id="cm_error_consent"]'))
        (documents_error,) = page.xpath('//*[@id="cm_error_documents"]')
        self.assertIn("notes.txt : le fichier est vide", documents_error.text_content())
        self.assertIn("invoice.pdf", response.text)
        # Pass 3: a refused file alone is enough to stop and say why.
        data = self._step2_data(drafts=drafts[0])
        response = self.url_open(
            "/mediation/saisine/submit",
            data=data,
            files={"documents": ("page.pdf", b"<html></html>", "application/pdf")},
        )
        page = self._page(response)
        (documents_error,) = page.xpath('//*[@id="cm_error_documents"]')
        self.assertIn(f"page.pdf : {NOT_ACCEPTED}", documents_error.text_content())
        self.assertFalse(
            self.env["mediation.case"].search([("web_token", "=", "token-forms")])
        )

    def test_case_page_upload_names_refused_file_and_keeps_the_message(self):
        case = self._case_in("waiting")
        self.authenticate("cm_consumer", "cm_consumer")
        token = self._csrf(case.access_url)
        response = self.url_open(
            f"{case.access_url}/documents",
            data={"csrf_token": token, "body": "Here is the delivery note"},
            files=[
                ("documents", ("tool.exe", EXE, "application/x-msdos")),
                ("documents", ("note.pdf", PDF, "application/pdf")),
            ],
        )
        page = self._page(response)
        (documents_error,) = page.xpath('//*[@id="cm_error_documents"]')
        self.assertIn(f"tool.exe : {NOT_ACCEPTED}", documents_error.text_content())
        self.assertIn("Here is the delivery note", response.text)
        self.assertIn("note.pdf", response.text)
        self.assertFalse(case._portal_documents(), "nothing sent with a refused file")
        drafts = page.xpath(
            '//form[hasclass("o_mediation_upload")]//input[@name="drafts"]/@value'
        )
        self.assertEqual(len(drafts), 1)
        response = self.url_open(
            f"{case.access_url}/documents",
            data={
                "csrf_token": token,
                "body": "Here is the delivery note",
                "drafts": drafts[0],
            },
        )
        self.assertIn("message=sent", response.url)
        self.assertEqual(case._portal_documents().name, "note.pdf")

    def test_adhesion_error_leaves_federation_unticked(self):
        page = self.url_open("/mediation/adhesion")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {
            "csrf_token": token,
            "company": "Cave des Halles",
            "siren": "123456789",
            "contact_name": "Luc Moreau",
            "email": "luc@cave.example.com",
        }
        page = self._page(self.url_open("/mediation/adhesion", data=data))
        self.assertTrue(
            page.xpath('//*[contains(@class, "is-invalid")][@name="siren"]')
        )
        self.assertFalse(self._ticked(page, "is_federation"))
        page = self._page(
            self.url_open("/mediation/adhesion", data={**data, "is_federation": "1"})
        )
        self.assertTrue(self._ticked(page, "is_federation"))


@tagged("post_install", "-at_install")
class TestMediationPortalPages(MediationFrenchPortalCommon):
    """Every page of the addon in its user's seat: titles, language, the
    member's downloads, the parties' decisions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_user = new_test_user(
            cls.env,
            "cm_member",
            groups="base.group_portal",
            lang="fr_FR",
            email="jeanne@example.com",
        )
        cls.member_user.partner_id.parent_id = cls.professional

    def test_pages_have_a_title_and_a_language(self):
        case = self._case_in("waiting")
        pages = {
            "/mediation": "Le médiateur",
            "/mediation/saisine": "Demande de médiation",
            "/mediation/members": "Professionnels couverts",
            "/mediation/adhesion": "Adhérez à notre médiation de la consommation",
            "/mediation/reports": "Rapports annuels d'activité",
        }
        for url, title in pages.items():
            page = self._page(self.url_open(url))
            self.assertEqual(page.get("lang"), "fr-FR", url)
            self.assertEqual(
                page.findtext(".//title"), f"{title} - {self.company.name}", url
            )
            # The public pages share the layout and its tabs.
            self.assertTrue(page.xpath('//a[@href="/mediation/adhesion"]'), url)
        self.authenticate("cm_member", "cm_member")
        pages = {
            "/my/mediation-cases": "Dossiers de médiation",
            case.access_url: case.name,
            "/my/mediation/kit": "Kit d'information médiation de la consommation",
            self.contract.get_portal_url(): (
                "Adhésion à la médiation de la consommation"
            ),
        }
        for url, title in pages.items():
            page = self._page(self.url_open(url))
            self.assertEqual(page.get("lang"), "fr-FR", url)
            self.assertEqual(page.findtext(".//title"), title, url)

    def test_adhesion_marks_required_fields(self):
        page = self._page(self.url_open("/mediation/adhesion"))
        self.assertTrue(
            page.xpath('//a[hasclass("active")][@href="/mediation/adhesion"]')
        )
        for name in ("company", "contact_name", "email"):
            (field,) = page.xpath(f'//input[@name="{name}"]')
            self.assertEqual(field.get("required"), "required", name)
            (label,) = page.xpath(f'//label[@for="{field.get("id")}"]')
            self.assertIn("*", label.text_content(), name)
        (siren,) = page.xpath('//input[@name="siren"]')
        self.assertIsNone(siren.get("required"))

    def test_member_downloads_every_file_of_the_kit(self):
        self.authenticate("cm_member", "cm_member")
        kit = self._page(self.url_open("/my/mediation/kit"))
        links = kit.xpath('//div[@id="wrap"]//a[@href]/@href') or kit.xpath(
            "//main//a/@href"
        )
        downloads = [link for link in links if link.startswith("/my/mediation/kit/")]
        self.assertEqual(
            sorted(downloads),
            ["/my/mediation/kit/notice/a4", "/my/mediation/kit/notice/a5"],
        )
        # While the site has no public address, the notice (its QR code leads
        # consumers there) is refused on the kit page, with the reason.
        response = self.url_open(downloads[0])
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my/mediation/kit?error=public_url"))
        self.assertIn("o_mediation_error", response.text)
        self.assertIn("adresse locale", response.text)
        # Only that reason is ever shown: no message of the caller's choosing.
        forged = self.url_open("/my/mediation/kit?error=Appelez+le+0899")
        self.assertNotIn("o_mediation_error", forged.text)
        self.assertNotIn("application/pdf", response.headers["Content-Type"])
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://www.mediateur.example.com"
        )
        for url in downloads:
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertEqual(response.headers["Content-Type"], "application/pdf")
            self.assertIn(
                "Affiche_médiation_de_la_consommation_Meubles_Lefort.pdf",
                unquote(response.headers["Content-Disposition"]),
            )
        # Someone whose company is not a member gets no notice.
        self.authenticate("cm_stranger", "cm_stranger")
        response = self.url_open("/my/mediation/kit/notice/a4")
        self.assertTrue(response.url.endswith("/my/mediation/kit"))
        self.assertNotIn("Content-Disposition", response.headers)

    def test_acceptance_page_links_the_proposal_and_speaks_french(self):
        proposal = self.env["contract.contract"]._mediation_prepare_proposal(
            self.uncovered, "individual"
        )
        self.uncovered.email = "garage@example.com"
        new_test_user(
            self.env, "cm_garage", groups="base.group_portal", lang="fr_FR"
        ).partner_id.parent_id = self.uncovered
        self.authenticate("cm_garage", "cm_garage")
        response = self.url_open(proposal.get_portal_url())
        page = self._page(response)
        self.assertNotIn("OdooBot", response.text)
        self.assertNotIn("Responsible", response.text)
        self.assertNotIn("user_menu_avatar", response.text)
        self.assertIn("Cotisation annuelle d'adhésion", response.text)
        self.assertIn("J'ai le pouvoir d'engager mon entreprise", response.text)
        (link,) = page.xpath('//a[hasclass("o_mediation_proposal_pdf")]/@href')
        download = self.url_open(link)
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.headers["Content-Type"], "application/pdf")
        self.assertIn("Garage", download.headers["Content-Disposition"])
        # Another company's contact, without the proposal's link, reaches
        # neither the page nor the PDF.
        self.authenticate("cm_member", "cm_member")
        self.assertTrue(
            self.url_open(f"/my/contracts/{proposal.id}").url.endswith("/my")
        )
        response = self.url_open(link.split("?")[0])
        self.assertTrue(response.url.endswith("/my"))
        self.assertNotIn("Content-Disposition", response.headers)
        # Nor does a visitor, nor anyone for a contract that is no membership.
        self.authenticate(None, None)
        response = self.url_open(link.split("?")[0])
        self.assertNotIn("Content-Disposition", response.headers)
        other = self.env["contract.contract"].create(
            {"name": "Other contract", "partner_id": self.uncovered.id}
        )
        self.authenticate("cm_garage", "cm_garage")
        response = self.url_open(f"/my/contracts/{other.id}/mediation/proposal")
        self.assertTrue(response.url.endswith("/my"))
        self.assertNotIn("Content-Disposition", response.headers)

    def test_decision_blocks_speak_as_the_party_choosing(self):
        case = self._case_in("proposal")
        self.authenticate("cm_consumer", "cm_consumer")
        page = self._page(self.url_open(case.access_url))
        blocks = page.xpath('//form[hasclass("o_mediation_decide")]')
        titles = [block.findtext(".//h3") for block in blocks]
        self.assertEqual(
            titles,
            [
                "J'accepte la proposition",
                "Je refuse la proposition",
                "Je me retire de la médiation",
            ],
        )
        for block in blocks:
            self.assertEqual(len(block.xpath('.//*[hasclass("btn-primary")]')), 1)
        # Signed without ticking the statement: said next to the block, the
        # name typed kept, nothing decided.
        token = self._csrf(case.access_url)
        response = self._decide(
            case,
            token,
            "consumer",
            "proposal_accepted",
            "Camille Martin",
            confirm=False,
        )
        page = self._page(response)
        (block,) = page.xpath(
            '//form[hasclass("o_mediation_decide_proposal_accepted")]'
        )
        self.assertIn("Cochez la déclaration pour confirmer", block.text_content())
        self.assertEqual(
            block.xpath('.//input[@name="signer_name"]/@value'), ["Camille Martin"]
        )
        self.assertFalse(case.consumer_answer)
        self._decide(case, token, "consumer", "proposal_accepted", "Camille Martin")
        self.assertEqual(case.consumer_answer, "accepted")
