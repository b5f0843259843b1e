from odoo import Command, api, models


class MailingList(models.Model):
    _inherit = "mailing.list"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _mediation_members_list(self):
        """The members' list, or an empty recordset if it was deleted."""
        return (
            self.env.ref(
                "consumer_mediation_mass_mailing.mailing_list_mediation_members",
                raise_if_not_found=False,
            )
            or self.browse()
        )

    def _mediation_subscribe(self, partners):
        """Subscribe the partners' addresses, creating the missing mailing
        contacts. An address with a subscription already, opted out included,
        is left as it is: a contact who unsubscribed is never put back."""
        self.ensure_one()
        by_email = {p.email_normalized: p for p in partners if p.email_normalized}
        if not by_email:
            return
        contacts = self.env["mailing.contact"].search(
            [("email_normalized", "in", list(by_email))]
        )
        known = set(
            contacts.subscription_ids.filtered(
                lambda sub: sub.list_id == self
            ).contact_id.mapped("email_normalized")
        )
        new_subscriptions, new_contacts = [], []
        for email, partner in by_email.items():
            if email in known:
                continue
            contact = contacts.filtered(lambda c, e=email: c.email_normalized == e)[:1]
            if contact:
                new_subscriptions.append({"contact_id": contact.id, "list_id": self.id})
                continue
            new_contacts.append(
                {
                    "name": partner.name,
                    "email": partner.email,
                    "company_name": partner.commercial_partner_id.name,
                    "country_id": partner.country_id.id,
                    "subscription_ids": [Command.create({"list_id": self.id})],
                }
            )
        self.env["mailing.subscription"].create(new_subscriptions)
        self.env["mailing.contact"].create(new_contacts)

    def _mediation_unsubscribe(self, emails):
        """Take these addresses off the list. Opted-out subscriptions stay:
        they record the contact's choice."""
        self.ensure_one()
        if not emails:
            return
        self.env["mailing.subscription"].search(
            [
                ("list_id", "=", self.id),
                ("opt_out", "=", False),
                ("contact_id.email_normalized", "in", list(emails)),
            ]
        ).unlink()
