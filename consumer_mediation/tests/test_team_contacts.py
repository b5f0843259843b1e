from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MediationCaseCommon


@tagged("post_install", "-at_install")
class TestTeamContacts(MediationCaseCommon):
    """The mediation team registers the parties of its cases (a consumer who
    writes by post is not a contact yet) but cannot take over a staff
    account by editing its contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secretary = new_test_user(
            cls.env,
            "contacts_secretary",
            groups="consumer_mediation.group_mediation_secretariat",
        )

    def test_team_creates_and_corrects_a_party(self):
        for user in (self.secretary, self.mediator):
            Partner = self.env["res.partner"].with_user(user)
            consumer = Partner.create(
                {"name": f"Lucie Courrier {user.login}", "city": "Lyon"}
            )
            consumer.write({"street": "12 rue des Lilas"})
            self.consumer.with_user(user).write({"phone": "+33 4 72 00 00 00"})
            self.professional.with_user(user).write({"city": "Villeurbanne"})
            with self.assertRaises(AccessError):
                consumer.unlink()

    def test_team_cannot_edit_staff_or_its_own_company(self):
        for user in (self.secretary, self.mediator):
            for partner in (
                self.manager.partner_id,
                self.env.ref("base.user_admin").partner_id,
                self.company.partner_id,
            ):
                with self.assertRaises(AccessError, msg=partner.name):
                    partner.with_user(user).write({"email": "thief@example.com"})
