from datetime import date

from odoo import models
from odoo.tools import format_date


class ContractLine(models.Model):
    _inherit = "contract.line"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _mediation_prorata_end(self):
        """End of a shortened first membership year (31 December) when the
        company bills memberships by calendar year, else False."""
        self.ensure_one()
        contract = self.contract_id
        if (
            not contract.mediation_kind
            or self.last_date_invoiced
            or contract.company_id.mediation_first_year_billing != "prorata"
            or self.product_id != contract._mediation_fee_product()
            or (self.date_start.month, self.date_start.day) == (1, 1)
        ):
            return False
        return date(self.date_start.year, 12, 31)

    def _prepare_invoice_line(self):
        vals = super()._prepare_invoice_line()
        end = self._mediation_prorata_end()
        if vals and not self.display_type:
            first, last, __ = self._get_period_to_invoice(
                self.last_date_invoiced, self.recurring_next_date
            )
            vals["mediation_period_start"] = first
            vals["mediation_period_end"] = end or last
        if vals and end:
            year_days = (date(end.year, 12, 31) - date(end.year, 1, 1)).days + 1
            days = (end - self.date_start).days + 1
            lang_env = self.with_context(lang=self.contract_id.partner_id.lang).env
            vals.update(
                {
                    "price_unit": self.contract_id.currency_id.round(
                        self.price_unit * days / year_days
                    ),
                    "name": lang_env._(
                        "%(name)s, %(start)s to %(end)s (pro rata "
                        "%(days)s/%(year_days)s days)",
                        name=self.name,
                        start=format_date(lang_env, self.date_start),
                        end=format_date(lang_env, end),
                        days=days,
                        year_days=year_days,
                    ),
                }
            )
        return vals

    def _update_last_date_invoiced(self):
        """The shortened first year ends on 31 December; the next ones follow
        the calendar year."""
        prorata = self.filtered(lambda line: line._mediation_prorata_end())
        for line in prorata:
            line.last_date_invoiced = line._mediation_prorata_end()
        return super(ContractLine, self - prorata)._update_last_date_invoiced()
