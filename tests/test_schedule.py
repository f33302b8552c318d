"""The scheduler: checks happen on their own, the job store survives a restart, signals stop it cleanly,
row locks keep a manual check off a source being checked, and on PostgreSQL two `tracker schedule`
processes elect one leader and ingest each report once (the other takes over when the leader dies).
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tests.web import WebServer
from tracker.config import FetchSettings, Settings
from tracker.db import init_schema, make_engine, session_scope
from tracker.jobs import _local_lock, check_source
from tracker.models import Document, FetchLog, Source
from tracker.scheduler import JOBSTORE_TABLE, run_scheduler
from tracker.sources import add_source

FAST = FetchSettings(timeout_seconds=2.0, max_bytes=2_000_000, retries=1, backoff_seconds=0.01,
                     per_host_delay_seconds=0.0, user_agent="tracker-tests/1.0")
REPORT = "/files/2016-report.docx"


def wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def fetch_rows(engine: Engine) -> list[FetchLog]:
    with Session(engine) as s:
        return list(s.exec(select(FetchLog).order_by(col(FetchLog.id))).all())


def add_report_source(engine: Engine, url: str) -> int:
    with session_scope(engine) as s:
        return add_source(s, name="国务院", jurisdiction="全国", level="national", url=url).id or 0


def test_scheduler_checks_on_its_own_and_restarts_with_its_job_store(sqlite_settings: Settings,
                                                                      sqlite_engine: Engine, site: WebServer) -> None:
    settings = dataclasses.replace(sqlite_settings, fetch=FAST)
    sid = add_report_source(sqlite_engine, site.url(REPORT))

    def start() -> tuple[threading.Event, threading.Thread]:
        stop = threading.Event()
        thread = threading.Thread(target=run_scheduler, args=(settings,),
                                  kwargs={"stop": stop, "every_seconds": 0.3, "poll_seconds": 0.05}, daemon=True)
        thread.start()
        return stop, thread

    stop, thread = start()
    assert wait_for(lambda: len(fetch_rows(sqlite_engine)) >= 1), "the scheduler never checked the source"
    stop.set()
    thread.join(10)
    assert not thread.is_alive()
    with sqlite_engine.connect() as conn:
        stored = conn.execute(text(f"SELECT id FROM {JOBSTORE_TABLE}")).scalars().all()
    assert stored == [f"source-{sid}"]
    first = fetch_rows(sqlite_engine)
    assert first[0].new_document and first[0].http_status == 200

    stop, thread = start()
    assert wait_for(lambda: len(fetch_rows(sqlite_engine)) > len(first)), "no check after the restart"
    stop.set()
    thread.join(10)
    assert [r.http_status for r in fetch_rows(sqlite_engine)][len(first)] == 304
    with Session(sqlite_engine) as s:
        assert len(s.exec(select(Document)).all()) == 1
        src = s.get(Source, sid)
        assert src is not None and src.last_result and src.last_checked_at is not None
    with sqlite_engine.connect() as conn:
        assert conn.execute(text(f"SELECT id FROM {JOBSTORE_TABLE}")).scalars().all() == [f"source-{sid}"]


def test_a_removed_source_loses_its_job(sqlite_settings: Settings, sqlite_engine: Engine) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    from tracker.scheduler import register_jobs
    from tracker.sources import remove_source

    add_report_source(sqlite_engine, "https://www.gov.cn/report.html")
    scheduler = BackgroundScheduler()
    scheduler.start(paused=True)
    try:
        assert register_jobs(scheduler, sqlite_settings, sqlite_engine) == 1
        [job] = scheduler.get_jobs()
        assert str(job.trigger).startswith("cron[") and job.id.startswith("source-")
        with session_scope(sqlite_engine) as s:
            remove_source(s, name="国务院")
        assert register_jobs(scheduler, sqlite_settings, sqlite_engine) == 0
        assert scheduler.get_jobs() == []
    finally:
        scheduler.shutdown(wait=False)


def _env(config: Path, db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TRACKER_CONFIG=str(config), TRACKER_DB_URL=db_url, PYTHONUNBUFFERED="1")
    return env


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\ntimeout_seconds = 2.0\nretries = 1\nbackoff_seconds = 0.01\n"
                      "per_host_delay_seconds = 0.0\n", encoding="utf-8")
    return config


def _tracker() -> list[str]:
    return [sys.executable, "-c", "from tracker.cli import app; app()"]


def test_schedule_command_stops_cleanly_on_sigterm(tmp_path: Path, site: WebServer) -> None:
    url = f"sqlite:///{tmp_path / 'sched.sqlite'}"
    engine = make_engine(url)
    init_schema(engine)
    add_report_source(engine, site.url(REPORT))
    log = tmp_path / "schedule.log"
    with log.open("wb") as err:
        proc = subprocess.Popen([*_tracker(), "schedule", "--every-seconds", "0.3"], env=_env(_config(tmp_path), url),
                                stdout=subprocess.DEVNULL, stderr=err)
        try:
            assert wait_for(lambda: len(fetch_rows(engine)) >= 1), log.read_text(encoding="utf-8")
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    out = log.read_text(encoding="utf-8")
    assert "scheduler running: 1 sources" in out and "check 国务院: ok" in out and "scheduler stopped" in out
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_check_skips_a_source_that_another_check_holds(backend: str, request: pytest.FixtureRequest,
                                                         tmp_path: Path, site: WebServer) -> None:
    url = f"sqlite:///{tmp_path / 'lock.sqlite'}" if backend == "sqlite" else request.getfixturevalue("pg_schema_url")
    settings = dataclasses.replace(Settings(db_url=url), fetch=FAST)
    engine = make_engine(url)
    init_schema(engine)
    sid = add_report_source(engine, site.url(REPORT))
    if backend == "postgresql":
        # another process's check holds the row (a second engine: another connection pool)
        other = make_engine(url)
        with Session(other) as holder:
            holder.exec(select(Source).where(Source.id == sid).with_for_update(key_share=True)).one()
            result = check_source(settings, engine, sid)
        other.dispose()
    else:
        lock = _local_lock(engine, sid)
        with lock:
            result = check_source(settings, engine, sid)
    assert result.status == "busy" and site.requests == [] and fetch_rows(engine) == []
    assert check_source(settings, engine, sid).status == "ok"
    engine.dispose()


@pytest.mark.postgres
def test_two_schedule_processes_on_postgresql_ingest_once_and_take_over(pg_schema_url: str, tmp_path: Path,
                                                                        site: WebServer) -> None:
    engine = make_engine(pg_schema_url)
    init_schema(engine)
    add_report_source(engine, site.url(REPORT))
    env = _env(_config(tmp_path), pg_schema_url)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = []
    try:
        for log in logs:
            with log.open("wb") as err:
                procs.append(subprocess.Popen([*_tracker(), "schedule", "--every-seconds", "0.3"], env=env,
                                              stdout=subprocess.DEVNULL, stderr=err))

        def texts() -> list[str]:
            return [log.read_text(encoding="utf-8") for log in logs]

        assert wait_for(lambda: sum("scheduler running" in t for t in texts()) == 1
                        and sum("waiting to take over" in t for t in texts()) == 1), texts()
        assert wait_for(lambda: len(fetch_rows(engine)) >= 4), texts()
        leader = next(i for i, t in enumerate(texts()) if "scheduler running" in t)
        follower = 1 - leader
        assert "check 国务院" not in texts()[follower]

        procs[leader].kill()  # dies without releasing anything: its connection closes, the lock goes
        procs[leader].wait(10)
        seen = len(fetch_rows(engine))
        assert wait_for(lambda: "scheduler running" in texts()[follower]), texts()
        assert wait_for(lambda: len(fetch_rows(engine)) > seen + 1), texts()
        procs[follower].send_signal(signal.SIGTERM)
        assert procs[follower].wait(10) == 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    rows = fetch_rows(engine)
    with Session(engine) as s:
        assert len(s.exec(select(Document)).all()) == 1
    assert [r.new_document for r in rows].count(True) == 1
    assert {r.http_status for r in rows} == {200, 304} and [r.http_status for r in rows].count(200) == 1
    assert "check 国务院: unchanged" in texts()[follower]
    engine.dispose()


@pytest.mark.postgres
def test_concurrent_checks_of_one_report_store_one_document(pg_schema_url: str, site: WebServer) -> None:
    settings = dataclasses.replace(Settings(db_url=pg_schema_url), fetch=FAST)
    engines = [make_engine(pg_schema_url) for _ in range(4)]
    init_schema(engines[0])
    ids = []
    for i in range(4):  # four sources, one URL: the unique sha256 is the last line of defence
        with session_scope(engines[0]) as s:
            ids.append(add_source(s, name=f"镜像{i}", jurisdiction="全国", url=site.url(REPORT)).id or 0)
    barrier = threading.Barrier(4)
    results: list[object] = [None] * 4

    def work(i: int) -> None:
        barrier.wait()
        results[i] = check_source(settings, engines[i], ids[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert all(getattr(r, "status", None) == "ok" for r in results), results
    with Session(engines[0]) as s:
        assert len(s.exec(select(Document)).all()) == 1
    rows = fetch_rows(engines[0])
    assert len(rows) == 4 and [r.new_document for r in rows].count(True) == 1
    assert len({r.document_id for r in rows}) == 1
    for engine in engines:
        engine.dispose()
