"""Source checks end to end against a real HTTP server: discovery, conversion, ingestion, 304s, faults."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from tests.web import LISTING_PATH, Fault, WebServer, build_site, national, report_page, same_text
from tracker.cli import app
from tracker.config import FetchSettings, Settings, load_settings
from tracker.db import session_scope
from tracker.discover import discover_links
from tracker.errors import ConfigError, FetchError, InputError
from tracker.jobs import check_source, run_checks
from tracker.models import Commitment, Document, FetchLog, Jurisdiction, Outcome, Source, StatusEvent
from tracker.sources import add_source, get_source, sync_sources

FAST = FetchSettings(timeout_seconds=2.0, max_bytes=2_000_000, retries=2, backoff_seconds=0.01,
                     per_host_delay_seconds=0.0, user_agent="tracker-tests/1.0")
TABLES = (Document, Commitment, Outcome, StatusEvent, Jurisdiction)


def fast(settings: Settings) -> Settings:
    return dataclasses.replace(settings, fetch=FAST)


def add(engine: Engine, url: str, *, kind: str = "document", name: str = "国务院", **kw: str) -> int:
    with session_scope(engine) as s:
        return add_source(s, name=name, jurisdiction="全国", level="national", url=url, kind=kind, **kw).id or 0


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {m.__tablename__: conn.execute(text(f"SELECT COUNT(*) FROM {m.__tablename__}")).scalar_one()  # type: ignore[attr-defined]
                for m in TABLES}


def logs(engine: Engine) -> list[FetchLog]:
    with Session(engine) as s:
        return list(s.exec(select(FetchLog).order_by(col(FetchLog.id))).all())


def documents(engine: Engine) -> dict[int, Document]:
    with Session(engine) as s:
        return {d.report_year: d for d in s.exec(select(Document)).all()}


def source(engine: Engine, source_id: int) -> Source:
    with Session(engine) as s:
        row = s.get(Source, source_id)
        assert row is not None
        return row


def auto_events_with_evidence(engine: Engine, target_year: int) -> int:
    with Session(engine) as s:
        q = (select(StatusEvent).join(Commitment, col(Commitment.id) == StatusEvent.commitment_id)
             .where(Commitment.target_year == target_year, StatusEvent.origin == "auto",
                    col(StatusEvent.outcome_id).is_not(None)))
        return len(s.exec(q).all())


# --- end to end --------------------------------------------------------------------------------


def test_listing_discovers_gbk_html_docx_and_pdf_then_costs_only_304s_then_finds_next_year(
        settings: Settings, engine: Engine, site: WebServer) -> None:
    settings = fast(settings)
    sid = add(engine, site.url(LISTING_PATH), kind="listing", link_pattern="政府工作报告")

    first = check_source(settings, engine, sid)
    assert first.status == "ok" and not first.errors
    docs = documents(engine)
    assert sorted(docs) == [2015, 2016, 2017] and len(first.new_documents) == 3
    assert {y: d.format for y, d in docs.items()} == {2015: "pdf", 2016: "docx", 2017: "html"}
    for year, doc in docs.items():
        assert same_text(doc.text, national(year)), f"text of {year} differs from the fixture"
    assert docs[2017].title == "2017年政府工作报告" and docs[2017].url == site.url("/zwgk/gzbg/t20170316_report.html")
    assert "首页" not in docs[2017].text and "版权所有" not in docs[2017].text
    fetched = logs(engine)
    assert [(r.http_status, r.new_document, r.error) for r in fetched] == [(200, False, None)] + [(200, True, None)] * 3
    assert all(r.sha256 and r.bytes > 0 and r.source_id == sid for r in fetched)
    assert source(engine, sid).etag and source(engine, sid).last_result.startswith("ok: 4 requests")  # type: ignore[union-attr]

    # Unchanged site: one conditional request, a 304, nothing new.
    before, seen = counts(engine), len(site.requests)
    second = check_source(settings, engine, sid)
    assert second.status == "unchanged" and second.requests == second.not_modified == 1
    new_requests = site.requests[seen:]
    assert [p for p, _ in new_requests] == [LISTING_PATH] and "if-none-match" in new_requests[0][1]
    assert counts(engine) == before and logs(engine)[-1].http_status == 304

    # Next year's report appears: old links cost a 304 each, the new one is ingested.
    build_site(Path(site.root), years_html=(2017, 2018))
    seen = len(site.requests)
    statuses_before = auto_events_with_evidence(engine, 2017)
    third = check_source(settings, engine, sid)
    assert third.status == "ok" and not third.errors and len(third.new_documents) == 1
    assert sorted(documents(engine)) == [2015, 2016, 2017, 2018]
    assert same_text(documents(engine)[2018].text, national(2018))
    conditional = [(p, h.get("if-none-match") is not None) for p, h in site.requests[seen:]]
    assert conditional == [(LISTING_PATH, True), ("/files/2015-report.pdf", True),
                           ("/files/2016-report.docx", True), ("/zwgk/gzbg/t20170316_report.html", True),
                           ("/zwgk/gzbg/t20180316_report.html", False)]
    assert [r.http_status for r in logs(engine)[-5:]] == [200, 304, 304, 304, 200]

    # The 2018 report reviews 2017: commitments of 2017 change status, with the outcome as evidence.
    assert statuses_before == 0
    assert auto_events_with_evidence(engine, 2017) > 0, "no 2017 commitment changed status with evidence"
    with Session(engine) as s:
        settled = s.exec(select(Commitment).where(Commitment.target_year == 2017,
                                                  col(Commitment.status) != "pending")).all()
    assert settled


def test_document_source_is_ingested_once_and_then_costs_a_304(sqlite_settings: Settings, sqlite_engine: Engine,
                                                                site: WebServer) -> None:
    settings = fast(sqlite_settings)
    sid = add(sqlite_engine, site.url("/files/2016-report.docx"))
    assert len(check_source(settings, sqlite_engine, sid).new_documents) == 1
    again = check_source(settings, sqlite_engine, sid)
    assert again.status == "unchanged" and again.not_modified == 1
    assert [r.http_status for r in logs(sqlite_engine)] == [200, 304]


def test_two_sources_with_one_report_store_one_document(sqlite_settings: Settings, sqlite_engine: Engine,
                                                        site: WebServer) -> None:
    settings = fast(sqlite_settings)
    a = add(sqlite_engine, site.url("/files/2015-report.pdf"), name="a")
    b = add(sqlite_engine, site.url("/files/2015-report.pdf"), name="b")
    assert len(check_source(settings, sqlite_engine, a).new_documents) == 1
    assert check_source(settings, sqlite_engine, b).new_documents == []
    assert counts(sqlite_engine)["document"] == 1
    assert [r.new_document for r in logs(sqlite_engine)] == [True, False]


def test_listing_link_discovery_filters_by_pattern_and_skips_the_listing_itself(site: WebServer) -> None:
    from tracker.fetch import Fetcher

    with Fetcher(FAST) as f:
        page = f.get(site.url(LISTING_PATH))
    assert [link.text for link in discover_links(page, "政府工作报告")] == [
        "2015年政府工作报告（PDF版）", "2016年政府工作报告（Word版）", "2017年政府工作报告"]
    assert [link.url for link in discover_links(page, r"\.pdf$")] == [site.url("/files/2015-report.pdf")]
    assert [link.text for link in discover_links(page, "统计公报")] == ["2016年国民经济和社会发展统计公报"]


# --- faults: each leaves one FetchLog row with a clear error and nothing else -------------------


@pytest.mark.parametrize(("fault", "path", "status", "error"), [
    pytest.param(Fault(status=404), "/files/2016-report.docx", 404, "HTTP 404", id="404-not-retried"),
    pytest.param(Fault(status=500), "/files/2016-report.docx", 500, "HTTP 500 Internal Server Error (after 3 attempts)",
                 id="500-always"),
    pytest.param(Fault(delay=1.5), "/files/2016-report.docx", None, "timed out after 0.3s", id="slow"),
    pytest.param(Fault(oversize=3_000_000), "/big.html", 200, "exceeds the limit of 2000000 bytes", id="oversize"),
    pytest.param(Fault(redirect="/files/2016-report.docx"), "/files/2016-report.docx", None, "redirect loop",
                 id="redirect-loop"),
])
def test_fetch_faults_are_logged_and_change_nothing_else(sqlite_settings: Settings, sqlite_engine: Engine,
                                                         site: WebServer, fault: Fault, path: str,
                                                         status: int | None, error: str) -> None:
    settings = fast(sqlite_settings)
    if fault.delay:
        settings = dataclasses.replace(settings, fetch=dataclasses.replace(FAST, timeout_seconds=0.3))
    site.faults[path] = fault
    sid = add(sqlite_engine, site.url(path))
    before = counts(sqlite_engine)
    result = check_source(settings, sqlite_engine, sid)
    assert result.status == "error" and error in result.errors[0]
    [row] = logs(sqlite_engine)
    assert row.http_status == status and error in (row.error or "") and row.document_id is None
    if status == 404:
        assert row.attempts == 1 and site.paths().count(path) == 1
    if status == 500:
        assert row.attempts == 3
    assert counts(sqlite_engine) == before
    src = source(sqlite_engine, sid)
    assert src.etag is None and src.last_result and src.last_result.startswith("error") and error in src.last_result


def test_500_then_success_is_retried_and_ingested(sqlite_settings: Settings, sqlite_engine: Engine,
                                                  site: WebServer) -> None:
    site.faults["/files/2016-report.docx"] = Fault(fail_first=1)
    sid = add(sqlite_engine, site.url("/files/2016-report.docx"))
    result = check_source(fast(sqlite_settings), sqlite_engine, sid)
    assert result.status == "ok" and len(result.new_documents) == 1
    [row] = logs(sqlite_engine)
    assert (row.http_status, row.attempts, row.error, row.new_document) == (200, 2, None, True)


def test_wrong_declared_charset_is_detected_and_the_report_read_right(sqlite_settings: Settings,
                                                                      sqlite_engine: Engine, site: WebServer) -> None:
    path = "/zwgk/gzbg/t20170316_report.html"
    site.faults[path] = Fault(content_type="text/html; charset=iso-8859-1")
    sid = add(sqlite_engine, site.url(path))
    assert check_source(fast(sqlite_settings), sqlite_engine, sid).status == "ok"
    assert same_text(documents(sqlite_engine)[2017].text, national(2017))


def test_unreadable_page_is_logged_not_ingested(sqlite_settings: Settings, sqlite_engine: Engine,
                                                site: WebServer) -> None:
    (Path(site.root) / "notice.html").write_bytes(report_page("关于开展政务公开工作的通知。请各单位认真落实。",
                                                              title="通知", charset="utf-8"))
    sid = add(sqlite_engine, site.url("/notice.html"))
    before = counts(sqlite_engine)
    result = check_source(fast(sqlite_settings), sqlite_engine, sid)
    assert result.status == "error" and "no plan part" in result.errors[0]
    [row] = logs(sqlite_engine)
    assert row.http_status == 200 and row.error and "not ingested: no plan part" in row.error
    assert counts(sqlite_engine) == before


def test_broken_link_is_retried_in_full_at_the_next_check(sqlite_settings: Settings, sqlite_engine: Engine,
                                                          site: WebServer) -> None:
    settings = fast(sqlite_settings)
    site.faults["/files/2015-report.pdf"] = Fault(status=404)
    sid = add(sqlite_engine, site.url(LISTING_PATH), kind="listing")
    first = check_source(settings, sqlite_engine, sid)
    assert first.status == "error" and len(first.new_documents) == 2 and source(sqlite_engine, sid).etag is None
    del site.faults["/files/2015-report.pdf"]
    second = check_source(settings, sqlite_engine, sid)
    assert second.status == "ok" and len(second.new_documents) == 1 and source(sqlite_engine, sid).etag
    assert sorted(documents(sqlite_engine)) == [2015, 2016, 2017]


def test_non_http_url_is_refused_in_config_in_the_cli_and_at_fetch_time(tmp_path: Path, sqlite_settings: Settings,
                                                                         sqlite_engine: Engine) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[[sources]]\nname = "x"\njurisdiction = "全国"\nurl = "ftp://example.gov.cn/report.txt"\n',
                      encoding="utf-8")
    with pytest.raises(ConfigError, match="url must be http or https"):
        load_settings(config, env={})
    with session_scope(sqlite_engine) as s, pytest.raises(InputError, match="http or https"):
        add_source(s, name="x", jurisdiction="全国", url="file:///etc/passwd")
    with session_scope(sqlite_engine) as s:  # a row written behind the tracker's back
        s.add(Source(name="x", jurisdiction="全国", url="file:///etc/passwd"))
    sid = source_id(sqlite_engine, "x")
    before = counts(sqlite_engine)
    result = check_source(fast(sqlite_settings), sqlite_engine, sid)
    assert result.status == "error"
    [row] = logs(sqlite_engine)
    assert row.error == "only http and https URLs can be fetched" and row.http_status is None
    assert counts(sqlite_engine) == before


def source_id(engine: Engine, name: str) -> int:
    with Session(engine) as s:
        return get_source(s, name=name).id or 0


# --- sources from config, due checks, the CLI, URL ingestion -----------------------------------


def test_config_sources_are_synced_and_cli_sources_kept(sqlite_settings: Settings, sqlite_engine: Engine) -> None:
    from tracker.config import SourceSettings

    spec = SourceSettings(name="国务院", jurisdiction="全国", url="https://www.gov.cn/gzbg/", kind="listing",
                          schedule="0 7 * * 1")
    settings = dataclasses.replace(sqlite_settings, sources=(spec,))
    with session_scope(sqlite_engine) as s:
        add_source(s, name="手工", jurisdiction="宜宾", url="https://www.yibin.gov.cn/gzbg.html")
        sync_sources(s, settings)
    with session_scope(sqlite_engine) as s:
        assert get_source(s, name="国务院").origin == "config" and get_source(s, name="国务院").schedule == "0 7 * * 1"
        sync_sources(s, dataclasses.replace(settings, sources=()))
    with session_scope(sqlite_engine) as s:
        assert [r.name for r in s.exec(select(Source)).all()] == ["手工"]
    bad = dataclasses.replace(settings, sources=(dataclasses.replace(spec, schedule="every day"),))
    with session_scope(sqlite_engine) as s, pytest.raises(ConfigError, match="not a cron expression"):
        sync_sources(s, bad)


def test_run_checks_runs_only_due_sources_unless_asked(sqlite_settings: Settings, sqlite_engine: Engine,
                                                       site: WebServer) -> None:
    settings = fast(sqlite_settings)
    add(sqlite_engine, site.url("/files/2016-report.docx"), name="a", schedule="0 6 * * *")
    assert [r.source for r in run_checks(settings, sqlite_engine)] == ["a"]  # never checked: due
    assert run_checks(settings, sqlite_engine) == []  # checked a moment ago: next run is tomorrow
    assert [r.status for r in run_checks(settings, sqlite_engine, names=["a"])] == ["unchanged"]
    assert [r.source for r in run_checks(settings, sqlite_engine, all_sources=True)] == ["a"]


def test_cli_sources_add_list_check_remove(tmp_path: Path, site: WebServer) -> None:
    runner = CliRunner()
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\ntimeout_seconds = 2.0\nretries = 0\nper_host_delay_seconds = 0.0\n", encoding="utf-8")
    base = ["--config", str(config), "--db", f"sqlite:///{tmp_path / 'cli.sqlite'}"]
    r = runner.invoke(app, [*base, "sources", "add", "国务院报告", "--url", site.url(LISTING_PATH),
                            "--jurisdiction", "全国", "--kind", "listing", "--pattern", "政府工作报告"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, [*base, "sources", "add", "坏", "--url", "ftp://x/y", "--jurisdiction", "全国"])
    assert r.exit_code == 2 and "http or https" in r.output
    r = runner.invoke(app, [*base, "check", "--source", "国务院报告"])
    assert r.exit_code == 0, r.output
    assert "国务院报告: ok: 4 requests, 0 not modified, 3 new documents" in r.output
    r = runner.invoke(app, [*base, "sources", "list", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert '"last_result": "ok: 4 requests' in r.output and '"next_run": "20' in r.output
    r = runner.invoke(app, [*base, "check"])
    assert r.exit_code == 0 and "no source is due" in r.output
    r = runner.invoke(app, [*base, "check", "--all"])
    assert "unchanged: 1 requests, 1 not modified" in r.output
    r = runner.invoke(app, [*base, "check", "--source", "nope"])
    assert r.exit_code == 2 and "no source with name 'nope'" in r.output
    r = runner.invoke(app, [*base, "sources", "remove", "国务院报告"])
    assert r.exit_code == 0
    r = runner.invoke(app, [*base, "sources", "list", "--format", "json"])
    assert r.output.strip() == "[]"


def test_ingest_accepts_urls_and_names_unreachable_ones(tmp_path: Path, site: WebServer) -> None:
    runner = CliRunner()
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\ntimeout_seconds = 5.0\nretries = 0\nper_host_delay_seconds = 0.0\n", encoding="utf-8")
    base = ["--config", str(config), "--db", f"sqlite:///{tmp_path / 'cli.sqlite'}"]
    url = site.url("/files/2015-report.pdf")
    r = runner.invoke(app, [*base, "ingest", url])
    assert r.exit_code == 0, r.output
    assert f"{url}: 全国 2015" in r.output and "new" in r.output
    dead = site.url("/gone.html")
    r = runner.invoke(app, [*base, "ingest", dead])
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [f"error: {dead}: HTTP 404 Not Found"]


def test_fetch_error_of_ingest_url_is_a_fetch_error(sqlite_settings: Settings, sqlite_engine: Engine) -> None:
    from tracker.batch import ingest_paths

    settings = fast(dataclasses.replace(sqlite_settings, fetch=dataclasses.replace(FAST, retries=0)))
    with pytest.raises(FetchError, match=r"^http://127\.0\.0\.1:9/x\.html: connection failed"):
        ingest_paths(sqlite_engine, settings, ["http://127.0.0.1:9/x.html"])
    assert logs(sqlite_engine)[0].source_id is None
