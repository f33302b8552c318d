"""Export and import on a real database (SQLite file and PostgreSQL): fields, evidence, CSV with BOM,
import by stable id with history, bad rows reported, and export -> import -> export identical."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from tests.conftest import REPORTS
from tracker.batch import ingest_paths
from tracker.cli import app
from tracker.config import Settings
from tracker.db import session_scope
from tracker.errors import InputError
from tracker.exchange import (
    CSV_FIELDS,
    FIELDS,
    export_commitments,
    import_records,
    parse_records,
    render_csv,
    render_json,
)
from tracker.models import Commitment, Document, Jurisdiction, Outcome, StatusEvent

PLAN = "二、2024年工作安排\n城镇新增就业5.5万人以上。新建高标准农田27.2万亩。力争固定资产投资增长6%。"
REVIEW = "一、2024年工作回顾\n城镇新增就业5.8万人。新建成高标准农田28.5万亩。"


def _commitment(doc: Document, n: int, quote: str, indicator: str, value: float, unit: str, **kw: object) -> Commitment:
    start = doc.text.index(quote)
    return Commitment(key=f"宜宾-2024-{n:03d}", document_id=doc.id or 0, jurisdiction_id=doc.jurisdiction_id,
                      target_year=2024, chapter="二、2024年工作安排", sentence_start=start - len(indicator),
                      sentence_end=start + len(quote) + 1, start=start, end=start + len(quote), quote=quote,
                      indicator=indicator, value=value, unit=unit, norm_value=value, base_unit=unit, **kw)


def _outcome(doc: Document, quote: str, indicator: str, value: float, unit: str) -> Outcome:
    start = doc.text.index(quote)
    return Outcome(document_id=doc.id or 0, jurisdiction_id=doc.jurisdiction_id, period_year=2024,
                   indicator=indicator, value=value, unit=unit, norm_value=value, base_unit=unit,
                   sentence_start=max(doc.text.rfind("。", 0, start), doc.text.rfind("\n", 0, start)) + 1, sentence_end=doc.text.index("。", start) + 1,
                   start=start, end=start + len(quote), quote=quote)


def seed(session: Session) -> None:
    """Three commitments: fulfilled with evidence, fulfilled then marked missed by hand, pending."""
    jur = Jurisdiction(name="宜宾", level="city")
    session.add(jur)
    session.flush()
    plan = Document(jurisdiction_id=jur.id or 0, report_year=2024, title="宜宾市2024年政府工作报告", sha256="p",
                    text=PLAN)
    review = Document(jurisdiction_id=jur.id or 0, report_year=2025, title="宜宾市2025年政府工作报告", sha256="r",
                      text=REVIEW)
    session.add_all([plan, review])
    session.flush()
    c1 = _commitment(plan, 1, "5.5万人以上", "城镇新增就业", 5.5, "万人", comparator="at_least", area="social_welfare",
                     status="fulfilled")
    c2 = _commitment(plan, 2, "27.2万亩", "新建高标准农田", 27.2, "万亩", area="agriculture_rural", status="missed")
    c3 = _commitment(plan, 3, "6%", "固定资产投资增长", 6.0, "%", hedge="aspirational", kind="growth", area="economy")
    o1 = _outcome(review, "5.8万人", "城镇新增就业", 5.8, "万人")
    o2 = _outcome(review, "28.5万亩", "新建成高标准农田", 28.5, "万亩")
    session.add_all([c1, c2, c3, o1, o2])
    session.flush()
    session.add_all([
        StatusEvent(commitment_id=c1.id or 0, old_status="pending", new_status="fulfilled", outcome_id=o1.id),
        StatusEvent(commitment_id=c2.id or 0, old_status="pending", new_status="fulfilled", outcome_id=o2.id),
        StatusEvent(commitment_id=c2.id or 0, old_status="fulfilled", new_status="missed", origin="manual",
                    actor="王", note="区县台账只有20万亩"),
    ])


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    with session_scope(engine) as s:
        seed(s)
    return engine


def export(engine: Engine, **kw: object) -> list[dict[str, object]]:
    with session_scope(engine) as s:
        return export_commitments(s, **kw)  # type: ignore[arg-type]


def events(engine: Engine) -> list[tuple[str, str | None, str, str, str | None, str | None]]:
    with session_scope(engine) as s:
        rows = s.exec(select(Commitment.key, StatusEvent.old_status, StatusEvent.new_status, StatusEvent.origin,
                             StatusEvent.actor, StatusEvent.note)
                      .join(Commitment, col(Commitment.id) == StatusEvent.commitment_id)
                      .order_by(col(StatusEvent.id))).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_export_has_every_field_status_note_and_evidence(seeded: Engine) -> None:
    recs = export(seeded)
    assert [list(r) for r in recs] == [list(FIELDS)] * 3
    first = recs[0]
    assert first == {
        "id": "宜宾-2024-001", "jurisdiction": "宜宾", "document": "宜宾市2024年政府工作报告", "report_year": 2024,
        "target_year": 2024, "period": None, "chapter": "二、2024年工作安排", "indicator": "城镇新增就业",
        "quote": "5.5万人以上", "start": PLAN.index("5.5万人以上"), "end": PLAN.index("5.5万人以上") + 7,
        "value": 5.5, "unit": "万人", "upper": None, "comparator": "at_least", "hedge": None, "kind": "amount",
        "area": "social_welfare", "status": "fulfilled", "note": None,
        "evidence": {"document": "宜宾市2025年政府工作报告", "report_year": 2025, "start": REVIEW.index("5.8万人"),
                     "end": REVIEW.index("5.8万人") + 5, "quote": "5.8万人", "value": 5.8, "unit": "万人",
                     "bound": "exact"},
    }
    # marked missed by hand: the automatic "fulfilled" evidence no longer backs the status
    assert (recs[1]["status"], recs[1]["note"], recs[1]["evidence"]) == ("missed", "区县台账只有20万亩", None)
    assert (recs[2]["status"], recs[2]["hedge"], recs[2]["evidence"]) == ("pending", "aspirational", None)


def test_export_filters_by_jurisdiction_and_report_year(seeded: Engine) -> None:
    assert len(export(seeded, jurisdiction="宜宾", year=2024)) == 3
    assert export(seeded, year=2025) == []
    assert export(seeded, jurisdiction="泸州") == []


def test_json_is_utf8_and_csv_has_a_bom_and_flat_evidence(seeded: Engine) -> None:
    recs = export(seeded)
    assert json.loads(render_json(recs)) == recs
    assert "宜宾" in render_json(recs)  # not \\u-escaped
    text = render_csv(recs)
    assert text.startswith("\ufeffid,jurisdiction,")
    assert text.encode("utf-8")[:3] == b"\xef\xbb\xbf"
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0]) == list(CSV_FIELDS)
    assert (rows[0]["value"], rows[0]["evidence_quote"], rows[0]["evidence_value"]) == ("5.5", "5.8万人", "5.8")
    assert rows[1]["evidence_start"] == "" and rows[1]["note"] == "区县台账只有20万亩"


def test_import_sets_status_and_note_with_history(seeded: Engine) -> None:
    before = events(seeded)
    with session_scope(seeded) as s:
        report = import_records(s, [{"id": "宜宾-2024-003", "status": "missed", "note": "统计公报: 增长4.9%"},
                                    {"id": "宜宾-2024-001", "status": "fulfilled", "note": "核对无误"}], actor="李")
    assert report.updated == ["宜宾-2024-003", "宜宾-2024-001"] and report.problems == []
    after = events(seeded)
    assert after[:len(before)] == before  # history is never rewritten
    assert after[len(before):] == [("宜宾-2024-003", "pending", "missed", "import", "李", "统计公报: 增长4.9%"),
                                   ("宜宾-2024-001", "fulfilled", "fulfilled", "import", "李", "核对无误")]
    recs = {r["id"]: r for r in export(seeded)}
    assert (recs["宜宾-2024-003"]["status"], recs["宜宾-2024-003"]["note"]) == ("missed", "统计公报: 增长4.9%")
    # the status is unchanged, so its automatic evidence still backs it
    assert recs["宜宾-2024-001"]["note"] == "核对无误" and recs["宜宾-2024-001"]["evidence"] is not None


def test_import_reports_rows_it_cannot_apply_and_applies_the_rest(seeded: Engine) -> None:
    before = events(seeded)
    records: list[dict[str, object]] = [
        {"id": "宜宾-2099-001", "status": "missed"},
        {"id": "宜宾-2024-002", "status": "kept-ish"},
        {"status": "missed"},
        {"id": "宜宾-2024-003", "status": "partial", "note": "完成九成"},
        {"id": "宜宾-2024-003", "status": "missed"},
    ]
    with session_scope(seeded) as s:
        report = import_records(s, records, actor="李")
    assert report.updated == ["宜宾-2024-003"]
    assert [label for label, _ in report.problems] == ["record 1 (宜宾-2099-001)", "record 2 (宜宾-2024-002)",
                                                       "record 3", "record 5 (宜宾-2024-003)"]
    assert "unknown id" in report.problems[0][1]
    assert "unknown status 'kept-ish'" in report.problems[1][1]
    assert len(events(seeded)) == len(before) + 1
    assert {r["id"]: r["status"] for r in export(seeded)}["宜宾-2024-002"] == "missed"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_export_is_identical_and_adds_no_events(seeded: Engine, fmt: str) -> None:
    render = render_json if fmt == "json" else render_csv
    first = render(export(seeded))
    before = events(seeded)
    with session_scope(seeded) as s:
        report = import_records(s, parse_records(first.encode("utf-8"), name=f"x.{fmt}"), actor="李")
    assert (report.updated, report.unchanged, report.problems) == ([], 3, [])
    assert events(seeded) == before
    assert render(export(seeded)) == first


def test_edited_csv_round_trips_after_one_import(seeded: Engine) -> None:
    text = render_csv(export(seeded))
    edited = text.replace(",pending,,", ",partial,完成九成,", 1)
    assert edited != text
    with session_scope(seeded) as s:
        assert import_records(s, parse_records(edited.encode(), name="e.csv"), actor="李").updated == ["宜宾-2024-003"]
    again = render_csv(export(seeded))
    assert again == edited
    with session_scope(seeded) as s:
        assert import_records(s, parse_records(again.encode(), name="e.csv"), actor="李").updated == []


@pytest.mark.parametrize(("data", "problem"), [
    (b"", "empty file"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b'{"id": 1}', "list of records"),
    (b"[1, 2]", "list of records"),
    (b"[{", "invalid JSON"),
    (b"key,status\nx,missed\n", "`id` column"),
])
def test_bad_import_files_are_input_errors(data: bytes, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        parse_records(data, name="f")


def test_real_reports_round_trip_and_the_cli(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    national = REPORTS / "national"
    report = ingest_paths(engine, settings, [str(national / "2018.txt"), str(national / "2019.txt")])
    assert not report.failed
    runner = CliRunner()
    db = ["--db", settings.db_url]
    out = tmp_path / "all.csv"
    res = runner.invoke(app, [*db, "export", "--format", "csv", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,")
    first = out.read_bytes()
    recs = parse_records(first, name="all.csv")
    assert len(recs) == sum(r.commitments for r in report.done) and any(r["evidence_quote"] for r in recs)
    n_events = len(events(engine))
    res = runner.invoke(app, [*db, "import", str(out)])
    assert res.exit_code == 0, res.output
    assert f"0 updated, {len(recs)} unchanged, 0 not applied" in res.output
    assert len(events(engine)) == n_events
    res = runner.invoke(app, [*db, "export", "--format", "csv", "--out", str(out)])
    assert out.read_bytes() == first
    res = runner.invoke(app, [*db, "export", "--format", "json", "--year", "2018", "--jurisdiction", "全国"])
    assert res.exit_code == 0
    assert {r["report_year"] for r in json.loads(res.stdout)} == {2018}
    # a bad row: the good one is applied, the bad one reported, exit 1
    edited = tmp_path / "edit.json"
    key = recs[0]["id"]
    edited.write_text(json.dumps([{"id": key, "status": "missed", "note": "复核"}, {"id": "nope", "status": "x"}]),
                      encoding="utf-8")
    res = runner.invoke(app, [*db, "import", str(edited), "--actor", "tester"])
    assert res.exit_code == 1
    assert "1 updated, 0 unchanged, 1 not applied" in res.stdout
    assert "record 2 (nope): unknown id" in res.stderr
    assert events(engine)[-1] == (key, recs[0]["status"], "missed", "import", "tester", "复核")
    res = runner.invoke(app, [*db, "import", str(tmp_path / "missing.csv")])
    assert res.exit_code == 2 and "missing.csv" in res.stderr
