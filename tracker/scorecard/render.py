"""Pure renderers of scorecards and comparisons: Markdown, CSV (UTF-8 with BOM), JSON and XLSX bytes."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tracker.scorecard.build import Comparison, Row, Scorecard, Tally, fmt_rate

Card = Scorecard | Comparison
BOM = "\ufeff"


class _Md(str):
    """Text that is already Markdown (escaped pieces plus our own emphasis)."""


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\|<*`[]"})


def _md_esc(text: object) -> str:
    """Report text as literal Markdown: a pipe, tag or asterisk must not break the table or turn into markup."""
    return str(text).translate(_MD_SPECIAL).replace("\r", " ").replace("\n", " ")


def _md_cell(text: object) -> str:
    if text is None:
        return ""
    return str(text) if isinstance(text, _Md) else _md_esc(text)


def _md_table(header: list[str], rows: list[list[object]], right_from: int = 1) -> list[str]:
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return lines


def _tally_cells(t: Tally, statuses: tuple[str, ...]) -> list[object]:
    return [t.total, *(t.counts.get(s, 0) for s in statuses), fmt_rate(t.rate), fmt_rate(t.coverage)]


def _tally_table(first: str, tallies: list[Tally], statuses: tuple[str, ...]) -> list[str]:
    header = [first, "all", *statuses, "fulfilment rate", "coverage"]
    return _md_table(header, [[t.label, *_tally_cells(t, statuses)] for t in tallies])


def summary_line(t: Tally, statuses: tuple[str, ...]) -> str:
    """One sentence with the totals and both rates, as the top of every scorecard says it."""
    parts = ", ".join(f"{t.counts.get(s, 0)} {s}" for s in statuses)
    return (f"{t.total} commitment{'' if t.total == 1 else 's'}: {parts}. Fulfilment rate {fmt_rate(t.rate)} (fulfilled / settled), "
            f"coverage {fmt_rate(t.coverage)} (settled / all).")


def _md_evidence(r: Row) -> str:
    if not r.evidence:
        return ""
    if r.mark is None:
        return r.evidence
    a, b = r.mark
    return _Md(f"{_md_esc(r.evidence[:a])}**{_md_esc(r.evidence[a:b])}**{_md_esc(r.evidence[b:])}")


def _md_card(card: Scorecard, level: int) -> list[str]:
    h = "#" * level
    st = card.statuses
    lines = [f"{h} Scorecard: {_md_esc(card.title)}", "", summary_line(card.totals, st), ""]
    share: list[list[object]] = [[s, card.totals.counts.get(s, 0),
              fmt_rate(card.totals.counts.get(s, 0) / card.totals.total if card.totals.total else None)]
             for s in st]
    lines += [f"{h}# By status", "", *_md_table(["status", "commitments", "share"], share), ""]
    lines += [f"{h}# Firm versus aspirational", "", *_tally_table("hedge", card.by_hedge, st), ""]
    lines += [f"{h}# By chapter", "", *_tally_table("chapter", card.by_chapter, st), ""]
    lines += [f"{h}# By policy area", "", *_tally_table("area", card.by_area, st), ""]
    many = len(card.jurisdictions) > 1
    header = ["id", *(["jurisdiction"] if many else []), "indicator", "target", "actual", "status", "evidence"]
    rows: list[list[object]] = [[r.id, *([r.jurisdiction] if many else []), r.indicator, r.target, r.actual or "—", r.status,
             _md_evidence(r)] for r in card.rows]
    lines += [f"{h}# Commitments", "", *_md_table(header, rows, right_from=len(header)), ""]
    return lines


def _compare_rows(cmp: Comparison) -> list[list[object]]:
    def rate_of(card: Scorecard, hedge: str) -> str:
        return next((fmt_rate(t.rate) for t in card.by_hedge if t.key == hedge), "—")

    rows: list[list[object]] = [[c.title, *_tally_cells(c.totals, cmp.statuses), rate_of(c, "firm"),
                                 rate_of(c, "aspirational")] for c in cmp.cards]
    rows.append(["all", *_tally_cells(cmp.totals, cmp.statuses), "", ""])
    return rows


def compare_header(statuses: tuple[str, ...]) -> list[str]:
    """Columns of the side-by-side table of a comparison."""
    return ["jurisdiction", "all", *statuses, "fulfilment rate", "coverage", "firm rate", "aspirational rate"]


def render_markdown(card: Card) -> str:
    """The scorecard (or comparison) as Markdown: summary, groups, then the commitments table."""
    if isinstance(card, Scorecard):
        return "\n".join(_md_card(card, 1)).rstrip("\n") + "\n"
    lines = [f"# Scorecard comparison: {_md_esc(card.title)}", "", summary_line(card.totals, card.statuses), "",
             *_md_table(compare_header(card.statuses), _compare_rows(card)), ""]
    for c in card.cards:
        lines += _md_card(c, 2)
    return "\n".join(lines).rstrip("\n") + "\n"


def _cards(card: Card) -> list[Scorecard]:
    return card.cards if isinstance(card, Comparison) else [card]


def _rate(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _tally_json(t: Tally, statuses: tuple[str, ...]) -> dict[str, Any]:
    return {"key": t.key, "label": t.label, "all": t.total, "counts": {s: t.counts.get(s, 0) for s in statuses},
            "settled": t.settled, "fulfilment_rate": _rate(t.rate), "coverage": _rate(t.coverage)}


def _card_json(c: Scorecard) -> dict[str, Any]:
    st = c.statuses
    return {
        "title": c.title, "year": c.year, "jurisdictions": list(c.jurisdictions),
        "totals": _tally_json(c.totals, st),
        "by_hedge": [_tally_json(t, st) for t in c.by_hedge],
        "by_chapter": [_tally_json(t, st) for t in c.by_chapter],
        "by_area": [_tally_json(t, st) for t in c.by_area],
        "commitments": [{"id": r.id, "jurisdiction": r.jurisdiction, "chapter": r.chapter, "area": r.area,
                         "hedge": r.hedge, "indicator": r.indicator, "target": r.target, "actual": r.actual,
                         "status": r.status, "evidence": r.evidence, "evidence_source": r.evidence_source}
                        for r in c.rows],
    }


def render_json(card: Card) -> str:
    """The scorecard as JSON (UTF-8 text, keys in a fixed order); a comparison lists its scorecards."""
    if isinstance(card, Scorecard):
        data = _card_json(card)
    else:
        data = {"title": card.title, "year": card.year, "totals": _tally_json(card.totals, card.statuses),
                "scorecards": [_card_json(c) for c in card.cards]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _summary_records(card: Card) -> tuple[list[str], list[list[object]]]:
    """The numbers of a scorecard as one tidy table: a row per (jurisdiction, view, group)."""
    statuses = card.statuses
    header = ["scorecard", "view", "group", "all", *statuses, "settled", "fulfilment_rate", "coverage"]
    rows: list[list[object]] = []
    for c in _cards(card):
        for view, tallies in (("total", [c.totals]), ("hedge", c.by_hedge), ("chapter", c.by_chapter),
                              ("area", c.by_area)):
            for t in tallies:
                rows.append([c.title, view, t.label, t.total, *(t.counts.get(s, 0) for s in statuses), t.settled,
                             _rate(t.rate), _rate(t.coverage)])
    return header, rows


def render_csv(card: Card) -> str:
    """The scorecard as CSV with a BOM (so Excel and WPS read UTF-8): its numbers, a blank line, its commitments."""
    header, rows = _summary_records(card)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in r] for r in rows)
    writer.writerow([])
    writer.writerow(_ROW_HEADER)
    writer.writerows(["" if v is None else v for v in (r.id, r.jurisdiction, r.chapter, r.area, r.hedge, r.indicator,
                                                        r.target, r.actual, r.status, r.evidence, r.evidence_source)]
                     for c in _cards(card) for r in c.rows)
    return BOM + buf.getvalue()


_ROW_HEADER = ["id", "jurisdiction", "chapter", "area", "hedge", "indicator", "target", "actual", "status",
               "evidence", "evidence source"]


def render_xlsx(card: Card) -> bytes:
    """The scorecard as an Excel workbook, one sheet per view (summary, hedge, chapter, area, commitments)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    statuses = card.statuses
    cards = _cards(card)
    group_header = ["jurisdiction", "group", "all", *statuses, "settled", "fulfilment rate", "coverage"]
    wb = Workbook(write_only=True)  # streams rows: several times faster for 30,000 commitments
    sheets: list[tuple[str, list[str], list[list[object]]]] = []
    if isinstance(card, Comparison):
        sheets.append(("Compare", compare_header(statuses), _compare_rows(card)))
    for name, pick in (("Summary", lambda c: [c.totals]), ("Firm vs aspirational", lambda c: c.by_hedge),
                       ("Chapters", lambda c: c.by_chapter), ("Areas", lambda c: c.by_area)):
        rows = [[c.title, t.label, t.total, *(t.counts.get(s, 0) for s in statuses), t.settled, _rate(t.rate),
                 _rate(t.coverage)] for c in cards for t in pick(c)]
        sheets.append((name, group_header, rows))
    sheets.append(("Commitments", _ROW_HEADER,
                   [[r.id, r.jurisdiction, r.chapter, r.area, r.hedge, r.indicator, r.target, r.actual, r.status,
                     r.evidence, r.evidence_source] for c in cards for r in c.rows]))
    for name, header, rows in sheets:
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        for i, h in enumerate(header):
            width = max([len(str(h))] + [len(str(r[i] or "")) for r in rows[:200]])
            ws.column_dimensions[get_column_letter(i + 1)].width = min(60, max(8, width + 2))
        head = []
        for h in header:
            cell = WriteOnlyCell(ws, value=h)
            cell.font = Font(bold=True)
            head.append(cell)
        ws.append(head)
        for r in rows:
            # openpyxl treats strings starting with "=" as formulas; report text is never a formula
            ws.append([(" " + v) if isinstance(v, str) and v.startswith("=") else v for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

