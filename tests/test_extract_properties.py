"""Property tests: extraction never raises, and every record's offsets slice the text to its quote."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extract import extract_commitments, extract_sentence, find_numbers
from tracker.extract.outcomes import extract_outcomes
from tracker.text import segment

PIECES = ["以上", "左右", "以内", "不低于", "突破", "超", "力争", "确保", "万", "亿", "元", "%", "％", "个百分点",
          "两位数", "翻一番", "万亿", "[12]", "\u200b", "（", "）", "“", "”", "、", "，", "。", "；", "\n",
          "2024年工作安排", "过去一年", "分别", "增长", "十四五", "第", "的", "等", "-", "至",
          # pieces of the rules that lend or borrow across items and clauses
          "万城镇就业困难人员", "均", "各", "占", "比重", "率", "用于", "今后三年", "1/3", "分", "吉瓦", "产能",
          "民生实事", "新增", "基本建成", "提高到", "去年", "和"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet="0123456789.０１２三五十百千一营收产值亩户家", max_size=4),
                          st.text(max_size=3)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_sentence_extraction_never_raises_and_slices(text: str) -> None:
    for r in extract_sentence(text, year=2024):
        assert text[r.start:r.end] == r.quote
        assert r.sentence_start <= r.start < r.end <= r.sentence_end


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_document_extraction_never_raises_and_slices(text: str) -> None:
    doc = "一、2023年工作回顾\n" + text + "\n二、2024年工作安排\n" + text
    for r in extract_commitments(segment(doc)):
        assert doc[r.start:r.end] == r.quote
        assert r.sentence_start <= r.start < r.end <= r.sentence_end
        assert r.part == "plan"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_numbers_lie_inside_the_window(text: str) -> None:
    for e in find_numbers(text, 1, max(1, len(text) - 1)):
        assert 1 <= e.start < e.end <= max(1, len(text) - 1)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_outcome_extraction_never_raises_and_slices(text: str) -> None:
    doc = "2025年政府工作报告\n一、2024年工作回顾\n" + text + "\n二、2025年工作安排\n今年增长5%。"
    for o in extract_outcomes(segment(doc)):
        assert doc[o.start:o.end] == o.quote
        assert o.sentence_start <= o.start < o.end <= o.sentence_end
