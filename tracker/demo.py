"""The demo: a fresh SQLite database from the fixture reports, a real scorecard and the open commitments."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from tracker.batch import BatchReport, ingest_paths
from tracker.config import PROJECT_ROOT, Settings
from tracker.db import open_engine, session_scope
from tracker.scorecard.build import Scorecard, build_scorecard
from tracker.scorecard.load import CommitmentView, load_views

DEMO_DB = PROJECT_ROOT / "db" / "demo.sqlite"
REPORTS = PROJECT_ROOT / "fixtures" / "reports"
DEMO_REPORTS = ("national/2017.txt", "national/2018.txt", "national/2019.txt", "city-2024/宜宾.txt",
                "city-2024/泸州.txt")
SCORECARD = ("全国", 2018)
OPEN = (("宜宾", 2024), ("泸州", 2024))


@dataclass
class Demo:
    """What the demo built: where, what was ingested, the national scorecard and the cities' open commitments."""

    db_path: Path
    ingested: BatchReport
    scorecard: Scorecard
    open_commitments: list[CommitmentView]


def run_demo(settings: Settings, *, db_path: Path = DEMO_DB, reports: Path = REPORTS) -> Demo:
    """Delete and rebuild the demo database from the fixtures, then build what the demo shows."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    demo_settings = dataclasses.replace(settings, db_url=f"sqlite:///{db_path}")
    engine = open_engine(demo_settings.db_url, create=True)
    try:
        ingested = ingest_paths(engine, demo_settings, [str(reports / p) for p in DEMO_REPORTS])
        with session_scope(engine) as session:
            name, year = SCORECARD
            card = build_scorecard(load_views(session, jurisdiction=name, year=year), year=year)
            open_rows = [v for jur, y in OPEN for v in load_views(session, jurisdiction=jur, year=y, open_only=True)]
    finally:
        engine.dispose()
    return Demo(db_path, ingested, card, open_rows)
