"""The scheduler: one APScheduler 3 job per source, run by one process per database.

Jobs live in the tracker database (SQLAlchemy job store) and call `scheduled_check`; on PostgreSQL
several `tracker schedule` processes may run and an advisory lock decides which one schedules,
the others wait to take over. The checks themselves are in `tracker.jobs`.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import zlib
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from tracker.config import Settings
from tracker.db import check_schema, make_engine, session_scope
from tracker.errors import NotFound
from tracker.jobs import check_source
from tracker.sources import cron_trigger, list_sources, sync_sources

log = logging.getLogger(__name__)

JOBSTORE_TABLE = "tracker_scheduler_jobs"

_ENGINES: dict[str, Engine] = {}
_ENGINES_GUARD = threading.Lock()


def scheduled_check(settings: Settings, source_id: int) -> None:
    """The APScheduler job (stored by reference in the job store): one check, one log line."""
    with _ENGINES_GUARD:
        engine = _ENGINES.get(settings.db_url)
        if engine is None:
            engine = _ENGINES[settings.db_url] = make_engine(settings.db_url)
    try:
        check_source(settings, engine, source_id)
    except NotFound:
        log.warning("source %d no longer exists; its job is removed at the next sync", source_id)


def register_jobs(scheduler: Any, settings: Settings, engine: Engine, *, every_seconds: float | None = None) -> int:
    """One job per source (id "source-<id>"), cron from the source; jobs of removed sources deleted."""
    from apscheduler.triggers.interval import IntervalTrigger

    with session_scope(engine) as session:
        sync_sources(session, settings)
        sources = [(s.id or 0, s.name, s.schedule) for s in list_sources(session)]
    wanted = set()
    for source_id, name, schedule in sources:
        job_id = f"source-{source_id}"
        wanted.add(job_id)
        trigger = IntervalTrigger(seconds=every_seconds) if every_seconds else cron_trigger(schedule)
        existing = scheduler.get_job(job_id)
        if existing is not None and str(existing.trigger) == str(trigger) and existing.args == (settings, source_id):
            continue  # keep its stored next run time
        scheduler.add_job(scheduled_check, trigger=trigger, id=job_id, name=name, args=[settings, source_id],
                          replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=3600)
    for job in scheduler.get_jobs():
        if job.id.startswith("source-") and job.id not in wanted:
            job.remove()
    return len(wanted)


class _Leadership:
    """PostgreSQL advisory lock on a dedicated connection: only its holder runs the scheduler."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn: Any = None
        self.key = 0

    def try_acquire(self) -> bool:
        """Take the lock if free; False while another process holds it (or the database is away)."""
        try:
            if self.conn is None:
                self.conn = self.engine.connect()
                where = self.conn.execute(text("SELECT current_database() || '.' || current_schema()")).scalar()
                self.key = zlib.crc32(f"tracker-scheduler:{where}".encode())
            got = bool(self.conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar())
            self.conn.commit()  # the lock is session-level; do not sit idle in a transaction
            return got
        except DBAPIError as exc:
            log.warning("scheduler lock: database unavailable (%s)", str(exc.orig).strip().splitlines()[0])
            self.close()
            return False

    def alive(self) -> bool:
        """Whether the lock connection still works (a dead connection means the lock is gone)."""
        try:
            self.conn.execute(text("SELECT 1"))
            self.conn.commit()
            return True
        except DBAPIError:
            self.close()
            return False

    def close(self) -> None:
        """Drop the connection, which releases the lock."""
        if self.conn is not None:
            try:
                self.conn.close()
            except DBAPIError:
                pass
            self.conn = None


def run_scheduler(settings: Settings, *, stop: threading.Event | None = None, max_seconds: float | None = None,
                  every_seconds: float | None = None, poll_seconds: float = 0.5,
                  resync_seconds: float = 60.0) -> None:
    """`tracker schedule`: run APScheduler until SIGINT/SIGTERM, `stop` or `max_seconds`."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    stop = stop or threading.Event()
    _install_signals(stop)
    engine = make_engine(settings.db_url)
    check_schema(engine)
    deadline = time.monotonic() + max_seconds if max_seconds else None
    leader = _Leadership(engine) if engine.dialect.name == "postgresql" else None

    def done() -> bool:
        return stop.is_set() or (deadline is not None and time.monotonic() >= deadline)

    waiting_logged = False
    try:
        while not done():
            if leader is not None and not leader.try_acquire():
                if not waiting_logged:
                    log.info("another scheduler holds the lock on this database; waiting to take over")
                    waiting_logged = True
                stop.wait(poll_seconds)
                continue
            waiting_logged = False
            scheduler = BackgroundScheduler(
                jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBSTORE_TABLE)},
                job_defaults={"coalesce": True, "max_instances": 1})
            scheduler.start(paused=True)
            try:
                count = register_jobs(scheduler, settings, engine, every_seconds=every_seconds)
                scheduler.resume()
                log.info("scheduler running: %d sources", count)
                last_sync = time.monotonic()
                while not done():
                    stop.wait(poll_seconds)
                    if leader is not None and not leader.alive():
                        log.warning("lost the scheduler lock; stopping jobs and waiting to take over")
                        break
                    if time.monotonic() - last_sync >= resync_seconds:
                        register_jobs(scheduler, settings, engine, every_seconds=every_seconds)
                        last_sync = time.monotonic()
            finally:
                scheduler.shutdown(wait=True)
                log.info("scheduler stopped")
    finally:
        if leader is not None:
            leader.close()
        with _ENGINES_GUARD:
            cached = _ENGINES.pop(settings.db_url, None)
        if cached is not None:
            cached.dispose()
        engine.dispose()


def _install_signals(stop: threading.Event) -> None:
    """SIGINT/SIGTERM end the scheduler cleanly (only possible from the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
