"""Reading a member's page for the compliance scan: its visible text, the
link to its terms and conditions, and the mediator's details in it.

Text is compared folded (accents off, case-insensitive, punctuation as
spaces, any run of spaces between words), so "Médiation Conso - Demo" matches
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


class _FoldTable(dict):
    """str.translate table, filled as characters are met: each character
    becomes one (its base letter, lower case) or a space, so a folded text
    keeps the positions of the original."""

    def __missing__(self, code):
        char = chr(code)
        base = "".join(
            c
            for c in unicodedata.normalize("NFKD", char)
            if not unicodedata.combining(c)
        ).casefold()
        if len(base) != 1:
            base = char.lower() if len(char.lower()) == 1 else char
        folded = base if base.isalnum() else " "
        self[code] = folded
        return folded


FOLD_TABLE = _FoldTable()


def fold(text):
    """``text`` without accents, case or punctuation, same length."""
    return text.translate(FOLD_TABLE)


def _pattern(text):
    """What finds ``text`` in a folded text, whatever spaces or
    punctuation separate its words; None for a text without words."""
    words = fold(text).split()
    return re.compile(r"\s+".join(map(re.escape, words))) if words else None


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
            links.append((urljoin(base_url, href), " ".join(fold(label).split())))
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
        folded = fold(self.text)
        pattern = _pattern(mediator_name or "")
        name_match = pattern.search(folded) if pattern else None
        domains = {_domain(url) for url in mediator_urls if url} - {""}
        address_found = any(
            _domain(url) == domain or _domain(url).endswith(f".{domain}")
            for url, _label in self.links
            for domain in domains
        )
        address_match = None
        for domain in sorted(domains):
            address_match = address_match or _pattern(domain).search(folded)
        found = name_match or address_match
        excerpt = self._excerpt(found.start(), found.end()) if found else ""
        return bool(name_match), address_found or bool(address_match), excerpt

    def _excerpt(self, start, end):
        begin = max(0, start - EXCERPT_CHARS)
        end = min(len(self.text), end + EXCERPT_CHARS)
        return (
            ("…" if begin else "")
            + self.text[begin:end]
            + ("…" if end < len(self.text) else "")
        )
