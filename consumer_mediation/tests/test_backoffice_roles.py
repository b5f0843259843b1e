import ast
from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.base.models.ir_mail_server import MailDeliveryException

from .common import MediationCaseCommon, pdf_without_server

SECRETARIAT = "consumer_mediation.group_mediation_secretariat"


@tagged("post_install", "-at_install")
class TestMediationBackOffice(MediationCaseCommon):
    """The mediators' and the secretariat's back office (issue 13)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secretary = new_test_user(cls.env, "bo_secretary", groups=SECRETARIAT)

    def _arch(self, xmlid):
        view = self.env.ref(xmlid)
        return etree.fromstring(
            self.env[view.model].get_views([(view.id, "form")])["views"]["form"]["arch"]
        )

    # ------------------------------------------------------------------
    # Membership proposal from an information request
    # ------------------------------------------------------------------
    def test_proposal_is_made_once_without_accounting_rights(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.mediator)
            .create(
                {
                    "name": "Adhésion Fromagerie",
                    "type": "opportunity",
                    "mediation_request": True,
                    "partner_name": "Fromagerie Tour",
                    "mediation_headcount": 3,
                }
            )
        )
        action = lead.action_mediation_create_proposal()
        contract = lead.mediation_contract_ids
        self.assertEqual(action["res_id"], contract.id)
        form = self.env.ref("consumer_mediation.contract_contract_view_form_mediation")
        self.assertEqual(action["views"], [(form.id, "form")])
        # What the contract form shows: its journal, read as the mediator.
        self.assertTrue(contract.with_user(self.mediator).journal_id.name)
        # A second click opens the same proposal.
        again = lead.action_mediation_create_proposal()
        self.assertEqual(again["res_id"], contract.id)
        self.assertEqual(len(lead.mediation_contract_ids), 1)

    # ------------------------------------------------------------------
    # Secretariat
    # ------------------------------------------------------------------
    def test_secretariat_registers_checks_and_assigns_every_case(self):
        others = self._case(mediator_id=self.other_mediator.id)
        mine = self._case()
        Case = self.env["mediation.case"].with_user(self.secretary)
        both = others | mine
        self.assertEqual(Case.search([("id", "in", both.ids)]), both)
        case = Case.create(
            {"consumer_id": self.consumer.id, "channel": "post", "description": False}
        )
        with self.assertRaisesRegex(UserError, "professional.*dispute"):
            case.action_start_review()
        case.write(
            {
                "professional_id": self.professional.id,
                "description": "<p>Canapé livré déchiré.</p>",
                "date_complaint": self.today - timedelta(days=20),
                "mediator_id": self.mediator.id,
            }
        )
        check = "consumer_mediation.mail_activity_type_file_check"
        case.sudo().activity_schedule(check, user_id=self.mediator.id)
        case.action_start_review()
        self.assertEqual(case.state, "review")
        # The to-do "check that the file is complete" is done with the step.
        self.assertFalse(case.sudo().activity_ids)
        # It acknowledges the request it registered: the letter reaches the
        # consumer, though their thread with the mediator is not shown to it.
        pdf_without_server(self.env)
        case.action_send_acknowledgement()
        self.assertEqual(case.date_acknowledged, self.today)
        letter = self.env["mail.message"].search(
            [
                ("model", "=", case._name),
                ("res_id", "=", case.id),
                ("mediation_audience", "=", "consumer"),
            ]
        )
        self.assertIn(self.consumer, letter.notified_partner_ids)
        self.assertNotIn(letter, case._portal_messages())
        # The secretariat takes no decision and is no mediator.
        self.assertFalse(case._is_mediator())
        for decide in (
            case.action_admit,
            lambda: case._refuse(self.ground_no_complaint),
            lambda: case.write({"state": "admitted"}),
            lambda: case.write({"proposal_text": "<p>Remboursement</p>"}),
        ):
            with self.assertRaises(AccessError):
                decide()
        self.assertEqual(case.state, "review")
        with self.assertRaises(ValidationError):
            case.mediator_id = self.secretary
        self.assertTrue(case.with_user(self.mediator)._is_mediator())
        case.with_user(self.mediator).action_admit()
        self.assertEqual(case.state, "admitted")

    def test_refused_save_draws_no_case_number(self):
        Case = self.env["mediation.case"].with_user(self.secretary)
        values = {"consumer_id": self.consumer.id, "channel": "post"}
        first = Case.create(values)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Case.create({**values, "date_received": self.today + timedelta(days=3)})
        second = Case.create(values)
        prefix, number = first.name.rsplit("/", 1)
        self.assertEqual(second.name, f"{prefix}/{int(number) + 1:05d}")

    def test_secretariat_sees_no_decision_button(self):
        form = self.env["mediation.case"].with_user(self.secretary)
        arch = etree.fromstring(
            form.get_views([(False, "form")])["views"]["form"]["arch"]
        )
        buttons = set(arch.xpath("//header/button/@name"))
        self.assertIn("action_start_review", buttons)
        self.assertFalse(
            buttons & {"action_admit", "action_open_refuse_wizard", "action_close"}
        )
        self.assertNotIn("action_open_close_wizard", buttons)

    # ------------------------------------------------------------------
    # Closing wizard
    # ------------------------------------------------------------------
    def _answered_case(self):
        case = self._case_in("proposal")
        case.action_consumer_accept()
        case.action_professional_accept()
        return case

    def test_close_through_wizard_sends_ticked_letters(self):
        case = self._answered_case()
        action = case.with_user(self.mediator).action_open_close_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.mediator)
            .with_context(**action["context"])
        )
        self.assertEqual(
            wizard.outcome_id, self.env.ref("consumer_mediation.outcome_accepted_both")
        )
        self.assertTrue(wizard.send_closing)
        self.assertTrue(wizard.send_certificate)
        wizard.save().action_confirm()
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.date_closing_notified, self.today)
        self.assertEqual(case.date_certificate_issued, self.today)

    def test_close_wizard_unticked_letter_and_failure_leave_nothing(self):
        case = self._answered_case()
        wizard = self.env["mediation.case.close.wizard"].create(
            {"case_ids": case.ids, "send_certificate": False}
        )
        wizard.action_confirm()
        self.assertTrue(case.date_closing_notified)
        self.assertFalse(case.date_certificate_issued)
        # A letter that cannot go leaves the case open, with no letter sent.
        other = self._answered_case()
        wizard = self.env["mediation.case.close.wizard"].create({"case_ids": other.ids})
        send_letter = type(other)._send_letter

        def failing_certificate(cases, step):
            if step == "certificate":
                raise MailDeliveryException("No post today")
            return send_letter(cases, step)

        with (
            patch.object(type(other), "_send_letter", failing_certificate),
            self.assertRaises(MailDeliveryException),
        ):
            wizard.action_confirm()
        self.assertEqual(other.state, "proposal")
        self.assertFalse(other.date_closing_notified)
        # Answers missing: the wizard does not open.
        pending = self._case_in("proposal")
        with self.assertRaises(UserError):
            pending.action_open_close_wizard()

    # ------------------------------------------------------------------
    # Letters offered
    # ------------------------------------------------------------------
    def _offered(self, cases):
        wizard = (
            self.env["mediation.case.print.wizard"]
            .with_user(self.mediator)
            .with_context(active_model="mediation.case", active_ids=cases.ids)
            .create({})
        )
        return set(
            etree.fromstring(f"<div>{wizard.letters_html}</div>").xpath(
                "//a/@data-letter"
            )
        )

    def test_print_offers_the_letters_of_the_case_steps(self):
        admitted = self._case_in("waiting")
        self.assertEqual(
            self._offered(admitted),
            {"acknowledgement", "saisine", "professional_request"},
        )
        refused = self._case(date_complaint=False)
        refused._refuse(self.ground_no_complaint)
        self.assertEqual(self._offered(refused), {"acknowledgement", "refusal"})
        self.assertEqual(self._offered(admitted | refused), {"acknowledgement"})
        # The letters are no longer each bound to every case.
        bound = self.env["ir.actions.report"].search(
            [("binding_model_id.model", "=", "mediation.case")]
        )
        self.assertFalse(bound)
        # The portal lists the letters sent of the same steps: no refusal on
        # an admitted case (its admissibility notice date is set too).
        steps = [step for step, _report in admitted._portal_letters({"consumer"})]
        self.assertEqual(steps, ["saisine"])

    # ------------------------------------------------------------------
    # Smaller items
    # ------------------------------------------------------------------
    def test_overdue_lists_running_clocks_only(self):
        late = self._case(
            date_received=self.today - timedelta(days=200), date_complaint=False
        )
        late._refuse(self.ground_no_complaint)
        self.assertFalse(late.is_overdue)
        running = self._case(date_received=self.today - timedelta(days=30))
        self.assertTrue(running.is_overdue)
        Case = self.env["mediation.case"]
        overdue = Case.search([("is_overdue", "=", True)])
        self.assertIn(running, overdue)
        self.assertNotIn(late, overdue)
        # The refusal letter still to send is found by its own filter.
        search = etree.fromstring(
            Case.get_views([(False, "search")])["views"]["search"]["arch"]
        )
        domain = search.xpath("//filter[@name='refusal_to_notify']/@domain")[0]
        self.assertIn(late, Case.search(ast.literal_eval(domain)))

    def test_finished_columns_are_folded(self):
        self._case_in("proposal")
        groups = self.env["mediation.case"].read_group([], ["state"], ["state"])
        folded = {g["state"] for g in groups if g["__fold"]}
        self.assertEqual(folded, {"refused", "closed", "interrupted"})

    def test_views_of_a_legal_case(self):
        form = self._arch("consumer_mediation.mediation_case_view_form")
        self.assertEqual(form.get("duplicate"), "0")
        list_view = etree.fromstring(
            self.env["mediation.case"].get_views([(False, "list")])["views"]["list"][
                "arch"
            ]
        )
        self.assertTrue(list_view.xpath("//field[@name='name'][@width]"))
        kanban = etree.fromstring(
            self.env["mediation.case"].get_views([(False, "kanban")])["views"][
                "kanban"
            ]["arch"]
        )
        self.assertNotEqual(kanban.get("sample"), "1")
        action = self.env.ref("consumer_mediation.action_mediation_case")
        self.assertIn("L612-3", action.help)
        partner = self._arch("base.view_partner_form")
        share = partner.xpath("//field[@name='mediation_consumer_share']")[0]
        self.assertNotEqual(share.get("widget"), "percentage")
        prequal = self._arch(
            "consumer_mediation.mediation_prequalification_wizard_view_form"
        )
        dismiss = prequal.xpath("//footer/button[@special='cancel']")[0]
        case_close = form.xpath("//button[@name='action_open_close_wizard']")[0]
        self.assertNotEqual(dismiss.get("string"), case_close.get("string"))

    def test_mediation_is_the_first_app_of_its_users(self):
        root = self.env.ref("consumer_mediation.menu_mediation_root")
        for user in (self.mediator, self.secretary):
            menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
            self.assertEqual(menus["root"]["children"][0], root.id, user.login)
