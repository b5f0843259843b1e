"""Demo cases: a year of a mediation body's activity, deterministic."""

import random
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models

from .mediation_case import FINAL_STATES, OPEN_STATES, RUNNING_CLOCK_DOMAIN
from .mediation_demo import in_french

# Portal demo users (consumer, member company contact).
DEMO_PORTAL_LOGINS = ("consommateur", "professionnel")
# Demo content is French: it is what a French body's cases contain.
DESCRIPTIONS = {
    "delivery": [
        (
            "J'ai commandé un canapé livrable sous trois semaines. Deux mois plus "
            "tard, il n'est toujours pas livré malgré mes relances écrites. Je "
            "demande la livraison ou le remboursement de l'acompte."
        ),
        (
            "Le colis a été déclaré livré mais je ne l'ai jamais reçu. Le vendeur "
            "refuse de me rembourser."
        ),
    ],
    "defect": [
        (
            "Le lave-linge acheté en magasin fuit depuis la première utilisation. "
            "Le technicien envoyé par le vendeur n'a rien réparé."
        ),
        (
            "Les fenêtres posées en début d'année laissent passer l'eau. "
            "L'entreprise ne répond plus à mes courriers."
        ),
    ],
    "warranty": [
        (
            "Mon téléphone est tombé en panne après huit mois. Le vendeur refuse "
            "la garantie légale de conformité et me renvoie vers le fabricant."
        ),
        "La réparation sous garantie de ma voiture m'a été facturée.",
    ],
    "billing": [
        (
            "La facture finale des travaux dépasse le devis signé de 900 € sans "
            "que j'aie accepté de supplément."
        ),
        (
            "Des frais de dossier qui ne figuraient pas dans le contrat ont été "
            "prélevés sur mon compte."
        ),
    ],
    "contract": [
        (
            "J'ai résilié mon abonnement dans les délais, mais les prélèvements "
            "continuent depuis trois mois."
        ),
        (
            "Le voyage a été modifié par l'agence deux jours avant le départ ; "
            "elle refuse de me rembourser la différence."
        ),
    ],
    "service": [
        (
            "La prestation de nettoyage a été bâclée et le prestataire refuse de "
            "revenir."
        ),
        "Le déménageur a abîmé plusieurs meubles et conteste sa responsabilité.",
    ],
    "other": [
        (
            "Le professionnel ne répond plus à mes réclamations écrites depuis "
            "plusieurs semaines."
        ),
    ],
}
PROPOSALS = [
    (
        "Le professionnel rembourse la moitié du prix payé dans les quinze jours "
        "suivant l'acceptation de la proposition ; le consommateur renonce à toute "
        "autre demande pour ce litige."
    ),
    (
        "Le professionnel remplace l'appareil par un modèle neuf équivalent, livré "
        "et installé à ses frais dans un délai d'un mois."
    ),
    (
        "Le professionnel accorde un avoir de 20 % du montant de la commande, "
        "valable un an, et reprend le produit à ses frais."
    ),
    (
        "Le professionnel reprend les travaux défectueux dans un délai d'un mois ; "
        "le consommateur règle le solde de la facture à leur achèvement."
    ),
]
PROFESSIONAL_ANSWERS = {
    "agreed": "Nous acceptons d'entrer en médiation et vous adressons les "
    "pièces du dossier (bon de commande, échanges avec le client).",
    "declined": "Nous ne souhaitons pas entrer en médiation : nous estimons "
    "avoir répondu à la réclamation de notre client.",
}
MEDIATOR_NOTES = [
    (
        "Échange téléphonique avec le consommateur : il maintient sa demande et "
        "transmet les photos des dommages."
    ),
    (
        "Pièces complémentaires demandées au professionnel (contrat signé, "
        "conditions générales de vente)."
    ),
    (
        "Le professionnel propose un geste commercial ; à soumettre au "
        "consommateur avant la proposition de solution."
    ),
]


class MediationDemo(models.AbstractModel):
    _inherit = "mediation.demo"

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    @in_french
    def _generate_demo_cases(self, count=1200, seed=42):
        """Deterministic demo cases over the last twelve months, against the
        covered professionals, with the mix the CECMC reports show (about
        half refused, mostly for lack of a written complaint). The legal
        dates are written directly: no letters are sent."""
        if self.env.lang and self.env.lang != "en_US":
            # Letters, state changes and reminders are written with the
            # addon's terms, otherwise loaded only after its demo data.
            self.env["ir.module.module"]._load_module_terms(
                ["consumer_mediation"], [self.env.lang]
            )
        rng = random.Random(seed)
        texts = random.Random(seed + 1)
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
            subject = rng.choice(subjects) if subjects else subjects
            description = texts.choice(
                DESCRIPTIONS.get(subject.code, DESCRIPTIONS["other"])
            )
            vals = {
                "date_received": received,
                "description": f"<p>{description}</p>",
                "consumer_id": rng.choice(consumers).id,
                "professional_id": professional.id,
                "industry_id": professional.industry_id.id,
                "contract_id": coverage[professional].id,
                "is_out_of_coverage": False,
                "mediator_id": rng.choice(mediators).id if mediators else False,
                "subject_id": subject.id,
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
                if vals.get("date_proposal_notified"):
                    vals["proposal_text"] = f"<p>{texts.choice(PROPOSALS)}</p>"
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
                    "reason": "Expertise technique nécessaire.",
                    "date_notified": notified,
                }
                for index, (new_deadline, notified) in extensions
            ]
        )
        self._demo_history(cases, texts)
        self._demo_incomplete_files(cases, today)
        self._demo_activities(cases, texts, today)
        self._demo_portal_users(cases)
        return cases

    @api.model
    def _demo_portal_users(self, cases):
        """Portal logins for the parties of a case awaiting their answer to a
        proposal: its consumer, and a contact of its professional (who also
        sees the member's information kit). Each password is the login."""
        case = cases.filtered(lambda c: c.state == "proposal")[:1]
        Users = self.env["res.users"].with_context(no_reset_password=True)
        if not case or Users.search_count([("login", "in", DEMO_PORTAL_LOGINS)]):
            return
        contact = self.env["res.partner"].create(
            {
                "name": "Pauline Girard",
                "parent_id": case.professional_id.id,
                "email": "pauline.girard@example.com",
                "function": "Responsable du service clients",
            }
        )
        portal = self.env.ref("base.group_portal")
        Users.create(
            [
                {
                    "login": login,
                    "password": login,
                    "partner_id": partner.id,
                    "groups_id": [Command.set(portal.ids)],
                    "tz": "Europe/Paris",
                }
                for login, partner in zip(
                    DEMO_PORTAL_LOGINS, case.consumer_id | contact, strict=True
                )
            ]
        )

    @api.model
    def _demo_showcase(self, cases):
        """The cases given a chatter history: up to eight of each running
        state and the twelve last finished ones, enough to show every kind of
        history while the demo installs quickly."""
        showcase = self.env["mediation.case"]
        for state in OPEN_STATES:
            showcase |= cases.filtered(lambda c, s=state: c.state == s)[:8]
        finished = cases.filtered(lambda c: c.state in FINAL_STATES)
        return showcase | finished.sorted("date_outcome", reverse=True)[:12]

    @api.model
    def _demo_history(self, cases, texts):
        """The chatter of the showcase cases as the year made it: the letters
        sent, the state changes, the professional's answer and the mediator's
        notes, each on its date. Written as messages (no e-mail goes out)."""
        cases = self._demo_showcase(cases)
        letters = {
            step: self.env.ref(
                f"consumer_mediation.mail_template_case_{step}"
            )._generate_template(cases.ids, ("subject", "body_html"))
            for step in ("acknowledgement", "refusal", "saisine", "proposal")
        }
        state_info = cases.fields_get(["state"])["state"]
        Tracking = self.env["mail.tracking.value"]
        note = self.env.ref("mail.mt_note").id
        comment = self.env.ref("mail.mt_comment").id
        vals_list = []

        def post(case, day, body="", author=None, **vals):
            vals_list.append(
                {
                    "model": case._name,
                    "res_id": case.id,
                    "date": datetime.combine(day, time(9 + len(vals_list) % 8)),
                    "author_id": (author or case.mediator_id.partner_id).id,
                    "body": body,
                    "message_type": "comment",
                    "subtype_id": note,
                    **vals,
                }
            )

        def letter(case, step, day, recipients):
            rendered = letters[step][case.id]
            post(
                case,
                day,
                rendered["body_html"],
                subject=rendered["subject"],
                subtype_id=comment,
                partner_ids=[Command.set(recipients.ids)],
            )

        def track(case, day, old, new):
            post(
                case,
                day,
                message_type="notification",
                tracking_value_ids=[
                    Command.create(
                        Tracking._create_tracking_values(
                            old, new, "state", state_info, case
                        )
                    )
                ],
            )

        for case in cases:
            consumer, professional = case.consumer_id, case.professional_id
            letter(case, "acknowledgement", case.date_received, consumer)
            decided = case.date_admissibility_decided
            if not decided:
                if case.state == "review":
                    track(case, case.date_received, "received", "review")
                continue
            if case.state == "refused":
                track(case, decided, "received", "refused")
                if case.date_admissibility_notified:
                    letter(case, "refusal", case.date_admissibility_notified, consumer)
                continue
            track(case, decided, "received", "admitted")
            if not case.date_saisine_notified:
                continue
            letter(case, "saisine", case.date_saisine_notified, consumer | professional)
            track(case, case.date_saisine_notified, "admitted", "waiting")
            entry = case.date_professional_entry
            if not entry:
                continue
            post(
                case,
                entry,
                f"<p>{PROFESSIONAL_ANSWERS[case.professional_entry]}</p>",
                author=professional,
                subtype_id=comment,
            )
            if case.professional_entry == "declined":
                track(case, entry, "waiting", "interrupted")
                continue
            track(case, entry, "waiting", "mediation")
            noted = entry + timedelta(days=texts.randint(3, 12))
            if noted <= (case.date_proposal_notified or fields.Date.today()):
                post(case, noted, f"<p>{texts.choice(MEDIATOR_NOTES)}</p>")
            if case.date_proposal_notified:
                letter(
                    case,
                    "proposal",
                    case.date_proposal_notified,
                    consumer | professional,
                )
                track(case, case.date_proposal_notified, "mediation", "proposal")
            if case.state in FINAL_STATES:
                previous = "proposal" if case.date_proposal_notified else "mediation"
                track(case, case.date_outcome, previous, case.state)
        self.env["mail.message"].create(vals_list)

    @api.model
    def _demo_incomplete_files(self, cases, today):
        """A few new cases whose file waits for documents asked from the
        consumer two days after receipt: their refusal clock has not started
        (no letter is sent)."""
        document_types = self.env["mediation.document.type"].search([], limit=2)
        # Recent enough that the daily check neither reminds nor closes them.
        incomplete = cases.filtered(
            lambda c: (
                c.state == "received" and 2 <= (today - c.date_received).days <= 12
            )
        )[:3]
        for case in incomplete:
            case._file_step().write(
                {
                    "document_type_ids": [Command.set(document_types.ids)],
                    "date_documents_requested": case.date_received + timedelta(days=2),
                    "documents_requested_by_id": case.mediator_id.id,
                    "date_file_complete": False,
                }
            )

    @api.model
    def _demo_activities(self, cases, texts, today):
        """The mediators' work to do: the deadline reminders the daily check
        schedules, and a few checks and calls of their own."""
        cases = cases.filtered("mediator_id")
        running = cases.filtered_domain(RUNNING_CLOCK_DOMAIN)
        running._remind_mediators(today)
        model_id = self.env["ir.model"]._get_id("mediation.case")
        check = self.env.ref("consumer_mediation.mail_activity_type_file_check")
        call = self.env.ref("mail.mail_activity_data_call")
        # Done when the file goes to the review: only the cases not there yet.
        vals_list = [
            {
                "activity_type_id": check.id,
                "summary": "Vérifier que le dossier est complet",
                "date_deadline": case.date_received + timedelta(days=5),
                "res_model_id": model_id,
                "res_id": case.id,
                "user_id": case.mediator_id.id,
            }
            for case in running.filtered(lambda c: c.state == "received")
        ]
        vals_list += [
            {
                "activity_type_id": call.id,
                "summary": "Faire le point avec le professionnel",
                "date_deadline": today + timedelta(days=texts.randint(1, 10)),
                "res_model_id": model_id,
                "res_id": case.id,
                "user_id": case.mediator_id.id,
            }
            for case in running.filtered(lambda c: c.state == "mediation")[::3]
        ]
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            vals_list
        )

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
        # Most mediations end within the 90 days, some drag on (as the
        # national averages do): those are late.
        proposed = day(answered, 15, 75 if rng.random() < 0.75 else 180)
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
                        "name": f"Adhésion {name}",
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
                {
                    "name": name,
                    "email": f"demo.consumer{index}@example.com",
                    "lang": self.env.lang or "en_US",
                }
                for index, name in enumerate(names)
            ]
        )
