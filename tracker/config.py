"""Settings: config.toml plus environment overrides, validated once at load into one object."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config.toml"
DEFAULT_DB_URL = f"sqlite:///{PROJECT_ROOT / 'db' / 'tracker.sqlite'}"


@dataclass(frozen=True)
class StatusSettings:
    """Thresholds of the status rules (DESIGN.md, "Statuses and rules")."""

    partial_ratio: float = 0.8
    about_tolerance_points: float = 0.5
    about_tolerance_share: float = 0.05


@dataclass(frozen=True)
class MatchSettings:
    """Indicator-similarity thresholds: at `accept` evidence sets a status, from `review` it is queued."""

    accept: float = 0.6
    review: float = 0.4


@dataclass(frozen=True)
class FetchSettings:
    """Limits and manners of the HTTP client."""

    timeout_seconds: float = 20.0
    max_bytes: int = 20_000_000
    retries: int = 3
    backoff_seconds: float = 1.0
    per_host_delay_seconds: float = 1.0
    user_agent: str = "policy-commitment-tracker/0.1 (research use)"


@dataclass(frozen=True)
class SourceSettings:
    """A place where a jurisdiction publishes its reports, as written in config.toml."""

    name: str
    jurisdiction: str
    url: str
    kind: str = "document"
    level: str | None = None
    parent: str | None = None
    link_pattern: str | None = None
    schedule: str = "0 6 * * *"


@dataclass(frozen=True)
class Settings:
    """Everything the tracker reads from configuration; passed down explicitly."""

    db_url: str = DEFAULT_DB_URL
    status: StatusSettings = field(default_factory=StatusSettings)
    match: MatchSettings = field(default_factory=MatchSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    wordlists: dict[str, str] = field(default_factory=dict)
    sources: tuple[SourceSettings, ...] = ()
    config_path: str | None = None


def _section(cls: type, raw: Any, where: str, name: str) -> Any:
    """Build a settings dataclass from a TOML table, rejecting unknown keys and wrong types."""
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise ConfigError(where, f"[{name}] must be a table")
    known = {f.name for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(where, f"unknown key {key!r} in [{name}]")
        default = getattr(cls(), key) if key not in ("name", "jurisdiction", "url") else ""
        want = type(default) if default is not None else str
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, want) or isinstance(value, bool) != isinstance(default, bool):
            raise ConfigError(where, f"[{name}] {key} must be a {want.__name__}, not {value!r}")
        values[key] = value
    return cls(**values)


def _sources(raw: Any, where: str) -> tuple[SourceSettings, ...]:
    """Validate the [[sources]] array: required keys, known kinds, http(s) URLs."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(where, "[[sources]] must be an array of tables")
    out = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise ConfigError(where, f"source {i} must be a table")
        for key in ("name", "jurisdiction", "url"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ConfigError(where, f"source {i} needs a {key}")
        try:
            source = SourceSettings(**item)
        except TypeError as exc:
            raise ConfigError(where, f"source {item['name']!r}: {exc}") from None
        if source.kind not in ("document", "listing"):
            raise ConfigError(where, f"source {source.name!r}: kind must be document or listing")
        if not source.url.lower().startswith(("http://", "https://")):
            raise ConfigError(where, f"source {source.name!r}: url must be http or https, not {source.url!r}")
        out.append(source)
    return tuple(out)


def load_settings(path: str | Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read config.toml (or TRACKER_CONFIG), apply environment overrides, validate, return Settings."""
    env = dict(os.environ) if env is None else env
    chosen = path or env.get("TRACKER_CONFIG")
    cfg_path = Path(chosen) if chosen else DEFAULT_CONFIG
    where = str(cfg_path)
    raw: dict[str, Any] = {}
    if cfg_path.exists():
        try:
            raw = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(where, f"not valid TOML: {exc}") from None
    elif chosen:
        raise ConfigError(where, "config file not found")
    known = {"database", "status", "match", "fetch", "wordlists", "sources"}
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(where, f"unknown section {sorted(unknown)[0]!r}")
    database = raw.get("database", {})
    if not isinstance(database, dict):
        raise ConfigError(where, "[database] must be a table")
    db_url = env.get("TRACKER_DB_URL") or database.get("url") or DEFAULT_DB_URL
    if not isinstance(db_url, str) or "://" not in db_url:
        raise ConfigError(where, f"database url must look like sqlite:///path or postgresql+psycopg://..., not {db_url!r}")
    db_url = _anchor_sqlite(db_url, cfg_path.parent)
    wordlists = raw.get("wordlists", {})
    if not isinstance(wordlists, dict) or not all(isinstance(v, str) for v in wordlists.values()):
        raise ConfigError(where, "[wordlists] maps a list name to a file path")
    settings = Settings(
        db_url=db_url,
        status=_section(StatusSettings, raw.get("status"), where, "status"),
        match=_section(MatchSettings, raw.get("match"), where, "match"),
        fetch=_section(FetchSettings, raw.get("fetch"), where, "fetch"),
        wordlists={k: str((cfg_path.parent / v).resolve()) for k, v in wordlists.items()},
        sources=_sources(raw.get("sources"), where),
        config_path=where,
    )
    if not 0 < settings.match.review <= settings.match.accept <= 1:
        raise ConfigError(where, "[match] needs 0 < review <= accept <= 1")
    if not 0 < settings.status.partial_ratio < 1:
        raise ConfigError(where, "[status] partial_ratio must be between 0 and 1")
    return settings


def _anchor_sqlite(url: str, base: Path) -> str:
    """Resolve a relative SQLite path against the config file's folder, so the CLI works from anywhere."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite:///:memory:":
        return prefix + str((base / url[len(prefix):]).resolve())
    return url
