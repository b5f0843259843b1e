from odoo import models


class MediationCaseSubject(models.Model):
    _name = "mediation.case.subject"
    _inherit = "mediation.config.mixin"
    _description = "Dispute Subject"
