"""HTML to report text: charsets (declared, <meta>, BOM, undeclared GBK, lying headers) and boilerplate removal."""

from __future__ import annotations

import codecs

import pytest

from tests.web import national, report_page, same_text
from tracker.errors import InputError
from tracker.text import segment
from tracker.text.html import decode_html, html_text, meta_charset

REPORT = national(2017)
PAGE_FURNITURE = ["首页", "无障碍浏览", "版权所有", "网站标识码", "当前位置", "分享到", "访问统计", "相关链接",
                  "menuToggle", "text-indent", "大</a>"]


def _lines(text: str) -> list[str]:
    return [line.strip(" \u3000\u200b") for line in text.splitlines() if line.strip(" \u3000\u200b")]


@pytest.mark.parametrize(("charset", "declare", "header"), [
    pytest.param("gbk", False, None, id="gbk-undeclared"),
    pytest.param("gbk", True, None, id="gbk-meta"),
    pytest.param("gbk", False, "gbk", id="gbk-header"),
    pytest.param("gb2312", True, None, id="gb2312-meta-widened"),
    pytest.param("gb18030", True, None, id="gb18030-meta"),
    pytest.param("utf-8", True, None, id="utf8-meta"),
    pytest.param("utf-8", False, None, id="utf8-undeclared"),
    pytest.param("gbk", False, "iso-8859-1", id="gbk-header-says-latin1"),
    pytest.param("gbk", False, "utf-8", id="gbk-header-says-utf8"),
    pytest.param("gbk", True, "windows-1252", id="gbk-meta-header-says-cp1252"),
    pytest.param("utf-8", True, "gbk", id="utf8-header-says-gbk"),
    pytest.param("gbk", False, "no-such-charset", id="unknown-declared-charset"),
])
def test_report_text_survives_every_charset_situation(charset: str, declare: bool, header: str | None) -> None:
    data = report_page(REPORT, title="2017年政府工作报告", charset=charset, declare=declare)
    text = html_text(data, "page.html", header)
    assert _lines(text) == _lines(REPORT)


@pytest.mark.parametrize(("bom", "encoding"), [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_bom_wins_over_a_wrong_declaration(bom: bytes, encoding: str) -> None:
    page = "<html><head><meta charset=gbk></head><body><p>城镇新增就业1100万人以上。</p></body></html>"
    assert html_text(bom + page.encode(encoding), "bom.html", "iso-8859-1") == "城镇新增就业1100万人以上。\n"


def test_menus_headers_footers_and_scripts_are_gone() -> None:
    text = html_text(report_page(REPORT, title="2017年政府工作报告"), "page.html")
    for word in PAGE_FURNITURE:
        assert word not in text
    assert same_text(text, REPORT)


def test_paragraph_breaks_are_newlines_and_source_line_breaks_are_not() -> None:
    page = ("<html><body><div class=content><p>一、2016年工作回顾</p>\n<p>国内生产总值\n  达到74.4万亿元，"
            "增长6.7%。<br>城镇新增就业1314万人。</p><p>Hello\nworld&nbsp;!</p></div></body></html>")
    assert html_text(page.encode(), "p.html") == ("一、2016年工作回顾\n国内生产总值达到74.4万亿元，增长6.7%。\n"
                                                   "城镇新增就业1314万人。\nHello world !\n")


def test_extracted_page_segments_like_the_fixture_text() -> None:
    text = html_text(report_page(REPORT, title="2017年政府工作报告"), "page.html")
    seg, ref = segment(text), segment(REPORT)
    assert seg.has_plan and seg.year == ref.year == 2017
    assert [p.kind for p in seg.parts] == [p.kind for p in ref.parts]


def test_meta_charset_forms() -> None:
    assert meta_charset(b'<meta charset="GB2312">') == "GB2312"
    assert meta_charset(b"<meta http-equiv='Content-Type' content='text/html; charset=gbk'>") == "gbk"
    assert meta_charset(b"<p>no declaration</p>") is None


def test_mojibake_from_a_wrong_header_is_detected() -> None:
    data = "<p>政府工作报告</p>".encode("gbk")
    assert "政府工作报告" in decode_html(data, "x", "iso-8859-1")
    assert "政府工作报告" in decode_html("<p>政府工作报告</p>".encode(), "x", "gbk")


@pytest.mark.parametrize("data", [b"", b"   ", b"<html><body><script>var a=1;</script></body></html>"])
def test_pages_without_text_are_input_errors(data: bytes) -> None:
    with pytest.raises(InputError):
        html_text(data, "empty.html")
