"""Link commitments to the outcomes that settle them, and turn each link into a status finding (pure).

Outcomes are indexed by (jurisdiction, year, dimension, kind), so a commitment is only compared
with the handful of outcomes that could settle it: 10,000 x 10,000 over 300 jurisdictions is a
few hundred thousand comparisons instead of a hundred million.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from tracker.config import MatchSettings, StatusSettings
from tracker.extract.lexicon import table
from tracker.match.rules import POINT_UNITS, direction, judge
from tracker.match.similarity import canonical, similarity
from tracker.match.wordlists import words

# A place named in an outcome ("成都市", "高新区" excluded by scope.txt) means the figure is that place's.
# 省/市/县/区 followed by 外, 内, 级, 域, 属, 场, 民, 委, 政, 值, 际 ("省外劳动力", "市场", "县域") names no place.
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:省|市|州|县|区)(?![外内级域属场民委政值际])")
_PLACE_SUFFIX = re.compile("[省市州县区]")


# Additions ("新增", "新认定") against stocks: a flow target is not settled by a total.
_FLOW = re.compile(r"新增|新认定|新建|新开工|新培育|新引进|新设|新登记|新注册|新发展|新招|新改建|新（改）建|新\(改\)建")
# Shares and rates: a rate is only evidence for a rate.
_RATIO = re.compile(r"率|比重|占比|(?<!压缩)(?<!压减)(?<!降低)(?<!减少)(?<!下降)比例|强度|系数|覆盖面")


@cache
def _is_ratio(indicator: str) -> bool:
    return bool(_RATIO.search(canonical(indicator or "")))


@dataclass(frozen=True)
class Finding:
    """What matching says about one commitment.

    `status` is the automatic status; `outcome` the evidence (None without one); `review` is True
    when the best candidate scored between the review and accept thresholds: it goes to the review
    queue instead of setting a status (the status is then no_evidence).
    """

    commitment: Any
    status: str
    outcome: Any | None = None
    actual: float | None = None
    score: float = 0.0
    review: bool = False
    candidate_status: str | None = None


@cache
def _unit_class(base_unit: str) -> str:
    """percent | point | money | measure | count | ... for a base unit ('' is a bare 万/亿 count)."""
    if base_unit in ("%", "％", "‰"):
        return "percent"
    if base_unit == "个百分点":
        return "point"
    if not base_unit:
        return "count"
    row = table("units.txt").get(base_unit)
    return row[0] if row else "other"


@cache
def _direction(indicator: str) -> int:
    return direction(indicator)


def dimension(rec: Any) -> str:
    """The index key part saying what a figure measures: % change, % level, points, money, a unit, a count."""
    cls = _unit_class(rec.base_unit or "")
    if getattr(rec, "kind", "") == "relative":
        return "relative"
    if cls in ("percent", "point"):
        return cls + (":change" if _direction(rec.indicator or "") else ":level")
    if cls == "money":
        return "money"
    if cls == "count":
        return "count"
    return f"{cls}:{rec.base_unit}"


def units_agree(c: Any, o: Any) -> bool:
    """Same base unit, or a bare count ("1240万") against a counted one ("万人")."""
    return _units_agree(c.base_unit, o.base_unit)


@cache
def _units_agree(c_unit: str | None, o_unit: str | None) -> bool:
    """`units_agree` of two base units, kept per pair of units since a refresh asks it for every pair of records."""
    if c_unit == o_unit:
        return True
    if _unit_class(c_unit or "") == "count" and _unit_class(o_unit or "") == "count":
        return not c_unit or not o_unit
    return {c_unit, o_unit} <= POINT_UNITS | {"％"} and "个百分点" not in {c_unit, o_unit}


@cache
def _not_places() -> tuple[str, ...]:
    return words("scope.txt")


@cache
def places(indicator: str) -> frozenset[str]:
    """Place names in an indicator ("成都市"), ignoring words such as 城市, 开发区, 全省."""
    text = indicator or ""
    if not _PLACE_SUFFIX.search(text):
        return frozenset()  # the pattern needs one, and replacing scope words adds none: most end here
    for w in _not_places():
        text = text.replace(w, "，")
    return frozenset(m.group(0) for m in _PLACE.finditer(text))


class _Traits(NamedTuple):
    """What `score` asks of one indicator, worked out once per indicator rather than once per pair."""

    places: frozenset[str]
    ratio: bool
    flow: bool
    direction: int


@cache
def _traits(indicator: str | None) -> _Traits:
    """The traits of an indicator (None counts as empty)."""
    text = indicator or ""
    return _Traits(places(text), _is_ratio(text), bool(_FLOW.search(text)), _direction(text))


def score(c: Any, o: Any) -> float:
    """Similarity of a commitment and an outcome that could settle it; 0 when units, scope or place disagree."""
    if not _units_agree(c.base_unit, o.base_unit):
        return 0.0
    tc, to = _traits(c.indicator), _traits(o.indicator)
    if not to.places <= tc.places:
        return 0.0
    if tc.ratio != to.ratio:
        return 0.0  # "消费对经济增长贡献率" is a share, not the growth itself
    s = similarity(c.indicator, o.indicator)
    if s and tc.flow and not to.flow:
        # "新认定高新技术企业5000家" promises an addition; "高新技术企业4.9万家" is the stock
        s *= 0.6
    if s and c.base_unit == o.base_unit and _unit_class(c.base_unit or "") not in ("percent", "point") \
            and abs(c.norm_value - o.norm_value) < 1e-9 * max(1.0, abs(c.norm_value)):
        # the very amount promised reported back ("提高到450元") is a strong sign of the same measure
        s = min(1.0, s + 0.1)
    if tc.direction and to.direction and tc.direction != to.direction:
        # opposite verbs happen ("进出口下降7%" against a growth target) but mostly mean another measure
        s *= 0.7
    return s


def _year(rec: Any, attr: str) -> int | None:
    return getattr(rec, attr, None)


def build_index(outcomes: Iterable[Any]) -> dict[tuple[Any, Any, str], list[Any]]:
    """Outcomes grouped by (jurisdiction, period year, dimension); multi-year figures settle nothing and are left out."""
    index: dict[tuple[Any, Any, str], list[Any]] = defaultdict(list)
    for o in outcomes:
        if getattr(o, "multi_year", False):
            continue
        index[(getattr(o, "jurisdiction_id", None), _year(o, "period_year"), dimension(o))].append(o)
    return index


def ranked_candidates(c: Any, candidates: Sequence[Any]) -> list[tuple[float, Any]]:
    """The outcomes that could settle `c`, most similar first (earliest in the text on a tie); scores > 0 only."""
    scored = [(s, o) for o in candidates if (s := score(c, o)) > 0]
    return sorted(scored, key=lambda p: (-p[0], p[1].document_id, p[1].start))


def _one_measure_per_figure(ranked: list[list[tuple[float, Any]]], commitments: Sequence[Any],
                            floor: float) -> list[tuple[Any, float]]:
    """The evidence of each commitment: its best candidate, unless that figure settles a closer measure.

    A figure measures one thing: when "在浙就业省外劳动力2300万人" is the best candidate of both
    "省外劳动力在浙稳定就业2300万" (0.81) and "省外脱贫劳动力在浙稳定就业240万" (0.65), only the first keeps
    it; the second takes its next candidate, if any. Commitments naming the same measure (one target
    restated in two chapters) share a figure. Candidates scoring below `floor` are never evidence; the
    best score is still returned, to say how close the nearest figure came.
    """
    claims: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for c, cands in zip(commitments, ranked, strict=True):
        if cands and cands[0][0] >= floor:
            claims[id(cands[0][1])].append((cands[0][0], canonical(c.indicator or "")))
    out = []
    for c, cands in zip(commitments, ranked, strict=True):
        mine = canonical(c.indicator or "")
        for s, o in (p for p in cands if p[0] >= floor):
            rivals = [r for r in claims.get(id(o), ()) if r[1] != mine]
            if not rivals or s >= max(r[0] for r in rivals):
                out.append((o, s))
                break
        else:
            out.append((None, cands[0][0] if cands else 0.0))
    return out


def _findings(commitments: Sequence[Any], candidates: Callable[[Any], Sequence[Any]], *, match: MatchSettings,
              status: StatusSettings, reviewed: Callable[[Any, int], bool]) -> list[Finding]:
    """Findings from the candidates of each commitment (the index and the naive scan differ only there)."""
    open_ = [c for c in commitments if not _waiting(c, reviewed)]
    ranked = [ranked_candidates(c, candidates(c)) for c in open_]
    chosen = dict(zip(map(id, open_), _one_measure_per_figure(ranked, open_, match.review), strict=True))
    out = []
    for c in commitments:
        if id(c) not in chosen:
            out.append(Finding(c, "pending"))
            continue
        o, s = chosen[id(c)]
        if o is None:
            out.append(Finding(c, "no_evidence", score=s))
            continue
        st, actual = judge(c, o, status)
        if s < match.accept:
            out.append(Finding(c, "no_evidence", o, actual, s, review=True, candidate_status=st))
        else:
            out.append(Finding(c, st, o, actual, s, candidate_status=st))
    return out


def _waiting(c: Any, reviewed: Callable[[Any, int], bool]) -> bool:
    """Whether a commitment cannot be settled yet: a period target, or no report reviews its year."""
    year = _year(c, "target_year")
    return bool(getattr(c, "period", None)) or year is None or not reviewed(getattr(c, "jurisdiction_id", None), year)


def link(commitments: Iterable[Any], outcomes: Iterable[Any], *, match: MatchSettings, status: StatusSettings,
         reviewed: Callable[[Any, int], bool]) -> list[Finding]:
    """A finding for every commitment: evidence and status, a review candidate, no_evidence or pending.

    `reviewed(jurisdiction_id, year)` tells whether a report reviewing that year exists; until it
    does, and for period targets, the commitment stays pending.
    """
    index = build_index(outcomes)
    return _findings(list(commitments), lambda c: index.get(
        (getattr(c, "jurisdiction_id", None), _year(c, "target_year"), dimension(c)), ()),
        match=match, status=status, reviewed=reviewed)


def naive_link(commitments: Sequence[Any], outcomes: Sequence[Any], *, match: MatchSettings,
               status: StatusSettings) -> list[Finding]:
    """All pairs, without the index: the baseline the benchmark compares against (same results)."""
    def candidates(c: Any) -> list[Any]:
        return [o for o in outcomes if not getattr(o, "multi_year", False)
                and getattr(o, "jurisdiction_id", None) == getattr(c, "jurisdiction_id", None)
                and o.period_year == c.target_year and dimension(o) == dimension(c)]

    return _findings(commitments, candidates, match=match, status=status, reviewed=lambda _j, _y: True)
