"""Storage of reports on both backends: ingestion, idempotence, one transaction per document, queries."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.conftest import REPORTS
from tracker import repo
from tracker.batch import ingest_paths
from tracker.config import Settings
from tracker.db import session_scope
from tracker.errors import InputError, NotFound
from tracker.ingest import ingest_text
from tracker.models import Commitment, Document, Jurisdiction, Outcome

YIBIN = REPORTS / "city-2024" / "宜宾.txt"


def _counts(engine: Engine) -> tuple[int, int, int, int]:
    with Session(engine) as s:
        return (repo.count_rows(s, Document), repo.count_rows(s, Commitment),
                repo.count_rows(s, Outcome), repo.count_rows(s, Jurisdiction))


def test_ingest_stores_document_and_commitments_with_stable_ids(engine: Engine, settings: Settings) -> None:
    text = YIBIN.read_text(encoding="utf-8")
    with session_scope(engine) as s:
        result = ingest_text(s, settings, text, name=str(YIBIN))
    assert result.new and result.jurisdiction == "宜宾" and result.year == 2024
    assert result.commitments >= 80
    with Session(engine) as s:
        doc = s.exec(select(Document)).one()
        assert doc.text == text  # verbatim: every offset points into it
        rows = repo.list_commitments(s, jurisdiction="宜宾")
        assert [r.key for r in rows[:3]] == ["宜宾-2024-001", "宜宾-2024-002", "宜宾-2024-003"]
        for r in rows:
            assert doc.text[r.start:r.end] == r.quote
            assert r.sentence_start <= r.start < r.end <= r.sentence_end
            assert r.status == "pending"
        jur = s.exec(select(Jurisdiction)).one()
        assert (jur.name, jur.level) == ("宜宾", "city")


def test_same_text_again_changes_nothing(engine: Engine, settings: Settings) -> None:
    text = YIBIN.read_text(encoding="utf-8")
    with session_scope(engine) as s:
        ingest_text(s, settings, text, name="a.txt", jurisdiction="宜宾")
    before = _counts(engine)
    with session_scope(engine) as s:
        again = ingest_text(s, settings, text, name="b.txt", jurisdiction="宜宾")
    assert not again.new
    assert _counts(engine) == before


def test_a_jurisdiction_learns_its_level_and_parent_once(engine: Engine, settings: Settings) -> None:
    national = REPORTS / "national"
    with session_scope(engine) as s:
        ingest_text(s, settings, (national / "2016.txt").read_text(encoding="utf-8"), name="a.txt",
                    jurisdiction="某市", level=None)
    with session_scope(engine) as s:
        ingest_text(s, settings, (national / "2017.txt").read_text(encoding="utf-8"), name="b.txt",
                    jurisdiction="某市", level="city", parent="某省")
    with session_scope(engine) as s:
        ingest_text(s, settings, (national / "2018.txt").read_text(encoding="utf-8"), name="c.txt",
                    jurisdiction="某市", level="county", parent="另一省")
    with Session(engine) as s:
        jur = s.exec(select(Jurisdiction)).one()
        # the level read from the first text (国务院 speaks: national) and the first parent given are kept:
        # a later file cannot silently move a jurisdiction
        assert (jur.name, jur.level, jur.parent) == ("某市", "national", "某省")
        assert repo.count_rows(s, Document) == 3


def test_text_without_plan_part_is_rejected_and_nothing_is_stored(engine: Engine, settings: Settings) -> None:
    review_only = YIBIN.read_text(encoding="utf-8")[:8400]
    with pytest.raises(InputError, match="no plan part"):
        with session_scope(engine) as s:
            ingest_text(s, settings, review_only, name="review.txt", jurisdiction="宜宾", year=2024)
    assert _counts(engine) == (0, 0, 0, 0)


def test_a_failure_inside_the_transaction_leaves_nothing(engine: Engine, settings: Settings) -> None:
    """Commitments are written after the document; an error between them rolls both back."""
    text = YIBIN.read_text(encoding="utf-8")

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with session_scope(engine) as s:
            ingest_text(s, settings, text, name="x.txt", jurisdiction="宜宾")
            raise Boom
    assert _counts(engine) == (0, 0, 0, 0)


def test_directory_ingest_continues_past_bad_files(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "b_binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "宜宾.txt").write_bytes(YIBIN.read_bytes())
    (folder / "泸州.txt").write_bytes((REPORTS / "city-2024" / "泸州.txt").read_text(encoding="utf-8").encode("gb18030"))
    (folder / "scan.jpg").write_bytes(b"\xff\xd8\xff")
    report = ingest_paths(engine, settings, [str(folder)])
    assert [Path(p).name for p in report.skipped] == ["scan.jpg"]
    assert sorted(r.jurisdiction for r in report.done) == ["宜宾", "泸州"]
    assert [Path(name).name for name, _ in report.failed] == ["a_empty.txt", "b_binary.txt"]
    assert [problem for _, problem in report.failed] == ["empty file", "binary file, not a text report"]
    assert _counts(engine)[0] == 2


def test_list_filters_and_lookup(engine: Engine, settings: Settings) -> None:
    ingest_paths(engine, settings, [str(YIBIN), str(REPORTS / "city-2024" / "泸州.txt")])
    with Session(engine) as s:
        everything = repo.list_commitments(s)
        yibin = repo.list_commitments(s, jurisdiction="宜宾", year=2024)
        grain = repo.list_commitments(s, search="粮食")
        assert 0 < len(yibin) < len(everything)
        assert grain and all("粮食" in (c.indicator + c.quote + (c.chapter or "")) for c in grain)
        assert repo.list_commitments(s, status="fulfilled") == []
        assert repo.get_commitment(s, key=yibin[0].key).id == yibin[0].id
        with pytest.raises(NotFound):
            repo.get_commitment(s, key="宜宾-2024-999")


def test_publisher_comes_from_the_text_or_a_named_file_else_must_be_given(engine: Engine, settings: Settings) -> None:
    national = (REPORTS / "national" / "2018.txt").read_text(encoding="utf-8")
    city = YIBIN.read_text(encoding="utf-8")
    with session_scope(engine) as s:
        assert ingest_text(s, settings, national, name="download/art_1.txt").jurisdiction == "全国"
    with pytest.raises(InputError, match="cannot tell the jurisdiction"):
        with session_scope(engine) as s:
            ingest_text(s, settings, city, name="download/art_2.txt")
    with session_scope(engine) as s:
        assert ingest_text(s, settings, city, name="download/art_2.txt", jurisdiction="宜宾").year == 2024
