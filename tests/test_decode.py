"""Bytes to verbatim text: encodings real reports arrive in, and the inputs that must be refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPORTS
from tracker.errors import InputError
from tracker.text import decode_bytes, read_report

TEXT = (REPORTS / "city-2024" / "宜宾.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
    TEXT.encode("gb18030"),
    TEXT.encode("utf-16"),
], ids=["utf-8", "utf-8 with BOM", "gb18030", "utf-16 with BOM"])
def test_the_same_report_in_every_encoding_decodes_to_the_same_text(data: bytes) -> None:
    assert decode_bytes(data, "r.txt") == TEXT


def test_gbk_subset_is_read_as_gb18030() -> None:
    sample = "城镇新增就业5.5万人以上，城镇登记失业率控制在4.2%以内。" * 3
    assert decode_bytes(sample.encode("gbk"), "r.txt") == sample


def test_zero_width_and_fullwidth_characters_are_kept_verbatim() -> None:
    sample = "\u200b新建高标准农田２７．２万亩，粮食产量稳定在260万吨以上[12]。" * 2
    assert decode_bytes(sample.encode("utf-8"), "r.txt") == sample


@pytest.mark.parametrize(("data", "problem"), [
    (b"", "empty file"),
    (b"  \n\t\r\n", "empty file"),
    (bytes(range(256)) * 4, "binary file"),
    (b"%PDF-1.4\n\x00\x01\x02binary", "binary file"),
    ("r\u00e9sum\u00e9 na\u00efve fa\u00e7ade".encode("latin-1") * 10, "unknown text encoding"),
    (b"plain ascii text without any Chinese at all\n" * 5, "not Chinese text"),
])
def test_unusable_bytes_are_refused_with_the_file_named(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as err:
        decode_bytes(data, "some/report.txt")
    assert str(err.value).startswith("some/report.txt: ")
    assert problem in str(err.value)


def test_docx_reports_are_read_as_text() -> None:
    text, fmt = read_report(REPORTS / "province" / "浙江-2025.docx")
    assert fmt == "docx"
    assert "政府工作报告" in text[:200] and "2025年" in text


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_report(tmp_path / "nope.txt")
