from odoo import models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def _send_email(self):
        """A contact given the portal by the team (a professional's contact,
        a representative) gets the mediator's invitation to its space, not
        Odoo's generic portal welcome."""
        self.ensure_one()
        self.user_id.sudo()._mediation_send_invitation()
        return True
