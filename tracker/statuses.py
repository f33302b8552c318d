"""Statuses in the database: matching findings become StatusEvents, manual marks, and the review queue.

History is append-only: every change is a StatusEvent and the commitment's `status` follows the
latest one, except that a manual status always wins; later automatic findings are still recorded
(origin auto) so a reviewer sees that the evidence changed. Refreshing is idempotent and does not
depend on the order in which reports were ingested: it recomputes the finding from everything
stored and writes an event only when the finding differs from the last automatic one.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Result
from sqlmodel import Session, col, select

from tracker import repo
from tracker.config import Settings
from tracker.errors import InputError, NotFound, UnknownStatus
from tracker.match.link import Finding, link
from tracker.match.rules import STATUSES, actual_value
from tracker.models import Commitment, Document, Outcome, ReviewItem, StatusEvent, table_of, utcnow


def refresh_statuses(session: Session, settings: Settings, *, jurisdiction_id: int, years: Sequence[int]) -> None:
    """Re-evaluate the commitments of a jurisdiction for the given target years and record what changed.

    Runs after every ingested document over hundreds of rows, so it reads plain rows and writes
    with one executemany per table instead of building ORM objects (which cost more than matching).
    Only the commitments of a year some report reviews are read, with those that have a status event
    or a review item: any other stays pending, which writes nothing.
    """
    years = sorted(set(years))
    if not years:
        return
    session.flush()
    conn = session.connection()
    reads = _reads()
    report_years = set(conn.execute(reads.report_years, {"jurisdiction_id": jurisdiction_id,
                                                         "report_years": [y + 1 for y in years]}).scalars())
    reviewed = [y for y in years if y + 1 in report_years]
    scope = {"jurisdiction_id": jurisdiction_id, "years": years}
    commitments = _records(conn.execute(reads.commitments, {**scope, "reviewed": reviewed}))
    if not commitments:
        return
    # an outcome is only ever compared with the commitments of its year
    outcome_years = sorted({c.target_year for c in commitments} & set(reviewed))
    outcomes = _records(conn.execute(reads.outcomes, {"jurisdiction_id": jurisdiction_id, "years": outcome_years})) \
        if outcome_years else []
    findings = link(commitments, outcomes, match=settings.match, status=settings.status,
                    reviewed=lambda _jid, year: year + 1 in report_years)
    last_auto, manual = _event_state(_records(conn.execute(reads.events, scope)))
    items: dict[int, list[Any]] = {}
    for item in _records(conn.execute(reads.items, scope)):
        items.setdefault(item.commitment_id, []).append(item)
    changes = _Changes()
    for f in findings:
        _apply(changes, f, last_auto.get(f.commitment.id), f.commitment.id in manual, items.get(f.commitment.id, []))
    changes.write(conn)


# What matching (tracker/match) and this module read of a row: whole rows cost about twice as much to
# fetch. link.py reads kind, period and multi_year with a default, so leaving one out would go unnoticed.
_COMMITMENT_FIELDS = ("id", "status", "jurisdiction_id", "target_year", "period", "kind", "indicator", "value",
                      "unit", "norm_value", "base_unit", "upper", "comparator")
_OUTCOME_FIELDS = ("id", "document_id", "start", "jurisdiction_id", "period_year", "multi_year", "kind",
                   "indicator", "value", "unit", "norm_value", "base_unit", "bound")


@dataclass(frozen=True)
class _Reads:
    """The queries of a refresh, over the commitments of one jurisdiction and some target years."""

    report_years: sa.Select[Any]
    commitments: sa.Select[Any]
    outcomes: sa.Select[Any]
    events: sa.Select[Any]
    items: sa.Select[Any]


@cache
def _reads() -> _Reads:
    """The queries, built once with the jurisdiction and years as parameters: building one costs as much as running it."""
    c, o, d = table_of(Commitment), table_of(Outcome), table_of(Document)
    e, r = table_of(StatusEvent), table_of(ReviewItem)
    jurisdiction: sa.BindParameter[int] = sa.bindparam("jurisdiction_id")
    years: sa.BindParameter[list[int]] = sa.bindparam("years", expanding=True)
    of_scope = (c.c.jurisdiction_id == jurisdiction) & c.c.target_year.in_(years)
    reviewed = c.c.target_year.in_(sa.bindparam("reviewed", expanding=True))
    has_history = sa.exists().where(e.c.commitment_id == c.c.id) | sa.exists().where(r.c.commitment_id == c.c.id)
    return _Reads(
        report_years=sa.select(d.c.report_year).where(
            d.c.jurisdiction_id == jurisdiction, d.c.report_year.in_(sa.bindparam("report_years", expanding=True))),
        commitments=sa.select(*(c.c[f] for f in _COMMITMENT_FIELDS)).where(of_scope & (reviewed | has_history))
        .order_by(c.c.id),
        outcomes=sa.select(*(o.c[f] for f in _OUTCOME_FIELDS)).where(
            o.c.jurisdiction_id == jurisdiction, o.c.period_year.in_(years), o.c.multi_year.is_(False)),
        events=sa.select(e.c.commitment_id, e.c.origin, e.c.old_status, e.c.new_status, e.c.outcome_id)
        .join(c, c.c.id == e.c.commitment_id).where(of_scope).order_by(e.c.id),
        items=sa.select(r.c.id, r.c.commitment_id, r.c.outcome_id, r.c.state)
        .join(c, c.c.id == r.c.commitment_id).where(of_scope))


def _records(result: Result[Any]) -> list[Any]:
    """The rows as named tuples: matching reads attributes pair by pair, and a Row attribute costs ~1 µs (30 ns here)."""
    return list(map(_record_type(tuple(result.keys()))._make, result.all()))


@cache
def _record_type(columns: tuple[str, ...]) -> type[Any]:
    return namedtuple("Record", columns)


@dataclass
class _Changes:
    """What a refresh writes, gathered so that each table gets one executemany."""

    events: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    stale_items: list[dict[str, Any]] = field(default_factory=list)
    new_items: list[dict[str, Any]] = field(default_factory=list)

    def write(self, conn: Connection) -> None:
        c, e, r = table_of(Commitment), table_of(StatusEvent), table_of(ReviewItem)
        if self.stale_items:
            conn.execute(sa.update(r).where(r.c.id == sa.bindparam("item_id")).values(state="stale"), self.stale_items)
        if self.new_items:
            conn.execute(sa.insert(r), self.new_items)
        if self.events:
            conn.execute(sa.insert(e), self.events)
        if self.statuses:
            conn.execute(sa.update(c).where(c.c.id == sa.bindparam("commitment_id"))
                         .values(status=sa.bindparam("new_status")), self.statuses)


def _event_state(events: Sequence[Any]) -> tuple[dict[int, Any], set[int]]:
    """The latest automatic event of each commitment, and the commitments a person has set (events oldest first)."""
    last_auto: dict[int, Any] = {}
    manual: set[int] = set()
    for ev in events:
        if ev.origin == "auto":
            last_auto[ev.commitment_id] = ev
        elif ev.origin == "manual" or (ev.origin == "import" and ev.new_status != ev.old_status):
            # an import that only adds a note leaves the status to the automatic findings
            manual.add(ev.commitment_id)
    return last_auto, manual


def _apply(changes: _Changes, f: Finding, last: Any | None, manual: bool, items: list[Any]) -> None:
    """Record a finding when it differs from the last automatic one; set the status unless a person did."""
    c = f.commitment
    outcome_id = f.outcome.id if f.outcome is not None and not f.review else None
    _sync_queue(changes, c, f, items)
    previous = (last.new_status, last.outcome_id) if last else ("pending", None)
    if (f.status, outcome_id) == previous:
        return
    note = None
    if manual:
        note = "automatic finding recorded; the manual status is kept"
    elif f.review:
        note = "low-confidence candidate sent to the review queue"
    changes.events.append(dict(
        commitment_id=c.id, old_status=c.status, new_status=f.status, origin="auto", outcome_id=outcome_id,
        actual_value=_in_target_unit(c, f.actual) if outcome_id and f.actual is not None else None,
        confidence=f.score if outcome_id else None, actor=None, note=note))
    if not manual:
        changes.statuses.append({"commitment_id": c.id, "new_status": f.status})


def _in_target_unit(c: Any, base_value: float) -> float:
    """A figure in base units (亩) expressed in the target's own unit (万亩), as people write and mark it."""
    return round(base_value * c.value / c.norm_value, 6) if c.norm_value else base_value


def _sync_queue(changes: _Changes, c: Any, f: Finding, items: list[Any]) -> None:
    """Open a review item for a new low-confidence candidate (never twice for one pair); others go stale."""
    wanted = f.outcome.id if f.review and f.outcome is not None else None
    changes.stale_items.extend({"item_id": item.id} for item in items
                               if item.state == "open" and item.outcome_id != wanted)
    if wanted is not None and not any(item.outcome_id == wanted for item in items):
        changes.new_items.append(dict(commitment_id=c.id, outcome_id=wanted, score=f.score,
                                      proposed_status=f.candidate_status or "no_evidence", state="open",
                                      decided_at=None, actor=None))


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

