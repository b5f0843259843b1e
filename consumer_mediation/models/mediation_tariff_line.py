from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MediationTariffLine(models.Model):
    _name = "mediation.tariff.line"
    _description = "Annual Fee Tier of a Tariff"
    _order = "tariff_id, count_min"

    tariff_id = fields.Many2one(
        "mediation.tariff", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="tariff_id.currency_id")
    count_min = fields.Integer(string="From", required=True, default=0)
    count_max = fields.Integer(
        string="To", help="Inclusive upper bound; 0 means no upper bound."
    )
    annual_fee = fields.Monetary(required=True)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_display_name(self):
        for line in self:
            if line.count_max:
                line.display_name = f"{line.count_min}-{line.count_max}"
            else:
                line.display_name = f"{line.count_min}+"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("count_min", "count_max", "tariff_id")
    def _check_tiers(self):
        for tariff in self.tariff_id:
            previous_max = None
            for line in tariff.line_ids.sorted("count_min"):
                if line.count_max and line.count_max < line.count_min:
                    raise ValidationError(
                        self.env._("A tier cannot end before it starts.")
                    )
                if previous_max is not None and (
                    not previous_max or line.count_min <= previous_max
                ):
                    raise ValidationError(
                        self.env._(
                            "The tiers of %(tariff)s overlap.",
                            tariff=tariff.display_name,
                        )
                    )
                previous_max = line.count_max

    # ------------------------------------------------------------------
    # CRUD: the tiers are part of a declared version
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.tariff_id._check_not_locked()
        return lines

    def write(self, vals):
        self.tariff_id._check_not_locked()
        return super().write(vals)

    def unlink(self):
        self.tariff_id._check_not_locked()
        return super().unlink()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _tier_for(self, count):
        return self.filtered(
            lambda line: (
                line.count_min <= count
                and (not line.count_max or count <= line.count_max)
            )
        )[:1]
