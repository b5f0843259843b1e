from odoo import models


class MediationDocumentType(models.Model):
    """A document the secretariat usually asks the consumer for when a file
    is incomplete (invoice, written complaint, contract...)."""

    _name = "mediation.document.type"
    _inherit = "mediation.config.mixin"
    _description = "Requested Document"
