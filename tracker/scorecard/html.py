"""Pure HTML renderer: one self-contained page with inline CSS and SVG charts; all report text escaped."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from importlib import resources

from tracker.scorecard.build import Comparison, Row, Scorecard, Tally, fmt_rate
from tracker.scorecard.render import compare_header, summary_line

KNOWN = ("fulfilled", "partial", "missed", "no_evidence", "pending")
BAR_W = 260  # width of a 100% bar in chart units; labels take the left part of the viewBox
LABEL_W = 150
RIGHT_W = 50
# Charts with text keep their natural size (max-width) so labels stay legible on a phone and on paper.
CHART_W = LABEL_W + BAR_W + RIGHT_W


def e(text: object) -> str:
    """Escape any text for HTML content and attribute values (quotes included)."""
    return escape("" if text is None else str(text), quote=True)


@lru_cache(maxsize=1)
def _css() -> str:
    return resources.files("tracker.scorecard").joinpath("data/scorecard.css").read_text(encoding="utf-8")


def _color(status: str) -> str:
    return f"var(--{status})" if status in KNOWN else "var(--other)"


def _status_class(status: str) -> str:
    # manual statuses are free text: only known names become class names
    return f"st st-{status}" if status in KNOWN else "st"


def _clip_label(text: str, n: int = 11) -> str:
    text = text.split(" (")[0]  # area labels: "农业农村 (agriculture_rural)" -> "农业农村"
    return text if len(text) <= n else text[: n - 1] + "…"


def _segments(t: Tally, statuses: tuple[str, ...], x0: float, y: float, h: float, width: float) -> list[str]:
    """Rects of one stacked bar of statuses, proportional to the counts."""
    out, x = [], x0
    for s in statuses:
        n = t.counts.get(s, 0)
        if not n or not t.total:
            continue
        w = width * n / t.total
        out.append(f'<rect class="seg" x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" fill="{_color(s)}">'
                   f"<title>{e(s)}: {n}</title></rect>")
        x += w
    return out


def _legend(t: Tally, statuses: tuple[str, ...]) -> str:
    items = "".join(f'<li><i style="background:{_color(s)}"></i>{e(s)} {t.counts.get(s, 0)}</li>' for s in statuses)
    return f'<ul class="legend">{items}</ul>'


def status_chart(t: Tally, statuses: tuple[str, ...]) -> str:
    """A stacked bar of the commitments by status, with a legend."""
    if not t.total:
        bar = f'<rect x="0" y="4" width="{LABEL_W + BAR_W}" height="28" fill="var(--line)"></rect>'
    else:
        bar = "".join(_segments(t, statuses, 0, 4, 28, LABEL_W + BAR_W))
    svg = (f'<svg class="chart chart-status" viewBox="0 0 {LABEL_W + BAR_W} 36" role="img" '
           f'aria-label="commitments by status">{bar}</svg>')
    return f"<figure>{svg}{_legend(t, statuses)}</figure>"


def rate_chart(tallies: list[Tally], cls: str, caption: str) -> str:
    """Horizontal bars: fulfilment rate (solid) and coverage (thin) for each group."""
    row_h, parts = 30, []
    for i, t in enumerate(tallies):
        y = i * row_h
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end" font-size="13">'
                     f"<title>{e(t.label)}</title>{e(_clip_label(t.label))}</text>")
        parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W}" height="14" fill="#eef1f4"></rect>')
        if t.rate is not None:
            parts.append(f'<rect class="bar" x="{LABEL_W}" y="{y + 4}" width="{BAR_W * t.rate:.2f}" height="14" '
                         f'fill="var(--fulfilled)"><title>fulfilment rate {fmt_rate(t.rate)}</title></rect>')
        if t.coverage:
            parts.append(f'<rect x="{LABEL_W}" y="{y + 20}" width="{BAR_W * t.coverage:.2f}" height="4" '
                         f'fill="var(--no_evidence)"><title>coverage {fmt_rate(t.coverage)}</title></rect>')
        parts.append(f'<text x="{LABEL_W + BAR_W + 6}" y="{y + 15}" font-size="13">{fmt_rate(t.rate)}</text>')
    height = max(row_h * len(tallies), row_h)
    svg = (f'<svg class="chart {cls}" viewBox="0 0 {CHART_W} {height}" style="max-width:{CHART_W}px" '
           f'role="img" aria-label="{e(caption)}">{"".join(parts)}</svg>')
    return f"<figure>{svg}<figcaption>{e(caption)}</figcaption></figure>"


def compare_chart(cmp: Comparison) -> str:
    """One stacked status bar per jurisdiction, scaled to 100%, with its fulfilment rate."""
    row_h, parts = 26, []
    for i, c in enumerate(cmp.cards):
        y = i * row_h
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + 16}" text-anchor="end" font-size="13">'
                     f"{e(_clip_label(c.title))}</text>")
        parts.extend(_segments(c.totals, cmp.statuses, LABEL_W, y + 4, 18, BAR_W))
        parts.append(f'<text x="{LABEL_W + BAR_W + 6}" y="{y + 16}" font-size="13">{fmt_rate(c.totals.rate)}</text>')
    height = max(row_h * len(cmp.cards), row_h)
    svg = (f'<svg class="chart chart-compare" viewBox="0 0 {CHART_W} {height}" style="max-width:{CHART_W}px" '
           f'role="img" aria-label="statuses by jurisdiction">{"".join(parts)}</svg>')
    return (f"<figure>{svg}{_legend(cmp.totals, cmp.statuses)}"
            "<figcaption>Share of commitments by status; the figure on the right is the fulfilment rate."
            "</figcaption></figure>")


def _table(header: list[str], rows: list[list[object]], cls: str = "", numeric_from: int = 1) -> str:
    head = "".join(f'<th{" class=n" if i >= numeric_from else ""}>{e(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f'<td{" class=n" if i >= numeric_from else ""}>{e(c)}</td>'
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f'<div class="table-wrap"><table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _tally_table(first: str, tallies: list[Tally], statuses: tuple[str, ...]) -> str:
    rows: list[list[object]] = [[t.label, t.total, *(t.counts.get(s, 0) for s in statuses), fmt_rate(t.rate),
                                 fmt_rate(t.coverage)] for t in tallies]
    return _table([first, "all", *statuses, "fulfilment rate", "coverage"], rows, "groups")


def _evidence_cell(r: Row) -> str:
    if not r.evidence:
        return ""
    source = f'<br><small>{e(r.evidence_source)}</small>' if r.evidence_source else ""
    if r.mark is None:
        return e(r.evidence) + source
    a, b = r.mark
    return f"{e(r.evidence[:a])}<mark>{e(r.evidence[a:b])}</mark>{e(r.evidence[b:])}{source}"


def commitments_table(card: Scorecard) -> str:
    """The commitments with target, actual, status and the evidence sentence (figure marked)."""
    many = len(card.jurisdictions) > 1
    head = ["id", *(["jurisdiction"] if many else []), "indicator", "target", "actual", "status", "evidence"]
    rows = []
    for r in card.rows:
        cells = [f'<td class="id">{e(r.id)}</td>', *([f"<td>{e(r.jurisdiction)}</td>"] if many else []),
                 f'<td title="{e(r.chapter or "")}">{e(r.indicator)}</td>', f'<td class="n">{e(r.target)}</td>',
                 f'<td class="n">{e(r.actual or "—")}</td>',
                 f'<td><span class="{_status_class(r.status)}">{e(r.status)}</span></td>',
                 f'<td class="ev">{_evidence_cell(r)}</td>']
        rows.append("<tr>" + "".join(cells) + "</tr>")
    thead = "".join(f"<th>{e(h)}</th>" for h in head)
    return (f'<div class="table-wrap"><table class="commitments"><thead><tr>{thead}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _kpis(t: Tally) -> str:
    items = [(t.total, "commitments"), (fmt_rate(t.rate), "fulfilment rate (fulfilled / settled)"),
             (fmt_rate(t.coverage), "coverage (settled / all)"), (t.fulfilled, "fulfilled"),
             (t.counts.get("missed", 0), "missed")]
    return '<div class="kpis">' + "".join(f'<div class="kpi"><b>{e(v)}</b><span>{e(k)}</span></div>'
                                          for v, k in items) + "</div>"


def _card(card: Scorecard, level: int, cls: str = "") -> str:
    h, h2 = f"h{level}", f"h{level + 1}"
    st = card.statuses
    anchor = re.sub(r"\s+", "-", card.title)
    return "".join([
        f'<section class="scorecard {cls}" id="{e(anchor)}">',
        f"<{h}>Scorecard: {e(card.title)}</{h}>",
        f'<p class="lede">{e(summary_line(card.totals, st))}</p>', _kpis(card.totals),
        f"<{h2}>By status</{h2}>", status_chart(card.totals, st),
        f"<{h2}>By policy area</{h2}>",
        rate_chart(card.by_area, "chart-areas", "Fulfilment rate by policy area (thin bar: coverage)"),
        _tally_table("area", card.by_area, st),
        f"<{h2}>Firm versus aspirational</{h2}>", _tally_table("hedge", card.by_hedge, st),
        f"<{h2}>By chapter</{h2}>", _tally_table("chapter", card.by_chapter, st),
        f"<{h2}>Commitments</{h2}>", commitments_table(card),
        "</section>"])


def _page(title: str, body: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)}</title><style>{_css()}</style></head><body><main>{body}"
            "<footer>Made with tracker: every status is traced to a sentence of a published report.</footer>"
            "</main></body></html>\n")


def render_html(card: Scorecard | Comparison) -> str:
    """The scorecard (or comparison) as one self-contained HTML page, readable on a phone and printable."""
    if isinstance(card, Scorecard):
        return _page(f"Scorecard: {card.title}", _card(card, 1))
    rows: list[list[object]] = []
    for c in card.cards:
        rate = {t.key: fmt_rate(t.rate) for t in c.by_hedge}
        rows.append([c.title, c.totals.total, *(c.totals.counts.get(s, 0) for s in card.statuses),
                     fmt_rate(c.totals.rate), fmt_rate(c.totals.coverage), rate.get("firm", "—"),
                     rate.get("aspirational", "—")])
    body = "".join([f"<h1>Scorecard comparison: {e(card.title)}</h1>",
                    f'<p class="lede">{e(summary_line(card.totals, card.statuses))}</p>',
                    "<h2>Side by side</h2>", compare_chart(card),
                    _table(compare_header(card.statuses), rows, "compare"),
                    *(_card(c, 2, "card") for c in card.cards)])
    return _page(f"Scorecard comparison: {card.title}", body)
