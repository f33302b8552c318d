"""The hand-labelled golds in fixtures/eval point into the reports they label: every span slices its
report to its quote, read the way the evaluation reads it. Their accuracy is measured by the separate
evaluation commands, bench/eval_extract.py and bench/eval_status.py, not asserted here.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tracker.text import read_report

ROOT = Path(__file__).resolve().parent.parent
GOLDS = ROOT / "fixtures" / "eval"
sys.path.insert(0, str(ROOT / "bench"))

import eval_extract  # noqa: E402  (bench/ is not a package; its document lookup is reused from there)
import eval_status  # noqa: E402

COMMITMENT_GOLDS = sorted(GOLDS.glob("*.commitments.jsonl"))
STATUS_GOLDS = sorted(GOLDS.glob("*.status.jsonl"))


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def _text(doc: str) -> str:
    path = next((d / doc for d in eval_extract.DOC_DIRS if (d / doc).exists()), None) or eval_status.find_doc(doc)
    return read_report(path)[0]


def test_there_are_golds_of_both_kinds() -> None:
    assert len(COMMITMENT_GOLDS) >= 10 and len(STATUS_GOLDS) >= 8


@pytest.mark.parametrize("path", COMMITMENT_GOLDS + STATUS_GOLDS, ids=lambda p: p.name)
def test_gold_spans_slice_their_reports_to_their_quotes(path: Path) -> None:
    for row in _rows(path):
        if "doc" in row:
            assert _text(row["doc"])[row["start"]:row["end"]] == row["quote"], row["id"]
            continue
        assert _text(row["commit_doc"])[row["commit_start"]:row["commit_end"]] == row["commit_quote"], row["id"]
        if row.get("evidence_doc"):
            evidence = _text(row["evidence_doc"])[row["evidence_start"]:row["evidence_end"]]
            assert evidence == row["evidence_quote"], row["id"]
