"""Accuracy of statuses and evidence on labelled report pairs (the status half of the evaluation).

Run: .venv/bin/python bench/eval_status.py [--verbose]

Gold files: fixtures/eval/*.status.jsonl, and ../shared/eval/*.status.jsonl when that folder exists.
For each pair the earlier and later reports are ingested into a fresh SQLite database, exactly as
`tracker ingest` does, and the export is scored the way ../shared/eval/status_score.py does: a
gold commitment is found when a prediction's span overlaps it and the values agree after unit
normalisation; status accuracy counts every required row (not found counts as wrong).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from pathlib import Path
from typing import Any

from eval_extract import DOC_DIRS, ROOT, SHARED, norm_unit, same_value

from tracker.batch import ingest_paths
from tracker.config import load_settings
from tracker.db import open_engine, session_scope
from tracker.exchange import export_commitments


def find_doc(name: str) -> Path:
    """A gold's document name ("2017.txt", "浙江-2025.docx") found among the fixtures."""
    for base in DOC_DIRS:
        hits = sorted(base.rglob(name))
        if hits:
            return hits[0]
    raise SystemExit(f"document {name} not found under {', '.join(map(str, DOC_DIRS))}")


def reports_of(gold: list[dict[str, Any]]) -> tuple[Path, Path]:
    """The earlier report (the commitments) and the later one (the evidence) a status gold is about."""
    earlier = find_doc(gold[0]["commit_doc"])
    later_name = next((g["evidence_doc"] for g in gold if g.get("evidence_doc")), None)
    later = find_doc(later_name) if later_name else find_doc(f"{int(earlier.stem[-4:]) + 1}{earlier.suffix}")
    return earlier, later


def export_pair(earlier: Path, later: Path) -> list[dict[str, Any]]:
    """`tracker export` of two reports ingested into a fresh SQLite database."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(load_settings(ROOT / "config.toml", env={}),
                                       db_url=f"sqlite:///{tmp}/eval.sqlite")
        engine = open_engine(settings.db_url, create=True)
        report = ingest_paths(engine, settings, [str(earlier), str(later)])
        if report.failed:
            raise SystemExit(f"could not ingest: {report.failed}")
        with session_scope(engine) as session:
            rows = export_commitments(session)
        engine.dispose()
    return rows


def score(gold: list[dict[str, Any]], pred: list[dict[str, Any]], verbose: bool) -> dict[str, float]:
    """Found, status right, evidence right, false evidence and fulfilled<->missed confusions."""
    req = [g for g in gold if not g.get("optional")]
    used: set[int] = set()
    found = ok = ev_need = ev_ok = false_ev = severe = 0
    for g in req:
        gv = norm_unit(g["value"], g["unit"])[0]
        hit = next((i for i, p in enumerate(pred) if i not in used and p["start"] < g["commit_end"]
                    and p["end"] > g["commit_start"] and same_value(norm_unit(p["value"], p["unit"])[0], gv)), None)
        if hit is None:
            if verbose:
                print(f"  not found: {g['id']} {g['commit_quote']} {g['indicator']}")
            continue
        used.add(hit)
        found += 1
        p = pred[hit]
        ok += p["status"] == g["status"]
        severe += {p["status"], g["status"]} == {"fulfilled", "missed"}
        ev = p.get("evidence")
        if g.get("evidence_start") is not None:
            ev_need += 1
            ev_ok += bool(ev) and ev["start"] < g["evidence_end"] and ev["end"] > g["evidence_start"]
        elif ev:
            false_ev += 1
        if verbose and p["status"] != g["status"]:
            print(f"  status: {g['id']} {g['indicator']} {g['commit_quote']}: {p['status']}, gold {g['status']}")
    return {"required": len(req), "found": found, "status": ok / len(req) if req else 0.0,
            "evidence": f"{ev_ok}/{ev_need}", "false_evidence": false_ev, "confusions": severe}


def main() -> None:
    """Score every labelled pair and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list the rows that are wrong")
    args = parser.parse_args()
    golds = sorted((ROOT / "fixtures" / "eval").glob("*.status.jsonl"))
    if (SHARED / "eval").is_dir():
        golds += sorted((SHARED / "eval").glob("*.status.jsonl"))
    print(f"{'pair':<24} {'required':>8} {'found':>6} {'status':>7} {'evidence':>9} {'false ev':>9} {'f<->m':>6}")
    for path in golds:
        gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if args.verbose:
            print(path.name)
        r = score(gold, export_pair(*reports_of(gold)), args.verbose)
        print(f"{path.name.split('.')[0]:<24} {r['required']:>8} {r['found']:>6} {r['status']:>7.3f} "
              f"{r['evidence']:>9} {r['false_evidence']:>9} {r['confusions']:>6}")


if __name__ == "__main__":
    main()
