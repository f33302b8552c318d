"""Status rules of DESIGN.md ("Statuses and rules"): a target and an actual figure -> a status.

Pure functions over objects with the attribute names of CommitmentRecord/OutcomeRecord (or the
Commitment/Outcome rows): `value`, `upper`, `unit`, `norm_value`, `base_unit`, `comparator`,
`indicator` on the target side; `norm_value`, `base_unit`, `bound`, `indicator` on the evidence side.
Thresholds come from `StatusSettings` (config.toml [status]).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from tracker.config import StatusSettings
from tracker.match.wordlists import words

STATUSES = ("pending", "fulfilled", "partial", "missed", "no_evidence")
POINT_UNITS = frozenset({"%", "个百分点", "‰"})
# "降低X%", "下降", "压减": the size of a reduction is higher-is-better ("降幅超过3%" fulfils "降低2.5%左右").
_REDUCTION = re.compile(r"(?:降低|下降|减少|压减|压缩|缩减|削减|精简|减轻|降幅|下调|回落|减排|节约|缩短)(?![到至的])")
# "提高到60%" states a level, not a change: a verb followed by 到/至 is not a direction
_INCREASE = re.compile(r"(?:增长|增加|提高|提升|上涨|涨幅|增幅|增速|上升)(?![到至的值])")
# "下降的比例", "增长幅度": the verb still closes the indicator
_SHARE_OF = re.compile(r"(?:的)?(?:比例|幅度)$")


@cache
def _lower_words() -> tuple[str, ...]:
    return words("lower_is_better.txt")


def is_reduction(indicator: str) -> bool:
    """Whether the indicator states a reduction ("能耗降低"), whose size is higher-is-better."""
    return bool(_REDUCTION.search(indicator or ""))


def direction(indicator: str) -> int:
    """+1 for an increase ("增长"), -1 for a decrease ("下降"), 0 when the indicator names no change.

    Only a verb that closes the indicator counts: in "消费对经济增长贡献率" the 增长 qualifies a share.
    """
    text = _SHARE_OF.sub("", (indicator or "").rstrip("了的"))
    last: tuple[int, int] = (-1, 0)
    for sign, pattern in ((-1, _REDUCTION), (1, _INCREASE)):
        for m in pattern.finditer(text):
            if len(text) - m.end() <= 1 and m.start() > last[0]:
                last = (m.start(), sign)
    return last[1]


def lower_is_better(commitment: Any) -> bool:
    """Whether less is better for this target: a listed indicator (not stated as a reduction) or an "X以内" cap."""
    indicator = commitment.indicator or ""
    if commitment.comparator == "at_most":
        return True
    if is_reduction(indicator):
        return False
    return any(w in indicator for w in _lower_words())


def tolerance(commitment: Any, settings: StatusSettings) -> float:
    """The tolerance of an "about X" target: points for % and 个百分点, a share of X otherwise (base units)."""
    if commitment.base_unit in POINT_UNITS or commitment.unit in POINT_UNITS:
        return settings.about_tolerance_points
    return abs(commitment.norm_value) * settings.about_tolerance_share


def actual_value(commitment: Any, outcome: Any) -> float:
    """The outcome's figure in the target's terms: its bound as the value, sign flipped when the verbs disagree.

    "进出口下降7%" against "进出口增长5%" is an actual growth of -7%.
    """
    value = float(outcome.norm_value)
    dc, do = direction(commitment.indicator), direction(outcome.indicator)
    if dc and do and dc != do and commitment.base_unit in POINT_UNITS:
        value = -value
    return value


def judge(commitment: Any, outcome: Any, settings: StatusSettings) -> tuple[str, float]:
    """The status an outcome gives a target, with the actual value used (in the target's base unit)."""
    actual = actual_value(commitment, outcome)
    target = float(commitment.norm_value)  # a range "6%-6.5%" is fulfilled at its lower bound
    if lower_is_better(commitment):
        # "about X", "X以内", "控制在X": met up to X plus the tolerance; there is no partial for a cap
        limit = target + tolerance(commitment, settings)
        return ("fulfilled" if actual <= limit + 1e-9 else "missed"), actual
    need = target - (tolerance(commitment, settings) if commitment.comparator == "about" else 0.0)
    if actual >= need - 1e-9:
        return "fulfilled", actual
    if target > 0 and actual >= settings.partial_ratio * target - 1e-9:
        return "partial", actual
    return "missed", actual
