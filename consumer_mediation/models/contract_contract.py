from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ContractContract(models.Model):
    _inherit = "contract.contract"

    # ------------------------------------------------------------------
    # Membership
    # ------------------------------------------------------------------
    mediation_kind = fields.Selection(
        [("individual", "Individual"), ("convention", "Collective Convention")],
        string="Membership Kind",
        tracking=True,
        help="Empty for contracts that are not mediation memberships. A collective "
        "convention is signed by a federation and covers its member companies.",
    )
    mediation_state = fields.Selection(
        [
            ("proposal", "Proposal"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("terminated", "Terminated"),
            ("expired", "Expired"),
        ],
        string="Membership Status",
        default="proposal",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    mediation_member_ids = fields.One2many(
        "mediation.convention.member",
        "contract_id",
        string="Convention Members",
        copy=False,
    )
    # ------------------------------------------------------------------
    # Legal and membership dates, written by the actions
    # ------------------------------------------------------------------
    mediation_date_activated = fields.Date(
        string="Activated On", copy=False, readonly=True, tracking=True
    )
    mediation_date_suspended = fields.Date(
        string="Suspended Since", copy=False, readonly=True, tracking=True
    )
    mediation_date_terminated = fields.Date(
        string="Coverage Ends On",
        copy=False,
        readonly=True,
        tracking=True,
        help="Last day the contract covers the professional, set on termination "
        "or expiry.",
    )
    mediation_termination_reason = fields.Text(
        string="Termination Reason", copy=False, readonly=True, tracking=True
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("mediation_kind", "partner_id", "date_start", "mediation_state")
    def _check_mediation_overlap(self):
        for contract in self.filtered(
            lambda c: (
                c.mediation_kind == "individual"
                and c.mediation_state in ("active", "suspended")
            )
        ):
            others = self.search(
                [
                    ("id", "!=", contract.id),
                    ("mediation_kind", "=", "individual"),
                    ("mediation_state", "in", ("active", "suspended")),
                    ("partner_id", "=", contract.partner_id.id),
                    ("company_id", "=", contract.company_id.id),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(partner)s already has an active membership contract "
                        "(%(contract)s). Terminate it before activating another one.",
                        partner=contract.partner_id.display_name,
                        contract=others[0].display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mediation_activate(self):
        for contract in self:
            if contract.mediation_state != "proposal":
                raise UserError(
                    self.env._(
                        "Only a proposal can be activated; %(contract)s is %(state)s.",
                        contract=contract.display_name,
                        state=contract._mediation_state_label(),
                    )
                )
            if not contract.mediation_kind:
                raise UserError(
                    self.env._(
                        "Choose whether the membership is individual or a "
                        "collective convention before activating it."
                    )
                )
            contract.write(
                {
                    "mediation_state": "active",
                    "mediation_date_activated": fields.Date.context_today(contract),
                }
            )
        return True

    def action_mediation_suspend(self):
        self._mediation_check_state("active")
        self.write(
            {
                "mediation_state": "suspended",
                "mediation_date_suspended": fields.Date.context_today(self),
            }
        )
        return True

    def action_mediation_reactivate(self):
        self._mediation_check_state("suspended")
        self.write({"mediation_state": "active", "mediation_date_suspended": False})
        return True

    def _mediation_terminate(self, end_date, reason, state="terminated"):
        """End the coverage on ``end_date`` (inclusive); the recurring lines
        stop there too so no period after it is invoiced."""
        self._mediation_check_state("active", "suspended")
        if not reason:
            raise UserError(self.env._("Give the reason for ending the membership."))
        for contract in self:
            if end_date < contract.date_start:
                raise UserError(
                    self.env._(
                        "The membership of %(contract)s cannot end before it "
                        "starts (%(start)s).",
                        contract=contract.display_name,
                        start=contract.date_start,
                    )
                )
            contract.contract_line_ids.filtered(
                lambda line, end=end_date: not line.date_end or line.date_end > end
            ).write({"date_end": end_date})
        self.write(
            {
                "mediation_state": state,
                "mediation_date_terminated": end_date,
                "mediation_termination_reason": reason,
            }
        )
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _mediation_state_label(self):
        return dict(self._fields["mediation_state"]._description_selection(self.env))[
            self.mediation_state
        ]

    def _mediation_check_state(self, *states):
        for contract in self:
            if contract.mediation_state not in states:
                raise UserError(
                    self.env._(
                        "This action is not possible on %(contract)s, which is "
                        "%(state)s.",
                        contract=contract.display_name,
                        state=contract._mediation_state_label(),
                    )
                )

    @api.model
    def _mediation_coverage_domain(self, on_date):
        """Contracts whose coverage includes ``on_date``: signed, started,
        not ended, not suspended on that day."""
        return [
            ("mediation_kind", "!=", False),
            ("mediation_state", "in", ("active", "suspended", "terminated", "expired")),
            ("date_start", "<=", on_date),
            "|",
            ("mediation_date_terminated", "=", False),
            ("mediation_date_terminated", ">=", on_date),
            "|",
            ("mediation_date_suspended", "=", False),
            ("mediation_date_suspended", ">", on_date),
        ]
