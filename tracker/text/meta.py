"""Who published a report and for which year, guessed from its text and file name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_SPEAKER = re.compile(r"我代表(?P<name>[^，,。\s]{0,12}?)(?P<kind>国务院|省人民政府|市人民政府|自治区人民政府|州人民政府|区人民政府|县人民政府|人民政府)")
_TITLE = re.compile(r"(?:(?:19|20)\d{2}年)?(?P<name>[\u4e00-\u9fff]{2,12}?)(?:省|市|自治区|县|区)?(?:人民政府)?(?:(?:19|20)\d{2}年)?政府工作报告")
_STEM = re.compile(r"^(?P<name>[^\d\-_.]+)?[-_ ]?(?P<year>(?:19|20)\d{2})?")
_LEVEL = {"国务院": "national", "省人民政府": "province", "自治区人民政府": "province", "市人民政府": "city",
          "州人民政府": "city", "区人民政府": "county", "县人民政府": "county"}
_MUNICIPALITIES = {"北京", "上海", "天津", "重庆"}


@dataclass(frozen=True)
class ReportMeta:
    """Detected publisher and year; any field may be None when the text does not say."""

    jurisdiction: str | None
    level: str | None
    year: int | None


def detect_meta(text: str, filename: str | None = None, plan_year: int | None = None) -> ReportMeta:
    """Jurisdiction, level and report year from the speaker line, a title line and the file name."""
    head = text[:3000]
    level = None
    name = None
    m = _SPEAKER.search(head)
    if m:
        level = _LEVEL.get(m.group("kind"))
        if m.group("kind") == "国务院":
            name = "全国"
    stem_name, stem_year = None, None
    if filename:
        s = _STEM.match(Path(filename).stem)
        if s:
            stem_name = (s.group("name") or "").strip() or None
            if stem_name and not re.search(r"[\u4e00-\u9fff]", stem_name):
                stem_name = None  # "report", "art_123": a file name, not a place
            stem_year = int(s.group("year")) if s.group("year") else None
    if name is None:
        t = _TITLE.search(head[:200])
        if t:
            name = t.group("name")
    if name is None:
        name = stem_name
    if name is None and level == "national":
        name = "全国"
    if name in _MUNICIPALITIES:  # 直辖市 speak as 市人民政府 but rank as provinces
        level = "province"
    return ReportMeta(jurisdiction=name, level=level, year=plan_year or stem_year)
