"""Ingest many inputs: expand directories, one transaction per document, keep going past bad files.

Only the pure extraction half is imported here. The database layer is imported once the worker
processes are running: loading it takes as long as extracting a third of the fixture reports, so
the workers extract meanwhile, and they fork without it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.config import Settings
from tracker.errors import InputError, TrackerError
from tracker.prepare import Prepared, prepare
from tracker.text import read_report

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tracker.ingest import IngestResult

SUFFIXES = (".txt", ".text", ".docx", ".pdf", ".html", ".htm")


@dataclass
class BatchReport:
    """Results of a batch: documents ingested, (input, problem) pairs that failed, files not of a report format."""

    done: list[IngestResult] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def expand(paths: list[str]) -> tuple[list[str], list[str]]:
    """Files, URLs and the supported files inside directories, in a stable order; and the files passed over."""
    out: list[str] = []
    skipped: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and not f.name.startswith("."):
                    (out if f.suffix.lower() in SUFFIXES else skipped).append(str(f))
        else:
            out.append(p)
    return out, skipped


def _prepare_file(item: str, jurisdiction: str | None, level: str | None,
                  year: int | None) -> Prepared | tuple[str, str]:
    """Read and extract one local file; a problem comes back as (file, problem) to cross processes."""
    try:
        text, fmt = read_report(item)
        return prepare(text, name=item, jurisdiction=jurisdiction, level=level, year=year, fmt=fmt)
    except TrackerError as exc:
        return item, getattr(exc, "problem", str(exc))


@contextmanager
def _extraction(items: list[str], jurisdiction: str | None, level: str | None,
                year: int | None) -> Iterator[Iterator[Prepared | tuple[str, str]]]:
    """Prepared local files in input order; with several files, worker processes start on them at once.

    Extraction is pure and CPU-bound, so it runs on every core while this process loads the
    database layer and writes; the writes stay in one process, one transaction per document, in
    input order. Leaving early (an error) cancels what the workers have not started.
    """
    job = partial(_prepare_file, jurisdiction=jurisdiction, level=level, year=year)
    workers = min(os.cpu_count() or 1, len(items))
    if workers < 2 or len(items) < 4 or "fork" not in mp.get_all_start_methods():
        yield map(job, items)
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"))
    try:
        results = pool.map(job, items)
        from tracker.match.similarity import load_tokenizer

        # this process has time to spare until the first result: it loads the word segmenter matching needs
        threading.Thread(target=load_tokenizer, daemon=True).start()
        yield results
    finally:
        pool.shutdown(cancel_futures=True)


def ingest_paths(engine: Engine | Callable[[], Engine], settings: Settings, paths: list[str], *,
                 jurisdiction: str | None = None, level: str | None = None, parent: str | None = None,
                 year: int | None = None, progress: Callable[[int, int, str], None] | None = None) -> BatchReport:
    """Ingest every input in its own transaction; a bad input is recorded and the rest go on.

    `engine` may be a function that opens one, called once the workers run (the command line
    does this); that engine is disposed of at the end. A single bad input given alone raises, so
    the caller can report it as the command's error.
    """
    items, skipped = expand(paths)
    if not items:
        raise InputError(", ".join(paths), "no report files found")
    report = BatchReport(skipped=skipped)
    urls = [i for i in items if i.lower().startswith(("http://", "https://"))]
    files = [i for i in items if i not in urls]

    def failed(name: str, exc: TrackerError) -> None:
        if len(items) == 1:
            raise exc
        report.failed.append((name, getattr(exc, "problem", str(exc))))

    def step(name: str) -> None:
        if progress:
            progress(len(report.done) + len(report.failed), len(items), name)

    with _extraction(files, jurisdiction, level, year) as prepared_files:
        from tracker.db import session_scope
        from tracker.ingest import store

        db = engine() if callable(engine) else engine
        try:
            for prepared in prepared_files:
                if isinstance(prepared, tuple):
                    failed(prepared[0], InputError(*prepared))
                else:
                    try:
                        with session_scope(db) as session:
                            report.done.append(store(session, settings, prepared, parent=parent))
                    except TrackerError as exc:
                        failed(prepared.name, exc)
                step(prepared[0] if isinstance(prepared, tuple) else prepared.name)
            for url in urls:
                from tracker.jobs import ingest_url  # fetch + convert + store, logged in FetchLog

                try:
                    report.done.append(ingest_url(db, settings, url, jurisdiction=jurisdiction, level=level,
                                                  parent=parent, year=year))
                except TrackerError as exc:
                    failed(url, exc)
                step(url)
        finally:
            if db is not engine:
                db.dispose()
    return report
