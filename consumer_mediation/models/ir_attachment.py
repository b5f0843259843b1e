import contextlib
import os

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError


class IrAttachment(models.Model):
    """A document posted in a case's exchanges follows the audience of its
    message (mediation_case_audience.py), for the internal users who may read
    the case but not every audience of it (the secretariat): reading the case
    is not enough to read what a party confided to the mediator alone."""

    _inherit = "ir.attachment"

    @api.model
    def _file_write(self, bin_value, checksum):
        """Odoo logs a failed write to the filestore (a full disk) and goes
        on: the row is stored without its file, or with a truncated one that
        every later document of the same content then shares, since the file
        exists (seen in the production rehearsal). Write a truncated file
        again; if it still cannot be written whole, remove it and refuse, so
        that the transaction rolls back and nothing is half-stored."""
        fname = super()._file_write(bin_value, checksum)
        full_path = self._full_path(fname)
        for attempt in range(2):
            with contextlib.suppress(OSError):
                if os.path.getsize(full_path) == len(bin_value):
                    return fname
            with contextlib.suppress(OSError):
                os.unlink(full_path)
            if not attempt:
                fname = super()._file_write(bin_value, checksum)
        raise UserError(
            _(
                "The document could not be stored: the server has no room left "
                "for it. Nothing was saved; please try again later."
            )
        )

    @api.model
    def _mediation_hidden_ids(self, ids):
        """The ids among ``ids`` of case documents whose messages the
        environment's user may not see."""
        domain = self.env["mediation.case"]._mediation_message_domain()
        if not domain or not ids:
            return set()
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [("model", "=", "mediation.case"), ("attachment_ids", "in", list(ids))]
            )
        )
        visible = messages.filtered_domain(domain)
        return set((messages.attachment_ids - visible.attachment_ids).ids) & set(ids)

    def check(self, mode, values=None):
        result = super().check(mode, values=values)
        if not self.env.is_superuser() and self._mediation_hidden_ids(self.ids):
            raise AccessError(_("Sorry, you are not allowed to access this document."))
        return result

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        query = super()._search(domain, offset, limit, order)
        if self.env.is_superuser():
            return query
        ids = list(query)
        hidden = self._mediation_hidden_ids(ids)
        if not hidden:
            return query
        return self.browse([id_ for id_ in ids if id_ not in hidden])._as_query(order)
