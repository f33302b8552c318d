"""Report text -> segmented report, commitments, outcomes and policy areas: the pure half of ingestion.

No database here, so batches run it in worker processes while the main process stores what they
return (tracker/batch.py, tracker/ingest.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from tracker.errors import InputError
from tracker.extract.commitments import extract_commitments
from tracker.extract.outcomes import extract_outcomes
from tracker.extract.records import CommitmentRecord, OutcomeRecord
from tracker.scorecard.areas import area_of
from tracker.text import Segmented, read_report, segment
from tracker.text.meta import detect_meta


@dataclass(frozen=True)
class Prepared:
    """A report read and extracted, ready to store: the pure, CPU-bound half of ingestion."""

    name: str
    text: str
    sha256: str
    fmt: str
    jurisdiction: str
    level: str | None
    year: int
    title: str
    commitments: list[CommitmentRecord]
    outcomes: list[OutcomeRecord]
    areas: list[str]  # the policy area of each commitment, in the same order


def plan_of(text: str, name: str, year: int | None = None) -> Segmented:
    """The segmented report, or InputError when it has no plan part (and so holds no commitments)."""
    seg = segment(text, year)
    if not seg.has_plan:
        raise InputError(name, "no plan part found (no heading such as \"2024年工作安排\"); not a work report?")
    return seg


def extract_file(path: str, year: int | None = None) -> list[CommitmentRecord]:
    """The commitments of a report file, without storing anything (`tracker extract`)."""
    text, _ = read_report(path)
    return extract_commitments(plan_of(text, path, year))


def prepare(text: str, *, name: str, jurisdiction: str | None = None, level: str | None = None,
            year: int | None = None, fmt: str = "text", title: str | None = None) -> Prepared:
    """Segment a report and extract its commitments and outcomes; no database.

    Raises InputError when the text has no plan part or its publisher or year cannot be told.
    """
    seg = plan_of(text, name, year)
    meta = detect_meta(text, name, seg.year)
    jur_name = jurisdiction or meta.jurisdiction
    report_year = year or meta.year
    if not jur_name:
        raise InputError(name, "cannot tell the jurisdiction; give it with --jurisdiction")
    if not report_year:
        raise InputError(name, "cannot tell the report year; give it with --year")
    commitments = extract_commitments(seg)
    return Prepared(name=name, text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), fmt=fmt,
                    jurisdiction=jur_name, level=level or meta.level, year=report_year,
                    title=title or _title(text, jur_name, report_year),
                    commitments=commitments, outcomes=extract_outcomes(seg),
                    areas=[area_of(c.indicator, c.chapter) for c in commitments])


def _title(text: str, jurisdiction: str, year: int) -> str:
    """The report's own title line when it has one ("2026年浙江省政府工作报告"), else a made-up one.

    Many files start with the salutation ("各位代表：") or split the title over lines.
    """
    head = re.sub(r"[\s\u200b\u3000]", "", text[:200])
    m = re.match(r"[^。：:，,]{0,20}政府工作报告", head)
    return m.group(0) if m and len(m.group(0)) > len("政府工作报告") else f"{jurisdiction}{year}年政府工作报告"
