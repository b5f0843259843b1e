from odoo import models

# The fields deciding whether a contract covers its companies on a date
# (see contract.contract._mediation_coverage_domain).
COVERAGE_FIELDS = {
    "active",
    "partner_id",
    "mediation_kind",
    "mediation_state",
    "date_start",
    "mediation_date_terminated",
    "mediation_date_suspended",
}


class ContractContract(models.Model):
    _inherit = "contract.contract"

    # ------------------------------------------------------------------
    # CRUD: activation, suspension, reactivation, termination and expiry all
    # write the state and dates here
    # ------------------------------------------------------------------
    def write(self, vals):
        if not COVERAGE_FIELDS & vals.keys():
            return super().write(vals)
        before = self._mediation_mailing_companies()
        result = super().write(vals)
        (before | self._mediation_mailing_companies())._mediation_sync_mailing_list()
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _mediation_mailing_companies(self):
        """The companies these memberships may cover: the company of an
        individual contract, every member of a convention."""
        individual = self.filtered(lambda c: c.mediation_kind == "individual")
        conventions = self.filtered(lambda c: c.mediation_kind == "convention")
        return (
            individual.partner_id.commercial_partner_id
            | conventions.mediation_member_ids.partner_id
        )
