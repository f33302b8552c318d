"""Binary and markup formats to plain report text: .docx (python-docx), .pdf (pypdf), HTML (selectolax)."""

from __future__ import annotations

import io
import zipfile

from tracker.errors import InputError
from tracker.text.decode import _checked


def convert_bytes(data: bytes, fmt: str, name: str) -> str:
    """Turn a document of format docx, pdf or html into text, or raise InputError naming it."""
    if not data.strip():
        raise InputError(name, "empty file")
    if fmt == "docx":
        return _checked(docx_text(data, name), name)
    if fmt == "pdf":
        return _checked(pdf_text(data, name), name)
    if fmt in ("html", "htm"):
        from tracker.text.html import html_text

        return _checked(html_text(data, name), name)
    raise InputError(name, f"unsupported format {fmt!r}")


def docx_text(data: bytes, name: str) -> str:
    """Paragraphs of a Word document, one per line (tables' cells included in reading order)."""
    import docx  # python-docx; imported here so `tracker --help` stays fast

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(name, f"not a readable .docx file ({exc})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines).strip() + "\n"


def pdf_text(data: bytes, name: str) -> str:
    """Text layer of a PDF, page by page; a scanned PDF without text is an error, not an empty report."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs repairs of damaged files ("EOF marker not found") itself; our error says it in one line
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError(name, f"not a readable .pdf file ({exc})") from None
    text = "\n".join(pages).strip()
    if not text:
        raise InputError(name, "PDF has no text layer (scanned image?)")
    return text + "\n"
