"""The PDF engine reads the style sheets of a document from the files, not
from the web server.

Odoo hands wkhtmltopdf an HTML page that links its style sheets
(``/web/assets/…``) and fonts (``/web/static/…``): wkhtmltopdf asks the web
server for them, while the worker that runs it waits. When every worker of
the server is rendering a PDF (five filers confirming at once, each
confirmation sending an acknowledgement letter), no worker is left to answer
and all of them wait for good: the production rehearsal saw both servers
stop answering for the twenty minutes of Odoo's request time limit. The
style sheets are put in the page, and the files they name are read from the
disk: rendering a PDF needs no free worker."""

import os
import re

from odoo import models
from odoo.tools.misc import file_path

ASSET_LINK = re.compile(r'<link\b[^>]*\bhref="(/web/assets/[^"]+)"[^>]*>')
BUNDLE_NAME = re.compile(r"/web/assets/[^/]+/([\w.]+?)\.min\.css$")
STATIC_URL = re.compile(r"""url\((['"]?)(/\w+/static/[^'")?#]+)([^'")]*)\1\)""")
# The directories of the addons' static files (fonts, images) the inlined
# style sheets name, which wkhtmltopdf may read; nothing else on the disk.
STATIC_DIRS = set()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"  # pylint: disable=consider-merging-classes-inherited

    def _run_wkhtmltopdf(
        self, bodies, report_ref=False, header=None, footer=None, **kwargs
    ):
        inline = self._mediation_inline_assets
        return super()._run_wkhtmltopdf(
            [inline(body) for body in bodies],
            report_ref=report_ref,
            header=inline(header),
            footer=inline(footer),
            **kwargs,
        )

    def _build_wkhtmltopdf_args(self, *args, **kwargs):
        command = super()._build_wkhtmltopdf_args(*args, **kwargs)
        for directory in sorted(STATIC_DIRS):
            command += ["--allow", directory]
        return command

    def _mediation_inline_assets(self, html):
        """``html`` with its linked style sheets in the page, their files
        named by path; a sheet that cannot be found stays linked."""
        if not html:
            return html

        def inline(match):
            css = self._mediation_asset_css(match[1])
            if css is None:
                return match[0]
            return f"<style>{STATIC_URL.sub(_local_url, css)}</style>"

        return ASSET_LINK.sub(inline, html)

    def _mediation_asset_css(self, url):
        """The text of the style sheet served at ``url``, made now if no
        request asked for it yet."""
        Attachment = self.env["ir.attachment"].sudo()
        asset = Attachment.search([("url", "=", url)], limit=1)
        if not asset:
            name = BUNDLE_NAME.search(url)
            if not name:
                return None
            asset = self.env["ir.qweb"]._get_asset_bundle(name[1], js=False).css()[:1]
        return asset.raw.decode() if asset else None


def _local_url(match):
    quote, path, suffix = match[1], match[2], match[3]
    try:
        local = file_path(os.path.normpath(path.lstrip("/")))
    except (FileNotFoundError, ValueError):
        return match[0]
    STATIC_DIRS.add(os.path.dirname(local))
    return f"url({quote}file://{local}{suffix}{quote})"
