from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _action_reset_password(self, signup_type="reset"):
        """A portal account invited (created with an e-mail, or invited again
        from its user form) gets the mediator's invitation to its space
        instead of Odoo's invitation of an employee "to connect to Odoo"
        (its software marketing, in English for a part); staff accounts and
        password resets keep Odoo's e-mails."""
        if not self.env.context.get("create_user") or self.env.context.get(
            "install_mode"
        ):
            return super()._action_reset_password(signup_type=signup_type)
        portal = self.filtered("share")
        if self - portal:
            super(ResUsers, self - portal)._action_reset_password(
                signup_type=signup_type
            )
        portal._mediation_send_invitation()
        return None

    def _mediation_send_invitation(self):
        """E-mail each user the link to choose a password for its space, at
        once as Odoo does; a sending that fails stays in the mail queue, it
        does not undo the account nor what created it (an online filing)."""
        template = self.env.ref("consumer_mediation.mail_template_portal_invitation")
        self.partner_id.signup_prepare(signup_type="signup")
        for user in self.filtered("email"):
            template.sudo().send_mail(
                user.id,
                force_send=True,
                email_values={
                    "email_cc": False,
                    "recipient_ids": [],
                    "partner_ids": [],
                    "scheduled_date": False,
                    "message_type": "user_notification",
                },
            )
