"""Aggregation (pure): commitment views -> a Scorecard of totals, rates, groups and the commitments table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from tracker.scorecard.areas import OTHER, area_label, areas
from tracker.scorecard.load import CommitmentView

STATUS_ORDER = ("fulfilled", "partial", "missed", "no_evidence", "pending")
SETTLED = ("fulfilled", "partial", "missed")
HEDGES = (("firm", "firm (确保)"), ("aspirational", "aspirational (力争/争取)"), ("none", "none"))
_COMPARATOR = {"at_least": "≥", "at_most": "≤", "about": "≈", "exact": "", "range": ""}
_BOUND = {"exact": "", "more_than": ">", "at_least": "≥", "about": "≈", "up_to": "≤", "at_most": "≤"}


@dataclass(frozen=True)
class Tally:
    """Commitments of one group counted by status, with the rates a scorecard shows."""

    key: str
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """All commitments of the group."""
        return sum(self.counts.values())

    @property
    def settled(self) -> int:
        """Commitments with a verdict: fulfilled, partial or missed."""
        return sum(self.counts.get(s, 0) for s in SETTLED)

    @property
    def fulfilled(self) -> int:
        """Commitments fulfilled."""
        return self.counts.get("fulfilled", 0)

    @property
    def rate(self) -> float | None:
        """Fulfilment rate: fulfilled / settled (None when nothing is settled)."""
        return self.fulfilled / self.settled if self.settled else None

    @property
    def coverage(self) -> float | None:
        """Coverage: settled / all (None for an empty group)."""
        return self.settled / self.total if self.total else None


@dataclass(frozen=True)
class Row:
    """One line of the commitments table: what was promised, what happened, and the evidence."""

    id: str
    jurisdiction: str
    chapter: str | None
    area: str
    indicator: str
    target: str
    actual: str | None
    status: str
    hedge: str
    evidence: str | None = None  # the evidence sentence, clipped around the figure
    mark: tuple[int, int] | None = None  # the figure's place inside `evidence`
    evidence_source: str | None = None


@dataclass(frozen=True)
class Scorecard:
    """A jurisdiction's (or a set of jurisdictions') scorecard for the commitments of one report year."""

    title: str
    year: int | None
    jurisdictions: tuple[str, ...]
    statuses: tuple[str, ...]
    totals: Tally
    by_hedge: list[Tally]
    by_chapter: list[Tally]
    by_area: list[Tally]
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    """Several jurisdictions of one year side by side, each with its own scorecard."""

    title: str
    year: int | None
    statuses: tuple[str, ...]
    totals: Tally
    cards: list[Scorecard]


def fmt_num(x: float) -> str:
    """A value as the report would write it: no trailing zeros, no exponent for ordinary figures."""
    text = f"{x:.10g}"
    return text if "e" not in text else f"{x:f}".rstrip("0").rstrip(".")


def fmt_rate(x: float | None) -> str:
    """A rate as a percentage with one decimal, or a dash when undefined."""
    return "—" if x is None else f"{100 * x:.1f}%"


def target_text(v: CommitmentView) -> str:
    """The target in a compact, comparable form: "≥5.5万人", "≈3%", "6–6.5%"."""
    if v.comparator == "range" and v.upper is not None:
        return f"{fmt_num(v.value)}–{fmt_num(v.upper)}{v.unit}"
    return f"{_COMPARATOR.get(v.comparator, '')}{fmt_num(v.value)}{v.unit}"


def actual_text(v: CommitmentView) -> str | None:
    """The evidence figure with its bound (">3%" for 超过3%), or None without evidence."""
    e = v.evidence
    return None if e is None else f"{_BOUND.get(e.bound, '')}{fmt_num(e.value)}{e.unit}"


def clip(sentence: str, start: int, end: int, around: int = 40) -> tuple[str, tuple[int, int]]:
    """A window of the sentence around [start, end) with "…" where cut, and the figure's new place."""
    start, end = max(0, min(start, len(sentence))), max(0, min(end, len(sentence)))
    lo, hi = max(0, start - around), min(len(sentence), end + around)
    head = "…" if lo > 0 else ""
    text = head + sentence[lo:hi] + ("…" if hi < len(sentence) else "")
    return text, (start - lo + len(head), end - lo + len(head))


def status_columns(views: Iterable[CommitmentView]) -> tuple[str, ...]:
    """The five statuses of the rules, then any status set by hand, in a stable order."""
    extra = sorted({v.status for v in views} - set(STATUS_ORDER))
    return STATUS_ORDER + tuple(extra)


def _row(v: CommitmentView) -> Row:
    evidence = mark = source = None
    if v.evidence is not None:
        e = v.evidence
        if e.sentence:
            evidence, mark = clip(e.sentence, e.mark_start, e.mark_end)
        else:
            evidence, mark = e.quote, (0, len(e.quote))
        source = f"{e.document} ({e.report_year})"
    return Row(id=v.id, jurisdiction=v.jurisdiction, chapter=v.chapter, area=v.area or OTHER,
               indicator=v.indicator, target=target_text(v), actual=actual_text(v), status=v.status,
               hedge=v.hedge or "none", evidence=evidence, mark=mark, evidence_source=source)


def _group(views: Sequence[CommitmentView], key: Callable[[CommitmentView], str], order: list[str],
           labels: dict[str, str], keep: Sequence[str] = ()) -> list[Tally]:
    """Tallies per group in `order` (then any other group); groups in `keep` appear even when empty."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in keep}
    for v in views:
        counts.setdefault(key(v), Counter())[v.status] += 1
    keys = [k for k in order if k in counts] + [k for k in counts if k not in order]
    return [Tally(k, labels.get(k, k), dict(counts[k])) for k in keys]


def build_scorecard(views: Sequence[CommitmentView], *, year: int | None = None, title: str | None = None,
                    statuses: tuple[str, ...] | None = None) -> Scorecard:
    """Aggregate commitment views (one report year, one or more jurisdictions) into a scorecard."""
    names = tuple(dict.fromkeys(v.jurisdiction for v in views))
    if title is None:
        who = "、".join(names) if 0 < len(names) <= 3 else f"{len(names)} jurisdictions"
        title = f"{who} {year}" if year is not None else who
    chapters = list(dict.fromkeys(v.chapter or "" for v in views))
    area_keys = [a.key for a in areas()] + [OTHER]
    return Scorecard(
        title=title, year=year, jurisdictions=names, statuses=statuses or status_columns(views),
        totals=Tally("all", "all", dict(Counter(v.status for v in views))),
        by_hedge=_group(views, lambda v: v.hedge or "none", [k for k, _ in HEDGES], dict(HEDGES),
                        keep=[k for k, _ in HEDGES]),
        by_chapter=_group(views, lambda v: v.chapter or "", chapters, {"": "(no chapter)"}),
        by_area=_group(views, lambda v: v.area or OTHER, area_keys,
                       {k: f"{area_label(k)} ({k})" for k in area_keys}),
        rows=[_row(v) for v in views])


def build_comparison(views: Sequence[CommitmentView], *, year: int | None = None) -> Comparison:
    """One scorecard per jurisdiction of the views, side by side, with shared status columns."""
    statuses = status_columns(views)
    groups: dict[str, list[CommitmentView]] = {}
    for v in views:
        groups.setdefault(v.jurisdiction, []).append(v)
    cards = [build_scorecard(vs, year=year, statuses=statuses) for vs in groups.values()]
    who = "、".join(groups) if len(groups) <= 5 else f"{len(groups)} jurisdictions"
    return Comparison(title=f"{who} {year}" if year is not None else who, year=year, statuses=statuses,
                      totals=Tally("all", "all", dict(Counter(v.status for v in views))), cards=cards)
