from odoo import fields, models


class ReportPaperformat(models.Model):
    _inherit = "report.paperformat"

    mediation_page_numbers = fields.Boolean(
        string="Stamp Page Numbers",
        help="Number the pages of the rendered PDF (page / pages) at the "
        "bottom. Works with every wkhtmltopdf build, also those that ignore "
        "HTML headers and footers; the layout then keeps everything in the "
        "page body.",
    )
