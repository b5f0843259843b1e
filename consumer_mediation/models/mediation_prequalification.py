from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date


class MediationPrequalification(models.AbstractModel):
    """The single admissibility pre-check (L612-2, L611-3/L611-4), used by the
    back-office wizard, the case form and the public form."""

    _name = "mediation.prequalification"
    _description = "Pre-qualification of a Mediation Request"

    @api.model
    def _prequalify(self, values):
        """Grounds that would apply to a request described by ``values``:

        - complaint_sent (bool), date_complaint (date): the prior written
          complaint to the professional;
        - professional_id (int): the professional, if identified;
        - already_examined (bool): before a court or another mediator;
        - acting_as_professional (bool): the requester acted for a business;
        - date_request (date): receipt of the request, today by default.

        Returns a dict: ``grounds`` (mediation.refusal.ground records),
        ``explanations`` ({ground code: text}), ``grounds_html``,
        ``admissible``, ``contract`` (covering contract) and
        ``complaint_letter`` (model letter the consumer can send first).
        """
        today = values.get("date_request") or fields.Date.context_today(self)
        date_complaint = values.get("date_complaint")
        professional = self.env["res.partner"].browse(values.get("professional_id"))
        contract = (
            professional.sudo()._mediation_coverage(today)
            if professional
            else self.env["contract.contract"]
        )
        explanations = {}
        if values.get("acting_as_professional"):
            explanations["out_of_scope"] = self.env._(
                "Consumer mediation only handles disputes between a consumer and a "
                "professional; a dispute between professionals is excluded."
            )
        if not values.get("complaint_sent") or not date_complaint:
            explanations["no_complaint"] = self.env._(
                "You must first complain in writing to the professional. Send the "
                "model letter below, keep a proof of sending, and come back if the "
                "answer does not satisfy you."
            )
        elif date_complaint < today - relativedelta(years=1):
            explanations["late"] = self.env._(
                "Your written complaint is dated %(date)s: the request must reach "
                "the mediator within one year of it.",
                date=format_date(self.env, date_complaint),
            )
        if values.get("already_examined"):
            explanations["already_examined"] = self.env._(
                "A dispute already examined, or being examined, by another mediator "
                "or by a court cannot be mediated again."
            )
        if not professional:
            explanations["out_of_competence"] = self.env._(
                "Identify the professional: the mediator can only handle disputes "
                "with the professionals that appointed it."
            )
        elif not contract:
            explanations["out_of_competence"] = self.env._(
                "%(professional)s has not appointed this mediator: contact the "
                "mediator it names in its terms and conditions.",
                professional=professional.display_name,
            )
        grounds = self.env["mediation.refusal.ground"].search(
            [("code", "in", list(explanations))]
        )
        return {
            "grounds": grounds,
            "explanations": explanations,
            "grounds_html": self._grounds_html(grounds, explanations),
            "admissible": not grounds,
            "contract": contract,
            "complaint_letter": self._complaint_letter(professional),
        }

    @api.model
    def _grounds_html(self, grounds, explanations):
        if not grounds:
            return False
        items = Markup().join(
            Markup("<li><strong>%s</strong> (%s): %s</li>")
            % (ground.name, ground.legal_reference or "", explanations[ground.code])
            for ground in grounds
        )
        return Markup("<ul>%s</ul>") % items

    @api.model
    def _complaint_letter(self, professional):
        return self.env._(
            "To: %(professional)s, customer service\n\n"
            "Subject: formal written complaint\n\n"
            "Madam, Sir,\n\n"
            "On [date], I bought [product or service] from you (order or contract "
            "reference: [reference]) for [amount].\n"
            "[Describe the problem precisely, with its dates.]\n\n"
            "I ask you to [repair / replace / refund / perform the service] within "
            "thirty days of this letter.\n\n"
            "Failing a satisfactory answer, I will refer the dispute to the consumer "
            "mediator you have appointed, free of charge for me, and I reserve my "
            "right to go to court.\n\n"
            "Please find attached copies of [invoice, order, exchanges].\n\n"
            "Yours faithfully,\n[Name, address, signature]",
            professional=professional.display_name or self.env._("[professional]"),
        )
