"""Segmentation of every fixture report: a plan part, the right year, the plan heading, review paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.text import read_report, segment

REPORTS = Path(__file__).parent.parent / "fixtures" / "reports"
FILES = sorted(p for p in REPORTS.rglob("*") if p.suffix in (".txt", ".docx"))


def _year(path: Path) -> int:
    if path.parent.name == "city-2024":
        return 2024
    return int(path.stem.split("-")[-1])


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_report_has_a_plan_part_and_its_year(path: Path) -> None:
    text = read_report(path)[0]
    seg = segment(text)
    assert seg.has_plan
    assert seg.year == _year(path)
    plan = next(p for p in seg.parts if p.kind == "plan")
    assert any(p.kind == "review" and p.start < plan.start for p in seg.parts)
    assert plan.start > 0
    for s in seg.sentences:
        assert text[s.start:s.end].strip() == text[s.start:s.end]


def test_yibin_plan_starts_at_its_heading_and_reviews_again() -> None:
    text = (REPORTS / "city-2024" / "宜宾.txt").read_text(encoding="utf-8")
    seg = segment(text)
    plan = next(p for p in seg.parts if p.kind == "plan")
    assert "2024年" in text[plan.start:plan.start + 30]
    pos = text.index("过去一年，我们坚持以主题教育为主线")
    assert seg.part_at(pos) == "review"
    assert seg.part_at(pos - 50) == "plan"


def test_plan_sentences_looking_back_belong_to_the_review() -> None:
    # national 2011: "2011年，是…开局之年…。过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%，…"
    text = (REPORTS / "national" / "2011.txt").read_text(encoding="utf-8")
    seg = segment(text)
    back = text.index("过去一年，我们的各项工作取得了很大成绩")
    assert seg.part_at(text.index("国内生产总值增长10.3%", back)) == "review"
    assert seg.part_at(text.index("做好今年的工作对于完成", back - 200)) == "plan"
    assert seg.part_at(text.index("这为做好今年的工作打下了良好基础", back)) == "review"
    assert seg.part_at(text.index("国内生产总值增长8%左右")) == "plan"


def test_single_line_report_luzhou() -> None:
    text = (REPORTS / "city-2024" / "泸州.txt").read_text(encoding="utf-8")
    assert text.strip().count("\n") == 0
    seg = segment(text)
    assert seg.has_plan and seg.year == 2024
    assert len(seg.sentences) > 100


def test_report_without_plan_part() -> None:
    seg = segment("今天天气很好。我们去公园散步，看到了100只鸽子。")
    assert not seg.has_plan
    assert all(s.part != "plan" for s in seg.sentences)


def test_chapters_are_found() -> None:
    text = (REPORTS / "national" / "2016.txt").read_text(encoding="utf-8")
    titles = [c.title for c in segment(text).chapters]
    assert titles[0].startswith("一、2015年工作回顾")
    assert any("2016年重点工作" in t for t in titles)
