from odoo import models


class ResPartner(models.Model):
    # The member as the buyer on accounting documents.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _mediation_buyer_siren(self):
        """The SIREN printed for this buyer on invoices, credit notes,
        reminders and proposals: the one place that says where it is kept."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return partner.company_registry or partner.mediation_siren or ""
