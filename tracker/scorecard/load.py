"""Commitments with their status, latest manual note and evidence, loaded in a few set queries.

Scorecards and exports read the same views; every query joins on the filtered commitments
instead of passing id lists, so 30,000 commitments cost the same handful of round trips.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from tracker.models import MANUAL_ORIGINS, Commitment, Document, Jurisdiction, Outcome, StatusEvent

OPEN_STATUSES = ("pending", "no_evidence", "partial")


@dataclass(frozen=True)
class EvidenceView:
    """The outcome that backs a commitment's current status, with the sentence it was read from."""

    document: str
    report_year: int
    start: int
    end: int
    quote: str
    value: float
    unit: str
    bound: str
    sentence: str = ""
    mark_start: int = 0  # the figure's place inside `sentence`
    mark_end: int = 0


@dataclass(frozen=True)
class CommitmentView:
    """One commitment as reports and exports show it."""

    id: str
    jurisdiction: str
    document: str
    report_year: int
    target_year: int
    period: str | None
    chapter: str | None
    indicator: str
    quote: str
    start: int
    end: int
    value: float
    unit: str
    upper: float | None
    comparator: str
    hedge: str | None
    kind: str
    area: str | None
    status: str
    note: str | None = None
    evidence: EvidenceView | None = None


def document_name(title: str | None, url: str | None, jurisdiction: str, year: int) -> str:
    """How a report is named: its title when it looks like one, else its URL, else "<jurisdiction> <year>"."""
    # the stored title is the first short line, which for some reports is the salutation ("各位代表：")
    if title and any(w in title for w in ("报告", "公报", "纲要")):
        return title
    return url or f"{jurisdiction} {year}"


def _filtered(q: Any, jurisdiction: str | None, year: int | None) -> Any:
    """Apply the jurisdiction and report-year filters to a query that joins Commitment."""
    if jurisdiction is not None:
        q = q.where(col(Commitment.jurisdiction_id).in_(
            select(Jurisdiction.id).where(Jurisdiction.name == jurisdiction)))
    if year is not None:
        q = q.where(col(Commitment.document_id).in_(select(Document.id).where(Document.report_year == year)))
    return q


def load_views(session: Session, *, jurisdiction: str | None = None, year: int | None = None,
               open_only: bool = False) -> list[CommitmentView]:
    """Commitments of a jurisdiction and report year (both optional), in report order, with evidence."""
    C = Commitment
    # plain column rows through the session's connection: building 30,000 ORM objects costs more
    # than the query (this keeps a 300-jurisdiction scorecard well under a second to load)
    names = ("key", "document_id", "target_year", "period", "chapter", "indicator", "quote", "start", "end",
             "value", "unit", "upper", "comparator", "hedge", "kind", "area", "status", "id")
    q = (sa_select(col(Jurisdiction.name), *(col(getattr(C, n)) for n in names))
         .join(Jurisdiction, col(Jurisdiction.id) == C.jurisdiction_id)
         .join(Document, col(Document.id) == C.document_id))
    q = _filtered(q, jurisdiction, year)
    if open_only:
        q = q.where(col(C.status).in_(OPEN_STATUSES))
    q = q.order_by(col(Jurisdiction.name), col(Document.report_year), col(Document.id), col(C.start), col(C.key))
    rows = session.connection().execute(q).all()
    docs = _documents(session)
    notes = _notes(session, jurisdiction, year)
    evidence = _evidence(session, jurisdiction, year, docs)
    out = []
    for r in rows:
        name, report_year = docs[r.document_id]
        out.append(CommitmentView(
            id=r.key, jurisdiction=r.name, document=name, report_year=report_year, target_year=r.target_year,
            period=r.period, chapter=r.chapter, indicator=r.indicator, quote=r.quote, start=r.start, end=r.end,
            value=r.value, unit=r.unit, upper=r.upper, comparator=r.comparator, hedge=r.hedge, kind=r.kind,
            area=r.area, status=r.status, note=notes.get(r.id), evidence=evidence.get(r.id)))
    return out


def _documents(session: Session) -> dict[int, tuple[str, int]]:
    """Name and report year of every document, without their texts (a few thousand rows a year)."""
    names = {i: n for i, n in session.exec(select(Jurisdiction.id, Jurisdiction.name)).all() if i is not None}
    # two narrow queries: sqlmodel's select() is typed for at most four columns
    jur_of = dict(session.exec(select(Document.id, Document.jurisdiction_id)).all())
    out: dict[int, tuple[str, int]] = {}
    for doc_id, title, url, report_year in session.exec(
            select(Document.id, Document.title, Document.url, Document.report_year)).all():
        if doc_id is not None:
            out[doc_id] = (document_name(title, url, names.get(jur_of.get(doc_id) or 0, ""), report_year), report_year)
    return out


def _notes(session: Session, jurisdiction: str | None, year: int | None) -> dict[int, str | None]:
    """The note of each commitment's latest manual or imported event (None when it had none)."""
    q = (select(StatusEvent.commitment_id, StatusEvent.note)
         .join(Commitment, col(Commitment.id) == StatusEvent.commitment_id)
         .where(col(StatusEvent.origin).in_(MANUAL_ORIGINS)).order_by(col(StatusEvent.id)))
    return dict(session.exec(_filtered(q, jurisdiction, year)).all())


def latest_notes(session: Session, *, commitment_ids: list[int]) -> dict[int, str | None]:
    """Like the notes of load_views, for a given set of commitments (chunked for large imports)."""
    out: dict[int, str | None] = {}
    for i in range(0, len(commitment_ids), 500):
        q = (select(StatusEvent.commitment_id, StatusEvent.note)
             .where(col(StatusEvent.commitment_id).in_(commitment_ids[i:i + 500]))
             .where(col(StatusEvent.origin).in_(MANUAL_ORIGINS)).order_by(col(StatusEvent.id)))
        out.update(dict(session.exec(q).all()))
    return out


def _evidence(session: Session, jurisdiction: str | None, year: int | None,
              docs: dict[int, tuple[str, int]]) -> dict[int, EvidenceView]:
    """Evidence: the outcome of the latest event that set the current status and names an outcome."""
    length = col(Outcome.sentence_end) - col(Outcome.sentence_start)
    sentence = (select(func.substr(Document.text, col(Outcome.sentence_start) + 1, length))
                .where(Document.id == Outcome.document_id).scalar_subquery())
    names = ("document_id", "start", "end", "quote", "value", "unit", "bound", "sentence_start")
    q = (sa_select(col(StatusEvent.commitment_id), *(col(getattr(Outcome, n)) for n in names),
                   sentence.label("sentence"))
         .join(Commitment, col(Commitment.id) == StatusEvent.commitment_id)
         .join(Outcome, col(Outcome.id) == StatusEvent.outcome_id)
         .where(col(StatusEvent.new_status) == col(Commitment.status))
         .order_by(col(StatusEvent.id)))
    out: dict[int, EvidenceView] = {}
    for r in session.connection().execute(_filtered(q, jurisdiction, year)).all():
        name, report_year = docs[r.document_id]
        at = r.start - r.sentence_start
        out[r.commitment_id] = EvidenceView(
            document=name, report_year=report_year, start=r.start, end=r.end, quote=r.quote, value=r.value,
            unit=r.unit, bound=r.bound, sentence=r.sentence or "", mark_start=at, mark_end=at + (r.end - r.start))
    return out
