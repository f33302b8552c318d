"""Command line: thin commands that parse, load settings, open a session, call one core function, render."""

from __future__ import annotations

import csv
import gc
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tracker.config import Settings, load_settings
from tracker.errors import TrackerError

app = typer.Typer(help="Track the quantitative commitments of government work reports against later outcomes.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

T = TypeVar("T")


class Fmt(StrEnum):
    """Output formats of listing commands."""

    table = "table"
    csv = "csv"
    json = "json"


def console() -> None:
    """The `tracker` console script: the app, then no collection of its garbage at exit.

    Python's final collection walks every object the ORM and the extractor built, a quarter of a
    second after `ingest` has finished; the process is ending, so the objects are frozen instead.
    """
    try:
        app()
    finally:
        gc.freeze()


@app.callback()
def main(ctx: typer.Context,
         config: Annotated[Path | None, typer.Option("--config", help="config.toml to use (default: the project's)")] = None,
         db: Annotated[str | None, typer.Option("--db", help="database URL, overrides config and TRACKER_DB_URL")] = None) -> None:
    """Policy-commitment tracker."""
    ctx.obj = {"config": config, "db": db}


def settings_of(ctx: typer.Context) -> Settings:
    """Load settings once per command, with the --db override applied."""
    import dataclasses

    obj = ctx.find_root().obj or {}
    settings = run(lambda: load_settings(obj.get("config")))
    return dataclasses.replace(settings, db_url=obj["db"]) if obj.get("db") else settings


def run(fn: Callable[[], T]) -> T:
    """Call core code; a TrackerError becomes one line on stderr and its exit code."""
    try:
        return fn()
    except TrackerError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None


@contextmanager
def session_for(settings: Settings, *, create: bool = False) -> Iterator[Any]:
    """A session in one transaction on the configured database."""
    from tracker.db import open_engine, session_scope

    engine = run(lambda: open_engine(settings.db_url, create=create))
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def emit(rows: list[dict[str, Any]], fmt: Fmt, columns: list[str], title: str | None = None) -> None:
    """Print rows as a rich table, CSV (UTF-8) or JSON."""
    if fmt is Fmt.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt is Fmt.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
        Console().print(table)


# --- reports: init, ingest, extract, list, show -------------------------------------------------


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the database schema (SQLite file or PostgreSQL); safe to run again."""
    settings = settings_of(ctx)
    with session_for(settings, create=True):
        pass
    typer.echo(f"database ready: {settings.db_url}")


@app.command()
def ingest(ctx: typer.Context,
           paths: Annotated[list[str], typer.Argument(help="report files (.txt, .docx, .pdf, .html), directories or URLs")],
           jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", "-j", help="publisher, if not detected")] = None,
           level: Annotated[str | None, typer.Option(help="national, province, city or county")] = None,
           parent: Annotated[str | None, typer.Option(help="the jurisdiction above this one")] = None,
           year: Annotated[int | None, typer.Option("--year", "-y", help="report year, if not detected")] = None) -> None:
    """Store reports with their commitments and outcomes and update statuses; bad files are reported at the end."""
    from tracker.batch import ingest_paths

    settings = settings_of(ctx)

    def engine() -> Any:  # opened once extraction workers run: the database layer loads meanwhile
        from tracker.db import open_engine

        return open_engine(settings.db_url, create=True)

    report = run(lambda: ingest_paths(engine, settings, paths, jurisdiction=jurisdiction, level=level,
                                      parent=parent, year=year, progress=_Bar()))
    for r in report.done:
        state = "new" if r.new else "unchanged (already stored)"
        typer.echo(f"{r.name}: {r.jurisdiction} {r.year}, {r.commitments} commitments, {r.outcomes} outcomes, {state}")
    if report.skipped:
        typer.echo(f"passed over {len(report.skipped)} files that are not .txt, .docx, .pdf or .html, "
                   f"e.g. {report.skipped[0]}", err=True)
    for name, problem in report.failed:
        typer.echo(f"error: {name}: {problem}", err=True)
    if report.failed:
        raise typer.Exit(2)


class _Bar:
    """A rich progress bar on stderr, drawn only for several inputs on a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if total < 2 or not sys.stderr.isatty():
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("ingesting", total=total)
            self.bar.start()
        self.bar.update(self.task, completed=done, description=Path(name).name)
        if done >= total:
            self.bar.stop()


@app.command()
def extract(path: Annotated[Path, typer.Argument(help="a report file")],
            fmt: Annotated[Fmt, typer.Option("--format", "-f", help="table or json")] = Fmt.table,
            year: Annotated[int | None, typer.Option("--year", "-y", help="report year, if not detected")] = None) -> None:
    """Print the commitments of a report without storing anything."""
    from tracker.prepare import extract_file

    rows = [r.to_dict() for r in run(lambda: extract_file(str(path), year))]
    emit(rows, fmt, ["quote", "indicator", "value", "unit", "comparator", "hedge", "kind", "target_year", "start"],
         title=f"{path.name}: {len(rows)} commitments")


@app.command("list")
def list_(ctx: typer.Context,
          jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", "-j")] = None,
          year: Annotated[int | None, typer.Option("--year", "-y", help="target year")] = None,
          status: Annotated[str | None, typer.Option(help="pending, fulfilled, partial, missed, no_evidence")] = None,
          open_: Annotated[bool, typer.Option("--open", help="only commitments not yet fulfilled or missed")] = False,
          area: Annotated[str | None, typer.Option(help="policy area: economy, industry, agriculture_rural, "
                                                       "urban_infrastructure, environment, science_education, "
                                                       "social_welfare, governance, other")] = None,
          search: Annotated[str | None, typer.Option("--search", "-s", help="text in indicator, quote or chapter")] = None,
          fmt: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.table) -> None:
    """List stored commitments with filters, as a table, CSV or JSON."""
    from tracker import repo
    from tracker.views import commitment_row

    settings = settings_of(ctx)
    with session_for(settings) as session:
        rows = run(lambda: repo.list_commitments(session, jurisdiction=jurisdiction, year=year, status=status,
                                                 open_only=open_, area=area, search=search))
        names = repo.jurisdiction_names(session, ids=[r.jurisdiction_id for r in rows])
        data = [commitment_row(r, names) for r in rows]
    emit(data, fmt, ["id", "jurisdiction", "target_year", "indicator", "quote", "status", "chapter"],
         title=f"{len(data)} commitments")


@app.command()
def show(ctx: typer.Context, key: Annotated[str, typer.Argument(help="stable id, e.g. 宜宾-2024-041")]) -> None:
    """Show one commitment: its sentence with the figure highlighted, chapter, status, evidence and history."""
    from tracker.views import commitment_detail, render_detail

    settings = settings_of(ctx)
    with session_for(settings) as session:
        detail = run(lambda: commitment_detail(session, key=key))
    render_detail(detail)


# --- sources: sources, check, schedule ---

sources_app = typer.Typer(help="Manage the sources checked for new reports (config.toml [[sources]] and your own).",
                          no_args_is_help=True)
app.add_typer(sources_app, name="sources")


class SourceKind(StrEnum):
    """What a source URL is: a report itself, or a listing page that links to reports."""

    document = "document"
    listing = "listing"


@sources_app.command("add")
def sources_add(ctx: typer.Context,
                name: Annotated[str, typer.Argument(help="a short unique name, e.g. 宜宾报告")],
                url: Annotated[str, typer.Option("--url", help="http(s) URL of the report or listing page")],
                jurisdiction: Annotated[str, typer.Option("--jurisdiction", "-j", help="publisher of the reports")],
                kind: Annotated[SourceKind, typer.Option(help="document or listing")] = SourceKind.document,
                pattern: Annotated[str | None, typer.Option("--pattern", help="regex on link text or URL (listing; default 政府工作报告)")] = None,
                schedule: Annotated[str, typer.Option(help="cron: minute hour day month weekday")] = "0 6 * * *",
                level: Annotated[str | None, typer.Option(help="national, province, city or county")] = None,
                parent: Annotated[str | None, typer.Option(help="the jurisdiction above this one")] = None) -> None:
    """Add a source to check on a schedule."""
    from tracker.sources import add_source

    settings = settings_of(ctx)
    with session_for(settings, create=True) as session:
        run(lambda: add_source(session, name=name, jurisdiction=jurisdiction, url=url, kind=kind.value,
                               level=level, parent=parent, link_pattern=pattern, schedule=schedule))
    typer.echo(f"source added: {name} ({kind.value}, {schedule})")


@sources_app.command("list")
def sources_list(ctx: typer.Context, fmt: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.table) -> None:
    """List sources with their last check, its result and the next scheduled run."""
    import dataclasses

    from tracker.sources import source_rows, sync_sources

    settings = settings_of(ctx)
    with session_for(settings, create=True) as session:
        run(lambda: sync_sources(session, settings))
        rows = [dataclasses.asdict(r) for r in source_rows(session)]
    emit(rows, fmt, ["name", "jurisdiction", "kind", "schedule", "last_checked_at", "last_result", "next_run", "url"],
         title=f"{len(rows)} sources")


@sources_app.command("remove")
def sources_remove(ctx: typer.Context, name: Annotated[str, typer.Argument(help="the source's name")]) -> None:
    """Remove a source (its fetch log is kept); sources from config.toml return until removed there."""
    from tracker.sources import remove_source

    settings = settings_of(ctx)
    with session_for(settings) as session:
        run(lambda: remove_source(session, name=name))
    typer.echo(f"source removed: {name}")


@app.command()
def check(ctx: typer.Context,
          source: Annotated[list[str] | None, typer.Option("--source", "-s", help="check this source (repeatable)")] = None,
          all_: Annotated[bool, typer.Option("--all", help="check every source, due or not")] = False) -> None:
    """Run due source checks now (or the named ones, or all); exit 1 if a check failed. For cron or systemd."""
    from tracker.db import open_engine
    from tracker.jobs import run_checks

    settings = settings_of(ctx)
    engine = run(lambda: open_engine(settings.db_url, create=True))
    try:
        results = run(lambda: run_checks(settings, engine, names=source or (), all_sources=all_))
    finally:
        engine.dispose()
    if not results:
        typer.echo("no source is due")
    for r in results:
        typer.echo(f"{r.source}: {r.summary}")
    if any(r.status == "error" for r in results):
        raise typer.Exit(1)


@app.command()
def schedule(ctx: typer.Context,
             max_seconds: Annotated[float | None, typer.Option(help="stop after this many seconds (for tests)")] = None,
             every_seconds: Annotated[float | None, typer.Option(help="check every N seconds instead of each source's cron (for tests)", hidden=True)] = None) -> None:
    """Run the scheduler in the foreground until SIGINT/SIGTERM; with PostgreSQL one process leads, others wait."""
    import logging

    from tracker.scheduler import run_scheduler

    settings = settings_of(ctx)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    run(lambda: run_scheduler(settings, max_seconds=max_seconds, every_seconds=every_seconds))


# --- statuses: mark, history, review ---


def _actor(actor: str | None) -> str:
    """Who acts: --actor, else the login name."""
    import getpass

    return actor or getpass.getuser()


@app.command()
def mark(ctx: typer.Context,
         key: Annotated[str, typer.Argument(help="stable id, e.g. 全国-2017-003")],
         status: Annotated[str, typer.Argument(help="fulfilled, partial, missed, no_evidence or pending")],
         note: Annotated[str, typer.Option("--note", "-n", help="why (required; kept in the history)")],
         value: Annotated[float | None, typer.Option("--value", help="the actual figure, if known")] = None,
         actor: Annotated[str | None, typer.Option("--actor", help="who decides (default: login name)")] = None) -> None:
    """Set a commitment's status by hand with a note; it wins over later automatic findings."""
    from tracker.statuses import mark_status

    settings = settings_of(ctx)
    with session_for(settings) as session:
        ev = run(lambda: mark_status(session, key=key, status=status, note=note, actor=_actor(actor), value=value))
        old = ev.old_status
    typer.echo(f"{key}: {old} -> {status} (manual)")


@app.command()
def history(ctx: typer.Context, key: Annotated[str, typer.Argument(help="stable id, e.g. 全国-2017-003")],
            fmt: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.table) -> None:
    """Show every status change of a commitment: when, old -> new, origin, actor, evidence and note."""
    from tracker.statuses import history as load_history
    from tracker.views import event_row

    settings = settings_of(ctx)
    with session_for(settings) as session:
        c, events = run(lambda: load_history(session, key=key))
        rows = [event_row(session, ev) for ev in events]
        title = f"{c.key}: {c.indicator} {c.quote}, status {c.status}"
    emit(rows, fmt, ["time", "old", "new", "origin", "actor", "evidence", "actual", "note"], title=title)


@app.command()
def review(ctx: typer.Context,
           accept: Annotated[int | None, typer.Option("--accept", help="accept review item N: its proposed status is set")] = None,
           reject: Annotated[int | None, typer.Option("--reject", help="reject review item N: it is closed, the status stays")] = None,
           actor: Annotated[str | None, typer.Option("--actor", help="who decides (default: login name)")] = None,
           fmt: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.table) -> None:
    """List the queue of low-confidence evidence links, or accept or reject one of them."""
    import dataclasses

    from tracker.statuses import accept_review, reject_review, review_queue

    settings = settings_of(ctx)
    if accept is not None and reject is not None:
        raise typer.BadParameter("give --accept or --reject, not both")
    with session_for(settings) as session:
        if accept is not None:
            ev = run(lambda: accept_review(session, item_id=accept, actor=_actor(actor)))
            typer.echo(f"review item {accept} accepted: {ev.old_status} -> {ev.new_status}")
            return
        if reject is not None:
            run(lambda: reject_review(session, item_id=reject, actor=_actor(actor)))
            typer.echo(f"review item {reject} rejected")
            return
        rows = [dataclasses.asdict(e) for e in review_queue(session)]
    emit(rows, fmt, ["id", "key", "indicator", "target", "evidence_indicator", "evidence", "proposed_status", "score"],
         title=f"{len(rows)} open review items")


# --- exchange and scorecards: export, import, scorecard, demo ---


class ExportFmt(StrEnum):
    """Formats of `tracker export`."""

    json = "json"
    csv = "csv"


class CardFmt(StrEnum):
    """Formats of `tracker scorecard`."""

    md = "md"
    html = "html"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def _deliver(content: str | bytes, out: Path | None, what: str) -> None:
    """Write output to --out (saying so on stderr) or to stdout; binary output needs a file or a pipe."""
    if out is not None:
        try:
            if isinstance(content, bytes):
                out.write_bytes(content)
            else:
                out.write_text(content, encoding="utf-8", newline="")
        except OSError as exc:
            typer.echo(f"error: {out}: {exc.strerror}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"{what} written to {out}", err=True)
    elif isinstance(content, bytes):
        if sys.stdout.isatty():
            raise typer.BadParameter("this format is binary: give --out FILE (or redirect stdout)")
        sys.stdout.buffer.write(content)
    else:
        sys.stdout.write(content)


@app.command()
def export(ctx: typer.Context,
           fmt: Annotated[ExportFmt, typer.Option("--format", "-f", help="json or csv (UTF-8 with BOM)")] = ExportFmt.json,
           jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", "-j")] = None,
           year: Annotated[int | None, typer.Option("--year", "-y", help="report year: commitments made in that year's report")] = None,
           out: Annotated[Path | None, typer.Option("--out", "-o", help="write to this file instead of stdout")] = None) -> None:
    """Export commitments with status, latest note and evidence as JSON or CSV, keyed by stable id."""
    from tracker.exchange import export_commitments, render_csv, render_json

    settings = settings_of(ctx)
    with session_for(settings) as session:
        records = export_commitments(session, jurisdiction=jurisdiction, year=year)
    _deliver(render_json(records) if fmt is ExportFmt.json else render_csv(records), out,
             f"{len(records)} commitments")


@app.command("import")
def import_(ctx: typer.Context,
            path: Annotated[str, typer.Argument(help="a CSV or JSON file as `tracker export` writes it")],
            actor: Annotated[str | None, typer.Option("--actor", help="who made the changes (default: login name)")] = None) -> None:
    """Apply statuses and notes of an exported (and edited) CSV or JSON file by stable id, with history; other columns are not imported."""
    from tracker.exchange import import_records, read_records

    settings = settings_of(ctx)
    records = run(lambda: read_records(path))
    with session_for(settings) as session:
        report = run(lambda: import_records(session, records, actor=_actor(actor)))
    typer.echo(f"{len(report.updated)} updated, {report.unchanged} unchanged, {len(report.problems)} not applied")
    for label, problem in report.problems:
        typer.echo(f"error: {path}: {label}: {problem}", err=True)
    if report.problems:
        raise typer.Exit(1)


@app.command()
def scorecard(ctx: typer.Context,
              year: Annotated[int, typer.Option("--year", "-y", help="report year: the commitments made in that year's reports")],
              jurisdiction: Annotated[list[str] | None, typer.Option("--jurisdiction", "-j", help="repeatable; default: all")] = None,
              compare: Annotated[bool, typer.Option("--compare", help="one scorecard per jurisdiction, side by side")] = False,
              fmt: Annotated[CardFmt, typer.Option("--format", "-f", help="md, html, csv, json or xlsx")] = CardFmt.md,
              out: Annotated[Path | None, typer.Option("--out", "-o", help="write to this file instead of stdout")] = None) -> None:
    """Yearly scorecard: totals per status, fulfilment rate, coverage, firm vs aspirational, chapters, areas, commitments."""
    from tracker.scorecard.service import make_scorecard, render

    settings = settings_of(ctx)
    with session_for(settings) as session:
        card = run(lambda: make_scorecard(session, year=year, jurisdictions=jurisdiction or (), compare=compare))
    _deliver(run(lambda: render(card, fmt.value)), out, f"scorecard ({fmt.value})")


@app.command()
def demo(ctx: typer.Context,
         html: Annotated[bool, typer.Option("--html/--no-html", help="also write the HTML scorecard next to the database")] = True) -> None:
    """Build db/demo.sqlite afresh from the fixture reports; print the 2018 national scorecard and open 2024 commitments."""
    from tracker.demo import run_demo
    from tracker.exchange import record_of
    from tracker.scorecard.html import render_html
    from tracker.scorecard.render import render_markdown

    settings = settings_of(ctx)
    result = run(lambda: run_demo(settings))
    for r in result.ingested.done:
        typer.echo(f"ingested {Path(r.name).name}: {r.jurisdiction} {r.year}, {r.commitments} commitments, "
                   f"{r.outcomes} outcomes")
    for name, problem in result.ingested.failed:
        typer.echo(f"error: {name}: {problem}", err=True)
    typer.echo("")
    typer.echo(render_markdown(result.scorecard))
    rows = [record_of(v) for v in result.open_commitments]
    emit(rows, Fmt.table, ["id", "indicator", "quote", "status", "area"],
         title=f"{len(rows)} open 2024 commitments of 宜宾 and 泸州 (pending, no_evidence or partial)")
    if html:
        page = result.db_path.with_suffix(".html")
        _deliver(render_html(result.scorecard), page, "HTML scorecard")
    typer.echo(f"database: {result.db_path}; try: tracker --db sqlite:///{result.db_path} list --jurisdiction 宜宾 --open")
