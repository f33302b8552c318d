"""Queries and writes; keyword-only functions taking a session, so commands and jobs share them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from tracker.errors import InputError, NotFound, UnknownStatus
from tracker.match.rules import STATUSES
from tracker.models import Commitment, Document, Jurisdiction, table_of
from tracker.scorecard.areas import OTHER, areas

# Plain tables for the queries every ingested document runs: no ORM objects to build.
_JUR, _DOC, _COM = table_of(Jurisdiction), table_of(Document), table_of(Commitment)


def jurisdiction_id(session: Session, *, name: str, level: str | None = None, parent: str | None = None) -> int:
    """The id of the jurisdiction called `name`, created on first sight; level and parent fill in when known."""
    conn = session.connection()
    row = conn.execute(sa.select(_JUR.c.id, _JUR.c.level, _JUR.c.parent).where(_JUR.c.name == name)).first()
    if row is None:
        return int(conn.execute(sa.insert(_JUR).values(name=name, level=level, parent=parent)
                                .returning(_JUR.c.id)).scalar_one())
    filled = {k: v for k, v in (("level", level), ("parent", parent)) if v and not getattr(row, k)}
    if filled:
        conn.execute(sa.update(_JUR).where(_JUR.c.id == row.id).values(**filled))
    return int(row.id)


def document_by_sha(session: Session, *, sha256: str) -> sa.Row[Any, Any, Any] | None:
    """The id, jurisdiction_id and report_year of the stored document with this text hash, if any."""
    return session.connection().execute(sa.select(_DOC.c.id, _DOC.c.jurisdiction_id, _DOC.c.report_year)
                                        .where(_DOC.c.sha256 == sha256)).first()


def next_commitment_number(session: Session, *, prefix: str) -> int:
    """The next free sequence number for stable ids that start with `prefix` (e.g. "宜宾-2024-")."""
    keys = session.connection().execute(sa.select(_COM.c.key).where(_COM.c.key.startswith(prefix))).scalars()
    numbers = [int(k[len(prefix):]) for k in keys if k[len(prefix):].isdigit()]
    return max(numbers, default=0) + 1


def get_commitment(session: Session, *, key: str) -> Commitment:
    """The commitment with stable id `key`, or NotFound."""
    row = session.exec(select(Commitment).where(Commitment.key == key)).first()
    if row is None:
        raise NotFound("commitment", key)
    return row


def list_commitments(session: Session, *, jurisdiction: str | None = None, year: int | None = None,
                     status: str | None = None, open_only: bool = False, area: str | None = None,
                     search: str | None = None, limit: int | None = None) -> Sequence[Commitment]:
    """Commitments filtered as `tracker list` offers, ordered by jurisdiction, year and position.

    An unknown status or area is an error rather than an empty list, so a typo is not taken for
    "no such commitments".
    """
    if status and status not in STATUSES:
        raise UnknownStatus(status, STATUSES)
    known_areas = [a.key for a in areas()] + [OTHER]
    if area and area not in known_areas:
        raise InputError("--area", f"unknown policy area {area!r}; use one of: {', '.join(known_areas)}")
    q = select(Commitment).join(Jurisdiction, col(Jurisdiction.id) == Commitment.jurisdiction_id)
    if jurisdiction:
        q = q.where(Jurisdiction.name == jurisdiction)
    if year is not None:
        q = q.where(Commitment.target_year == year)
    if status:
        q = q.where(Commitment.status == status)
    if open_only:
        q = q.where(col(Commitment.status).in_(("pending", "no_evidence", "partial")))
    if area:
        q = q.where(Commitment.area == area)
    if search:
        like = f"%{search}%"
        q = q.where(or_(col(Commitment.indicator).like(like), col(Commitment.quote).like(like),
                        col(Commitment.chapter).like(like)))
    q = q.order_by(col(Jurisdiction.name), col(Commitment.target_year), col(Commitment.document_id),
                   col(Commitment.start))
    if limit:
        q = q.limit(limit)
    return session.exec(q).all()


def jurisdiction_names(session: Session, *, ids: Sequence[int]) -> dict[int, str]:
    """Map jurisdiction ids to names for rendering."""
    if not ids:
        return {}
    rows = session.connection().execute(sa.select(_JUR.c.id, _JUR.c.name).where(_JUR.c.id.in_(set(ids))))
    return {r.id: r.name for r in rows}


def count_rows(session: Session, model: type) -> int:
    """Number of rows of a table (used by summaries and tests)."""
    return int(session.exec(select(func.count()).select_from(model)).one())
