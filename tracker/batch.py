"""Ingest many inputs: expand directories, one transaction per document, keep going past bad files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from tracker.config import Settings
from tracker.db import session_scope
from tracker.errors import InputError, TrackerError
from tracker.ingest import IngestResult, ingest_text
from tracker.text import read_report

SUFFIXES = (".txt", ".text", ".docx", ".pdf", ".html", ".htm")


@dataclass
class BatchReport:
    """Results of a batch: documents ingested and (input, problem) pairs that failed."""

    done: list[IngestResult] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def expand(paths: list[str]) -> list[str]:
    """Files, URLs and the supported files inside directories, in a stable order."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.rglob("*")) if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def ingest_paths(engine: Engine, settings: Settings, paths: list[str], *, jurisdiction: str | None = None,
                 level: str | None = None, parent: str | None = None, year: int | None = None,
                 progress: Callable[[int, int, str], None] | None = None) -> BatchReport:
    """Ingest every input in its own transaction; a bad input is recorded and the rest go on.

    A single bad input given alone raises, so the caller can report it as the command's error.
    """
    items = expand(paths)
    if not items:
        raise InputError(", ".join(paths), "no report files found")
    report = BatchReport()
    for i, item in enumerate(items, 1):
        try:
            if item.lower().startswith(("http://", "https://")):
                from tracker.jobs import ingest_url  # fetch + convert + store, logged in FetchLog

                report.done.append(ingest_url(engine, settings, item, jurisdiction=jurisdiction, level=level,
                                              parent=parent, year=year))
            else:
                text, fmt = read_report(item)
                with session_scope(engine) as session:
                    report.done.append(ingest_text(session, settings, text, name=item, jurisdiction=jurisdiction,
                                                   level=level, parent=parent, year=year, fmt=fmt))
        except TrackerError as exc:
            if len(items) == 1:
                raise
            report.failed.append((item, getattr(exc, "problem", str(exc))))
        if progress:
            progress(i, len(items), item)
    return report
