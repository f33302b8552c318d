"""Jobs: check a source (fetch it, follow the report links it lists, ingest new reports, log every fetch).

Checks are plain functions that tests call directly; `tracker.scheduler` only registers them. Each check
locks its source row (FOR NO KEY UPDATE SKIP LOCKED on PostgreSQL), so a manual `tracker check` and
a scheduler never check one source at once; each new document is stored in its own transaction.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.db import session_scope
from tracker.discover import discover_links, fetched_text
from tracker.errors import FetchError, InputError, NotFound
from tracker.fetch import Fetcher, FetchResult
from tracker.models import FetchLog, Source
from tracker.sources import DEFAULT_LINK_PATTERN, is_due, list_sources, sync_sources

if TYPE_CHECKING:
    from tracker.ingest import IngestResult  # imported lazily: ingestion pulls in the extraction grammar

log = logging.getLogger(__name__)


@dataclass
class CheckResult:
    """What one check did: requests made, 304s, new documents and errors."""

    source: str
    status: str = "ok"  # ok | unchanged | error | busy
    requests: int = 0
    not_modified: int = 0
    new_documents: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line for logs and `tracker sources list`."""
        if self.status == "busy":
            return "busy: another check holds this source"
        parts = [f"{self.requests} requests", f"{self.not_modified} not modified",
                 f"{len(self.new_documents)} new documents"]
        if self.errors:
            parts.append(f"{len(self.errors)} errors, first: {self.errors[0]}")
        return f"{self.status}: " + ", ".join(parts)


# --- one check ---------------------------------------------------------------------------------


def check_source(settings: Settings, bind: Engine | Session, source_id: int, *,
                 transport: httpx.BaseTransport | None = None) -> CheckResult:
    """Check one source now: fetch it, follow new report links, ingest new texts, log every fetch."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    assert isinstance(engine, Engine)
    with _claim(engine, source_id) as claimed:
        if claimed is None:
            with session_scope(engine) as session:
                name = session.get(Source, source_id)
            if name is None:
                raise NotFound("source", str(source_id))
            result = CheckResult(source=name.name, status="busy")
            log.info("check %s: %s", result.source, result.summary)
            return result
        session, source = claimed
        result = CheckResult(source=source.name)
        with Fetcher(settings.fetch, transport=transport) as fetcher:
            if source.kind == "listing":
                validators = _check_listing(settings, engine, fetcher, source, result)
            else:
                validators = _check_document(settings, engine, fetcher, source, result)
        if result.errors:
            result.status = "error"
        elif not result.new_documents and result.requests == result.not_modified:
            result.status = "unchanged"
        if validators is not None:  # kept only after a clean check, so failures are retried in full
            source.etag, source.last_modified = validators
        source.last_checked_at = datetime.now(UTC)
        source.last_result = result.summary[:500]
        session.add(source)
    log.info("check %s: %s", result.source, result.summary)
    return result


@contextmanager
def _claim(engine: Engine, source_id: int) -> Iterator[tuple[Session, Source] | None]:
    """Lock the source row for the whole check, or yield None when another check holds it."""
    postgres = engine.dialect.name == "postgresql"
    local = _local_lock(engine, source_id)
    if not local.acquire(blocking=False):
        yield None
        return
    try:
        with Session(engine, expire_on_commit=False) as session:
            query = select(Source).where(Source.id == source_id)
            # NO KEY UPDATE, not UPDATE: inserting FetchLog rows that reference the source takes a
            # KEY SHARE lock, which FOR UPDATE would block (our own other transactions would hang).
            row = session.exec(query.with_for_update(skip_locked=True, key_share=True)).first()
            if row is None:
                yield None
                return
            if not postgres:
                session.commit()  # SQLite: no row locks; do not hold the database's write lock
            try:
                yield session, row
                session.commit()
            except BaseException:
                session.rollback()
                raise
    finally:
        local.release()


_LOCAL_LOCKS: dict[tuple[str, int], threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()


def _local_lock(engine: Engine, source_id: int) -> threading.Lock:
    """A process-wide lock per source, so threads of one process never check a source twice (SQLite too)."""
    key = (engine.url.render_as_string(hide_password=True), source_id)
    with _LOCAL_GUARD:
        return _LOCAL_LOCKS.setdefault(key, threading.Lock())


def _check_document(settings: Settings, engine: Engine, fetcher: Fetcher, source: Source,
                    result: CheckResult) -> tuple[str | None, str | None] | None:
    """A source that is itself a report: conditional GET, ingest when changed."""
    fetched = _fetch_logged(engine, fetcher, source, source.url, result,
                            etag=source.etag, last_modified=source.last_modified)
    if fetched is None:
        return None
    if fetched.not_modified:
        return source.etag, source.last_modified
    ok = _ingest_fetched(settings, engine, source, fetched, result, title=None)
    return (fetched.etag, fetched.last_modified) if ok else None


def _check_listing(settings: Settings, engine: Engine, fetcher: Fetcher, source: Source,
                   result: CheckResult) -> tuple[str | None, str | None] | None:
    """A listing page: when it changed, follow matching links not fetched yet (or changed since)."""
    page = _fetch_logged(engine, fetcher, source, source.url, result,
                         etag=source.etag, last_modified=source.last_modified)
    if page is None:
        return None
    if page.not_modified:
        return source.etag, source.last_modified
    try:
        links = discover_links(page, source.link_pattern or DEFAULT_LINK_PATTERN)
    except InputError as exc:
        _log_row(engine, source, page.final_url, error=f"listing page unreadable: {exc.problem}")
        result.errors.append(str(exc))
        return None
    log.debug("%s: %d matching links", source.name, len(links))
    clean = True
    for link in links:
        with session_scope(engine) as session:
            prev = last_good_fetch(session, url=link.url)
        fetched = _fetch_logged(engine, fetcher, source, link.url, result,
                                etag=prev.etag if prev else None,
                                last_modified=prev.last_modified if prev else None, prev=prev)
        if fetched is None:
            clean = False
            continue
        if fetched.not_modified:
            continue
        if prev is not None and prev.sha256 == fetched.sha256:
            continue  # a server without validators sent the same bytes again
        clean = _ingest_fetched(settings, engine, source, fetched, result, title=link.text or None) and clean
    return (page.etag, page.last_modified) if clean else None


def last_good_fetch(session: Session, *, url: str) -> FetchLog | None:
    """The latest fetch of `url` that got its body (200, or 304 carrying the validators on)."""
    q = (select(FetchLog).where(FetchLog.url == url, col(FetchLog.sha256).is_not(None),
                                col(FetchLog.http_status).in_((200, 304)))
         .order_by(col(FetchLog.id).desc()).limit(1))
    return session.exec(q).first()


def _fetch_logged(engine: Engine, fetcher: Fetcher, source: Source | None, url: str, result: CheckResult, *,
                  etag: str | None, last_modified: str | None, prev: FetchLog | None = None) -> FetchResult | None:
    """Fetch; a failure or a 304 is logged here, a 200 is logged with the ingestion that follows."""
    result.requests += 1
    try:
        fetched = fetcher.get(url, etag=etag, last_modified=last_modified)
    except FetchError as exc:
        _log_row(engine, source, url, status=exc.status, error=exc.problem, attempts=fetcher.last_attempts)
        result.errors.append(str(exc))
        return None
    if fetched.not_modified:
        result.not_modified += 1
        _log_row(engine, source, url, status=304, attempts=fetched.attempts,
                 sha256=prev.sha256 if prev else None, etag=fetched.etag or etag,
                 last_modified=fetched.last_modified or last_modified)
    elif source is not None and url == source.url and source.kind == "listing":
        _log_row(engine, source, url, status=fetched.status, nbytes=len(fetched.content),
                 sha256=fetched.sha256, etag=fetched.etag, last_modified=fetched.last_modified,
                 attempts=fetched.attempts)
    return fetched


def _ingest_fetched(settings: Settings, engine: Engine, source: Source, fetched: FetchResult,
                    result: CheckResult, *, title: str | None) -> bool:
    """Convert and ingest one fetched report in its own transaction; False when it must be retried."""
    try:
        res = store_fetched(settings, engine, fetched, source=source, title=title,
                            jurisdiction=source.jurisdiction, level=source.level, parent=source.parent)
    except InputError as exc:
        # not a report (or unreadable): recorded with its hash, so it is not fetched in full again
        _log_row(engine, source, fetched.url, status=fetched.status, nbytes=len(fetched.content),
                 sha256=fetched.sha256, etag=fetched.etag, last_modified=fetched.last_modified,
                 attempts=fetched.attempts, error=f"not ingested: {exc.problem}")
        result.errors.append(str(exc))
        return True
    if res.new:
        result.new_documents.append(res.document_id)
    return True


def store_fetched(settings: Settings, engine: Engine, fetched: FetchResult, *, source: Source | None,
                  title: str | None = None, jurisdiction: str | None = None, level: str | None = None,
                  parent: str | None = None, year: int | None = None) -> IngestResult:
    """Text of a fetched body ingested together with its FetchLog row, in one transaction."""
    from tracker.ingest import ingest_text, stored_result

    report_text, fmt = fetched_text(fetched)
    sha = hashlib.sha256(report_text.encode("utf-8")).hexdigest()
    fields: dict[str, Any] = dict(status=fetched.status, nbytes=len(fetched.content), sha256=fetched.sha256,
                                  etag=fetched.etag, last_modified=fetched.last_modified, attempts=fetched.attempts)
    for attempt in (1, 2):
        try:
            with session_scope(engine) as session:
                res = ingest_text(session, settings, report_text, name=fetched.url, jurisdiction=jurisdiction,
                                  level=level, parent=parent, year=year, url=fetched.final_url, fmt=fmt,
                                  title=title)
                session.add(_row(source, fetched.url, document_id=res.document_id, new_document=res.new, **fields))
                return res
        except IntegrityError:
            # another process stored the same text (or took the same commitment ids) a moment ago
            with session_scope(engine) as session:
                stored = stored_result(session, sha, fetched.url)
                if stored is not None:
                    log.info("%s: stored by a concurrent check a moment ago (document %s)", fetched.url,
                             stored.document_id)
                    session.add(_row(source, fetched.url, document_id=stored.document_id, new_document=False,
                                     **fields))
                    return stored
            if attempt == 2:
                raise InputError(fetched.url, "could not be stored: a concurrent write conflicted twice") from None
    raise AssertionError("unreachable")


def _row(source: Source | None, url: str, *, status: int | None = None, nbytes: int = 0, sha256: str | None = None,
         etag: str | None = None, last_modified: str | None = None, attempts: int = 1, error: str | None = None,
         document_id: int | None = None, new_document: bool = False) -> FetchLog:
    return FetchLog(source_id=source.id if source else None, url=url, fetched_at=datetime.now(UTC),
                    http_status=status, bytes=nbytes,
                    sha256=sha256, etag=etag, last_modified=last_modified, attempts=attempts,
                    error=error[:1000] if error else None, document_id=document_id, new_document=new_document)


def _log_row(engine: Engine, source: Source | None, url: str, **fields: Any) -> None:
    """One FetchLog row in its own transaction, so it survives whatever happens next."""
    with session_scope(engine) as session:
        session.add(_row(source, url, **fields))


def ingest_url(engine: Engine, settings: Settings, url: str, *, jurisdiction: str | None = None,
               level: str | None = None, parent: str | None = None, year: int | None = None,
               transport: httpx.BaseTransport | None = None) -> IngestResult:
    """`tracker ingest URL`: fetch, convert and store one report; FetchError/InputError name the URL."""
    with Fetcher(settings.fetch, transport=transport) as fetcher:
        try:
            fetched = fetcher.get(url)
        except FetchError as exc:
            _log_row(engine, None, url, status=exc.status, error=exc.problem, attempts=fetcher.last_attempts)
            raise
    try:
        return store_fetched(settings, engine, fetched, source=None, jurisdiction=jurisdiction,
                             level=level, parent=parent, year=year)
    except InputError as exc:
        _log_row(engine, None, url, status=fetched.status, nbytes=len(fetched.content), sha256=fetched.sha256,
                 attempts=fetched.attempts, error=f"not ingested: {exc.problem}")
        raise


# --- many checks -------------------------------------------------------------------------------


def run_checks(settings: Settings, engine: Engine, *, names: Sequence[str] = (), all_sources: bool = False,
               now: datetime | None = None, transport: httpx.BaseTransport | None = None) -> list[CheckResult]:
    """`tracker check`: sync config sources, then check the named ones, all, or those due now."""
    with session_scope(engine) as session:
        sync_sources(session, settings)
        sources = list(list_sources(session))
    if names:
        known = {s.name for s in sources}
        missing = [n for n in names if n not in known]
        if missing:
            raise NotFound("source", missing[0], "name")
        chosen = [s for s in sources if s.name in names]
    elif all_sources:
        chosen = sources
    else:
        moment = now or datetime.now(UTC)
        chosen = [s for s in sources if is_due(s, moment)]
    return [check_source(settings, engine, s.id or 0, transport=transport) for s in chosen]


