from odoo import models


class AccountMoveSendWizard(models.TransientModel):
    _inherit = "account.move.send.wizard"

    def _update_preferred_settings(self):
        """Odoo saves the first sending method used as the customer's
        preference, a write on the contact that the mediation's accountant
        (Invoicing group, no contact rights) may not make: sending the
        invoice must not depend on it, so the preference is then not saved."""
        if not self.move_id.partner_id.has_access("write"):
            return
        super()._update_preferred_settings()
