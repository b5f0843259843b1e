import base64

from markupsafe import Markup
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# France and the overseas departments and territories, where the company
# registry number is the SIREN (l10n_fr's res.company list).
FRENCH_COUNTRY_CODES = ("FR", "MF", "MQ", "NC", "PF", "RE", "GF", "GP", "TF")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Member company profile
    # ------------------------------------------------------------------
    # Odoo's own fields carry the identity numbers that the French
    # localisation, Factur-X and the FEC read: the SIREN in base's
    # company_registry, the SIRET in l10n_fr's siret. Indexed because the
    # public professional search looks them up.
    company_registry = fields.Char(index="btree_not_null")
    siret = fields.Char(index="btree_not_null")
    mediation_headcount = fields.Integer(
        string="Headcount", help="Number of employees; it selects the tariff tier."
    )
    mediation_consumer_share = fields.Float(
        string="Consumer Customers (%)",
        help="Share of the turnover made with consumers.",
    )
    mediation_activity = fields.Text(
        string="Activity", help="What the company makes or sells, and who makes it."
    )
    mediation_manager_ids = fields.Many2many(
        "res.partner",
        "res_partner_mediation_manager_rel",
        "company_id",
        "manager_id",
        string="Managers",
        domain="[('is_company', '=', False)]",
    )
    mediation_is_federation = fields.Boolean(
        string="Federation or Group",
        help="Signs collective conventions covering its member companies.",
    )
    mediation_federation_member_ids = fields.One2many(
        "mediation.convention.member",
        "federation_id",
        string="Member Companies",
        help="The companies in this federation's collective conventions.",
    )
    mediation_convention_membership_ids = fields.One2many(
        "mediation.convention.member", "partner_id", string="Convention Memberships"
    )
    mediation_compliance_ids = fields.One2many(
        "mediation.compliance.check", "partner_id", string="Compliance Checklist"
    )
    mediation_kit_sent_on = fields.Datetime(
        string="Information Kit Sent On", readonly=True, copy=False
    )
    # ------------------------------------------------------------------
    # Coverage (computed from the contracts, never stored)
    # ------------------------------------------------------------------
    mediation_coverage_contract_id = fields.Many2one(
        "contract.contract",
        string="Covered By",
        compute="_compute_mediation_coverage",
    )
    mediation_covered = fields.Boolean(
        string="Covered Today",
        compute="_compute_mediation_coverage",
        search="_search_mediation_covered",
    )
    mediation_contract_count = fields.Integer(
        string="Mediation Contracts", compute="_compute_mediation_contract_count"
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "contract_ids.mediation_state",
        "contract_ids.mediation_date_suspended",
        "contract_ids.mediation_date_terminated",
        "mediation_convention_membership_ids.date_leave",
        "mediation_convention_membership_ids.contract_id.mediation_state",
    )
    def _compute_mediation_coverage(self):
        for partner in self:
            contract = (
                partner._mediation_coverage()
                if partner.id
                else self.env["contract.contract"]
            )
            partner.mediation_coverage_contract_id = contract
            partner.mediation_covered = bool(contract)

    def _search_mediation_covered(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        covered = self._mediation_covered_domain(fields.Date.context_today(self))
        return covered if (operator == "=") == value else ["!", *covered]

    def _compute_mediation_contract_count(self):
        for partner in self:
            partner.mediation_contract_count = self.env[
                "contract.contract"
            ].search_count(partner._mediation_contracts_domain())

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("company_registry", "siret", "is_company", "country_id")
    def _check_mediation_siren_siret(self):
        """A French company's registry number is its SIREN and its SIRET
        belongs to it; other countries' registry numbers are left alone."""
        for partner in self.filtered("is_company"):
            siren = partner._mediation_siren()
            error = siren is not False and self._mediation_siren_error(siren)
            if not error and partner.siret:
                if not stdnum_siret.is_valid(partner.siret):
                    error = self.env._(
                        "%(siret)s is not a valid SIRET number (14 digits with a "
                        "valid check digit).",
                        siret=partner.siret,
                    )
                elif siren and not partner.siret.startswith(siren):
                    error = self.env._(
                        "The SIRET %(siret)s does not belong to the SIREN %(siren)s.",
                        siret=partner.siret,
                        siren=siren,
                    )
            if error:
                raise ValidationError(error)

    # ------------------------------------------------------------------
    # CRUD: SIREN and SIRET are stored without spaces
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._mediation_compact_numbers(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._mediation_compact_numbers(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mediation_open_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "consumer_mediation.action_mediation_contract"
        )
        action["domain"] = self._mediation_contracts_domain()
        action["context"] = {
            "default_partner_id": self.id,
            "default_mediation_kind": "convention"
            if self.mediation_is_federation
            else "individual",
        }
        return action

    def action_mediation_send_kit(self):
        if not all(self.mapped("mediation_covered")):
            raise UserError(
                self.env._(
                    "The information kit is only sent to professionals covered "
                    "by a membership today."
                )
            )
        self._mediation_check_public_url()
        self._mediation_send_kit()
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_report_base_filename(self):
        """Name of the PDF the portal gives a member company: its window
        notice, the only report of a contact downloaded there."""
        self.ensure_one()
        return self.env._("Consumer mediation notice - %(name)s", name=self.name)

    def _mediation_coverage(self, on_date=None):
        """The membership contract that covers this professional on
        ``on_date`` (today by default): its own individual contract first,
        else the convention of a federation it belongs to on that day.

        The single place where coverage is decided: case intake and the public
        look-up ask here. Returns an empty recordset when not covered.
        """
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        Contract = self.env["contract.contract"]
        company = self.commercial_partner_id
        base = Contract._mediation_coverage_domain(on_date)
        own = Contract.search(
            [
                *base,
                ("mediation_kind", "=", "individual"),
                ("partner_id", "=", company.id),
            ],
            order="date_start desc",
            limit=1,
        )
        if own:
            return own
        members = self.env["mediation.convention.member"].search(
            [
                ("partner_id", "=", company.id),
                ("date_join", "<=", on_date),
                "|",
                ("date_leave", "=", False),
                ("date_leave", ">=", on_date),
            ]
        )
        return Contract.search(
            [*base, ("id", "in", members.contract_id.ids)],
            order="date_start desc",
            limit=1,
        )

    @api.model
    def _mediation_covered_domain(self, on_date):
        """_mediation_coverage() as a domain on companies, for lists and
        scheduled actions over thousands of members."""
        base = self.env["contract.contract"]._mediation_coverage_domain(on_date)
        return [
            ("is_company", "=", True),
            "|",
            (
                "contract_ids",
                "any",
                [*base, ("mediation_kind", "=", "individual")],
            ),
            (
                "mediation_convention_membership_ids",
                "any",
                [
                    ("date_join", "<=", on_date),
                    "|",
                    ("date_leave", "=", False),
                    ("date_leave", ">=", on_date),
                    ("contract_id", "any", base),
                ],
            ),
        ]

    def _mediation_contracts_domain(self):
        """Own membership contracts and conventions the company is in."""
        self.ensure_one()
        company = self.commercial_partner_id
        return [
            ("mediation_kind", "!=", False),
            "|",
            ("partner_id", "=", company.id),
            ("mediation_member_ids.partner_id", "=", company.id),
        ]

    @api.model
    def _mediation_siren_error(self, siren):
        """The translated error for an invalid SIREN, or False (shared by the
        partner constraint, the leads and the public request form)."""
        if siren and not stdnum_siren.is_valid(siren):
            return self.env._(
                "%(siren)s is not a valid SIREN number (9 digits with a valid "
                "check digit).",
                siren=siren,
            )
        return False

    @api.model
    def _mediation_compact_numbers(self, vals):
        for field, module, length in (
            ("company_registry", stdnum_siren, 9),
            ("siret", stdnum_siret, 14),
        ):
            # Only numbers shaped as a SIREN/SIRET once compacted lose their
            # spaces: another country's registry number keeps its own form.
            compact = vals.get(field) and module.compact(vals[field])
            if compact and compact.isdigit() and len(compact) == length:
                vals[field] = compact

    def _mediation_siren(self):
        """The SIREN of a French company (its registry number), "" when it
        has none, False when the company is not French."""
        self.ensure_one()
        if self.country_id and self.country_id.code not in FRENCH_COUNTRY_CODES:
            return False
        return self.company_registry or ""

    def _mediation_mediator_name(self):
        self.ensure_one()
        company = self.mediation_coverage_contract_id.company_id or self.env.company
        return company._mediation_mediator_display_name()

    def _mediation_filing_url(self):
        """Public filing page with this professional already selected."""
        self.ensure_one()
        return f"{self.get_base_url()}/mediation/saisine?professional={self.id}"

    def _mediation_kit_cgv_sentence(self):
        self.ensure_one()
        partner = self.with_context(lang=self.lang)
        return partner.env._(
            "In accordance with articles L.612-1 and following of the French "
            "Consumer Code, the consumer may refer any dispute with us free of "
            "charge to the consumer mediator %(mediator)s, online at %(url)s, "
            "after first contacting our customer service in writing.",
            mediator=self._mediation_mediator_name(),
            url=self._mediation_filing_url(),
        )

    def _mediation_kit_html_block(self):
        """Footer block for the professional's website."""
        self.ensure_one()
        partner = self.with_context(lang=self.lang)
        return Markup(
            '<div class="consumer-mediation">'
            "<strong>%(title)s</strong><br/>%(text)s "
            '<a href="%(url)s" target="_blank" rel="noopener">%(link)s</a>'
            "</div>"
        ) % {
            "title": partner.env._("Consumer mediation"),
            "text": partner.env._(
                "In case of dispute, you can refer it free of charge to the "
                "consumer mediator %(mediator)s:",
                mediator=self._mediation_mediator_name(),
            ),
            "url": self._mediation_filing_url(),
            "link": self._mediation_filing_url(),
        }

    def _mediation_check_public_url(self):
        """The kit and the QR codes send consumers to the filing page: refuse
        to print or send them with an address they cannot reach or that is
        not encrypted."""
        error = self.env["res.company"]._mediation_public_url_error(self.get_base_url())
        if error:
            raise UserError(error)

    def _mediation_filing_qr_src(self):
        """QR code of the filing URL as a data URI, so the notice renders
        without fetching anything."""
        self.ensure_one()
        self._mediation_check_public_url()
        png = self.env["ir.actions.report"].barcode(
            "QR", self._mediation_filing_url(), width=300, height=300
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()

    def _mediation_send_kit(self):
        template = self.env.ref("consumer_mediation.mail_template_mediation_kit")
        for partner in self:
            # Sent on activation too: an unreachable filing address holds
            # the kit back, with the reason on the partner, instead of
            # failing the activation.
            error = self.env["res.company"]._mediation_public_url_error(
                partner.get_base_url()
            )
            if error:
                partner.message_post(body=error)
                continue
            template.send_mail(
                partner.id, email_layout_xmlid="mail.mail_notification_light"
            )
            partner.message_post(
                body=self.env._(
                    "Information kit sent to %(email)s.", email=partner.email or "-"
                ),
            )
            partner.mediation_kit_sent_on = fields.Datetime.now()
