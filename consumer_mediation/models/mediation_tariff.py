from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

# Amounts and terms a version freezes once a contract is signed on it: a
# declared tariff (R614-3) is never rewritten, a new dated version is made.
LOCKED_FIELDS = {
    "kind",
    "date_from",
    "line_ids",
    "case_fee_simple",
    "case_fee_complex",
    "admissibility_fee",
    "decline_fee",
    "fee_trigger",
    "case_fee_payer",
    "company_id",
}

FEE_TRIGGERS = [
    ("admission", "Admission of the case"),
    ("agreement", "Professional agrees to enter the mediation"),
    ("closure", "Closure of the case"),
]
CASE_FEE_PAYERS = [
    ("federation", "The federation"),
    ("member", "The member company"),
]


class MediationTariff(models.Model):
    _name = "mediation.tariff"
    _description = "Dated Membership Tariff"
    _inherit = ["mail.thread"]
    _order = "code, date_from desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Identity and validity
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        help="Shared by all the versions of the same tariff.",
    )
    version = fields.Integer(default=1, readonly=True, copy=False)
    kind = fields.Selection(
        [("individual", "Individual"), ("convention", "Collective Convention")],
        string="Membership Kind",
        required=True,
        default="individual",
        help="Tiers count employees for an individual membership, member "
        "companies for a collective convention.",
    )
    date_from = fields.Date(
        string="Valid From", required=True, default=fields.Date.context_today
    )
    date_to = fields.Date(
        string="Valid Until",
        readonly=True,
        copy=False,
        help="Set when a newer version replaces this one.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # ------------------------------------------------------------------
    # Fees
    # ------------------------------------------------------------------
    line_ids = fields.One2many(
        "mediation.tariff.line", "tariff_id", string="Annual Fee Tiers", copy=True
    )
    case_fee_simple = fields.Monetary(string="Simple Case Fee")
    case_fee_complex = fields.Monetary(string="Complex Case Fee")
    admissibility_fee = fields.Monetary(
        string="Admissibility Study Fee",
        help="Charged for studying whether a case is admissible, if any.",
    )
    decline_fee = fields.Monetary(
        help="Charged when the professional declines to enter the mediation."
    )
    fee_trigger = fields.Selection(
        FEE_TRIGGERS,
        string="Case Fee Due On",
        required=True,
        default="admission",
    )
    case_fee_payer = fields.Selection(
        CASE_FEE_PAYERS,
        string="Case Fees Paid By",
        default="member",
        help="For a collective convention: who pays the fee of a case "
        "against a member company.",
    )
    terms = fields.Html(
        string="Collective Terms",
        translate=True,
        help="Terms printed on the proposal (e.g. what a federation's "
        "convention includes).",
    )
    contract_ids = fields.One2many(
        "contract.contract", "mediation_tariff_id", string="Contracts"
    )
    contract_count = fields.Integer(compute="_compute_contract_count")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_display_name(self):
        for tariff in self:
            tariff.display_name = self.env._(
                "%(name)s (v%(version)s, from %(date)s)",
                name=tariff.name,
                version=tariff.version,
                date=format_date(self.env, tariff.date_from),
            )

    def _compute_contract_count(self):
        counts = dict(
            self.env["contract.contract"]._read_group(
                [("mediation_tariff_id", "in", self.ids)],
                ["mediation_tariff_id"],
                ["__count"],
            )
        )
        for tariff in self:
            tariff.contract_count = counts.get(tariff, 0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("code", "date_from", "date_to", "company_id")
    def _check_versions_do_not_overlap(self):
        for tariff in self:
            if tariff.date_to and tariff.date_to < tariff.date_from:
                raise ValidationError(
                    self.env._("A tariff version cannot end before it starts.")
                )
            overlapping = self.with_context(active_test=False).search(
                [
                    ("id", "!=", tariff.id),
                    ("code", "=", tariff.code),
                    ("company_id", "=", tariff.company_id.id),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", tariff.date_from),
                    *([("date_from", "<=", tariff.date_to)] if tariff.date_to else []),
                ],
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "%(tariff)s overlaps %(other)s: versions of a tariff "
                        "cannot be valid on the same day. Use New Version to "
                        "change a tariff.",
                        tariff=tariff.display_name,
                        other=overlapping.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        if LOCKED_FIELDS & set(vals):
            self._check_not_locked()
        return super().write(vals)

    def unlink(self):
        self._check_not_locked()
        return super().unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "consumer_mediation.action_mediation_contract"
        )
        action["domain"] = [("mediation_tariff_id", "=", self.id)]
        return action

    def action_new_version(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Tariff Version"),
            "res_model": "mediation.tariff.version",
            "view_mode": "form",
            "target": "new",
            "context": {"default_tariff_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_not_locked(self):
        for tariff in self:
            # every contract counts, including those the user cannot see
            if tariff.sudo().contract_ids:
                raise UserError(
                    self.env._(
                        "%(tariff)s is the tariff of signed or proposed contracts "
                        "and was declared as such: create a new version instead "
                        "of changing it.",
                        tariff=tariff.display_name,
                    )
                )

    def _create_version(self, date_from):
        """Copy this version as a new one valid from ``date_from``; this one
        stops the day before. Contracts keep the version they were signed on."""
        self.ensure_one()
        if self.date_to:
            raise UserError(
                self.env._(
                    "%(tariff)s has already been replaced: start from its "
                    "latest version.",
                    tariff=self.display_name,
                )
            )
        if date_from <= self.date_from:
            raise UserError(
                self.env._(
                    "The new version must start after %(date)s, the start of "
                    "the current one.",
                    date=self.date_from,
                )
            )
        self.write({"date_to": date_from - timedelta(days=1)})
        return self.copy({"date_from": date_from, "version": self.version + 1})

    @api.model
    def _select(self, kind, on_date, company=None):
        """The tariff version in force on ``on_date`` for that membership kind
        (the lowest code first when several tariffs apply)."""
        company = company or self.env.company
        return self.search(
            [
                ("kind", "=", kind),
                ("company_id", "=", company.id),
                ("date_from", "<=", on_date),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", on_date),
            ],
            order="code, date_from desc",
            limit=1,
        )

    def _current_version(self, on_date):
        """The version of this tariff in force on ``on_date``."""
        self.ensure_one()
        return self.search(
            [
                ("code", "=", self.code),
                ("company_id", "=", self.company_id.id),
                ("date_from", "<=", on_date),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", on_date),
            ],
            limit=1,
        )

    def _annual_fee(self, count):
        """Annual fee of the tier containing ``count`` (employees, or member
        companies for a convention)."""
        self.ensure_one()
        line = self.line_ids._tier_for(count)
        if not line:
            raise UserError(
                self.env._(
                    "%(tariff)s has no tier for %(count)s: complete its tiers.",
                    tariff=self.display_name,
                    count=count,
                )
            )
        return line.annual_fee
