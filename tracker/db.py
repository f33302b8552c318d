"""Engines, sessions and schema set-up for SQLite (default, no server) and PostgreSQL (shared)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, SQLModel, create_engine

from tracker import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from tracker.errors import DatabaseError

SCHEMA_VERSION = 1


def make_engine(url: str) -> Engine:
    """Build an engine; SQLite gets foreign keys, a busy timeout and its folder created."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # with WAL, NORMAL still never corrupts; it only skips an fsync per commit
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, pool_pre_ping=True)


def init_schema(engine: Engine) -> None:
    """Create missing tables and record the schema version; safe to run again."""
    try:
        SQLModel.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS tracker_schema (version INTEGER NOT NULL)"))
            if conn.execute(text("SELECT COUNT(*) FROM tracker_schema")).scalar() == 0:
                conn.execute(text("INSERT INTO tracker_schema (version) VALUES (:v)"), {"v": SCHEMA_VERSION})
    except OperationalError as exc:
        raise DatabaseError(_safe(engine), _first_line(exc)) from None


def check_schema(engine: Engine) -> None:
    """Fail with a clear message when the database was never initialised or is of another version."""
    try:
        if not inspect(engine).has_table("tracker_schema"):
            raise DatabaseError(_safe(engine), "not initialised; run `tracker init` first")
        with engine.connect() as conn:
            version = conn.execute(text("SELECT MAX(version) FROM tracker_schema")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        raise DatabaseError(_safe(engine), _first_line(exc)) from None
    if version != SCHEMA_VERSION:
        raise DatabaseError(_safe(engine), f"schema version {version}, this tracker needs {SCHEMA_VERSION}")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def open_engine(url: str, *, create: bool = False) -> Engine:
    """Engine for a command: `create` initialises the schema, otherwise it must already exist."""
    engine = make_engine(url)
    if create:
        init_schema(engine)
    else:
        check_schema(engine)
    return engine


def _safe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]
