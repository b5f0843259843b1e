from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("at_install", "-post_install")
class TestMediationSecurity(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mediator = new_test_user(
            cls.env, "cm_mediator", groups="consumer_mediation.group_mediation_user"
        )
        cls.head = new_test_user(
            cls.env,
            "cm_head",
            groups="base.group_system,consumer_mediation.group_mediation_manager",
        )
        cls.accountant = new_test_user(
            cls.env, "cm_accountant", groups="account.group_account_invoice"
        )

    def test_manager_implies_user(self):
        self.assertTrue(self.head.has_group("consumer_mediation.group_mediation_user"))
        self.assertFalse(
            self.mediator.has_group("consumer_mediation.group_mediation_manager")
        )

    def _visible_menus(self, user):
        menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return {
            xmlid
            for xmlid in (
                "consumer_mediation.menu_mediation_root",
                "consumer_mediation.menu_mediation_config",
            )
            if self.env.ref(xmlid).id in menus
        }

    def test_menu_visibility_follows_groups(self):
        self.assertEqual(
            self._visible_menus(self.head),
            {
                "consumer_mediation.menu_mediation_root",
                "consumer_mediation.menu_mediation_config",
            },
        )
        self.assertNotIn(
            "consumer_mediation.menu_mediation_config",
            self._visible_menus(self.mediator),
        )
        self.assertFalse(self._visible_menus(self.accountant))
