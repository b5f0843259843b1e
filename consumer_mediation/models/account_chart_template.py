from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        # A chart loaded after the addon (a new company, the French chart
        # chosen later) gives the fee products their accounts and taxes.
        res = super()._post_load_data(template_code, company, template_data)
        self.env["mediation.invoicing"]._configure_fee_products(
            company or self.env.company
        )
        return res
