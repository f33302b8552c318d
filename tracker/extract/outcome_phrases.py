"""Phrases of review sentences that the shared number grammar does not cover, and the cleaned reading view.

- Fractions stated in words ("压缩一半以上", "减少三分之一", "两成") or as "1/3", read as percentages.
- Reports converted from web pages break lines inside sentences ("广义货币M\\n2\\n增长11.3%",
  "74.4\\n\\u200b\\n万亿元"); `clean_view` joins such soft breaks and keeps a map back to the
  stored text so offsets stay exact.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from tracker.extract.numbers import cn_to_float

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_HARD_END = "。！？!?：:；;"
_SPECIAL = re.compile(f"[\n{_ZERO_WIDTH}]")
_BLANK = _ZERO_WIDTH + "\n \t\u3000\r"
_FRACTION = re.compile(
    r"(?P<pre>超过|近|约)?(?:(?P<half>一半)|(?P<den>[二三四五六七八九十])分之(?P<num>[一二三四五六七八九])"
    r"|(?<![\d./])(?P<anum>[1-9])/(?P<aden>[2-9]|10)(?![\d./])"
    r"|(?P<tenth>[一二三四五六七八九])成(?=[以左，。；、]|$))(?P<post>以上|左右|多)?"
)
# Every fraction holds 一半, 分之, a numeral before 成 or a slash between digits. A pattern led by a
# character class lets the regex engine skip between candidates, so this finds the rare text holding
# one far faster than _FRACTION.
_FRACTION_CUE = re.compile(r"[一二三四五六七八九分][半之成]|\d/\d")


@dataclass(frozen=True)
class Fraction:
    """A fraction in words as a percentage, with its offsets in the searched text."""

    start: int
    end: int
    value: float
    comparator: str  # at_least | about | exact
    pre: str


def find_fractions(text: str, start: int = 0, end: int | None = None) -> list[Fraction]:
    """Fractions in words ("一半以上" -> 50 % at least, "三分之一" -> 33.3 %) in text[start:end]."""
    end = len(text) if end is None else end
    out: list[Fraction] = []
    if not _FRACTION_CUE.search(text, start, end):
        return out
    for m in _FRACTION.finditer(text, start, end):
        if m.group("half"):
            value = 50.0
        elif m.group("den") or m.group("aden"):
            den, num = ((cn_to_float(m.group("den")), cn_to_float(m.group("num"))) if m.group("den")
                        else (float(m.group("aden")), float(m.group("anum"))))
            if not den or num is None or num >= den:
                continue
            value = 100.0 * num / den  # unrounded, as commitments and outcomes alike: 1/3 and 三分之一 compare equal
        else:
            tenth = cn_to_float(m.group("tenth"))
            if tenth is None:
                continue
            value = 10.0 * tenth
        pre, post = m.group("pre") or "", m.group("post") or ""
        comparator = "at_least" if post in ("以上", "多") or pre == "超过" else "about" if post == "左右" or pre in ("近", "约") else "exact"
        out.append(Fraction(m.start(), m.end(), value, comparator, pre))
    return out


_HEADING = re.compile(r"[\s\u3000]*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")


@dataclass
class Offsets:
    """Where each character of a clean view comes from in the text: `where[i]` is the offset of the
    clean view's character i.

    The view is made of runs copied whole, so only where each run starts is kept: a list of every
    character's offset cost more than building the view itself.
    """

    starts: list[int] = field(default_factory=list)  # offsets in the view where runs start, ascending
    origins: list[int] = field(default_factory=list)  # the offsets in the text they were copied from

    def add(self, at: int, origin: int) -> None:
        """A run starts at `at` in the view, copied from `origin` in the text."""
        self.starts.append(at)
        self.origins.append(origin)

    def __getitem__(self, i: int) -> int:
        run = bisect_right(self.starts, i) - 1
        return self.origins[run] + i - self.starts[run]


def clean_view(text: str, start: int, end: int) -> tuple[str, Offsets]:
    """text[start:end] with zero-width characters and soft line breaks removed, and each kept character's offset.

    A line break is soft when the line before does not end a sentence and the next line is not
    empty (a blank line separates paragraphs). Runs of ordinary characters are copied whole: this
    runs over every review part, and a loop per character was a fifth of extraction time.
    """
    chunks: list[str] = []
    where = Offsets()
    size = 0  # the length of the view so far
    line_chunk = 0  # chunks[line_chunk:] is the current line
    i = start
    for m in _SPECIAL.finditer(text, start, end):
        k = m.start()
        if k < i:
            continue  # inside the blank run of a soft break already skipped
        if k > i:
            chunks.append(text[i:k])
            where.add(size, i)
            size += k - i
        i = k + 1
        if text[k] in _ZERO_WIDTH:
            continue
        j, breaks, zero_width = k, 0, False
        while j < end and text[j] in _BLANK:
            breaks += text[j] == "\n"
            zero_width = zero_width or text[j] in _ZERO_WIDTH
            j += 1
        kept = "".join(c[-3:] for c in chunks[-3:])[-3:]  # the last three characters kept
        prev = next((c for c in reversed(kept) if c not in " \t\u3000\r"), "")
        # a line holding only a zero-width space is a conversion artefact, not a paragraph break;
        # a heading ("一、2025年工作回顾") ends its line without punctuation but is a line of its own
        if (j < end and prev and prev not in _HARD_END and (breaks == 1 or zero_width)
                and not _HEADING.match("".join(chunks[line_chunk:]))):
            i = j
            continue
        chunks.append("\n")
        where.add(size, k)
        size += 1
        line_chunk = len(chunks)
    if i < end:
        chunks.append(text[i:end])
        where.add(size, i)
    return "".join(chunks), where
