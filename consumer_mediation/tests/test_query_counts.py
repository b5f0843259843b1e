from datetime import timedelta

from odoo.tests import tagged

from .test_portal import MediationPortalCommon


@tagged("post_install", "-at_install")
class TestQueryCounts(MediationPortalCommon):
    """The pages, the case form and the clocks scheduled action run a fixed
    number of queries whatever the number of cases: none per row. The
    bounds were measured once, with a little slack."""

    def _queries(self, func):
        """Queries run by ``func()``, called once before to warm the caches."""
        func()
        self.env.flush_all()
        before = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _get(self, url, text):
        def get():
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(text, response.text)

        return get

    def _cases(self, count, **values):
        return self.env["mediation.case"].create(
            [
                {
                    "consumer_id": self.consumer.id,
                    "professional_id": self.professional.id,
                    "mediator_id": self.mediator.id,
                    **values,
                }
                for _index in range(count)
            ]
        )

    def test_portal_case_list_same_queries_for_1_and_20_cases(self):
        first = self._cases(1)
        self.authenticate("cm_consumer", "cm_consumer")
        one = self._queries(self._get("/my/mediation-cases", first.name))
        last = self._cases(19)[-1]
        many = self._queries(self._get("/my/mediation-cases", last.name))
        self.assertEqual(one, many)
        self.assertLessEqual(one, 12)

    def test_portal_case_page_same_queries_for_2_and_20_cases(self):
        # The page links to the previous and next case of the list: a party
        # with one case has no neighbour, hence two cases at least here.
        case = self._cases(2)[0]
        self.authenticate("cm_consumer", "cm_consumer")
        page = self._get(case.access_url, case.name)
        self.url_open("/my/mediation-cases")
        few = self._queries(page)
        self._cases(18)
        self.url_open("/my/mediation-cases")
        many = self._queries(page)
        self.assertEqual(few, many)
        self.assertLessEqual(few, 17)

    def test_portal_case_page_same_queries_for_few_and_many_messages(self):
        case = self._case_in("mediation")
        self._cases(1)  # a neighbour in the list, as in the test above

        def post(count):
            for index in range(count):
                login = ("cm_consumer", "cm_pro")[index % 2]
                self.authenticate(login, login)
                self._post_document(
                    case,
                    name=f"doc{index}.pdf",
                    audience=("parties", "mediator")[index % 3 == 0],
                )

        post(2)
        self.authenticate("cm_consumer", "cm_consumer")
        self.url_open("/my/mediation-cases")
        page = self._get(case.access_url, "doc0.pdf")
        few = self._queries(page)
        post(20)
        self.authenticate("cm_consumer", "cm_consumer")
        self.url_open("/my/mediation-cases")
        page = self._get(case.access_url, "doc19.pdf")
        many = self._queries(page)
        self.assertEqual(few, many)

    def test_case_form_read(self):
        case = self._case_in("proposal")
        case._extend(self.today + timedelta(days=100), "Expertise")
        self.env["mediation.case.representative"].create(
            {"case_id": case.id, "partner_id": self.stranger.id, "party": "consumer"}
        )
        Case = self.env["mediation.case"].with_user(self.mediator)
        view = Case.get_views([(False, "form")])["models"]["mediation.case"]["fields"]
        spec = {
            name: {"fields": {"display_name": {}}} if field.get("relation") else {}
            for name, field in view.items()
        }
        Case.browse(case.id).web_read(spec)
        self.env.invalidate_all()
        # 35 measured with every tab of the form (fees and the three threads
        # of the Exchanges tab included): a fixed cost, whatever the number of
        # lines in its one2many fields.
        with self.assertQueryCount(37):
            values = Case.browse(case.id).web_read(spec)
        self.assertEqual(values[0]["state"], "proposal")
        self.assertEqual(len(values[0]["representative_ids"]), 1)

    def test_clocks_cron_queries_per_batch_do_not_grow_with_the_batch(self):
        Case = self.env["mediation.case"]
        self.company.mediation_reminder_days = 5
        counts = {}
        for count in (5, 10, 50):
            Case.search([]).date_clocks_checked = self.today
            # Refusal due in four days: every case gets its reminder.
            cases = self._cases(count, date_received=self.today - timedelta(days=17))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Case._cron_check_clocks(batch_size=count)
            self.env.flush_all()
            counts[count] = self.cr.sql_log_count - before
            self.assertEqual(set(cases.mapped("date_clocks_checked")), {self.today})
            self.assertEqual(len(cases.activity_ids), count)
            self.assertEqual(cases.activity_ids.user_id, self.mediator)
        # The first batch warmed the caches.
        self.assertEqual(counts[10], counts[50])
        self.assertLessEqual(counts[50], 22)
