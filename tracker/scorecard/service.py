"""Scorecards from the database: load the views of a year, aggregate, and render in the asked format."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from tracker.errors import InputError
from tracker.scorecard.build import Comparison, Scorecard, build_comparison, build_scorecard
from tracker.scorecard.load import load_views

FORMATS = ("md", "html", "csv", "json", "xlsx")


def make_scorecard(session: Session, *, year: int, jurisdictions: Sequence[str] = (),
                   compare: bool = False) -> Scorecard | Comparison:
    """The scorecard of the commitments made in `year`'s reports (of the named jurisdictions, or all).

    With `compare`, one scorecard per jurisdiction side by side; raises InputError when nothing is stored.
    """
    if jurisdictions:
        views = [v for name in dict.fromkeys(jurisdictions) for v in load_views(session, jurisdiction=name, year=year)]
        missing = sorted(set(jurisdictions) - {v.jurisdiction for v in views})
        if missing:
            raise InputError("、".join(missing), f"no commitments of {year} reports stored; ingest the report first")
    else:
        views = load_views(session, year=year)
    if not views:
        raise InputError(str(year), "no commitments of that year's reports stored; ingest a report first")
    return build_comparison(views, year=year) if compare else build_scorecard(views, year=year)


def render(card: Scorecard | Comparison, fmt: str) -> str | bytes:
    """Render a scorecard as md, html, csv, json (text) or xlsx (bytes)."""
    from tracker.scorecard import html, render

    if fmt == "md":
        return render.render_markdown(card)
    if fmt == "html":
        return html.render_html(card)
    if fmt == "csv":
        return render.render_csv(card)
    if fmt == "json":
        return render.render_json(card)
    if fmt == "xlsx":
        return render.render_xlsx(card)
    raise InputError(fmt, f"unknown scorecard format; use one of: {', '.join(FORMATS)}")
