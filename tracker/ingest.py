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
from tracker.models import Commitment, Document, Outcome
from tracker.scorecard.areas import area_of
from tracker.statuses import refresh_statuses
from tracker.text import segment
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


def ingest_text(session: Session, settings: Settings, text: str, *, name: str,
                jurisdiction: str | None = None, level: str | None = None, parent: str | None = None,
                year: int | None = None, url: str | None = None, fmt: str = "text",
                title: str | None = None) -> IngestResult:
    """Store a report text with its commitments and outcomes; the same text again changes nothing.

    Raises InputError (nothing written) when the text has no plan part or its publisher or year
    cannot be told. The caller owns the transaction: one document, one commit.
    """
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = repo.document_by_sha(session, sha256=sha)
    if existing is not None:
        names = repo.jurisdiction_names(session, ids=[existing.jurisdiction_id])
        return IngestResult(name, existing.id or 0, False, names.get(existing.jurisdiction_id, "?"),
                            existing.report_year, 0, 0)
    seg = segment(text, year)
    if not seg.has_plan:
        raise InputError(name, "no plan part found (no heading such as \"2024年工作安排\"); not a work report?")
    meta = detect_meta(text, name, seg.year)
    jur_name = jurisdiction or meta.jurisdiction
    report_year = year or meta.year
    if not jur_name:
        raise InputError(name, "cannot tell the jurisdiction; give it with --jurisdiction")
    if not report_year:
        raise InputError(name, "cannot tell the report year; give it with --year")
    jur = repo.get_or_create_jurisdiction(session, name=jur_name, level=level or meta.level, parent=parent)
    doc = Document(jurisdiction_id=jur.id or 0, report_year=report_year, title=title or _title(text, jur_name, report_year),
                   url=url, sha256=sha, format=fmt, text=text)
    session.add(doc)
    session.flush()
    commitments = extract_commitments(seg)
    prefix = f"{jur_name}-{report_year}-"
    number = repo.next_commitment_number(session, prefix=prefix)
    # Plain rows and one executemany per table: building ORM objects cost more than extraction.
    rows: list[dict[str, object]] = []
    seen: set[tuple[int, int, str]] = set()
    for rec in commitments:
        if (rec.start, rec.end, rec.indicator) in seen:
            continue
        seen.add((rec.start, rec.end, rec.indicator))
        row = rec.to_dict()
        row.update(key=f"{prefix}{number + len(rows):03d}", document_id=doc.id, jurisdiction_id=jur.id,
                   target_year=rec.target_year or report_year, area=area_of(rec.indicator, rec.chapter),
                   status="pending")
        rows.append(row)
    if rows:
        session.execute(insert(Commitment), rows)
    stored = len(rows)
    outcomes = extract_outcomes(seg)
    if outcomes:
        session.execute(insert(Outcome), [
            {**o.to_dict(), "document_id": doc.id, "jurisdiction_id": jur.id,
             "period_year": o.period_year or report_year - 1} for o in outcomes])
    session.flush()
    years = {c.target_year or report_year for c in commitments} | {o.period_year or report_year - 1 for o in outcomes}
    refresh_statuses(session, settings, jurisdiction_id=jur.id or 0, years=sorted(years))
    return IngestResult(name, doc.id or 0, True, jur_name, report_year, stored, len(outcomes))


def _title(text: str, jurisdiction: str, year: int) -> str:
    """The report's own title line when it has one ("2026年浙江省政府工作报告"), else a made-up one.

    Many files start with the salutation ("各位代表：") or split the title over lines.
    """
    head = re.sub(r"[\s\u200b\u3000]", "", text[:200])
    m = re.match(r"[^。：:，,]{0,20}政府工作报告", head)
    return m.group(0) if m and len(m.group(0)) > len("政府工作报告") else f"{jurisdiction}{year}年政府工作报告"
