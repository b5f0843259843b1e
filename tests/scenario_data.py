"""Data shared by the end-to-end scenarios."""

from datetime import timedelta

from odoo import fields


def active_membership(env, name, email, since_days=100):
    """The individual membership, active for ``since_days``, of a new company."""
    today = fields.Date.context_today(env["mediation.case"])
    professional = env["res.partner"].create(
        {"name": name, "is_company": True, "email": email}
    )
    contract = env["contract.contract"].create(
        {
            "name": f"Membership {name}",
            "partner_id": professional.id,
            "mediation_kind": "individual",
            "date_start": today - timedelta(days=since_days),
            "contract_type": "sale",
        }
    )
    contract.action_mediation_activate()
    return contract
