"""Table-driven test of commitment extraction: sentence -> expected records.

Rows live in tests/extract_cases/*.jsonl, grouped by `origin`: real sentences copied verbatim from
the fixture reports ("real:<folder>/<report>"), traps that must yield no record, special forms and
bugs caught ("special"), and known failures ("known_failure", run as xfail with their reason).
An expected record lists only the fields it checks; `indicator` is compared exactly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tracker.extract import extract_sentence

CASES = Path(__file__).parent / "extract_cases"


def _rows() -> list[Any]:
    rows = []
    for path in sorted(CASES.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            marks = [pytest.mark.xfail(reason=row["reason"], strict=True)] if row["origin"] == "known_failure" else []
            rows.append(pytest.param(row, id=f"{path.stem}:{n}:{row['origin']}", marks=marks))
    return rows


ROWS = _rows()


@pytest.mark.parametrize("row", ROWS)
def test_extract(row: dict[str, Any]) -> None:
    text = row["sentence"]
    got = extract_sentence(text, year=row.get("year", 2024))
    expected = row["expected"]
    assert len(got) == len(expected), [r.quote for r in got]
    for rec, exp in zip(got, expected, strict=True):
        assert text[rec.start:rec.end] == rec.quote
        for key, value in exp.items():
            assert getattr(rec, key) == value, (key, rec)


def test_table_is_large_and_varied() -> None:
    origins = {p.values[0]["origin"] for p in ROWS}
    reports = {o for o in origins if o.startswith("real:")}
    assert len(ROWS) >= 220
    assert len(reports) >= 8
