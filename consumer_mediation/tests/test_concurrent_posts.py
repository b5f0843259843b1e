"""Two requests at once on one case do not give a party an error page: the
second, which cannot see what the first committed, is retried by Odoo on a
fresh snapshot (production rehearsal, docs/production.md)."""

from unittest.mock import patch

import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MediationCaseCommon


@tagged("post_install", "-at_install")
class TestMediationConcurrentPosts(MediationCaseCommon):
    def test_follower_added_meanwhile_makes_odoo_retry(self):
        """The consumer posts twice at once (two tabs): each request
        subscribes them; the second finds the follower the first committed."""
        case = self._case_in("mediation")
        case.sudo().message_unsubscribe(partner_ids=self.consumer.ids)
        Followers = type(self.env["mail.followers"])
        create = Followers.create

        def create_after_the_other_request(followers, vals_list):
            # The other request's follower, committed meanwhile.
            followers.env.cr.execute(
                "INSERT INTO mail_followers (res_model, res_id, partner_id)"
                " VALUES ('mediation.case', %s, %s)",
                [case.id, self.consumer.id],
            )
            return create(followers, vals_list)

        with (
            patch.object(Followers, "create", create_after_the_other_request),
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.SerializationFailure) as caught,
        ):
            case.sudo()._message_subscribe(partner_ids=self.consumer.ids)
        self.assertEqual(caught.exception.pgcode, "40001")
        # Retried: the follower is there once.
        case.sudo()._message_subscribe(partner_ids=self.consumer.ids)
        self.assertEqual(
            case.message_follower_ids.filtered(
                lambda follower: follower.partner_id == self.consumer
            ).partner_id,
            self.consumer,
        )
