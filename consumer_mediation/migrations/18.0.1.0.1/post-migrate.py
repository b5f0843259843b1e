"""Refusal grounds are noupdate data: give the existing databases the
curable flag of 1° and the explanation of 5° that covers all its cases."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.ref("consumer_mediation.ground_no_complaint").curable = True
    env.ref("consumer_mediation.ground_out_of_competence").with_context(
        lang="en_US"
    ).explanation = (
        "The dispute is outside the mediator's field of competence: the "
        "professional has not appointed this mediator, or the dispute is outside "
        "the sector or the field of disputes the mediator declared."
    )
