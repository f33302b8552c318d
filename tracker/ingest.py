"""A prepared report -> stored document, commitments and outcomes, then statuses refreshed; one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import insert
from sqlmodel import Session

from tracker import repo
from tracker.config import Settings
from tracker.models import Commitment, Document, Outcome, table_of
from tracker.prepare import Prepared, prepare
from tracker.statuses import refresh_statuses


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
    existing = stored_result(session, hashlib.sha256(text.encode("utf-8")).hexdigest(), name)
    if existing is not None:
        return existing
    prepared = prepare(text, name=name, jurisdiction=jurisdiction, level=level, year=year, fmt=fmt, title=title)
    return store(session, settings, prepared, parent=parent, url=url)


def stored_result(session: Session, sha: str, name: str) -> IngestResult | None:
    """What ingesting a text already stored (by its sha256) does: nothing, said as an IngestResult."""
    doc = repo.document_by_sha(session, sha256=sha)
    if doc is None:
        return None
    names = repo.jurisdiction_names(session, ids=[doc.jurisdiction_id])
    return IngestResult(name, doc.id or 0, False, names.get(doc.jurisdiction_id, "?"), doc.report_year, 0, 0)


def store(session: Session, settings: Settings, p: Prepared, *, parent: str | None = None,
          url: str | None = None) -> IngestResult:
    """Write a prepared report, its commitments and outcomes, then refresh the statuses they touch."""
    existing = stored_result(session, p.sha256, p.name)
    if existing is not None:
        return existing
    jur_id = repo.jurisdiction_id(session, name=p.jurisdiction, level=p.level, parent=parent)
    # Plain rows and one executemany per table: building ORM objects cost more than extraction.
    conn = session.connection()
    documents = table_of(Document)
    doc_id = conn.execute(insert(documents).values(
        jurisdiction_id=jur_id, report_year=p.year, title=p.title, url=url, sha256=p.sha256, format=p.fmt,
        text=p.text).returning(documents.c.id)).scalar_one()
    prefix = f"{p.jurisdiction}-{p.year}-"
    number = repo.next_commitment_number(session, prefix=prefix)
    rows: list[dict[str, object]] = []
    seen: set[tuple[int, int, str]] = set()
    for rec, area in zip(p.commitments, p.areas, strict=True):
        if (rec.start, rec.end, rec.indicator) in seen:
            continue
        seen.add((rec.start, rec.end, rec.indicator))
        row = rec.to_dict()
        row.update(key=f"{prefix}{number + len(rows):03d}", document_id=doc_id, jurisdiction_id=jur_id,
                   target_year=rec.target_year or p.year, area=area,
                   status="pending")
        rows.append(row)
    if rows:
        conn.execute(insert(table_of(Commitment)), rows)
    if p.outcomes:
        conn.execute(insert(table_of(Outcome)), [
            {**o.to_dict(), "document_id": doc_id, "jurisdiction_id": jur_id,
             "period_year": o.period_year or p.year - 1} for o in p.outcomes])
    years = ({c.target_year or p.year for c in p.commitments}
             | {o.period_year or p.year - 1 for o in p.outcomes})
    refresh_statuses(session, settings, jurisdiction_id=jur_id, years=sorted(years))
    return IngestResult(p.name, doc_id, True, p.jurisdiction, p.year, len(rows), len(p.outcomes))


