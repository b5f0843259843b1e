from lxml import etree

from odoo.tests import tagged

from .common import MediationCaseCommon


@tagged("post_install", "-at_install")
class TestCaseSearch(MediationCaseCommon):
    """The web client ORs the filters of one group and ANDs the groups: the
    filters that pick the cases to act upon must narrow the default "Open"
    list, not add to it ("Ouverts ou En retard")."""

    def _filter_groups(self):
        arch = self.env["mediation.case"].get_views([(False, "search")])["views"][
            "search"
        ]["arch"]
        groups, current = [], []
        for node in etree.fromstring(arch):
            if node.tag == "filter":
                current.append(node.get("name"))
            elif current:
                groups.append(set(current))
                current = []
        return groups + [set(current)] if current else groups

    def test_overdue_and_awaiting_documents_narrow_the_open_cases(self):
        groups = self._filter_groups()
        open_group = next(group for group in groups if "open" in group)
        for name in ("overdue", "awaiting_documents", "due_this_week"):
            self.assertNotIn(name, open_group)
            self.assertTrue(any(name in group for group in groups), name)

    def test_pivot_lists_the_states_in_the_order_of_a_case(self):
        for state in ("waiting", "closed", "received", "review", "admitted"):
            self._case(state=state)
        expected = ["received", "review", "admitted", "waiting", "closed"]
        for model, consumer in (
            ("mediation.case", "consumer_id"),
            ("mediation.case.analysis", "case_id.consumer_id"),
        ):
            # As the pivot and the graph read them (not the kanban's columns).
            groups = self.env[model].read_group(
                [(consumer, "=", self.consumer.id)], ["state"], ["state"], lazy=False
            )
            self.assertEqual([group["state"] for group in groups], expected, model)
