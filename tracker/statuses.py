"""Statuses in the database: matching findings become StatusEvents, manual marks, and the review queue.

History is append-only: every change is a StatusEvent and the commitment's `status` follows the
latest one, except that a manual status always wins; later automatic findings are still recorded
(origin auto) so a reviewer sees that the evidence changed. Refreshing is idempotent and does not
depend on the order in which reports were ingested: it recomputes the finding from everything
stored and writes an event only when the finding differs from the last automatic one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from tracker import repo
from tracker.config import Settings
from tracker.errors import InputError, NotFound, UnknownStatus
from tracker.match.link import Finding, link
from tracker.match.rules import STATUSES, actual_value
from tracker.models import Commitment, Document, Outcome, ReviewItem, StatusEvent, utcnow


def refresh_statuses(session: Session, settings: Settings, *, jurisdiction_id: int, years: Sequence[int]) -> None:
    """Re-evaluate the commitments of a jurisdiction for the given target years and record what changed."""
    years = sorted(set(years))
    if not years:
        return
    commitments = session.exec(select(Commitment).where(
        Commitment.jurisdiction_id == jurisdiction_id, col(Commitment.target_year).in_(years))
        .order_by(col(Commitment.id))).all()
    if not commitments:
        return
    outcomes = session.exec(select(Outcome).where(
        Outcome.jurisdiction_id == jurisdiction_id, col(Outcome.period_year).in_(years),
        col(Outcome.multi_year).is_(False))).all()
    report_years = set(session.exec(select(Document.report_year).where(
        Document.jurisdiction_id == jurisdiction_id, col(Document.report_year).in_([y + 1 for y in years]))).all())
    findings = link(commitments, outcomes, match=settings.match, status=settings.status,
                    reviewed=lambda _jid, year: year + 1 in report_years)
    ids = [c.id for c in commitments if c.id is not None]
    last_auto, manual = _event_state(session, ids)
    items: dict[int, list[ReviewItem]] = {}
    for item in session.exec(select(ReviewItem).where(col(ReviewItem.commitment_id).in_(ids))).all():
        items.setdefault(item.commitment_id, []).append(item)
    for f in findings:
        _apply(session, f, last_auto.get(f.commitment.id), f.commitment.id in manual, items.get(f.commitment.id, []))
    session.flush()


def _event_state(session: Session, ids: list[int]) -> tuple[dict[int, StatusEvent], set[int]]:
    """The latest automatic event of each commitment, and the commitments a person has set."""
    last_auto: dict[int, StatusEvent] = {}
    manual: set[int] = set()
    if not ids:
        return last_auto, manual
    events = session.exec(select(StatusEvent).where(col(StatusEvent.commitment_id).in_(ids))
                          .order_by(col(StatusEvent.id))).all()
    for ev in events:
        if ev.origin == "auto":
            last_auto[ev.commitment_id] = ev
        elif ev.origin == "manual" or (ev.origin == "import" and ev.new_status != ev.old_status):
            # an import that only adds a note leaves the status to the automatic findings
            manual.add(ev.commitment_id)
    return last_auto, manual


def _apply(session: Session, f: Finding, last: StatusEvent | None, manual: bool, items: list[ReviewItem]) -> None:
    """Record a finding when it differs from the last automatic one; set the status unless a person did."""
    c: Commitment = f.commitment
    outcome_id = f.outcome.id if f.outcome is not None and not f.review else None
    _sync_queue(session, c, f, items)
    previous = (last.new_status, last.outcome_id) if last else ("pending", None)
    if (f.status, outcome_id) == previous:
        return
    note = None
    if manual:
        note = "automatic finding recorded; the manual status is kept"
    elif f.review:
        note = "low-confidence candidate sent to the review queue"
    session.add(StatusEvent(commitment_id=c.id or 0, old_status=c.status, new_status=f.status, origin="auto",
                            outcome_id=outcome_id, actual_value=_in_target_unit(c, f.actual) if outcome_id and f.actual is not None else None,
                            confidence=f.score if outcome_id else None, note=note))
    if not manual:
        c.status = f.status
        session.add(c)


def _in_target_unit(c: Commitment, base_value: float) -> float:
    """A figure in base units (亩) expressed in the target's own unit (万亩), as people write and mark it."""
    return round(base_value * c.value / c.norm_value, 6) if c.norm_value else base_value


def _sync_queue(session: Session, c: Commitment, f: Finding, items: list[ReviewItem]) -> None:
    """Open a review item for a new low-confidence candidate (never twice for one pair); others go stale."""
    wanted = f.outcome.id if f.review and f.outcome is not None else None
    for item in items:
        if item.state == "open" and item.outcome_id != wanted:
            item.state = "stale"
            session.add(item)
    if wanted is not None and not any(item.outcome_id == wanted for item in items):
        session.add(ReviewItem(commitment_id=c.id or 0, outcome_id=wanted, score=f.score,
                               proposed_status=f.candidate_status or "no_evidence"))


def mark_status(session: Session, *, key: str, status: str, note: str, actor: str | None,
                value: float | None = None) -> StatusEvent:
    """Set a commitment's status by hand with a note; raises NotFound or UnknownStatus, changing nothing."""
    if status not in STATUSES:
        raise UnknownStatus(status, STATUSES)
    if not note or not note.strip():
        raise InputError(key, "a manual status needs a note saying why (--note)")
    c = repo.get_commitment(session, key=key)
    ev = StatusEvent(commitment_id=c.id or 0, old_status=c.status, new_status=status, origin="manual",
                     actual_value=value, actor=actor, note=note)
    c.status = status
    session.add(ev)
    session.add(c)
    session.flush()
    return ev


def history(session: Session, *, key: str) -> tuple[Commitment, list[StatusEvent]]:
    """A commitment and all its status events, oldest first."""
    c = repo.get_commitment(session, key=key)
    events = list(session.exec(select(StatusEvent).where(StatusEvent.commitment_id == c.id)
                               .order_by(col(StatusEvent.id))).all())
    return c, events


@dataclass(frozen=True)
class QueueEntry:
    """One open review item with what a reviewer needs to decide."""

    id: int
    key: str
    indicator: str
    target: str
    evidence: str
    evidence_indicator: str
    proposed_status: str
    score: float


def review_queue(session: Session) -> list[QueueEntry]:
    """Open review items, oldest first."""
    rows = session.exec(select(ReviewItem, Commitment, Outcome)
                        .where(ReviewItem.state == "open")
                        .where(col(ReviewItem.commitment_id) == col(Commitment.id))
                        .where(col(ReviewItem.outcome_id) == col(Outcome.id))
                        .order_by(col(ReviewItem.id))).all()
    return [QueueEntry(id=item.id or 0, key=c.key, indicator=c.indicator, target=c.quote, evidence=o.quote,
                       evidence_indicator=o.indicator, proposed_status=item.proposed_status, score=item.score)
            for item, c, o in rows]


def _open_item(session: Session, item_id: int) -> ReviewItem:
    item = session.get(ReviewItem, item_id)
    if item is None or item.state != "open":
        raise NotFound("open review item", str(item_id))
    return item


def accept_review(session: Session, *, item_id: int, actor: str | None) -> StatusEvent:
    """Accept a candidate: its proposed status is set by hand (origin manual) with the outcome as evidence."""
    item = _open_item(session, item_id)
    c = session.get(Commitment, item.commitment_id)
    o = session.get(Outcome, item.outcome_id)
    assert c is not None and o is not None  # foreign keys
    status, actual = item.proposed_status, actual_value(c, o)
    ev = StatusEvent(commitment_id=c.id or 0, old_status=c.status, new_status=status, origin="manual",
                     outcome_id=o.id, actual_value=_in_target_unit(c, actual), confidence=item.score, actor=actor,
                     note=f"review item {item.id} accepted")
    c.status = status
    item.state, item.decided_at, item.actor = "accepted", utcnow(), actor
    session.add_all([ev, c, item])
    session.flush()
    return ev


def reject_review(session: Session, *, item_id: int, actor: str | None) -> ReviewItem:
    """Reject a candidate: the item is closed and never proposed again; the status stays."""
    item = _open_item(session, item_id)
    item.state, item.decided_at, item.actor = "rejected", utcnow(), actor
    session.add(item)
    session.flush()
    return item

