"""What extraction returns: plain records, independent of the database, with offsets into the text.

Named tuples, not frozen dataclasses: as immutable, and several times cheaper to build (a report gives
thousands) and to send from a worker process.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class CommitmentRecord(NamedTuple):
    """A quantitative target found in a plan sentence.

    `start`/`end` delimit the number expression ("5.5万人以上"), `sentence_start`/`sentence_end`
    its sentence; `quote` is text[start:end]. `norm_value` is `value` in `base_unit`
    (27.2 万亩 -> 272000 亩). `upper` is the upper bound of a range. `target_year` is the report
    year unless the sentence names another; a period target ("十四五", "到2027年") carries `period`.
    """

    start: int
    end: int
    quote: str
    sentence_start: int
    sentence_end: int
    indicator: str
    value: float
    unit: str
    norm_value: float
    base_unit: str
    comparator: str  # at_least | at_most | about | exact | range
    hedge: str | None  # aspirational | firm | None
    kind: str  # amount | growth | ratio | relative
    target_year: int | None
    part: str = "plan"
    chapter: str | None = None
    upper: float | None = None
    period: str | None = None
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON-ready dict (the `tracker extract --format json` shape)."""
        return self._asdict()


class OutcomeRecord(NamedTuple):
    """A figure a review sentence reports for a past year.

    `bound` says how the figure limits the actual value: exact, more_than (超过/突破), at_least (以上),
    about (左右/近/约), up_to. `multi_year` marks five-year totals and averages ("五年累计", "年均"),
    which never settle a single-year target.
    """

    start: int
    end: int
    quote: str
    sentence_start: int
    sentence_end: int
    indicator: str
    value: float
    unit: str
    norm_value: float
    base_unit: str
    bound: str
    kind: str  # amount | growth | ratio | relative
    period_year: int | None
    multi_year: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON-ready dict."""
        return self._asdict()
