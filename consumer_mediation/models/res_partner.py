from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _mediation_coverage(self, on_date=None):
        """The membership contract that covers this professional on
        ``on_date`` (today by default): its own individual contract first,
        else the convention of a federation it belongs to on that day.

        The single place where coverage is decided: case intake and the public
        look-up ask here. Returns an empty recordset when not covered.
        """
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        Contract = self.env["contract.contract"]
        company = self.commercial_partner_id
        base = Contract._mediation_coverage_domain(on_date)
        own = Contract.search(
            [
                *base,
                ("mediation_kind", "=", "individual"),
                ("partner_id", "=", company.id),
            ],
            order="date_start desc",
            limit=1,
        )
        if own:
            return own
        members = self.env["mediation.convention.member"].search(
            [
                ("partner_id", "=", company.id),
                ("date_join", "<=", on_date),
                "|",
                ("date_leave", "=", False),
                ("date_leave", ">=", on_date),
            ]
        )
        return Contract.search(
            [*base, ("id", "in", members.contract_id.ids)],
            order="date_start desc",
            limit=1,
        )
