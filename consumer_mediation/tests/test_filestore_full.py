"""A document that cannot be written whole to the filestore (a full disk) is
refused: no row without its file, no truncated file left for the next
document of the same content (the production rehearsal's full-disk fault)."""

import errno
import os
from unittest.mock import patch

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
