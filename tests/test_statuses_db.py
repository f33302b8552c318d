"""Statuses in a real database (SQLite file and PostgreSQL): order independence, idempotence, manual wins,
the review queue and `tracker mark` with bad input. Uses the real national 2017 and 2018 reports."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, col, select
from typer.testing import CliRunner

from tracker.batch import ingest_paths
from tracker.cli import app
from tracker.config import MatchSettings, Settings
from tracker.db import init_schema, session_scope
from tracker.errors import NotFound, TrackerError
from tracker.models import Commitment, Outcome, ReviewItem, StatusEvent
from tracker.statuses import (
    accept_review,
    history,
    mark_status,
    refresh_statuses,
    reject_review,
    review_queue,
)

NATIONAL = Path(__file__).resolve().parent.parent / "fixtures" / "reports" / "national"
R2017, R2018 = str(NATIONAL / "2017.txt"), str(NATIONAL / "2018.txt")


def snapshot(engine: Engine) -> dict[tuple[int, int, str], tuple[str, tuple[int, int] | None, int]]:
    """Per commitment (by position): status, evidence span of its latest event with an outcome, event count."""
    out = {}
    with session_scope(engine) as s:
        for c in s.exec(select(Commitment)).all():
            events = s.exec(select(StatusEvent).where(StatusEvent.commitment_id == c.id)
                            .order_by(col(StatusEvent.id))).all()
            span = None
            for ev in reversed(events):
                if ev.outcome_id:
                    o = s.get(Outcome, ev.outcome_id)
                    assert o is not None
                    span = (o.start, o.end)
                    break
            out[(c.target_year, c.start, c.indicator)] = (c.status, span, len(events))
    return out


def commitment_by_quote(engine: Engine, quote: str, year: int) -> Commitment:
    with session_scope(engine) as s:
        rows = s.exec(select(Commitment).where(Commitment.quote == quote, Commitment.target_year == year)
                      .order_by(col(Commitment.start))).all()
    assert rows, f"no commitment {quote} for {year}: extraction changed?"
    return rows[0]


def events_count(engine: Engine) -> int:
    with session_scope(engine) as s:
        return len(s.exec(select(StatusEvent)).all())


def test_order_independent_and_reingest_changes_nothing(engine: Engine, settings: Settings) -> None:
    ingest_paths(engine, settings, [R2017, R2018])
    natural = snapshot(engine)
    statuses = {v[0] for k, v in natural.items() if k[0] == 2017}
    assert "fulfilled" in statuses and "no_evidence" in statuses
    assert any(v[1] for v in natural.values())
    # re-ingesting and refreshing again change nothing
    ingest_paths(engine, settings, [R2018, R2017])
    with session_scope(engine) as s:
        refresh_statuses(s, settings, jurisdiction_id=1, years=[2016, 2017, 2018])
        refresh_statuses(s, settings, jurisdiction_id=1, years=[2017])
    assert snapshot(engine) == natural
    # the later report first gives the same statuses and evidence
    SQLModel.metadata.drop_all(engine)
    init_schema(engine)
    ingest_paths(engine, settings, [R2018])
    ingest_paths(engine, settings, [R2017])
    assert snapshot(engine) == natural


def test_unreviewed_year_stays_pending(engine: Engine, settings: Settings) -> None:
    ingest_paths(engine, settings, [R2017])
    with session_scope(engine) as s:
        assert {c.status for c in s.exec(select(Commitment)).all()} == {"pending"}
        assert s.exec(select(StatusEvent)).all() == []


def test_manual_status_wins_and_auto_finding_is_recorded(engine: Engine, settings: Settings) -> None:
    ingest_paths(engine, settings, [R2017])
    gdp = commitment_by_quote(engine, "6.5%左右", 2017)
    with session_scope(engine) as s:
        mark_status(s, key=gdp.key, status="missed", note="checked the statistical communique", actor="tester")
    ingest_paths(engine, settings, [R2018])
    with session_scope(engine) as s:
        c, events = history(s, key=gdp.key)
        assert c.status == "missed"
        assert [(e.origin, e.new_status) for e in events] == [("manual", "missed"), ("auto", "fulfilled")]
        assert events[1].outcome_id is not None and events[1].actual_value == pytest.approx(6.9)
        assert events[0].actor == "tester" and events[0].note == "checked the statistical communique"
    before = events_count(engine)
    with session_scope(engine) as s:
        refresh_statuses(s, settings, jurisdiction_id=c.jurisdiction_id, years=[2017])
    assert events_count(engine) == before


def test_review_queue_accept_and_reject(engine: Engine, settings: Settings) -> None:
    # every candidate below 0.999 goes to the queue, so the queue holds real links
    strict = dataclasses.replace(settings, match=MatchSettings(accept=0.999, review=0.3))
    ingest_paths(engine, strict, [R2017, R2018])
    with session_scope(engine) as s:
        queue = review_queue(s)
    assert len(queue) >= 2
    first, second = queue[0], queue[1]
    with session_scope(engine) as s:
        ev = accept_review(s, item_id=first.id, actor="reviewer")
        assert ev.origin == "manual" and ev.outcome_id is not None and ev.new_status == first.proposed_status
        reject_review(s, item_id=second.id, actor="reviewer")
    with session_scope(engine) as s:
        c = s.exec(select(Commitment).where(Commitment.key == first.key)).one()
        assert c.status == first.proposed_status
        states = {i.id: i.state for i in s.exec(select(ReviewItem)).all()}
        assert states[first.id] == "accepted" and states[second.id] == "rejected"
        open_ids = {e.id for e in review_queue(s)}
        assert first.id not in open_ids and second.id not in open_ids
        # refreshing does not bring the rejected candidate back
        refresh_statuses(s, strict, jurisdiction_id=c.jurisdiction_id, years=[2017])
        assert second.id not in {e.id for e in review_queue(s)}
        assert len(s.exec(select(ReviewItem)).all()) == len(states)
        with pytest.raises(NotFound):
            accept_review(s, item_id=second.id, actor="reviewer")


def test_mark_bad_input_changes_nothing(engine: Engine, settings: Settings) -> None:
    ingest_paths(engine, settings, [R2017, R2018])
    gdp = commitment_by_quote(engine, "6.5%左右", 2017)
    before, n = snapshot(engine), events_count(engine)
    with session_scope(engine) as s:
        with pytest.raises(NotFound):
            mark_status(s, key="全国-1999-999", status="fulfilled", note="x", actor="t")
        with pytest.raises(TrackerError, match="unknown status 'done'"):
            mark_status(s, key=gdp.key, status="done", note="x", actor="t")
    runner = CliRunner()
    for args in (["mark", "全国-1999-999", "fulfilled", "--note", "x"], ["mark", gdp.key, "done", "--note", "x"]):
        result = runner.invoke(app, ["--db", settings.db_url, *args])
        assert result.exit_code == 2
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: ")
    assert snapshot(engine) == before and events_count(engine) == n


def test_cli_mark_history_review(engine: Engine, settings: Settings) -> None:
    ingest_paths(engine, settings, [R2017, R2018])
    gdp = commitment_by_quote(engine, "6.5%左右", 2017)
    runner = CliRunner()
    result = runner.invoke(app, ["--db", settings.db_url, "mark", gdp.key, "partial", "--note", "revised data",
                                 "--value", "6.8", "--actor", "ana"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["--db", settings.db_url, "history", gdp.key, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"origin": "manual"' in result.output and "revised data" in result.output
    result = runner.invoke(app, ["--db", settings.db_url, "review", "--format", "json"])
    assert result.exit_code == 0, result.output
