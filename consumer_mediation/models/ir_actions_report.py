import io

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from odoo import models
from odoo.exceptions import AccessError
from odoo.tools.pdf import PdfFileReader, PdfFileWriter, merge_pdf

from .mediation_case import LETTERS

# Bitstream Vera ships with reportlab: always there, and embedded in the PDF.
PAGE_NUMBER_FONT = "Vera"
LETTER_PREFIX = "consumer_mediation.report_case_"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # ------------------------------------------------------------------
    # Who may print a letter: the audience rule, whatever the route
    # (/report/pdf|html|text, /report/download, the portal, the Print menu)
    # ------------------------------------------------------------------
    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        reader = self._mediation_letter_reader(report_ref, res_ids)
        return super(IrActionsReport, reader)._render_qweb_pdf(
            report_ref, res_ids=res_ids, data=data
        )

    def _render_qweb_html(self, report_ref, docids, data=None):
        reader = self._mediation_letter_reader(report_ref, docids)
        return super(IrActionsReport, reader)._render_qweb_html(
            report_ref, docids, data=data
        )

    def _render_qweb_text(self, report_ref, docids, data=None):
        reader = self._mediation_letter_reader(report_ref, docids)
        return super(IrActionsReport, reader)._render_qweb_text(
            report_ref, docids, data=data
        )

    def _mediation_letter_step(self, report_ref):
        """The step of a letter report of a case, else None."""
        report = self._get_report(report_ref)
        if report.model != "mediation.case" or not report.report_name.startswith(
            LETTER_PREFIX
        ):
            return None
        return report.report_name.removeprefix(LETTER_PREFIX)

    def _mediation_letter_reader(self, report_ref, res_ids):
        """The report model to render a letter with, once its reader was
        checked: only who may read the case, and only in the copies addressed
        to a side whose audience the reader sees (a letter is posted in its
        recipient's side's thread, mediation_case_audience.py). The team
        prints as itself what its audiences allow (``_letter_team_may_print``:
        no refusal letter, with its note, for the secretariat). A party
        renders in sudo its own sides' copies only: its sides go in the
        context, overwritten for every caller (a caller's context never
        chooses them). Server code (sudo) is trusted."""
        step = (
            None
            if self.env.su or not res_ids
            else self._mediation_letter_step(report_ref)
        )
        if not step:
            return self
        cases = self.env["mediation.case"].browse(
            [res_ids] if isinstance(res_ids, int) else res_ids
        )
        cases.check_access("read")
        if self.env.user._is_internal():
            if not cases._letter_team_may_print(step):
                raise AccessError(
                    self.env._("Only the mediators print this letter of a case.")
                )
            return self.with_context(mediation_letter_sides=None)
        partner = self.env.user.partner_id
        sides = {}
        for case in cases:
            sides[case.id] = sorted(
                case._mediation_sides(partner) & set(LETTERS[step][1])
            )
            if not sides[case.id]:
                raise AccessError(
                    self.env._("This letter is not addressed to your side of the case.")
                )
        return self.sudo().with_context(
            mediation_letter_sides=sides, letter_recipient_id=False
        )

    def _mediation_readable_letters(self, case, documents):
        """The kept ``documents`` of ``case`` its reader may get: those posted
        in an audience it sees (the rule of ir.attachment for the team, the
        sides checked by ``_mediation_letter_reader`` for a party)."""
        if not self.env.su:
            hidden = self.env["ir.attachment"]._mediation_hidden_ids(documents.ids)
            return documents.filtered(lambda d: d.id not in hidden)
        sides = (self.env.context.get("mediation_letter_sides") or {}).get(case.id)
        if sides is None:
            return documents
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", case._name),
                    ("res_id", "=", case.id),
                    ("attachment_ids", "in", documents.ids),
                    ("mediation_audience", "in", sides),
                ]
            )
        )
        return documents & messages.attachment_ids

    def _pre_render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # Letters already sent print as kept, without wkhtmltopdf: also in
        # test mode, where Odoo would render HTML instead.
        if isinstance(res_ids, int):
            res_ids = [res_ids]
        kept = self._mediation_kept_letters(self._get_report(report_ref), res_ids)
        if kept and len(kept) == len(set(res_ids)):
            return {res_id: kept[res_id] for res_id in res_ids}, "pdf"
        return super()._pre_render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report = self._get_report(report_ref)
        kept = self._mediation_kept_letters(report, res_ids)
        missing = [res_id for res_id in res_ids or [] if res_id not in kept]
        streams = {}
        if missing or not res_ids:
            streams = self._mediation_prepare_streams_one_by_one(
                report_ref, data, missing
            )
            if report.get_paperformat().mediation_page_numbers:
                for values in streams.values():
                    if values["stream"] and not values["attachment"]:
                        values["stream"] = _stamp_page_numbers(values["stream"])
        if not kept:
            return streams
        # In the order asked; a rendering Odoo could not split stays last.
        ordered = {}
        for res_id in res_ids:
            if res_id in kept:
                ordered[res_id] = kept[res_id]
            elif res_id in streams:
                ordered[res_id] = streams.pop(res_id)
        ordered.update(streams)
        return ordered

    # ------------------------------------------------------------------
    # One document per wkhtmltopdf run
    # ------------------------------------------------------------------
    # Debian's wkhtmltopdf (unpatched Qt) refuses more than one input
    # document: it writes no PDF and Odoo fails reading an empty file. Any
    # print of several records (two invoices, two letters) or of one record
    # with several documents (a letter to both parties) is rendered one
    # document at a time and merged.
    def _mediation_prepare_streams_one_by_one(self, report_ref, data, res_ids):
        """Odoo's streams of ``res_ids``, one rendering per record; Odoo's own
        path for no record or repeated records (one PDF for all of them)."""
        if not res_ids or len(set(res_ids)) != len(res_ids) or len(res_ids) == 1:
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        streams = {}
        for res_id in res_ids:
            streams.update(
                super()._render_qweb_pdf_prepare_streams(
                    report_ref, dict(data or {}), res_ids=[res_id]
                )
            )
        return streams

    def _run_wkhtmltopdf(self, bodies, report_ref=False, **kwargs):
        if len(bodies) < 2:
            return super()._run_wkhtmltopdf(bodies, report_ref=report_ref, **kwargs)
        return merge_pdf(
            [
                super(IrActionsReport, self)._run_wkhtmltopdf(
                    [body], report_ref=report_ref, **kwargs
                )
                for body in bodies
            ]
        )

    def _mediation_kept_letters(self, report, res_ids):
        """{case id: stream} of the letters of ``report`` already sent: a
        reprint gives the documents sent, not a new rendering. Nothing when
        a letter is being rendered for sending."""
        if (
            report.model != "mediation.case"
            or not res_ids
            or self.env.context.get("letter_recipient_id")
        ):
            return {}
        step = report.report_name.removeprefix(LETTER_PREFIX)
        kept = {}
        cases = self.env["mediation.case"].browse(res_ids)
        # The kept documents are read without rendering the case: check the
        # access the rendering would have checked.
        cases.check_access("read")
        for case in cases:
            # Letters sent while Odoo renders HTML (test mode) are not PDFs.
            documents = self._mediation_readable_letters(
                case, case._letter_kept(step)
            ).filtered(lambda d: d.mimetype == "application/pdf")
            if len(documents) == 1:
                # The very bytes sent.
                kept[case.id] = {
                    "stream": io.BytesIO(documents.raw),
                    "attachment": None,
                }
            elif documents:
                writer = PdfFileWriter()
                for document in documents:
                    reader = PdfFileReader(io.BytesIO(document.raw), strict=False)
                    for page in range(reader.getNumPages()):
                        writer.addPage(reader.getPage(page))
                stream = io.BytesIO()
                writer.write(stream)
                kept[case.id] = {"stream": stream, "attachment": None}
        return kept


def _stamp_page_numbers(stream):
    """Write "page / pages" at the bottom centre of each page."""
    if PAGE_NUMBER_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(PAGE_NUMBER_FONT, "Vera.ttf"))
    reader = PdfFileReader(stream, strict=False)
    total = reader.getNumPages()
    packet = io.BytesIO()
    # The numbers font from the start: no unembedded Helvetica declared.
    numbers = canvas.Canvas(packet, initialFontName=PAGE_NUMBER_FONT, initialFontSize=8)
    for index in range(total):
        box = reader.getPage(index).mediaBox
        width, height = float(box.getWidth()), float(box.getHeight())
        numbers.setPageSize((width, height))
        numbers.setFont(PAGE_NUMBER_FONT, 8)
        numbers.drawCentredString(width / 2, 9 * mm, f"{index + 1} / {total}")
        numbers.showPage()
    numbers.save()
    stamps = PdfFileReader(packet)
    writer = PdfFileWriter()
    for index in range(total):
        page = reader.getPage(index)
        page.mergePage(stamps.getPage(index))
        writer.addPage(page)
    stamped = io.BytesIO()
    writer.write(stamped)
    return stamped
