# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Move the addon's own SIREN/SIRET into Odoo's fields.

Up to 18.0.1.1.0 the addon kept them in res_partner.mediation_siren /
mediation_siret and crm_lead.mediation_siren. From 18.0.1.2.0 Odoo's fields
carry them: company_registry (base) for the SIREN, siret (l10n_fr) for the
SIRET, so that Factur-X, the French localisation and the FEC read them.

The old columns are still in the tables when this runs (Odoo drops the
columns of removed fields at the end of the upgrade). Nothing is lost:
- an empty Odoo field takes the addon's number;
- a company_registry holding the SIRET of the same company (what the demo
  and the addon's company settings used to do) becomes the SIREN, and that
  SIRET goes to siret when siret is empty;
- when both exist and differ, the addon's number wins, because the addon
  checked its checksum and the mediation team maintained it, while
  company_registry was Odoo's free-text "Company ID"; the value it replaces
  is kept in a note on the company's chatter and in the server log.
"""

import logging

from markupsafe import Markup

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def _column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        (table, column),
    )
    return bool(cr.fetchone())


def _new_numbers(old_siren, old_siret, registry, siret):
    """(company_registry, siret, replaced) for one partner: replaced lists
    the (field, value) pairs that the migration overwrites."""
    replaced = []
    new_registry, new_siret = registry, siret
    if old_siren:
        if registry and len(registry) == 14 and registry.startswith(old_siren):
            # The SIRET of this very company was typed as its registry number.
            new_siret = new_siret or registry
            if new_siret != registry:
                replaced.append(("company_registry", registry))
        elif registry and registry != old_siren:
            replaced.append(("company_registry", registry))
        new_registry = old_siren
    if old_siret:
        if new_siret and new_siret != old_siret:
            replaced.append(("siret", new_siret))
        new_siret = old_siret
    return new_registry, new_siret, replaced


def migrate(cr, version):
    if not _column_exists(cr, "res_partner", "mediation_siren"):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        "SELECT id, mediation_siren, mediation_siret, company_registry, siret "
        "FROM res_partner "
        "WHERE mediation_siren IS NOT NULL OR mediation_siret IS NOT NULL"
    )
    moved = conflicts = 0
    for partner_id, old_siren, old_siret, registry, siret in cr.fetchall():
        new_registry, new_siret, replaced = _new_numbers(
            old_siren, old_siret, registry, siret
        )
        if (new_registry, new_siret) == (registry, siret):
            continue
        cr.execute(
            "UPDATE res_partner SET company_registry = %s, siret = %s WHERE id = %s",
            (new_registry, new_siret, partner_id),
        )
        # company_registry is a commercial field: the company's contacts
        # carry the same number.
        cr.execute(
            "UPDATE res_partner SET company_registry = %s "
            "WHERE commercial_partner_id = %s AND id != %s",
            (new_registry, partner_id, partner_id),
        )
        moved += 1
        if replaced:
            conflicts += 1
            _logger.warning(
                "Partner %s: SIREN %s / SIRET %s of the mediation replace %s",
                partner_id,
                old_siren,
                old_siret,
                ", ".join(f"{field}={value}" for field, value in replaced),
            )
            env["res.partner"].browse(partner_id).message_post(
                body=Markup(
                    "<p>Upgrade to one SIREN/SIRET: the mediation's numbers "
                    "replaced %s.</p>"
                )
                % ", ".join(f"{field} {value}" for field, value in replaced),
                subtype_xmlid="mail.mt_note",
            )
    if _column_exists(cr, "crm_lead", "mediation_siren"):
        cr.execute(
            "UPDATE crm_lead SET company_registry = mediation_siren "
            "WHERE mediation_siren IS NOT NULL"
        )
        _logger.info("SIREN of %s membership requests moved", cr.rowcount)
    _logger.info(
        "SIREN/SIRET of %s partners moved to company_registry/siret "
        "(%s replaced a different value, kept in their chatter)",
        moved,
        conflicts,
    )
