"""Statuses in the database: apply matching results as StatusEvents (placeholder until matching lands)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from tracker.config import Settings


def refresh_statuses(session: Session, settings: Settings, *, jurisdiction_id: int, years: Sequence[int]) -> None:
    """Re-evaluate the commitments of a jurisdiction for the given target years."""
