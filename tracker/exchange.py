"""Export commitments with status and evidence (JSON, CSV) and import manual statuses and notes by stable id.

An export is the whole record of each commitment; an import applies only what people edit by hand
(status and note) as StatusEvents of origin "import", so history is kept and an unchanged export
imports as a no-op.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from tracker.errors import InputError
from tracker.models import Commitment, StatusEvent
from tracker.scorecard.build import fmt_num
from tracker.scorecard.load import CommitmentView, latest_notes, load_views

FIELDS = ("id", "jurisdiction", "document", "report_year", "target_year", "period", "chapter", "indicator",
          "quote", "start", "end", "value", "unit", "upper", "comparator", "hedge", "kind", "area", "status",
          "note", "evidence")
EVIDENCE_FIELDS = ("document", "report_year", "start", "end", "quote", "value", "unit", "bound")
CSV_FIELDS = FIELDS[:-1] + tuple(f"evidence_{f}" for f in EVIDENCE_FIELDS)
BOM = "\ufeff"


def record_of(v: CommitmentView) -> dict[str, Any]:
    """One commitment as an export record (the field order of FIELDS)."""
    rec: dict[str, Any] = {f: getattr(v, f) for f in FIELDS if f != "evidence"}
    ev = v.evidence
    rec["evidence"] = None if ev is None else {f: getattr(ev, f) for f in EVIDENCE_FIELDS}
    return rec


def export_commitments(session: Session, *, jurisdiction: str | None = None,
                       year: int | None = None) -> list[dict[str, Any]]:
    """Every commitment (of a jurisdiction and report year, if given) with status, note and evidence."""
    return [record_of(v) for v in load_views(session, jurisdiction=jurisdiction, year=year)]


def render_json(records: Sequence[dict[str, Any]]) -> str:
    """Records as a JSON list (UTF-8 text, not ASCII-escaped)."""
    return json.dumps(list(records), ensure_ascii=False, indent=2) + "\n"


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return fmt_num(v)
    return str(v)


def render_csv(records: Sequence[dict[str, Any]]) -> str:
    """Records as CSV with a BOM so Excel and WPS read UTF-8; evidence is flattened to evidence_* columns."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_FIELDS)
    for rec in records:
        ev = rec.get("evidence") or {}
        writer.writerow([_cell(rec.get(f)) for f in FIELDS[:-1]] + [_cell(ev.get(f)) for f in EVIDENCE_FIELDS])
    return BOM + buf.getvalue()


def parse_records(data: bytes, *, name: str) -> list[dict[str, Any]]:
    """Records from an exported file: JSON (a list of objects) or CSV with a header row; BOM allowed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(name, "not UTF-8 text; save the file as UTF-8 (CSV UTF-8 in Excel)") from None
    if not text.strip():
        raise InputError(name, "empty file")
    if text.lstrip().startswith(("[", "{")):
        try:
            data_ = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(name, f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
        if not isinstance(data_, list) or not all(isinstance(r, dict) for r in data_):
            raise InputError(name, "JSON must be a list of records as `tracker export --format json` writes")
        return data_
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise InputError(name, "CSV needs a header row with an `id` column, as `tracker export --format csv` writes")
    return [dict(r) for r in reader]


@dataclass
class ImportReport:
    """What an import did: ids changed, how many rows were already as stored, and rows it could not apply."""

    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (row label, problem)


def _text(v: Any) -> str | None:
    """A note or status from JSON or CSV; an empty cell means none."""
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def import_records(session: Session, records: Sequence[dict[str, Any]], *, actor: str | None) -> ImportReport:
    """Apply status and note of each record by stable id, each change a StatusEvent of origin "import"."""
    from tracker.match.rules import STATUSES

    report = ImportReport()
    keys = list(dict.fromkeys(str(r.get("id") or "").strip() for r in records))
    by_key: dict[str, Commitment] = {}
    for i in range(0, len(keys), 500):
        rows = session.exec(select(Commitment).where(col(Commitment.key).in_(keys[i:i + 500]))).all()
        by_key.update({c.key: c for c in rows})
    notes = latest_notes(session, commitment_ids=[c.id for c in by_key.values() if c.id is not None])
    seen: set[str] = set()
    for n, rec in enumerate(records, 1):
        key = str(rec.get("id") or "").strip()
        label = f"record {n}" + (f" ({key})" if key else "")
        if not key:
            report.problems.append((label, "no id"))
            continue
        c = by_key.get(key)
        if c is None:
            report.problems.append((label, "unknown id"))
            continue
        if key in seen:
            report.problems.append((label, "id given twice; only its first record was applied"))
            continue
        seen.add(key)
        status = _text(rec["status"]) if "status" in rec else c.status
        note = _text(rec["note"]) if "note" in rec else notes.get(c.id or 0)
        status = status or c.status
        if status != c.status and status not in STATUSES:
            report.problems.append((label, f"unknown status {status!r}; use one of: {', '.join(STATUSES)}"))
            continue
        if status == c.status and note == _text(notes.get(c.id or 0)):
            report.unchanged += 1
            continue
        session.add(StatusEvent(commitment_id=c.id or 0, old_status=c.status, new_status=status, origin="import",
                                actor=actor, note=note))
        c.status = status
        session.add(c)
        notes[c.id or 0] = note
        report.updated.append(key)
    session.flush()
    return report


def read_records(path: str) -> list[dict[str, Any]]:
    """Records from an exported CSV or JSON file on disk; InputError when it cannot be read."""
    from pathlib import Path

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot be read") from None
    return parse_records(data, name=path)
