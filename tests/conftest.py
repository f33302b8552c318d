"""Shared fixtures: real databases (a SQLite file and PostgreSQL in a schema of its own) and fixture paths.

Every storage test takes `db_url` (or `engine`/`settings`) and so runs once per backend; the
PostgreSQL run is skipped with its reason only when no server answers at TRACKER_TEST_PG_URL.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from tests.web import WebServer, build_site
from tracker.config import Settings, load_settings
from tracker.db import init_schema, make_engine

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REPORTS = FIXTURES / "reports"
PG_URL = os.environ.get("TRACKER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_problem() -> str | None:
    """Why PostgreSQL cannot be used for tests, or None when it answers."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except ImportError as exc:
        return f"psycopg not installed ({exc})"
    except OperationalError as exc:
        return f"PostgreSQL not reachable at {PG_URL}: {str(exc.orig).strip().splitlines()[0]}"
    return None


_PG_PROBLEM: str | None | bool = False


def pg_problem() -> str | None:
    """Cached reachability check, so a missing server costs one timeout per run."""
    global _PG_PROBLEM
    if _PG_PROBLEM is False:
        _PG_PROBLEM = _pg_problem()
    return _PG_PROBLEM  # type: ignore[return-value]


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    problem = pg_problem()
    if problem:
        pytest.skip(problem)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL, once for a SQLite file and once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    return request.getfixturevalue("pg_schema_url")


def _settings(db_url: str) -> Settings:
    return dataclasses.replace(load_settings(ROOT / "config.toml", env={}), db_url=db_url)


def _engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings.db_url)
    init_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Project settings (config.toml) pointed at the test database."""
    return _settings(db_url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """An initialised engine on the test database."""
    yield from _engine(settings)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """Settings on a SQLite file only, for tests that are about something other than storage."""
    return _settings(f"sqlite:///{tmp_path / 'tracker.sqlite'}")


@pytest.fixture
def sqlite_engine(sqlite_settings: Settings) -> Iterator[Engine]:
    """An initialised engine on a SQLite file."""
    yield from _engine(sqlite_settings)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[WebServer]:
    """A real HTTP server on 127.0.0.1 serving a government-style site built from fixture reports."""
    root = tmp_path / "site"
    build_site(root)
    web = WebServer(root).start()
    yield web
    web.stop()
