"""Outcome extraction from review parts (placeholder until it lands)."""

from __future__ import annotations

from tracker.extract.records import OutcomeRecord
from tracker.text import Segmented


def extract_outcomes(seg: Segmented) -> list[OutcomeRecord]:
    """Outcomes reported in the review part of `seg`."""
    return []
