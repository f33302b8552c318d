"""SQLModel tables: the records of DESIGN.md ("Records"). Offsets always point into Document.text."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Origins of status events set by a person (`tracker mark`, `tracker import`), as opposed to "auto".
MANUAL_ORIGINS = ("manual", "import")


def table_of(model: type[SQLModel]) -> Table:
    """The plain table of a model, for the hot paths that read and write rows without ORM objects."""
    return model.__table__  # type: ignore[attr-defined,no-any-return]


def utcnow() -> datetime:
    """Timezone-aware now (UTC); one place so every table stamps time the same way."""
    return datetime.now(UTC)


class Jurisdiction(SQLModel, table=True):
    """A government that publishes work reports: national, province, city or county."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    level: str | None = None
    parent: str | None = None


class Document(SQLModel, table=True):
    """One distinct report text (unique by sha256); re-ingesting the same text changes nothing."""

    id: int | None = Field(default=None, primary_key=True)
    jurisdiction_id: int = Field(foreign_key="jurisdiction.id", index=True)
    report_year: int = Field(index=True)
    kind: str = "work_report"
    title: str | None = None
    url: str | None = None
    sha256: str = Field(unique=True, index=True)
    format: str = "text"
    text: str = Field(sa_column=Column(Text, nullable=False))
    ingested_at: datetime = Field(default_factory=utcnow)


class Commitment(SQLModel, table=True):
    """A quantitative target of a report's plan part, with its provenance and current status."""

    __table_args__ = (UniqueConstraint("document_id", "start", "end", "indicator"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    jurisdiction_id: int = Field(foreign_key="jurisdiction.id", index=True)
    target_year: int = Field(index=True)
    period: str | None = None
    part: str = "plan"
    chapter: str | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    start: int = 0
    end: int = 0
    quote: str = ""
    indicator: str = ""
    value: float = 0.0
    unit: str = ""
    norm_value: float = 0.0
    base_unit: str = ""
    upper: float | None = None
    comparator: str = "exact"
    hedge: str | None = None
    kind: str = "amount"
    area: str | None = Field(default=None, index=True)
    status: str = Field(default="pending", index=True)
    confidence: float = 1.0


class Outcome(SQLModel, table=True):
    """A figure a review part reports for a past year (or a multi-year period, which settles nothing)."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    jurisdiction_id: int = Field(foreign_key="jurisdiction.id", index=True)
    period_year: int = Field(index=True)
    multi_year: bool = False
    indicator: str = ""
    value: float = 0.0
    unit: str = ""
    norm_value: float = 0.0
    base_unit: str = ""
    bound: str = "exact"
    kind: str = "amount"
    sentence_start: int = 0
    sentence_end: int = 0
    start: int = 0
    end: int = 0
    quote: str = ""


class StatusEvent(SQLModel, table=True):
    """One change (or confirmation) of a commitment's status; history is never rewritten."""

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="commitment.id", index=True)
    old_status: str | None = None
    new_status: str
    origin: str = "auto"
    outcome_id: int | None = Field(default=None, foreign_key="outcome.id")
    actual_value: float | None = None
    confidence: float | None = None
    actor: str | None = None
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ReviewItem(SQLModel, table=True):
    """A low-confidence link between a commitment and an outcome, waiting for a person's decision."""

    __table_args__ = (UniqueConstraint("commitment_id", "outcome_id"),)

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="commitment.id", index=True)
    outcome_id: int = Field(foreign_key="outcome.id")
    score: float = 0.0
    proposed_status: str = "no_evidence"
    state: str = Field(default="open", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    actor: str | None = None


class Source(SQLModel, table=True):
    """A URL checked on a schedule: a report itself (document) or a listing page that links to reports."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    jurisdiction: str
    level: str | None = None
    parent: str | None = None
    url: str
    kind: str = "document"
    link_pattern: str | None = None
    schedule: str = "0 6 * * *"
    etag: str | None = None
    last_modified: str | None = None
    last_checked_at: datetime | None = None
    last_result: str | None = None
    origin: str = "cli"  # "config" rows follow config.toml ([[sources]]); "cli" rows only `sources remove`


class FetchLog(SQLModel, table=True):
    """One fetch attempt: what was asked, what came back, and whether it gave a new document."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True)
    url: str
    fetched_at: datetime = Field(default_factory=utcnow)
    http_status: int | None = None
    bytes: int = 0
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    document_id: int | None = Field(default=None, foreign_key="document.id")
    new_document: bool = False
    error: str | None = None
    attempts: int = 1  # requests made for this fetch, retries included
