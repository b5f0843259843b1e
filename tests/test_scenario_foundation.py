"""End-to-end scenario: a head of the mediation body sets up the case clocks
and a mediator works under them (run with pytest-odoo on an installed DB)."""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestFoundationScenario(TransactionCase):
    def test_manager_configures_clocks_mediator_cannot(self):
        head = new_test_user(
            self.env,
            "scn_head",
            groups="base.group_system,consumer_mediation.group_mediation_manager",
        )
        mediator = new_test_user(
            self.env, "scn_mediator", groups="consumer_mediation.group_mediation_user"
        )
        settings = (
            self.env["res.config.settings"]
            .with_user(head)
            .create({"mediation_proposal_answer_days": 10})
        )
        settings.execute()
        self.assertEqual(head.company_id.mediation_proposal_answer_days, 10)
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(mediator).create(
                {"mediation_proposal_answer_days": 30}
            )
