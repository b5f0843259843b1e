"""Who sees what of a case (L612-3): the one audience rule.

Every message of a case (and so every letter and document, which are posted
as messages) has an audience. The parties of each side are defined by
``_mediation_side_domains``; which audiences each side and the team see, by
``AUDIENCE_SIDES`` and ``_mediation_team_audiences``. ``mail.message`` turns
them into ``_mediation_message_domain``, the domain every read path applies
(searches, reads, the chatter routes, the portal page, downloads), and
``_mediation_audience_partners`` is the same rule for the recipients of
notifications and e-mails.
"""

from odoo import api, fields, models
from odoo.osv import expression

AUDIENCES = [
    ("team", "Mediation team"),
    ("consumer", "Consumer side"),
    ("professional", "Professional side"),
    ("parties", "Both parties"),
    ("filing", "Filed request"),
]
# The sides of the parties each audience reaches; the team is not a side.
# The documents filed with the request are the consumer's and the whole
# team's, the secretariat included: it decides whether the file is complete.
# They are not a private exchange; the professional sees them once the
# mediator shares them with both parties.
AUDIENCE_SIDES = {
    "team": (),
    "consumer": ("consumer",),
    "professional": ("professional",),
    "parties": ("consumer", "professional"),
    "filing": ("consumer",),
}
# What a side exchanges with the mediator alone.
PRIVATE_AUDIENCES = ("consumer", "professional")


class MediationCase(models.Model):
    _inherit = "mediation.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Parties
    # ------------------------------------------------------------------
    is_professional_involved = fields.Boolean(
        string="Professional Involved",
        compute="_compute_is_professional_involved",
        store=True,
        index=True,
        help="The professional was asked to enter the mediation or notified of "
        "the saisine: from then on it sees the case and its side of it.",
    )

    @api.depends("date_professional_requested", "date_saisine_notified")
    def _compute_is_professional_involved(self):
        for case in self:
            case.is_professional_involved = bool(
                case.date_professional_requested or case.date_saisine_notified
            )

    # ------------------------------------------------------------------
    # The audience rule
    # ------------------------------------------------------------------
    @api.model
    def _mediation_side_domains(self, partner):
        """{side: domain of the cases where ``partner`` acts for that side}.
        The portal record rule of mediation.case is the union of these
        domains (security/mediation_case_security.xml)."""
        pid = partner.id
        return {
            "consumer": [
                "|",
                ("consumer_id", "=", pid),
                (
                    "representative_ids",
                    "any",
                    [("partner_id", "=", pid), ("party", "=", "consumer")],
                ),
            ],
            "professional": [
                ("is_professional_involved", "=", True),
                "|",
                (
                    "professional_id.commercial_partner_id",
                    "=",
                    partner.commercial_partner_id.id,
                ),
                (
                    "representative_ids",
                    "any",
                    [("partner_id", "=", pid), ("party", "=", "professional")],
                ),
            ],
        }

    def _mediation_sides(self, partner):
        """The sides ``partner`` acts for on this case."""
        self.ensure_one()
        case = self.sudo()
        return {
            side
            for side, domain in self._mediation_side_domains(partner).items()
            if case.filtered_domain(domain)
        }

    @api.model
    def _mediation_team_audiences(self, user):
        """Audiences a member of the mediation team sees on the cases it may
        read: all of them for the mediators; the secretariat registers and
        dispatches the cases but is kept out of the exchanges of a side with
        the mediator alone (L612-3)."""
        every = {audience for audience, _label in AUDIENCES}
        if user.has_group("consumer_mediation.group_mediation_user"):
            return every
        if user.has_group("consumer_mediation.group_mediation_secretariat"):
            return every - set(PRIVATE_AUDIENCES)
        return set()

    @api.model
    def _mediation_message_domain(self, user=None):
        """Domain on mail.message of what ``user`` may see of the cases'
        messages (the case itself must still be readable): [] when nothing
        is hidden."""
        user = user or self.env.user
        team = self._mediation_team_audiences(user)
        if len(team) == len(AUDIENCES):
            return []
        partner = user.partner_id
        Case = self.sudo().with_context(active_test=False)
        visible = [
            [("model", "!=", self._name)],
            [("mediation_audience", "in", sorted(team))] if team else [],
        ]
        for side, domain in self._mediation_side_domains(partner).items():
            audiences = [a for a, sides in AUDIENCE_SIDES.items() if side in sides]
            visible.append(
                [
                    ("mediation_audience", "in", audiences),
                    ("res_id", "in", Case._search(domain)),
                ]
            )
        return expression.OR([d for d in visible if d])

    def _mediation_audience_partners(self, audience, partners):
        """The ``partners`` who belong to ``audience`` on this case: its
        parties on the sides the audience reaches, and the team members who
        may read the case."""
        self.ensure_one()
        allowed = partners.browse()
        for partner in partners.sudo():
            team = partner.with_context(active_test=False).user_ids.filtered(
                lambda u: not u.share and self._mediation_team_admits(audience, u)
            )
            if team or set(AUDIENCE_SIDES[audience]) & self._mediation_sides(partner):
                allowed |= partner
        return allowed

    def _mediation_team_admits(self, audience, user):
        """Whether the internal ``user`` belongs to ``audience`` on this case
        now: a member of the team who sees that audience and may read the
        case (a mediator the case was taken from no longer may)."""
        self.ensure_one()
        return audience in self._mediation_team_audiences(user) and self.sudo(
            False
        ).with_user(user).has_access("read")
