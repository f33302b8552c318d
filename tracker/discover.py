"""What a fetched page is: its format (html, docx, pdf, text), its report text, the report links it lists.

Pure functions of fetched bytes, no database: checks use them on every fetch, and listing pages
are where most surprises of government sites show up, so they are tested on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urljoin

if TYPE_CHECKING:
    from tracker.fetch import FetchResult

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_INDEX_PAGE = re.compile(r"^(?:index|default)\.\w+$", re.I)
_SKIP_HREF = re.compile(r"^\s*(?:javascript:|mailto:|tel:|#)", re.I)


@dataclass(frozen=True)
class Link:
    """A link found on a listing page that matches the source's pattern."""

    url: str
    text: str


def fetched_text(fetched: FetchResult) -> tuple[str, str]:
    """Report text of a fetched body by its magic bytes, content type or URL suffix; (text, format)."""
    from tracker.text.convert import convert_bytes
    from tracker.text.decode import _checked, decode_bytes
    from tracker.text.html import html_text

    fmt = detect_format(fetched.content, fetched.content_type, fetched.final_url)
    if fmt == "html":
        return _checked(html_text(fetched.content, fetched.url, fetched.charset), fetched.url), "html"
    if fmt in ("docx", "pdf"):
        return convert_bytes(fetched.content, fmt, fetched.url), fmt
    return decode_bytes(fetched.content, fetched.url), "text"


def detect_format(data: bytes, content_type: str | None, url: str) -> str:
    """html, docx, pdf or text; the bytes win because government servers often mislabel files."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    path = urldefrag(url).url.split("?", 1)[0].lower()
    if content_type == "application/pdf" or path.endswith(".pdf"):
        return "pdf"
    if content_type == _DOCX or path.endswith(".docx"):
        return "docx"
    if content_type == "text/plain" or path.endswith(".txt"):
        return "text"
    head = data[:1024].lstrip().lower()
    if content_type in ("text/html", "application/xhtml+xml") or head.startswith((b"<!doctype", b"<html")) \
            or path.endswith((".html", ".htm", ".shtml", "/")):
        return "html"
    return "text"


def discover_links(page: FetchResult, pattern: str) -> list[Link]:
    """Links of a listing page whose text or URL matches `pattern`, absolute, in page order."""
    from selectolax.lexbor import LexborHTMLParser

    from tracker.text.html import decode_html

    rx = re.compile(pattern)
    tree = LexborHTMLParser(decode_html(page.content, page.url, page.charset))
    base_node = tree.css_first("base[href]")
    base = urljoin(page.final_url, base_node.attributes.get("href") or "") if base_node else page.final_url
    own = {urldefrag(page.url).url, urldefrag(page.final_url).url}
    for u in list(own):
        head, _, last = u.rpartition("/")
        if _INDEX_PAGE.match(last):  # "gzbg/" and "gzbg/index.html" are the same listing
            own.add(head + "/")
    out: dict[str, Link] = {}
    for a in tree.css("a[href]"):
        href = a.attributes.get("href") or ""
        if not href or _SKIP_HREF.match(href):
            continue
        url = urldefrag(urljoin(base, href.strip())).url
        if not url.lower().startswith(("http://", "https://")) or url in own or url in out:
            continue
        label = " ".join(a.text(deep=True).split())
        if rx.search(label) or rx.search(unquote(url)):
            out[url] = Link(url=url, text=label)
    return list(out.values())
