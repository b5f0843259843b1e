from odoo import models

# BT-23 "business process type": the French e-invoicing specification's
# "cadre de facturation" S1 = invoice for services, lodged for payment.
FR_SERVICES_PROCESS = "S1"
# BT-8 "VAT point date code" (UNTDID 2005 subset allowed by EN 16931 in CII):
# 5 = invoice date (VAT on debits), 72 = paid to date (VAT on collection).
VAT_ON_DEBITS_CODE = "5"
VAT_ON_PAYMENT_CODE = "72"


class AccountEdiXmlCII(models.AbstractModel):
    _inherit = "account.edi.xml.cii"

    def _export_invoice_vals(self, invoice):
        """Identify French parties by their SIREN (scheme 0002 takes 9
        digits; Odoo puts the 14-digit SIRET there) and carry the French
        e-invoicing reform's mentions that EN 16931 has a place for."""
        vals = super()._export_invoice_vals(invoice)
        for key, partner in (
            ("seller_specified_legal_organization", invoice.company_id.partner_id),
            ("buyer_specified_legal_organization", invoice.commercial_partner_id),
        ):
            siren = partner._mediation_siren()
            if siren is not False:
                vals[key] = siren or (partner.siret or "")[:9]
        on_payment = any(
            tax.tax_exigibility == "on_payment"
            for tax in invoice.invoice_line_ids.tax_ids
        )
        vals.update(
            {
                "mediation_process_type": FR_SERVICES_PROCESS,
                "mediation_operation_note": invoice.env._("Supply of services"),
                "mediation_vat_due_date_code": VAT_ON_PAYMENT_CODE
                if on_payment
                else VAT_ON_DEBITS_CODE,
                "mediation_vat_on_debits_note": invoice.env._(
                    "Option for payment of VAT on debits"
                )
                if invoice.company_id.country_code == "FR" and not on_payment
                else "",
            }
        )
        return vals
