"""Report text -> stored document, commitments and outcomes, then statuses refreshed; one transaction."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import insert
from sqlmodel import Session

from tracker import repo
from tracker.config import Settings
from tracker.errors import InputError
from tracker.extract.commitments import extract_commitments
from tracker.extract.outcomes import extract_outcomes
from tracker.extract.records import CommitmentRecord, OutcomeRecord
from tracker.models import Commitment, Document, Outcome
from tracker.scorecard.areas import area_of
from tracker.statuses import refresh_statuses
from tracker.text import Segmented, read_report, segment
from tracker.text.meta import detect_meta


@dataclass(frozen=True)
class IngestResult:
    """What one ingestion did: the document row and how much it added."""

    name: str
    document_id: int
    new: bool
    jurisdiction: str
    year: int
    commitments: int
    outcomes: int


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
    return Prepared(name=name, text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), fmt=fmt,
                    jurisdiction=jur_name, level=level or meta.level, year=report_year,
                    title=title or _title(text, jur_name, report_year),
                    commitments=extract_commitments(seg), outcomes=extract_outcomes(seg))


def ingest_text(session: Session, settings: Settings, text: str, *, name: str,
                jurisdiction: str | None = None, level: str | None = None, parent: str | None = None,
                year: int | None = None, url: str | None = None, fmt: str = "text",
                title: str | None = None) -> IngestResult:
    """Store a report text with its commitments and outcomes; the same text again changes nothing.

    Raises InputError (nothing written) when the text has no plan part or its publisher or year
    cannot be told. The caller owns the transaction: one document, one commit.
    """
    existing = _existing(session, hashlib.sha256(text.encode("utf-8")).hexdigest(), name)
    if existing is not None:
        return existing
    prepared = prepare(text, name=name, jurisdiction=jurisdiction, level=level, year=year, fmt=fmt, title=title)
    return store(session, settings, prepared, parent=parent, url=url)


def _existing(session: Session, sha: str, name: str) -> IngestResult | None:
    doc = repo.document_by_sha(session, sha256=sha)
    if doc is None:
        return None
    names = repo.jurisdiction_names(session, ids=[doc.jurisdiction_id])
    return IngestResult(name, doc.id or 0, False, names.get(doc.jurisdiction_id, "?"), doc.report_year, 0, 0)


def store(session: Session, settings: Settings, p: Prepared, *, parent: str | None = None,
          url: str | None = None) -> IngestResult:
    """Write a prepared report, its commitments and outcomes, then refresh the statuses they touch."""
    existing = _existing(session, p.sha256, p.name)
    if existing is not None:
        return existing
    jur = repo.get_or_create_jurisdiction(session, name=p.jurisdiction, level=p.level, parent=parent)
    doc = Document(jurisdiction_id=jur.id or 0, report_year=p.year, title=p.title, url=url, sha256=p.sha256,
                   format=p.fmt, text=p.text)
    session.add(doc)
    session.flush()
    prefix = f"{p.jurisdiction}-{p.year}-"
    number = repo.next_commitment_number(session, prefix=prefix)
    # Plain rows and one executemany per table: building ORM objects cost more than extraction.
    rows: list[dict[str, object]] = []
    seen: set[tuple[int, int, str]] = set()
    for rec in p.commitments:
        if (rec.start, rec.end, rec.indicator) in seen:
            continue
        seen.add((rec.start, rec.end, rec.indicator))
        row = rec.to_dict()
        row.update(key=f"{prefix}{number + len(rows):03d}", document_id=doc.id, jurisdiction_id=jur.id,
                   target_year=rec.target_year or p.year, area=area_of(rec.indicator, rec.chapter),
                   status="pending")
        rows.append(row)
    if rows:
        session.execute(insert(Commitment), rows)
    if p.outcomes:
        session.execute(insert(Outcome), [
            {**o.to_dict(), "document_id": doc.id, "jurisdiction_id": jur.id,
             "period_year": o.period_year or p.year - 1} for o in p.outcomes])
    session.flush()
    years = ({c.target_year or p.year for c in p.commitments}
             | {o.period_year or p.year - 1 for o in p.outcomes})
    refresh_statuses(session, settings, jurisdiction_id=jur.id or 0, years=sorted(years))
    return IngestResult(p.name, doc.id or 0, True, p.jurisdiction, p.year, len(rows), len(p.outcomes))


def _title(text: str, jurisdiction: str, year: int) -> str:
    """The report's own title line when it has one ("2026年浙江省政府工作报告"), else a made-up one.

    Many files start with the salutation ("各位代表：") or split the title over lines.
    """
    head = re.sub(r"[\s\u200b\u3000]", "", text[:200])
    m = re.match(r"[^。：:，,]{0,20}政府工作报告", head)
    return m.group(0) if m and len(m.group(0)) > len("政府工作报告") else f"{jurisdiction}{year}年政府工作报告"
