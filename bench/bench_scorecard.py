"""Benchmark: scorecards for 300 jurisdictions x 100 commitments from a real SQLite database (target < 5 s).

Fills a fresh SQLite file with synthetic but realistic rows (a plan and a review report per
jurisdiction, 100 commitments each, outcomes, automatic and manual status events), then times what
`tracker scorecard --year 2024 --compare` does: load the views from the database, aggregate, render.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.db import init_schema, make_engine, session_scope  # noqa: E402
from tracker.models import Commitment, Document, Jurisdiction, Outcome, StatusEvent  # noqa: E402
from tracker.scorecard.areas import areas  # noqa: E402
from tracker.scorecard.html import render_html  # noqa: E402
from tracker.scorecard.render import render_csv, render_json, render_markdown, render_xlsx  # noqa: E402
from tracker.scorecard.service import make_scorecard  # noqa: E402

JURISDICTIONS, PER = 300, 100
STATUSES = ("fulfilled", "fulfilled", "fulfilled", "partial", "missed", "no_evidence", "pending")


def fill(url: str) -> None:
    """Insert the synthetic jurisdictions, documents, commitments, outcomes and events in bulk."""
    rng = random.Random(7)
    area_keys = [a.key for a in areas()]
    engine = make_engine(url)
    init_schema(engine)
    jurs, docs, commitments, outcomes, events = [], [], [], [], []
    cid = oid = 0
    for j in range(1, JURISDICTIONS + 1):
        jurs.append({"id": j, "name": f"市{j:03d}", "level": "city"})
        plan, review = [], []
        for k in range(PER):
            plan.append(f"指标{k}要达到{k + 5}.5万吨以上。")
            review.append(f"全年指标{k}完成{k + 5}.{rng.randint(0, 9)}万吨，同比增长{rng.randint(1, 9)}%。")
        plan_text, review_text = "".join(plan), "".join(review)
        docs.append({"id": 2 * j - 1, "jurisdiction_id": j, "report_year": 2024, "title": f"市{j:03d}2024年政府工作报告",
                     "sha256": f"p{j}", "text": plan_text, "kind": "work_report", "format": "text"})
        docs.append({"id": 2 * j, "jurisdiction_id": j, "report_year": 2025, "title": f"市{j:03d}2025年政府工作报告",
                     "sha256": f"r{j}", "text": review_text, "kind": "work_report", "format": "text"})
        p_at = r_at = 0
        for k in range(PER):
            cid += 1
            status = rng.choice(STATUSES)
            s_start = p_at + plan[k].index("要达到") + 3
            commitments.append({
                "id": cid, "key": f"市{j:03d}-2024-{k + 1:03d}", "document_id": 2 * j - 1, "jurisdiction_id": j,
                "target_year": 2024, "part": "plan", "chapter": f"{'一二三四五六七'[k % 7]}、第{k % 7 + 1}章",
                "sentence_start": p_at, "sentence_end": p_at + len(plan[k]), "start": s_start,
                "end": s_start + len(f"{k + 5}.5万吨以上"), "quote": f"{k + 5}.5万吨以上", "indicator": f"指标{k}",
                "value": k + 5.5, "unit": "万吨", "norm_value": (k + 5.5) * 1e4, "base_unit": "吨",
                "comparator": "at_least", "hedge": rng.choice((None, None, "firm", "aspirational")), "kind": "amount",
                "area": rng.choice(area_keys), "status": status, "confidence": 1.0})
            o_start = r_at + review[k].index("完成") + 2
            if status in ("fulfilled", "partial", "missed"):
                oid += 1
                outcomes.append({
                    "id": oid, "document_id": 2 * j, "jurisdiction_id": j, "period_year": 2024, "multi_year": False,
                    "indicator": f"指标{k}", "value": k + 5.0, "unit": "万吨", "norm_value": (k + 5.0) * 1e4,
                    "base_unit": "吨", "bound": "exact", "kind": "amount", "sentence_start": r_at,
                    "sentence_end": r_at + len(review[k]), "start": o_start, "end": o_start + 6, "quote": "x"})
                events.append({"commitment_id": cid, "old_status": "pending", "new_status": status, "origin": "auto",
                               "outcome_id": oid})
            else:
                events.append({"commitment_id": cid, "old_status": "pending", "new_status": status, "origin": "auto"})
            if rng.random() < 0.05:
                events.append({"commitment_id": cid, "old_status": status, "new_status": status, "origin": "manual",
                               "actor": "bench", "note": "复核"})
            p_at += len(plan[k])
            r_at += len(review[k])
    with session_scope(engine) as s:
        for model, rows in ((Jurisdiction, jurs), (Document, docs), (Commitment, commitments), (Outcome, outcomes),
                            (StatusEvent, events)):
            s.execute(insert(model), rows)  # type: ignore[call-overload]
    engine.dispose()


def timed(label: str, fn, results: dict[str, float]):  # type: ignore[no-untyped-def]
    """Run fn, remember and print its wall time."""
    t0 = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - t0
    print(f"  {label:<34} {results[label]:6.2f} s")
    return value


def main() -> None:
    """Fill the database, then time loading, aggregating and rendering the comparison scorecard."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        t0 = time.perf_counter()
        fill(url)
        print(f"filled {JURISDICTIONS} jurisdictions x {PER} commitments in {time.perf_counter() - t0:.1f} s "
              f"({Path(tmp, 'bench.sqlite').stat().st_size / 1e6:.0f} MB)")
        engine = make_engine(url)
        r: dict[str, float] = {}
        with session_scope(engine) as s:
            cmp = timed("load + aggregate (--compare)", lambda: make_scorecard(s, year=2024, compare=True), r)
            timed("load + aggregate (all combined)", lambda: make_scorecard(s, year=2024), r)
        md = timed("render markdown", lambda: render_markdown(cmp), r)
        page = timed("render html", lambda: render_html(cmp), r)
        timed("render json", lambda: render_json(cmp), r)
        timed("render csv", lambda: render_csv(cmp), r)
        xlsx = timed("render xlsx", lambda: render_xlsx(cmp), r)
        engine.dispose()
    rows = sum(len(c.rows) for c in cmp.cards)
    print(f"{len(cmp.cards)} scorecards, {rows} commitments; markdown {len(md) / 1e6:.1f} MB, "
          f"html {len(page.encode()) / 1e6:.1f} MB, xlsx {len(xlsx) / 1e6:.1f} MB")
    main_path = r["load + aggregate (--compare)"] + r["render html"]
    print(f"scorecard --compare, load + aggregate + html: {main_path:.2f} s (target < 5 s)")
    print(f"slowest format (xlsx), load + aggregate + xlsx: {r['load + aggregate (--compare)'] + r['render xlsx']:.2f} s")


if __name__ == "__main__":
    main()
