"""A document that cannot be written whole to the filestore (a full disk) is
refused: no row without its file, no truncated file left for the next
document of the same content (the production rehearsal's full-disk fault).
Odoo's filestore clean-up never removes the file of a document being
stored (a filed document lost its file so in the rehearsal)."""

import errno
import os
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

CONTENT = b"%PDF-1.4 justificatif " + os.urandom(4000)


def _open_on_full_disk(path, mode="r", *args, **kwargs):
    """open() of a disk that fills up half-way through a written file."""
    handle = open(path, mode, *args, **kwargs)  # noqa: SIM115
    if "w" not in mode:
        return handle
    real_write = handle.write

    def write(data):
        real_write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    handle.write = write
    return handle


@tagged("post_install", "-at_install")
class TestMediationFilestoreFull(TransactionCase):
    def test_full_disk_refuses_the_document_and_leaves_no_truncated_file(self):
        Attachment = self.env["ir.attachment"]
        fname, full_path = Attachment._get_path(
            CONTENT, Attachment._compute_checksum(CONTENT)
        )
        self.assertFalse(os.path.exists(full_path))
        count = Attachment.search_count([])
        with (
            patch(
                "odoo.addons.base.models.ir_attachment.open",
                _open_on_full_disk,
                create=True,
            ),
            mute_logger("odoo.addons.base.models.ir_attachment"),
            self.assertRaisesRegex(UserError, "no room left"),
        ):
            Attachment.create({"name": "justificatif.pdf", "raw": CONTENT})
        self.assertEqual(Attachment.search_count([]), count)
        self.assertFalse(os.path.exists(full_path), "no truncated file left")
        # Room again: the same content is stored whole.
        document = Attachment.create({"name": "justificatif.pdf", "raw": CONTENT})
        self.assertEqual(document.store_fname, fname)
        self.assertEqual(document.raw, CONTENT)


@tagged("post_install", "-at_install")
class TestMediationFilestoreCleanUp(TransactionCase):
    def test_clean_up_meanwhile_keeps_the_file_of_a_document_being_stored(self):
        """The clean-up runs, in another worker, between the moment a new
        document's file is written and the moment its row is inserted."""
        Attachment = self.env["ir.attachment"]
        content = b"%PDF-1.4 piece jointe " + os.urandom(4000)
        checksum = Attachment._compute_checksum(content)
        fname = Attachment._file_write(content, checksum)
        full_path = Attachment._full_path(fname)
        with self.registry.cursor() as cr, mute_logger("odoo.sql_db"):
            # Odoo's daily clean-up, as its cron runs it: it waits for the
            # lock a few seconds, then gives up until its next run.
            api.Environment(cr, SUPERUSER_ID, {})["ir.attachment"]._gc_file_store()
        self.assertTrue(os.path.exists(full_path), "the file is still there")
        document = Attachment.create({"name": "piece.pdf", "raw": content})
        self.assertEqual(document.store_fname, fname)
        self.assertEqual(document.raw, content)
