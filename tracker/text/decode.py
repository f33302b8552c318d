"""Bytes to text: UTF-8 (with or without BOM), then GB18030/GBK; .docx, .pdf and .html converted.

The decoded text is kept verbatim (only a leading BOM is dropped), because every offset the
tracker stores points into it.
"""

from __future__ import annotations

import re
from pathlib import Path

from tracker.errors import InputError

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_bytes(data: bytes, name: str) -> str:
    """Decode report bytes or raise InputError naming the file: empty, binary or unknown encoding."""
    if not data.strip():
        raise InputError(name, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked(data.decode("utf-16"), name)
    head = data[:8192]
    if b"\x00" in head:
        raise InputError(name, "binary file, not a text report")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _checked(text, name)
    raise InputError(name, "unknown text encoding (neither UTF-8 nor GB18030/GBK)")


def _checked(text: str, name: str) -> str:
    """Reject decodings that are control-character soup or hold no Chinese text at all."""
    sample = text[:4000]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError(name, "binary file, not a text report")
    visible = len(sample) - sum(map(str.isspace, sample))
    if not visible:
        raise InputError(name, "empty file")
    if len(_CJK.findall(sample)) < 0.2 * visible:
        raise InputError(name, "unknown text encoding or not Chinese text")
    return text


def read_report(path: str | Path) -> tuple[str, str]:
    """Read a local report of any supported format; returns (text, format name)."""
    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise InputError(name, "no such file")
    data = p.read_bytes()
    suffix = p.suffix.lower()
    if suffix in (".docx", ".pdf", ".html", ".htm"):
        from tracker.text.convert import convert_bytes

        return convert_bytes(data, suffix.lstrip("."), name), suffix.lstrip(".")
    return decode_bytes(data, name), "text"
