"""Accuracy of commitment extraction on the labelled reports (the evaluation STYLE.md asks for).

Run: .venv/bin/python bench/eval_extract.py [--verbose] [GOLD.jsonl ...]

Gold files: fixtures/eval/*.commitments.jsonl, and ../shared/eval/*.commitments.jsonl when that folder
exists. Each report is read and extracted in-process. Scoring follows ../shared/eval/score.py (kept
self-contained here so a fresh clone needs nothing outside the repository): a prediction matches a
gold row when the spans overlap and the values agree after unit normalisation; optional gold rows
count neither way; the indicator is right when its character-multiset F1 with the gold is >= 0.8.
The national status golds (../shared/eval/national_*.status.jsonl), when present, give recall only.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.extract import extract_commitments
from tracker.text import read_report, segment

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# Where a gold's `doc` ("city-2024/宜宾.txt") may live: the repository's fixtures first.
DOC_DIRS = (ROOT / "fixtures" / "reports", SHARED / "corpus")

_MULT = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}
_KEEP_QIAN = ("千瓦", "千伏", "千米", "千克", "千瓦时", "千立方米")
_COMP = {"at_least": "ge", "at_most": "le", "about": "about", "exact": "eq", "range": "range", None: "eq", "": "eq"}
_IGNORED = set("“”\"'（）()、，, ")


def norm_unit(value: float, unit: str | None) -> tuple[float, str]:
    """`value` in `unit` as (value in base unit, base unit), as the shared scorer does."""
    u = re.sub(r"[（(].*?[）)]", "", unit or "").strip()
    v = float(value)
    while u and u[0] in _MULT and not u.startswith(_KEEP_QIAN):
        v *= _MULT[u[0]]
        u = u[1:]
    if u == "％":
        u = "%"
    if u == "名":
        u = "人"
    return v, u


def same_value(a: float, b: float) -> bool:
    """Equal within a relative 1e-6."""
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def indicator_ok(gold: str, pred: str) -> bool:
    """Character-multiset F1 between two indicators >= 0.8 (punctuation and quotes ignored)."""
    g = [c for c in gold if c not in _IGNORED]
    p = [c for c in pred if c not in _IGNORED]
    if not g or not p:
        return False
    common = sum((Counter(g) & Counter(p)).values())
    if not common:
        return False
    pr, rc = common / len(p), common / len(g)
    return 2 * pr * rc / (pr + rc) >= 0.8


@dataclass
class Score:
    """Counts for one report (or the total)."""

    required: int = 0
    predicted: int = 0
    matched: int = 0
    unit: int = 0
    comp: int = 0
    ind: int = 0
    predicted_counted: int = 0  # predictions minus those that matched an optional gold row
    misses: list[str] = field(default_factory=list)
    false_pos: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Add another report's counts to these."""
        for k in ("required", "predicted", "matched", "unit", "comp", "ind"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def figures(self) -> tuple[float, float, float]:
        """Precision, recall, F1 (optional gold rows and what they match count neither way)."""
        fp = self.predicted_counted - self.matched
        prec = self.matched / (self.matched + fp) if self.matched + fp else 0.0
        rec = self.matched / self.required if self.required else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return prec, rec, f1


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def find_doc(doc: str) -> Path:
    """The report file a gold row names."""
    for d in DOC_DIRS:
        if (d / doc).exists():
            return d / doc
    raise SystemExit(f"document {doc} not found under {', '.join(map(str, DOC_DIRS))}")


def predict(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """The text of a report and its extracted commitments as dicts."""
    text, _ = read_report(path)
    return text, [r.to_dict() for r in extract_commitments(segment(text))]


def score(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> Score:
    """Match predictions to gold rows the way ../shared/eval/score.py does."""
    sc = Score(required=sum(not g.get("optional") for g in gold), predicted=len(pred))
    preds = [(p, norm_unit(p["value"], p["unit"])) for p in pred]
    used: set[int] = set()
    optional_hits = 0
    for g in gold:
        gv = norm_unit(g["value"], g["unit"])
        best = next((i for i, (p, nv) in enumerate(preds) if i not in used and p["end"] > g["start"]
                     and p["start"] < g["end"] and same_value(nv[0], gv[0])), None)
        if best is None:
            if not g.get("optional"):
                sc.misses.append(f"{g['id']} {g['quote']} {g['indicator']}")
            continue
        used.add(best)
        if g.get("optional"):
            optional_hits += 1
            continue
        p, nv = preds[best]
        sc.matched += 1
        ok_unit = nv[1] == gv[1]
        ok_comp = _COMP.get(p["comparator"], "?") == _COMP[g["comparator"]]
        ok_ind = indicator_ok(g["indicator"], p["indicator"])
        sc.unit += ok_unit
        sc.comp += ok_comp
        sc.ind += ok_ind
        if not (ok_unit and ok_comp and ok_ind):
            sc.wrong.append(f"{g['id']} {g['quote']}: "
                            + (f"unit {p['unit']!r} (gold {g['unit']!r}) " if not ok_unit else "")
                            + (f"comparator {p['comparator']} (gold {g['comparator']}) " if not ok_comp else "")
                            + (f"indicator {p['indicator']!r} (gold {g['indicator']!r})" if not ok_ind else ""))
    sc.predicted_counted = len(pred) - optional_hits
    sc.false_pos = [f"{p['start']} {p['quote']} {p['indicator']}" for i, (p, _) in enumerate(preds) if i not in used]
    return sc


def national_recall(path: Path) -> tuple[int, int, list[str]]:
    """Required commitments of a national status gold found by extraction (span overlap, same value)."""
    gold = [g for g in load_jsonl(path) if not g.get("optional")]
    year = re.search(r"national_(\d{4})_", path.name)
    if not gold or not year:
        return 0, 0, []
    text, pred = predict(find_doc(f"national/{year.group(1)}.txt"))
    found, misses = 0, []
    for g in gold:
        gv = norm_unit(g["value"], g["unit"])
        if any(p["end"] > g["commit_start"] and p["start"] < g["commit_end"]
               and same_value(norm_unit(p["value"], p["unit"])[0], gv[0]) for p in pred):
            found += 1
        else:
            misses.append(f"{text[g['commit_start']:g['commit_end']]} ({g['value']} {g['unit']})")
    return found, len(gold), misses


def _rate(n: int, d: int) -> str:
    return f"{n / d:.3f}" if d else "  -  "


def main() -> None:
    """Print per-report and total scores."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", type=Path, help="gold JSONL files (default: every labelled report)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list misses, false positives and wrong fields")
    args = ap.parse_args()
    golds = args.gold or sorted((ROOT / "fixtures" / "eval").glob("*.commitments.jsonl"))
    if not args.gold and (SHARED / "eval").is_dir():
        golds += sorted((SHARED / "eval").glob("*.commitments.jsonl"))
    head = f"{'report':<14}{'gold':>5}{'pred':>6}{'match':>6}{'P':>7}{'R':>7}{'F1':>7}{'unit':>7}{'comp':>7}{'ind':>7}"
    print(head)
    total = Score()
    details = []
    for path in golds:
        gold = load_jsonl(path)
        _, pred = predict(find_doc(gold[0]["doc"]))
        sc = score(gold, pred)
        total.add(sc)
        total.predicted_counted += sc.predicted_counted
        name = path.name.removesuffix(".commitments.jsonl")
        print(_line(name, sc))
        details.append((name, sc))
    print(_line("TOTAL", total))
    if (SHARED / "eval").is_dir() and not args.gold:
        for path in sorted((SHARED / "eval").glob("national_*.status.jsonl")):
            found, n, misses = national_recall(path)
            print(f"{path.name.removesuffix('.status.jsonl')}: commitments found {found}/{n}")
            if args.verbose:
                for m in misses:
                    print(f"    missed: {m}")
    if args.verbose:
        for name, sc in details:
            print(f"\n== {name}")
            for kind, items in (("missed", sc.misses), ("false positive", sc.false_pos), ("wrong", sc.wrong)):
                for item in items:
                    print(f"  {kind}: {item}")


def _line(name: str, sc: Score) -> str:
    prec, rec, f1 = sc.figures()
    return (f"{name:<14}{sc.required:>5}{sc.predicted:>6}{sc.matched:>6}{prec:>7.3f}{rec:>7.3f}{f1:>7.3f}"
            f"{_rate(sc.unit, sc.matched):>7}{_rate(sc.comp, sc.matched):>7}{_rate(sc.ind, sc.matched):>7}")


if __name__ == "__main__":
    main()
