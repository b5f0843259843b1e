"""Reading a member's page for the compliance scan: its visible text, the
link to its terms and conditions, and the mediator's details in it.

Text is compared folded (accents off, case-insensitive, any run of
punctuation or spaces as one space), so "Médiation Conso - Demo" matches
"MEDIATION CONSO DEMO"; excerpts are taken from the page's own text.
"""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

EXCERPT_CHARS = 120
# Words of a link to the terms and conditions, folded, best first.
TERMS_LINK_WORDS = (
    "conditions generales de vente",
    "cgv",
    "conditions generales",
    "mentions legales",
)
TERMS_HREF_WORDS = ("cgv", "conditions-generales", "mentions-legales")


def fold(text):
    """``text`` folded, and for each folded character the index of the
    original character it comes from."""
    folded, origin = [], []
    space = True
    for index, char in enumerate(text):
        base = "".join(
            c
            for c in unicodedata.normalize("NFKD", char)
            if not unicodedata.combining(c)
        ).casefold()
        if not base.isalnum():
            if space:
                continue
            base = " "
        space = base == " "
        folded.extend(base)
        origin.extend([index] * len(base))
    return "".join(folded), origin


def _domain(url):
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.")


@dataclass
class Reading:
    text: str
    links: list  # (absolute URL, folded link text)

    @classmethod
    def of(cls, page_html, base_url):
        # lxml refuses text that declares its own encoding (XHTML).
        page_html = re.sub(r"^\s*<\?xml[^>]*>", "", page_html)
        try:
            document = html.document_fromstring(page_html)
        except (etree.ParserError, ValueError):
            return cls("", [])
        for element in document.xpath("//script|//style|//noscript|//template"):
            element.drop_tree()
        links = []
        for anchor in document.xpath("//a[@href]"):
            href = anchor.get("href").strip()
            label = " ".join([anchor.text_content(), anchor.get("title") or ""])
            links.append((urljoin(base_url, href), fold(label)[0]))
        return cls(" ".join(document.text_content().split()), links)

    def terms_url(self):
        """The link to the terms and conditions, CGV first, else None."""
        candidates = [
            (url, label)
            for url, label in self.links
            if urlsplit(url).scheme in ("http", "https")
        ]
        for word in TERMS_LINK_WORDS:
            for url, label in candidates:
                if f" {word} " in f" {label} ":
                    return url
        for word in TERMS_HREF_WORDS:
            for url, _label in candidates:
                if word in urlsplit(url).path.lower():
                    return url
        return None

    def mention(self, mediator_name, mediator_urls):
        """(name found, address found, excerpt around the name or the
        address, else "")."""
        folded, origin = fold(self.text)
        excerpt = ""
        name = fold(mediator_name or "")[0].strip()
        name_at = folded.find(name) if name else -1
        if name_at >= 0:
            excerpt = self._excerpt(origin, name_at, len(name))
        domains = {_domain(url) for url in mediator_urls if url} - {""}
        address_found = any(
            _domain(url) == domain or _domain(url).endswith(f".{domain}")
            for url, _label in self.links
            for domain in domains
        )
        for domain in domains:
            folded_domain = fold(domain)[0].strip()
            at = folded.find(folded_domain)
            if at >= 0:
                address_found = True
                excerpt = excerpt or self._excerpt(origin, at, len(folded_domain))
        return name_at >= 0, address_found, excerpt

    def _excerpt(self, origin, start, length):
        first = origin[start]
        last = origin[start + length - 1] + 1
        begin = max(0, first - EXCERPT_CHARS)
        end = min(len(self.text), last + EXCERPT_CHARS)
        return (
            ("…" if begin else "")
            + self.text[begin:end]
            + ("…" if end < len(self.text) else "")
        )
