"""Ingest many inputs: expand directories, one transaction per document, keep going past bad files."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sqlalchemy.engine import Engine

from tracker.config import Settings
from tracker.db import session_scope
from tracker.errors import InputError, TrackerError
from tracker.ingest import IngestResult, store
from tracker.match.similarity import load_tokenizer
from tracker.prepare import Prepared, prepare
from tracker.text import read_report

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


def _prepared(items: list[str], jurisdiction: str | None, level: str | None,
              year: int | None) -> Iterator[Prepared | tuple[str, str]]:
    """Prepared local files in input order; several files are read and extracted by worker processes.

    Extraction is pure and CPU-bound, so it runs on every core while this process writes to the
    database; the writes stay in one process, one transaction per document, in input order.
    """
    job = partial(_prepare_file, jurisdiction=jurisdiction, level=level, year=year)
    workers = min(os.cpu_count() or 1, len(items))
    if workers < 2 or len(items) < 4 or "fork" not in mp.get_all_start_methods():
        yield from map(job, items)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
        results = pool.map(job, items)
        # meanwhile this process, idle until the first result, loads the word segmenter matching needs
        threading.Thread(target=load_tokenizer, daemon=True).start()
        yield from results


def ingest_paths(engine: Engine, settings: Settings, paths: list[str], *, jurisdiction: str | None = None,
                 level: str | None = None, parent: str | None = None, year: int | None = None,
                 progress: Callable[[int, int, str], None] | None = None) -> BatchReport:
    """Ingest every input in its own transaction; a bad input is recorded and the rest go on.

    A single bad input given alone raises, so the caller can report it as the command's error.
    """
    items, skipped = expand(paths)
    if not items:
        raise InputError(", ".join(paths), "no report files found")
    report = BatchReport(skipped=skipped)
    urls = [i for i in items if i.lower().startswith(("http://", "https://"))]
    files = [i for i in items if i not in urls]
    done = 0
    for prepared in _prepared(files, jurisdiction, level, year):
        done += 1
        try:
            if isinstance(prepared, tuple):
                if len(items) == 1:
                    raise InputError(*prepared)
                report.failed.append(prepared)
            else:
                with session_scope(engine) as session:
                    report.done.append(store(session, settings, prepared, parent=parent))
        except TrackerError as exc:
            if len(items) == 1:
                raise
            report.failed.append((prepared[0] if isinstance(prepared, tuple) else prepared.name,
                                  getattr(exc, "problem", str(exc))))
        if progress:
            progress(done, len(items), prepared[0] if isinstance(prepared, tuple) else prepared.name)
    for url in urls:
        done += 1
        try:
            from tracker.jobs import ingest_url  # fetch + convert + store, logged in FetchLog

            report.done.append(ingest_url(engine, settings, url, jurisdiction=jurisdiction, level=level,
                                          parent=parent, year=year))
        except TrackerError as exc:
            if len(items) == 1:
                raise
            report.failed.append((url, getattr(exc, "problem", str(exc))))
        if progress:
            progress(done, len(items), url)
    return report
