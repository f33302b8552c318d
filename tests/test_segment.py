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
