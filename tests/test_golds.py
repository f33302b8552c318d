"""The hand-labelled golds in fixtures/eval: their spans point into the reports, and extraction and
statuses keep the accuracy measured on them (bench/eval_extract.py and bench/eval_status.py score
them the way ../shared/eval does).

The floors sit a little under today's figures (fixtures/eval/README.md, "Where the scores stand
now"), so a rule that helps one report but costs others more fails here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tracker.text import read_report

ROOT = Path(__file__).resolve().parent.parent
GOLDS = ROOT / "fixtures" / "eval"
sys.path.insert(0, str(ROOT / "bench"))

import eval_extract  # noqa: E402  (bench/ is not a package; its scorers are imported from there)
import eval_status  # noqa: E402

COMMITMENT_GOLDS = sorted(GOLDS.glob("*.commitments.jsonl"))
STATUS_GOLDS = sorted(GOLDS.glob("*.status.jsonl"))


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


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


@pytest.mark.parametrize("path", COMMITMENT_GOLDS, ids=lambda p: p.name)
def test_extraction_keeps_its_accuracy_on_labelled_reports(path: Path) -> None:
    gold = _rows(path)
    _, pred = eval_extract.predict(eval_extract.find_doc(gold[0]["doc"]))
    sc = eval_extract.score(gold, pred)
    _, _, f1 = sc.figures()
    assert f1 >= 0.97, (f1, sc.misses, sc.false_pos)
    assert sc.unit / sc.matched >= 0.98, sc.wrong
    assert sc.comp / sc.matched >= 0.95, sc.wrong
    assert sc.ind / sc.matched >= 0.85, sc.wrong


def test_indicator_accuracy_over_all_labelled_reports() -> None:
    total = eval_extract.Score()
    for path in COMMITMENT_GOLDS:
        gold = _rows(path)
        total.add(eval_extract.score(gold, eval_extract.predict(eval_extract.find_doc(gold[0]["doc"]))[1]))
    assert total.ind / total.matched >= 0.94


@pytest.mark.parametrize("path", STATUS_GOLDS, ids=lambda p: p.name)
def test_statuses_keep_their_accuracy_on_labelled_pairs(path: Path) -> None:
    gold = _rows(path)
    result = eval_status.score(gold, eval_status.export_pair(*eval_status.reports_of(gold)), verbose=False)
    assert result["status"] >= 0.85, result
    assert result["false_evidence"] == 0 and result["confusions"] == 0, result
