"""HTML pages to report text: charset detection that survives lying servers, and main-text extraction.

Government sites often serve GBK without declaring it, or declare ISO-8859-1 / UTF-8 for GBK bytes.
So every declared charset is only a candidate: it must decode strictly and give plausible Chinese
text, otherwise the next candidate is tried, ending with UTF-8 and GB18030 (a superset of GBK).
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from tracker.errors import InputError

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Charsets that GB18030 extends; decoding with the superset never loses a character.
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "hz-gb-2312", "x-euc-cn", "csgb2312"}
_WIDE = re.compile(r"[\u2000-\u206f\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")

# Elements that never hold report text.
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
              "iframe", "select", "button", "svg", "object", "embed", "menu", "head")
# Class or id words of page furniture on CMS-built government sites.
_FURNITURE = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|menus|header|head|top|topbar|footer|foot|bottom|breadcrumb|crumb|crumbs|"
    r"sidebar|side|share|copyright|toolbar|login|search|position|location|related|links|friendlink|print)"
    r"(?:$|[\s_\-\d])", re.I)
_BLOCK_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section", "article",
               "blockquote", "pre", "dd", "dt", "ul", "ol", "center", "main", "td", "th")
_BREAK = "\ue000"  # a private-use sentinel for block boundaries, so source-code newlines stay whitespace
_SPACE_RUN = re.compile(r"[ \t\n\r\f\xa0]+")


def html_text(data: bytes, name: str, declared_charset: str | None = None) -> str:
    """Main text of an HTML page: boilerplate removed, one paragraph per line; InputError if none."""
    markup = decode_html(data, name, declared_charset)
    return extract_main_text(markup, name)


def decode_html(data: bytes, name: str, declared_charset: str | None = None) -> str:
    """Decode HTML bytes: BOM, header charset, <meta> charset, then UTF-8 and GB18030, each checked."""
    if not data.strip():
        raise InputError(name, "empty page")
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return data.decode(bom_codec, errors="replace").lstrip("\ufeff")
    utf8_valid = _strict(data, "utf-8") is not None
    tried: list[str] = []
    for candidate in (declared_charset, meta_charset(data), "utf-8", "gb18030"):
        encoding = _normalise(candidate)
        if encoding is None or encoding in tried:
            continue
        tried.append(encoding)
        text = _strict(data, encoding)
        if text is None:
            continue
        # Valid UTF-8 with multi-byte sequences almost never happens by chance in GBK text.
        if utf8_valid and encoding != "utf-8" and not data.isascii():
            continue
        if _plausible(text):
            return text
    # Nothing decoded cleanly: keep what GB18030 makes of it rather than failing on one bad byte.
    return data.decode("gb18030", errors="replace")


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta charset> or <meta http-equiv="Content-Type">, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", errors="ignore") if m else None


def _normalise(charset: str | None) -> str | None:
    """A Python codec name for a declared charset, GBK family widened to GB18030; None if unknown."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").lower()
    if label in _GB:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _plausible(text: str) -> bool:
    """Whether non-ASCII characters look like Chinese text rather than mojibake (é, Ã, ¼...)."""
    non_ascii = [c for c in text if ord(c) > 127 and c not in "\xa0\ufeff"]
    if not non_ascii:
        return True
    wide = sum(1 for c in non_ascii if _WIDE.match(c))
    return wide >= 0.9 * len(non_ascii)


def extract_main_text(markup: str, name: str) -> str:
    """The report text of a decoded page: the smallest block that holds most of the page's prose."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    body = tree.body
    if body is None:
        raise InputError(name, "HTML page without a body")
    for tag in _DROP_TAGS:
        for node in body.css(tag):
            node.decompose()
    for node in body.css("[class], [id]"):
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _FURNITURE.search(marks) and _prose_length(node) < 2000:
            node.decompose()
    main = _main_block(body)
    for node in main.css("br"):
        node.replace_with(_BREAK)
    for tag in _BLOCK_TAGS:
        for node in main.css(tag):
            node.insert_before(_BREAK)
            node.insert_after(_BREAK)
    raw = main.text(deep=True, separator="")
    lines = [_collapse(chunk) for chunk in raw.split(_BREAK)]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise InputError(name, "no text found in the HTML page")
    return text + "\n"


def _main_block(body: LexborNode) -> LexborNode:
    """Descend from <body> while one child block still holds at least 80% of the prose."""
    node = body
    total = _prose_length(body)
    while True:
        best = None
        for child in node.iter():
            if child.tag in ("-text", "a") or not child.is_element_node:
                continue
            if _prose_length(child) >= 0.8 * total:
                best = child
                break
        if best is None:
            return node
        node = best


def _prose_length(node: LexborNode) -> int:
    """Characters of text outside links: menus are mostly links, reports are mostly prose."""
    text = len(_SPACE_RUN.sub("", node.text(deep=True)))
    links = sum(len(_SPACE_RUN.sub("", a.text(deep=True))) for a in node.css("a"))
    return max(text - links, 0)


def _collapse(chunk: str) -> str:
    """HTML whitespace rules inside one block: runs become one space, none between Chinese characters."""
    def repl(m: re.Match[str]) -> str:
        before = chunk[m.start() - 1] if m.start() > 0 else ""
        after = chunk[m.end()] if m.end() < len(chunk) else ""
        if ("\n" in m.group() or "\r" in m.group()) and _WIDE.match(before or " ") and _WIDE.match(after or " "):
            return ""
        return " "
    return _SPACE_RUN.sub(repl, chunk).strip(" \u200b")
