import base64

from odoo import fields, models
from odoo.exceptions import UserError


class L10nFrFecExportWizard(models.TransientModel):
    _inherit = "l10n_fr.fec.export.wizard"

    # Kept on the wizard row, not as an attachment: the file goes with the
    # wizard when Odoo vacuums it.
    fec_file = fields.Binary(string="FEC File", attachment=False, readonly=True)

    def create_fec_report_action(self):
        """Odoo Community leaves this hook empty (the download comes with the
        enterprise reports): generate the file and download it."""
        self.ensure_one()
        if not self.test_file and not self.env.user.has_group(
            "account.group_account_manager"
        ):
            # The official export sets the fiscal year's lock date to its
            # end date: the accounting administrator's decision.
            raise UserError(
                self.env._(
                    "Only the accounting administrator can export the official "
                    "FEC: it locks the fiscal year up to its end date. Tick "
                    "\u201cTest File\u201d to export the entries without locking."
                )
            )
        result = self.generate_fec()
        self.write(
            {
                "fec_file": base64.b64encode(result["file_content"]),
                "filename": result["file_name"],
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/fec_file/"
            f"{result['file_name']}?download=true",
            "target": "download",
        }
