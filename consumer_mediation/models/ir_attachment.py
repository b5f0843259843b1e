import contextlib
import os

from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError, UserError

# What makes a document of a case: its content and the record it belongs to.
EVIDENCE_FIELDS = {
    "name",
    "datas",
    "raw",
    "db_datas",
    "store_fname",
    "url",
    "type",
    "mimetype",
    "checksum",
    "res_model",
    "res_id",
    "res_field",
}


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
        that the transaction rolls back and nothing is half-stored.

        Odoo's filestore clean-up (``_gc_file_store``) locks the table and
        removes each file of its checklist that no row names: a file written
        (or found already there) before this transaction inserts its row is
        one, and a filed document lost its file so in the rehearsal. Taking
        the lock that insert takes, before the file, makes a running
        clean-up finish first and keeps the next one waiting until this
        transaction ends, its row committed or its file left to collect."""
        self.env.cr.execute("LOCK TABLE ir_attachment IN ROW EXCLUSIVE MODE")
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

    def _mediation_case_documents(self):
        """The documents of a case (drafts of the portal's form excepted:
        they are read with their token until they join their case). Read
        without prefetching: what sudo puts in the cache, a later read as
        the user would get without an access check."""
        return (
            self.sudo()
            .with_context(prefetch_fields=False)
            .filtered(lambda a: a.res_model == "mediation.case" and a.res_id)
        )

    def generate_access_token(self):
        # A case's documents are read with the reader's own rights (the
        # audience rule), never with a token anyone holding it could replay.
        documents = self._mediation_case_documents()
        tokens = iter(super(IrAttachment, self - documents).generate_access_token())
        return [False if a in documents else next(tokens) for a in self]

    def validate_access(self, access_token):
        if access_token and self._mediation_case_documents():
            # Tokens handed out before do not widen the holder's rights: the
            # holder reads with its own, the audience rule included.
            self.check("read")
            access_token = None
        return super().validate_access(access_token)

    def check(self, mode, values=None):
        result = super().check(mode, values=values)
        if not self.env.is_superuser() and self._mediation_hidden_ids(self.ids):
            raise AccessError(_("Sorry, you are not allowed to access this document."))
        return result

    def _mediation_check_evidence_kept(self, values=None):
        """The documents of a case are proof (the letters sent, whose SHA-256
        is in the decision log) and evidence (what the parties filed): no
        user deletes or replaces them, whatever the route (the chatter's
        trash icon, /mail/attachment/delete, JSON-RPC; all of them in sudo
        keep the user). Only the retention job removes them, as the
        superuser, when the case is anonymised (mediation_retention.py)."""
        if self.env.uid == SUPERUSER_ID:
            return
        if values is not None and not EVIDENCE_FIELDS & set(values):
            return
        if any(
            attachment.res_model == "mediation.case" and attachment.res_id
            for attachment in self.sudo()
        ):
            raise AccessError(
                _(
                    "The letters and documents of a case are kept as proof: "
                    "they cannot be deleted or replaced. They are removed "
                    "with the case's data at the end of its retention period."
                )
            )

    def write(self, vals):
        self._mediation_check_evidence_kept(vals)
        return super().write(vals)

    def unlink(self):
        self._mediation_check_evidence_kept()
        return super().unlink()

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
