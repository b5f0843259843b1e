import io
from collections import Counter
from datetime import date, datetime, timedelta
from statistics import mean

import openpyxl
from lxml import html

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import MediationCaseCommon, load_french, pdf_text, pdf_without_server

D = date


@tagged("post_install", "-at_install")
class TestMediationActivityReport(MediationCaseCommon):
    """The annual report's figures against a plain Python count over the
    cases, on a half-year that cuts cases received before it or concluded
    after it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.date_from, cls.date_to = D(2025, 1, 1), D(2025, 6, 30)
        subjects = {
            code: ref(f"consumer_mediation.subject_{code}")
            for code in ("delivery", "defect", "warranty", "billing")
        }
        cls.sector = cls.env["res.partner.industry"].create({"name": "Furniture"})
        refused = ref("consumer_mediation.outcome_refused")

        def case(received, subject, **values):
            return cls._case(
                date_received=received,
                date_complaint=received - timedelta(days=10),
                subject_id=subjects[subject].id,
                **values,
            )

        def refusal(received, decided, notified, ground, subject, **values):
            return case(
                received,
                subject,
                state="refused",
                refusal_ground_id=ground.id,
                date_admissibility_decided=decided,
                date_admissibility_notified=notified,
                outcome_id=refused.id,
                date_outcome=decided,
                **values,
            )

        def mediation(received, saisine, outcome, state, when, subject, **values):
            return case(
                received,
                subject,
                state=state,
                date_admissibility_decided=saisine,
                date_admissibility_notified=saisine,
                date_saisine_notified=saisine,
                outcome_id=outcome and ref(f"consumer_mediation.outcome_{outcome}").id,
                date_outcome=when,
                **values,
            )

        no_complaint, competence = cls.ground_no_complaint, cls.ground_competence
        cls.cases = {
            # Received before the period, refused in it, notified in time.
            "a": refusal(
                D(2024, 12, 15), D(2025, 1, 3), D(2025, 1, 4), no_complaint, "delivery"
            ),
            # Refusal notified after the 21 days.
            "b": refusal(
                D(2025, 2, 1),
                D(2025, 2, 10),
                D(2025, 2, 25),
                competence,
                "defect",
                industry_id=cls.sector.id,
            ),
            # Refusal never notified.
            "c": refusal(D(2025, 3, 1), D(2025, 3, 5), False, no_complaint, "delivery"),
            # Accepted by both within 90 days, carried out.
            "d": mediation(
                D(2025, 3, 10),
                D(2025, 3, 20),
                "accepted_both",
                "closed",
                D(2025, 5, 1),
                "warranty",
                execution="done",
                industry_id=cls.sector.id,
                date_proposal_notified=D(2025, 4, 10),
                proposal_favours="consumer",
            ),
            # Extended, concluded after the period.
            "e": mediation(
                D(2025, 4, 1),
                D(2025, 4, 10),
                "agreement",
                "closed",
                D(2025, 8, 15),
                "delivery",
            ),
            # Extended, ended after 90 days but within the new deadline.
            "f": mediation(
                D(2025, 1, 20),
                D(2025, 1, 25),
                "agreement",
                "closed",
                D(2025, 6, 20),
                "billing",
                execution="not_done",
            ),
            # Still open: received, not concluded.
            "g": case(D(2025, 5, 5), "defect", state="review"),
            # Professional declined: interrupted.
            "h": mediation(
                D(2025, 2, 10),
                D(2025, 2, 20),
                "professional_declined",
                "interrupted",
                D(2025, 3, 10),
                "delivery",
            ),
            # Late outcome without extension.
            "i": mediation(
                D(2025, 1, 5),
                D(2025, 1, 15),
                "refused_consumer",
                "closed",
                D(2025, 5, 20),
                "warranty",
                date_proposal_notified=D(2025, 4, 20),
                proposal_favours="balanced",
            ),
            # After the period.
            "j": case(D(2025, 7, 2), "billing"),
            # Another mediator's refusal.
            "k": refusal(
                D(2025, 3, 3),
                D(2025, 3, 6),
                D(2025, 3, 6),
                no_complaint,
                "delivery",
                mediator_id=cls.other_mediator.id,
            ),
            # Received before and concluded after: in neither set.
            "l": mediation(
                D(2024, 11, 1),
                D(2024, 11, 10),
                "agreement",
                "closed",
                D(2025, 7, 5),
                "billing",
            ),
            # Still in mediation at the end of the period.
            "m": mediation(
                D(2025, 6, 1), D(2025, 6, 10), False, "mediation", False, "defect"
            ),
        }
        extension = cls.env["mediation.case.extension"]
        for key, new_deadline, notified in (
            ("e", D(2025, 9, 30), D(2025, 6, 1)),
            ("f", D(2025, 6, 30), D(2025, 4, 1)),
        ):
            extension.create(
                {
                    "case_id": cls.cases[key].id,
                    "new_deadline": new_deadline,
                    "reason": "Expertise.",
                    "date_notified": notified,
                }
            )
        cls.report = cls.env["mediation.activity.report"].create(
            {
                "name": "Activity Report H1 2025",
                "date_from": cls.date_from,
                "date_to": cls.date_to,
                "recommendations": "Keep the delivery note.",
                "networks_text": "Member of the FIN-NET network.",
            }
        )
        cls.company.mediation_single_professional = True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _workbook(self, report=None, lang="en_US"):
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(lang=lang)
            ._render(
                "consumer_mediation.action_report_activity_xlsx",
                (report or self.report).ids,
                None,
            )
        )
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def _summary(self, workbook):
        """{indicator: (number, share)} of the summary sheet."""
        sheet = workbook.worksheets[0]
        return {
            row[1]: (row[2], row[3])
            for row in sheet.iter_rows(min_row=6, values_only=True)
            if row[1]
        }

    def _expected(self, mediators=None):
        """The figures, counted in plain Python over every case."""
        cases = self.env["mediation.case"].search([])
        if mediators:
            cases = cases.filtered(lambda c: c.mediator_id in mediators)

        def within(day):
            return bool(day) and self.date_from <= day <= self.date_to

        received = cases.filtered(lambda c: within(c.date_received))
        concluded = cases.filtered(lambda c: c.outcome_id and within(c.date_outcome))
        refused = concluded.filtered(lambda c: c.outcome_id.kind == "refused")
        mediations = concluded - refused
        interrupted = mediations.filtered(lambda c: c.outcome_id.kind == "interrupted")
        solutions = concluded.filtered(lambda c: c.outcome_id.has_solution)
        known = solutions.filtered(lambda c: c.execution in ("done", "not_done"))
        saisine = concluded.filtered("date_saisine_notified")
        return {
            "received": len(received),
            "subjects": Counter(c.subject_id.name for c in received),
            "concluded": len(concluded),
            "refused": len(refused),
            "grounds": Counter(c.refusal_ground_id.name for c in refused),
            "mediations": len(mediations),
            "interrupted": len(interrupted),
            "days_receipt": mean(
                (c.date_outcome - c.date_received).days for c in concluded
            ),
            "days_mediation": mediations
            and mean((c.date_outcome - c.date_received).days for c in mediations),
            "decisions": len(
                cases.filtered(lambda c: within(c.date_admissibility_decided))
            ),
            "days_saisine": saisine
            and mean((c.date_outcome - c.date_saisine_notified).days for c in saisine),
            "solutions": len(solutions),
            "known": len(known),
            "executed": len(known.filtered(lambda c: c.execution == "done")),
            "notified_in_time": len(
                refused.filtered(
                    lambda c: (
                        c.date_admissibility_notified
                        and (c.date_admissibility_notified - c.date_received).days <= 21
                    )
                )
            ),
            "ended_in_90": len(
                saisine.filtered(
                    lambda c: (c.date_outcome - c.date_saisine_notified).days <= 90
                )
            ),
            "ended_extended": len(
                saisine.filtered(
                    lambda c: (
                        (c.date_outcome - c.date_saisine_notified).days > 90
                        and c.extension_ids
                        and c.date_outcome
                        <= max(c.extension_ids.mapped("new_deadline"))
                    )
                )
            ),
            "cases": received | concluded,
        }

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_fixture_cuts_the_period(self):
        """The fixture has what the figures must tell apart."""
        expected = self._expected()
        self.assertEqual(expected["received"], 10)
        self.assertEqual(expected["concluded"], 8)
        self.assertEqual(self.cases["f"].date_mediation_due, D(2025, 6, 30))

    def test_summary_matches_independent_count(self):
        expected = self._expected()
        summary = self._summary(self._workbook())
        self.assertEqual(summary["Disputes received"][0], expected["received"])
        for subject, count in expected["subjects"].items():
            self.assertEqual(summary[subject][0], count, subject)
            self.assertAlmostEqual(summary[subject][1], count / expected["received"])
        self.assertEqual(summary["Disputes concluded"][0], expected["concluded"])
        self.assertEqual(
            summary["Refused, share of the disputes concluded"],
            (expected["refused"], expected["refused"] / expected["concluded"]),
        )
        self.assertEqual(
            summary["Refused, share of the requests received"],
            (expected["refused"], expected["refused"] / expected["received"]),
        )
        self.assertEqual(
            summary["Refused, share of the admissibility decisions"],
            (expected["refused"], expected["refused"] / expected["decisions"]),
        )
        for ground, count in expected["grounds"].items():
            self.assertEqual(summary[ground], (count, count / expected["refused"]))
        self.assertEqual(summary["Mediations concluded"][0], expected["mediations"])
        self.assertEqual(
            summary["Interrupted"],
            (
                expected["interrupted"],
                expected["interrupted"] / expected["mediations"],
            ),
        )
        self.assertEqual(
            summary["Professional refused to enter the mediation"][0],
            expected["interrupted"],
        )
        completed = expected["mediations"] - expected["interrupted"]
        self.assertEqual(
            summary["Mediations completed"],
            (completed, completed / expected["mediations"]),
        )
        self.assertEqual(
            summary["Amicable agreement reached"],
            (1, 1 / expected["mediations"]),
        )
        self.assertAlmostEqual(
            summary["Days from the complete file to outcome, including refusals"][0],
            expected["days_receipt"],
        )
        self.assertAlmostEqual(
            summary["Mediations: days from the complete file to outcome"][0],
            expected["days_mediation"],
        )
        self.assertNotAlmostEqual(expected["days_mediation"], expected["days_receipt"])
        self.assertAlmostEqual(
            summary["Days from notification of the saisine to outcome"][0],
            expected["days_saisine"],
        )
        self.assertEqual(summary["Solutions agreed"][0], expected["solutions"])
        self.assertEqual(summary["Execution known"][0], expected["known"])
        self.assertEqual(
            summary["Carried out"],
            (expected["executed"], expected["executed"] / expected["known"]),
        )
        self.assertEqual(
            summary["Settled amicably"],
            (expected["solutions"], expected["solutions"] / expected["mediations"]),
        )
        self.assertEqual(
            summary["Cooperation in networks"][0], None, "the text is on the next row"
        )
        texts = [
            row[1] for row in self._workbook().worksheets[0].iter_rows(values_only=True)
        ]
        self.assertIn("Member of the FIN-NET network.", texts)
        self.assertIn("Keep the delivery note.", texts)

    def test_form_shows_the_figures(self):
        """Before any export, the manager's form shows the workbook's summary
        figures, in French, following the period chosen."""
        load_french(self.env)
        self.manager.lang = "fr_FR"
        workbook = self._summary(self._workbook(lang="fr_FR"))
        form = Form(self.report.with_user(self.manager).with_context(lang="fr_FR"))

        def shown():
            rows = html.fromstring(form.summary_html).xpath("//tbody/tr")
            return {
                row[1].text_content(): (row[2].text_content(), row[3].text_content())
                for row in rows
            }

        figures = shown()
        expected = self._expected()
        self.assertEqual(figures["Litiges reçus"][0], str(expected["received"]))
        refused = expected["refused"] / expected["concluded"] * 100
        self.assertEqual(
            figures[self._label("Refused, share of the disputes concluded")],
            (str(expected["refused"]), f"{refused:.1f} %".replace(".", ",")),
        )
        # Every figure of the workbook's summary, none of its free texts.
        numbers = {label for label, (number, _share) in workbook.items() if number}
        self.assertLessEqual(numbers, set(figures))
        self.assertNotIn("Member of the FIN-NET network.", form.summary_html)
        days_label = self._label(
            "Days from the complete file to outcome, including refusals"
        )
        days = workbook[days_label][0]
        self.assertEqual(
            figures[days_label][0],
            f"{days:.1f}".replace(".", ","),
        )
        # A shorter period: the figures follow before the report is saved.
        form.date_to = D(2025, 1, 31)
        january = self.env["mediation.case"].search_count(
            [
                ("date_received", ">=", self.date_from),
                ("date_received", "<=", D(2025, 1, 31)),
            ]
        )
        self.assertEqual(shown()["Litiges reçus"][0], str(january))

    def _label(self, source):
        return self.env(context={"lang": "fr_FR"})._(source)

    def test_mediator_filter(self):
        self.report.mediator_ids = self.other_mediator
        expected = self._expected(mediators=self.other_mediator)
        summary = self._summary(self._workbook())
        self.assertEqual(summary["Disputes received"][0], expected["received"])
        self.assertEqual(
            summary["Refused, share of the disputes concluded"][0], expected["refused"]
        )
        self.assertEqual(expected["refused"], 1)

    def test_item8_shares_or_not_applicable(self):
        summary = self._summary(self._workbook())
        self.assertEqual(summary["Proposals concluded"][0], 2)
        self.assertEqual(summary["In favour of: The consumer"], (1, 0.5))
        self.assertEqual(summary["In favour of: The professional"], (0, 0))
        self.assertEqual(summary["In favour of: Balanced"], (1, 0.5))
        self.company.mediation_single_professional = False
        summary = self._summary(self._workbook())
        self.assertNotIn("Settled amicably", summary)
        texts = [
            row[1] for row in self._workbook().worksheets[0].iter_rows(values_only=True)
        ]
        self.assertIn("Not applicable", summary)
        self.assertTrue(
            any(t and "not employed or paid by a single" in t for t in texts)
        )

    def test_definitions_sheet(self):
        rows = dict(
            self._workbook()["Definitions"].iter_rows(min_row=2, values_only=True)
        )
        self.assertIn(
            "requests received in the period",
            rows["Refused, share of the requests received"],
        )
        self.assertIn("including refusals", rows["Average duration"])

    def test_publishing_needs_recommendations_and_networks(self):
        self.report.recommendations = "  "
        with self.assertRaisesRegex(UserError, "Recommendations"):
            self.report.action_publish()
        self.report.recommendations = "Keep the delivery note."
        self.report.networks_text = False
        with self.assertRaisesRegex(UserError, "Cooperation in Networks"):
            self.report.action_publish()
        self.assertFalse(self.report.is_published)

    def test_deadline_sheet(self):
        expected = self._expected()
        sheet = self._workbook()["Deadlines"]
        self.assertEqual(sheet.freeze_panes, "A2")
        total = [row for row in sheet.iter_rows(values_only=True) if row[0] == "Total"]
        self.assertEqual(
            total[0][1:7],
            (
                expected["refused"],
                expected["notified_in_time"],
                expected["notified_in_time"] / expected["refused"],
                expected["mediations"],
                expected["ended_in_90"],
                expected["ended_extended"],
            ),
        )
        self.assertEqual(expected["ended_extended"], 1)

    def test_monthly_sheet(self):
        sheet = self._workbook()["Monthly"]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(rows), 6)
        cases = self.env["mediation.case"].search([])
        for month, received, concluded, refused in rows:
            in_month = cases.filtered(
                lambda c, m=month: c.date_received.replace(day=1) == m.date()
            )
            out_month = cases.filtered(
                lambda c, m=month: (
                    c.date_outcome and c.date_outcome.replace(day=1) == m.date()
                )
            )
            self.assertEqual(received, len(in_month), month)
            self.assertEqual(concluded, len(out_month), month)
            self.assertEqual(
                refused, len(out_month.filtered(lambda c: c.outcome_kind == "refused"))
            )

    def test_subject_and_sector_sheets(self):
        workbook = self._workbook()
        self.assertEqual(
            workbook.sheetnames,
            [
                "Summary",
                "Subjects",
                "Monthly",
                "Sectors",
                "Deadlines",
                "CECMC Cases",
                "Definitions",
            ],
        )
        sectors = {
            row[0]: row[1]
            for row in workbook["Sectors"].iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(sectors["Furniture"], 2)
        self.assertEqual(sectors["Total"], self._expected()["received"])

    def test_cecmc_case_sheet(self):
        expected = self._expected()
        # Plain SQL, as the CECMC would select them.
        self.env.cr.execute(
            """SELECT name FROM mediation_case
               WHERE date_received BETWEEN %(f)s AND %(t)s
                  OR (outcome_id IS NOT NULL
                      AND date_outcome BETWEEN %(f)s AND %(t)s)""",
            {"f": self.date_from, "t": self.date_to},
        )
        names = {name for (name,) in self.env.cr.fetchall()}
        self.assertEqual(names, set(expected["cases"].mapped("name")))
        sheet = self._workbook()["CECMC Cases"]
        self.assertEqual(sheet.freeze_panes, "A2")
        rows = {
            row[0]: tuple(v.date() if isinstance(v, datetime) else v for v in row)
            for row in sheet.iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(set(rows), names)
        case_f = self.cases["f"]
        self.assertEqual(
            rows[case_f.name][1:],
            (
                self.mediator.name,
                D(2025, 1, 20),
                D(2025, 1, 20),
                D(2025, 1, 25),
                D(2025, 1, 25),
                None,
                D(2025, 4, 1),
                None,
                "Amicable agreement reached",
                D(2025, 6, 20),
            ),
        )
        self.assertEqual(rows[self.cases["c"].name][6], self.ground_no_complaint.name)
        self.assertEqual(sheet["C2"].number_format, "dd/mm/yyyy")

    def test_french_labels(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        workbook = self._workbook(lang="fr_FR")
        self.assertEqual(workbook.sheetnames[0], "Synthèse")
        self.assertIn("Litiges reçus", self._summary(workbook))

    def test_dashboard_measures(self):
        """The dashboard's rates are the report's shares, in percent."""
        expected = self._expected()
        concluded = [
            ("outcome_id", "!=", False),
            ("date_outcome", ">=", self.date_from),
            ("date_outcome", "<=", self.date_to),
        ]
        [(refused_rate, notice_rate, deadline_rate)] = self.env[
            "mediation.case.analysis"
        ]._read_group(
            concluded,
            [],
            ["refused_rate:avg", "refusal_notice_rate:avg", "deadline_rate:avg"],
        )
        self.assertAlmostEqual(
            refused_rate, 100 * expected["refused"] / expected["concluded"]
        )
        self.assertAlmostEqual(
            notice_rate, 100 * expected["notified_in_time"] / expected["refused"]
        )
        self.assertAlmostEqual(
            deadline_rate,
            100
            * (expected["ended_in_90"] + expected["ended_extended"])
            / expected["mediations"],
        )
        backlog = dict(
            self.env["mediation.case.analysis"]._read_group(
                [], ["mediator_id"], ["backlog:sum"]
            )
        )
        open_cases = self.env["mediation.case"].search([("outcome_id", "=", False)])
        self.assertEqual(
            backlog[self.mediator],
            len(open_cases.filtered(lambda c: c.mediator_id == self.mediator)),
        )

    def test_mediators_cannot_read_reports(self):
        """The figures bypass the case record rules: managers only."""
        for model in ("mediation.activity.report", "mediation.case.analysis"):
            self.assertFalse(
                self.env[model].with_user(self.mediator).has_access("read")
            )
            self.assertTrue(self.env[model].with_user(self.manager).has_access("read"))

    def test_pdf_shows_the_items(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "consumer_mediation.action_report_activity_pdf", self.report.ids
            )[0]
            .decode()
        )
        self.assertIn("Activity Report H1 2025", html)
        self.assertIn("Member of the FIN-NET network.", html)
        expected = self._expected()
        self.assertIn(
            f"{expected['refused'] / expected['concluded'] * 100:.1f} %", html
        )

    def test_pdf_items_in_french(self):
        """The published PDF: text that can be read, the three refused
        shares, both durations, and 8° "Sans objet" when it does not apply."""
        load_french(self.env)
        self.company.mediation_single_professional = False
        pdf_without_server(self.env)
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(lang="fr_FR", force_report_rendering=True)
            ._render_qweb_pdf(
                "consumer_mediation.action_report_activity_pdf", self.report.ids
            )
        )
        self.assertEqual(kind, "pdf")
        text = pdf_text(content)
        for phrase in (
            "des 8 litiges clos",
            "des 10 demandes reçues",
            "décisions de recevabilité",
            "y compris les refus",
            "Sans objet",
        ):
            self.assertIn(phrase, text)
        # Page numbers stamped on every page, the last one "N/N".
        self.assertRegex(text, r"(?:^|\s)1 ?/ ?(\d+)(?:\s.*\s\1 ?/ ?\1)?$")
