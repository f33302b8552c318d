"""Sources: the places checked for new reports, kept in the Source table from config.toml and the CLI."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from tracker.config import Settings, SourceSettings
from tracker.errors import ConfigError, InputError, NotFound
from tracker.models import FetchLog, Source

KINDS = ("document", "listing")
DEFAULT_LINK_PATTERN = "政府工作报告"


@dataclass(frozen=True)
class SourceRow:
    """A source as `tracker sources list` shows it."""

    name: str
    jurisdiction: str
    kind: str
    url: str
    schedule: str
    origin: str
    last_checked_at: str | None
    last_result: str | None
    next_run: str | None


def cron_trigger(expr: str) -> Any:
    """APScheduler CronTrigger for a five-field crontab line; ValueError when it is not one."""
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger.from_crontab(expr)


def validate(*, name: str, url: str, kind: str, schedule: str, link_pattern: str | None) -> str | None:
    """The problem with a source definition, or None when it is usable."""
    if not name.strip():
        return "a source needs a name"
    if not url.lower().startswith(("http://", "https://")):
        return f"url must be http or https, not {url!r}"
    if kind not in KINDS:
        return f"kind must be document or listing, not {kind!r}"
    try:
        cron_trigger(schedule)
    except ValueError as exc:
        return f"schedule {schedule!r} is not a cron expression (minute hour day month weekday): {exc}"
    if link_pattern:
        try:
            re.compile(link_pattern)
        except re.error as exc:
            return f"link_pattern {link_pattern!r} is not a regular expression: {exc}"
    return None


def sync_sources(session: Session, settings: Settings) -> list[Source]:
    """Make the Source table match config.toml's [[sources]]; sources added by CLI are left alone."""
    wanted: dict[str, SourceSettings] = {s.name: s for s in settings.sources}
    for spec in wanted.values():
        problem = validate(name=spec.name, url=spec.url, kind=spec.kind, schedule=spec.schedule,
                           link_pattern=spec.link_pattern)
        if problem:
            raise ConfigError(settings.config_path or "config.toml", f"source {spec.name!r}: {problem}")
    rows = {s.name: s for s in session.exec(select(Source)).all()}
    out = []
    for spec in wanted.values():
        row = rows.get(spec.name)
        if row is None:
            row = Source(name=spec.name, jurisdiction=spec.jurisdiction, url=spec.url)
            session.add(row)
        if row.url != spec.url:
            row.etag = row.last_modified = None  # validators belong to the old URL
        row.jurisdiction, row.url, row.kind = spec.jurisdiction, spec.url, spec.kind
        row.level, row.parent, row.link_pattern = spec.level, spec.parent, spec.link_pattern
        row.schedule, row.origin = spec.schedule, "config"
        out.append(row)
    for name, row in rows.items():
        if row.origin == "config" and name not in wanted:
            _delete(session, row)
    session.flush()
    return out


def add_source(session: Session, *, name: str, jurisdiction: str, url: str, kind: str = "document",
               level: str | None = None, parent: str | None = None, link_pattern: str | None = None,
               schedule: str = "0 6 * * *") -> Source:
    """Add a source by hand (origin "cli"); InputError when it is invalid or the name is taken."""
    problem = validate(name=name, url=url, kind=kind, schedule=schedule, link_pattern=link_pattern)
    if problem:
        raise InputError(name or "source", problem)
    if session.exec(select(Source).where(Source.name == name)).first() is not None:
        raise InputError(name, "a source with this name already exists")
    row = Source(name=name, jurisdiction=jurisdiction, url=url, kind=kind, level=level, parent=parent,
                 link_pattern=link_pattern, schedule=schedule, origin="cli")
    session.add(row)
    session.flush()
    return row


def remove_source(session: Session, *, name: str) -> None:
    """Delete a source; its fetch log stays (unlinked), so history is not lost."""
    row = get_source(session, name=name)
    _delete(session, row)


def get_source(session: Session, *, name: str) -> Source:
    """The source called `name`, or NotFound."""
    row = session.exec(select(Source).where(Source.name == name)).first()
    if row is None:
        raise NotFound("source", name, "name")
    return row


def list_sources(session: Session) -> Sequence[Source]:
    """All sources by name."""
    return session.exec(select(Source).order_by(col(Source.name))).all()


def next_run(source: Source, now: datetime | None = None) -> datetime | None:
    """When the source's cron schedule next fires after its last check (or after now if never checked)."""
    now = now or datetime.now(UTC)
    try:
        trigger = cron_trigger(source.schedule)
    except ValueError:
        return None
    after = _aware(source.last_checked_at) if source.last_checked_at else now
    fire = trigger.get_next_fire_time(None, after)
    return fire if isinstance(fire, datetime) else None


def is_due(source: Source, now: datetime | None = None) -> bool:
    """Whether a scheduled run was missed since the last check (never checked counts as due)."""
    now = now or datetime.now(UTC)
    if source.last_checked_at is None:
        return True
    fire = next_run(source, now)
    return fire is not None and fire <= now


def source_rows(session: Session, now: datetime | None = None) -> list[SourceRow]:
    """Rows for `tracker sources list`: last check, its result and the next scheduled run."""
    out = []
    for s in list_sources(session):
        fire = next_run(s, now)
        out.append(SourceRow(
            name=s.name, jurisdiction=s.jurisdiction, kind=s.kind, url=s.url, schedule=s.schedule,
            origin=s.origin,
            last_checked_at=_iso(s.last_checked_at), last_result=s.last_result, next_run=_iso(fire)))
    return out


def _aware(moment: datetime) -> datetime:
    """Stored times are UTC; some backends hand them back without a zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _iso(moment: datetime | None) -> str | None:
    return _aware(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _delete(session: Session, row: Source) -> None:
    session.execute(update(FetchLog).where(col(FetchLog.source_id) == row.id).values(source_id=None))
    session.delete(row)
