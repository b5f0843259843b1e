"""Demo cases: a year of a mediation body's activity, deterministic."""

import random
from datetime import timedelta

from odoo import api, fields, models


class MediationDemo(models.AbstractModel):
    _inherit = "mediation.demo"

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _generate_demo_cases(self, count=1200, seed=42):
        """Deterministic demo cases over the last twelve months, against the
        covered professionals, with the mix the CECMC reports show (about
        half refused, mostly for lack of a written complaint). The legal
        dates are written directly: no letters are sent."""
        rng = random.Random(seed)
        today = fields.Date.context_today(self)
        coverage = self._demo_professionals()
        professionals = list(coverage)
        consumers = self._demo_consumers(rng)
        mediators = self._demo_mediators()
        subjects = self.env["mediation.case.subject"].search([])
        grounds = {g.code: g for g in self.env["mediation.refusal.ground"].search([])}
        vals_list, extensions = [], []
        for index in range(count):
            received = today - timedelta(days=rng.randint(0, 365))
            professional = rng.choice(professionals)
            vals = {
                "date_received": received,
                "consumer_id": rng.choice(consumers).id,
                "professional_id": professional.id,
                "contract_id": coverage[professional].id,
                "is_out_of_coverage": False,
                "mediator_id": rng.choice(mediators).id if mediators else False,
                "subject_id": rng.choice(subjects).id if subjects else False,
                "channel": rng.choice(["web", "web", "web", "email", "post"]),
                "amount": rng.choice([49, 120, 350, 780, 1500, 4200]),
                "date_purchase": received - timedelta(days=rng.randint(30, 300)),
                "date_complaint": received - timedelta(days=rng.randint(5, 120)),
                "date_acknowledged": received,
                "proposal_answer_days": 15,
                "professional_entry_days": 21,
            }
            elapsed = (today - received).days
            if rng.random() < 0.5:
                self._demo_refused(vals, rng, grounds, received, elapsed)
            else:
                ext = self._demo_mediation(vals, rng, received, today)
                if ext:
                    extensions.append((index, ext))
            vals_list.append(vals)
        cases = (
            self.env["mediation.case"]
            .with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
            .create(vals_list)
        )
        self.env["mediation.case.extension"].create(
            [
                {
                    "case_id": cases[index].id,
                    "previous_deadline": cases[index].date_mediation_due,
                    "new_deadline": new_deadline,
                    "reason": "Technical expertise needed.",
                    "date_notified": notified,
                }
                for index, (new_deadline, notified) in extensions
            ]
        )
        return cases

    def _demo_refused(self, vals, rng, grounds, received, elapsed):
        code = rng.choices(
            [
                "no_complaint",
                "late",
                "already_examined",
                "out_of_competence",
                "unfounded",
            ],
            weights=[65, 10, 10, 10, 5],
        )[0]
        if code == "no_complaint":
            vals["date_complaint"] = False
        elif code == "late":
            vals["date_complaint"] = received - timedelta(days=rng.randint(380, 700))
        if elapsed < 10:
            vals["state"] = rng.choice(["received", "review"])
            return
        decided = received + timedelta(days=rng.randint(2, min(elapsed, 20)))
        vals.update(
            {
                "state": "refused",
                "refusal_ground_id": grounds[code].id,
                "date_admissibility_decided": decided,
                "outcome_id": self.env.ref("consumer_mediation.outcome_refused").id,
                "date_outcome": decided,
            }
        )
        # A few refusals are never notified: they show up as overdue.
        if rng.random() > 0.03:
            vals["date_admissibility_notified"] = decided

    def _demo_mediation(self, vals, rng, received, today):
        """Walk an admissible case through the steps whose dates are past;
        returns the (new deadline, notified) of an extension, if any."""

        def day(base, low, high):
            return base + timedelta(days=rng.randint(low, high))

        ref = self.env.ref
        decided = day(received, 3, 15)
        if decided > today:
            vals["state"] = "review"
            return None
        vals.update({"date_admissibility_decided": decided, "state": "admitted"})
        notified = day(decided, 1, 15)
        if notified > today:
            return None
        vals.update(
            {
                "state": "waiting",
                "date_saisine_notified": notified,
                "date_admissibility_notified": notified,
                "date_professional_requested": notified,
            }
        )
        answered = day(notified, 2, 25)
        if answered > today:
            return None
        if rng.random() < 0.12:
            vals.update(
                {
                    "state": "interrupted",
                    "professional_entry": "declined",
                    "date_professional_entry": answered,
                    "outcome_id": ref(
                        "consumer_mediation.outcome_professional_declined"
                    ).id,
                    "date_outcome": answered,
                }
            )
            return None
        vals.update(
            {
                "state": "mediation",
                "professional_entry": "agreed",
                "date_professional_entry": answered,
            }
        )
        extension = None
        if rng.random() < 0.15:
            extended_on = day(notified, 60, 85)
            if extended_on <= today:
                extension = (day(notified, 120, 150), extended_on)
        if rng.random() < 0.06:
            withdrawn = day(answered, 5, 40)
            if withdrawn <= today:
                vals.update(
                    {
                        "state": "interrupted",
                        "outcome_id": ref(
                            "consumer_mediation.outcome_withdrawn_consumer"
                        ).id,
                        "date_outcome": withdrawn,
                    }
                )
            return extension
        proposed = day(answered, 15, 75)
        if proposed > today:
            return extension
        if rng.random() < 0.15:
            vals.update(
                {
                    "state": "closed",
                    "outcome_id": ref("consumer_mediation.outcome_agreement").id,
                    "date_outcome": proposed,
                    "execution": rng.choice(["done", "done", "unknown"]),
                }
            )
            return extension
        vals.update(
            {
                "state": "proposal",
                "proposal_text": "<p>The professional refunds half of the price.</p>",
                # Not drawn from rng: the demo's other draws stay as they were.
                "proposal_favours": ("consumer", "balanced", "balanced")[
                    proposed.day % 3
                ],
                "date_proposal_notified": proposed,
            }
        )
        closed = day(proposed, 3, 20)
        if closed > today:
            return extension
        answers = rng.choices(
            [
                ("accepted", "accepted"),
                ("refused", "accepted"),
                ("accepted", "refused"),
            ],
            weights=[65, 22, 13],
        )[0]
        vals.update(
            {
                "consumer_answer": answers[0],
                "date_consumer_answer": closed,
                "professional_answer": answers[1],
                "date_professional_answer": closed,
                "state": "closed",
                "date_outcome": closed,
            }
        )
        vals["outcome_id"] = ref(
            "consumer_mediation.outcome_accepted_both"
            if answers == ("accepted", "accepted")
            else "consumer_mediation.outcome_refused_consumer"
            if answers[0] == "refused"
            else "consumer_mediation.outcome_refused_professional"
        ).id
        if answers == ("accepted", "accepted"):
            vals["execution"] = rng.choice(["done", "done", "not_done", "unknown"])
            vals["date_execution"] = closed
        return extension

    @api.model
    def _demo_professionals(self):
        """{professional: covering contract}; creates a few covered demo
        companies when no membership exists yet."""
        today = fields.Date.context_today(self)
        contracts = self.env["contract.contract"].search(
            [("mediation_kind", "=", "individual"), ("mediation_state", "=", "active")]
        )
        if not contracts:
            names = ["Meubles Lefort", "Voyages Azur", "Garage du Centre"]
            names += ["Cuisines Martin", "Optique Claire", "Salon Expo Lyon"]
            contracts = self.env["contract.contract"]
            for name in names:
                company = self.env["res.partner"].create(
                    {"name": name, "is_company": True}
                )
                contracts |= self.env["contract.contract"].create(
                    {
                        "name": f"Membership {name}",
                        "partner_id": company.id,
                        "mediation_kind": "individual",
                        "date_start": today - timedelta(days=800),
                        "contract_type": "sale",
                    }
                )
            contracts.action_mediation_activate()
        return {contract.partner_id: contract for contract in contracts}

    @api.model
    def _demo_mediators(self):
        """The mediators, with three demo ones added so the workload and the
        "my cases" rules have something to show."""
        group = self.env.ref("consumer_mediation.group_mediation_user")
        mediators = group.users.filtered(lambda u: not u.share)
        if len(mediators) < 3:
            mediators |= self.env["res.users"].create(
                [
                    {
                        "name": name,
                        "login": f"demo.mediator{index}",
                        "email": f"demo.mediator{index}@example.com",
                        "groups_id": [(4, group.id)],
                    }
                    for index, name in enumerate(
                        ["Claire Fontaine", "Marc Girard", "Sophie Lambert"], 1
                    )
                ]
            )
        return mediators

    @api.model
    def _demo_consumers(self, rng):
        first = ["Camille", "Louis", "Emma", "Hugo", "Léa", "Jules", "Chloé", "Lucas"]
        last = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit"]
        last += ["Durand", "Leroy", "Moreau"]
        names = [f"{f} {n}" for f in first for n in last]
        rng.shuffle(names)
        return self.env["res.partner"].create(
            [
                {"name": name, "email": f"demo.consumer{index}@example.com"}
                for index, name in enumerate(names)
            ]
        )
