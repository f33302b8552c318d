"""What commands show: a commitment as a row, and the detail view with its sentence, evidence and history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from tracker import repo
from tracker.models import Commitment, Document, Outcome, StatusEvent


def commitment_row(c: Commitment, names: dict[int, str]) -> dict[str, Any]:
    """A flat, JSON-ready view of one commitment for `tracker list`."""
    return {
        "id": c.key, "jurisdiction": names.get(c.jurisdiction_id, ""), "target_year": c.target_year,
        "period": c.period, "chapter": c.chapter, "indicator": c.indicator, "quote": c.quote, "value": c.value,
        "unit": c.unit, "comparator": c.comparator, "upper": c.upper, "hedge": c.hedge, "kind": c.kind,
        "area": c.area, "status": c.status, "start": c.start, "end": c.end,
    }


@dataclass
class Detail:
    """Everything `tracker show` prints about one commitment."""

    commitment: Commitment
    jurisdiction: str
    document: Document
    evidence: Outcome | None
    evidence_document: Document | None
    history: list[StatusEvent]


def commitment_detail(session: Session, *, key: str) -> Detail:
    """Load a commitment with its document, latest evidence and full status history."""
    c = repo.get_commitment(session, key=key)
    doc = session.get(Document, c.document_id)
    assert doc is not None  # foreign key
    history = list(session.exec(select(StatusEvent).where(StatusEvent.commitment_id == c.id)
                                .order_by(col(StatusEvent.id))).all())
    evidence = None
    for ev in reversed(history):
        if ev.new_status == c.status:
            evidence = session.get(Outcome, ev.outcome_id) if ev.outcome_id else None
            break
    ev_doc = session.get(Document, evidence.document_id) if evidence else None
    names = repo.jurisdiction_names(session, ids=[c.jurisdiction_id])
    return Detail(c, names.get(c.jurisdiction_id, ""), doc, evidence, ev_doc, history)


def highlight(text: str, s_start: int, s_end: int, start: int, end: int) -> str:
    """Rich markup of a sentence with the span [start, end) in bold; report text is escaped."""
    from rich.markup import escape

    while s_start < start and text[s_start] in " \t\u3000\u200b\r\n":
        s_start += 1
    return (escape(text[s_start:start]) + "[bold reverse]" + escape(text[start:end]) + "[/]"
            + escape(text[end:s_end]))


def render_detail(d: Detail) -> None:
    """Print the detail view to the terminal."""
    from rich.console import Console
    from rich.markup import escape

    c = d.commitment
    out = Console()
    target = f"{c.value:g}{c.unit}" + (f"–{c.upper:g}" if c.upper is not None else "")
    out.print(f"[bold]{escape(c.key)}[/]  {escape(d.jurisdiction)} {c.target_year}"
              + (f" ({escape(c.period)})" if c.period else ""))
    out.print(f"indicator: {escape(c.indicator)}")
    out.print(f"target:    {escape(target)}  comparator {c.comparator}, hedge {c.hedge or 'none'}, kind {c.kind}")
    out.print(f"chapter:   {escape(c.chapter or '-')}")
    out.print(f"status:    [bold]{c.status}[/]")
    out.print("sentence:  " + highlight(d.document.text, c.sentence_start, c.sentence_end, c.start, c.end))
    latest = next((ev for ev in reversed(d.history) if ev.new_status == c.status), None)
    if latest is not None and latest.outcome_id is None and latest.actual_value is not None:
        out.print(f"actual:    {latest.actual_value:g}{escape(c.unit)} (given by hand, {latest.origin})")
    if d.evidence and d.evidence_document:
        e = d.evidence
        out.print(f"actual:    {e.value:g}{escape(e.unit)} ({e.bound}) in the {d.evidence_document.report_year} report")
        out.print("evidence:  " + highlight(d.evidence_document.text, e.sentence_start, e.sentence_end, e.start, e.end))
    if d.history:
        out.print("history:")
        for ev in d.history:
            who = f" by {escape(ev.actor)}" if ev.actor else ""
            note = f": {escape(ev.note)}" if ev.note else ""
            out.print(f"  {ev.created_at:%Y-%m-%d %H:%M} {ev.old_status or '-'} -> {ev.new_status} ({ev.origin}{who}){note}")


def event_row(session: Session, ev: StatusEvent) -> dict[str, Any]:
    """A flat, JSON-ready view of one status event for `tracker history`."""
    evidence = None
    if ev.outcome_id:
        o = session.get(Outcome, ev.outcome_id)
        doc = session.get(Document, o.document_id) if o else None
        if o is not None:
            evidence = f"{o.indicator} {o.quote}" + (f" ({doc.report_year} report)" if doc else "")
    return {"time": f"{ev.created_at:%Y-%m-%d %H:%M:%S}", "old": ev.old_status, "new": ev.new_status,
            "origin": ev.origin, "actor": ev.actor, "evidence": evidence, "actual": ev.actual_value,
            "score": ev.confidence, "note": ev.note}
