"""Find a report's parts (review, plan, other), chapters and sentences, with offsets into the text.

Real reports differ: headings such as "2024年工作安排", "2024年重点工作", "二、2017年工作总体部署",
a single line with inline headings, no headings at all ("2024年是实施…的关键一年" opens the plan),
and a plan part whose government self-construction section reviews the past year again
("过去一年，…"). The rules below are ordered from the most to the least explicit signal.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple


@dataclass(frozen=True)
class _Heading:
    """A pattern that matches at the start of the text or from one of some delimiters on (the match
    includes the delimiter), as "(?:^|[。\\n])…" does.

    It is compiled twice: led by the delimiter class, which lets the regex engine skip from delimiter to
    delimiter instead of trying the pattern at every position (several times faster), and bare, for the
    start of the text.
    """

    led: re.Pattern[str]
    bare: re.Pattern[str]

    @classmethod
    def compile(cls, delimiters: str, body: str) -> _Heading:
        """The heading `body` after one of `delimiters` or at the start of the text."""
        return cls(re.compile(f"[{delimiters}]{body}"), re.compile(body))

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """The matches in text[pos:endpos], as re.Pattern.finditer gives them."""
        endpos = len(text) if endpos is None else endpos
        if pos == 0:
            m = self.bare.match(text, 0, endpos)
            if m:
                yield m
                pos = m.end()
        yield from self.led.finditer(text, pos, endpos)


_NUM = "一二三四五六七八九十"
_YEAR = r"(20\d{2}|19\d{2})"

# Headings that open the plan part, with the plan year as group "y" (period headings have none).
_PLAN_HEADING = _Heading.compile(
    "。\n：:",
    rf"[ \t\u3000\u200b]*(?:[{_NUM}]+、|[（(][{_NUM}]+[)）])?[ \t\u3000]*"
    rf"(?:(?P<y>{_YEAR[1:-1]})年(?:的)?(?:(?:政府|全市|全省|全区|全县|全州|主要)?(?:工作安排|重点工作|主要工作|工作任务|政府工作任务|"
    r"总体目标和重点任务|工作总体部署|重点工作任务|重点任务|工作(?=[ \t\u3000]*\n)|政府工作安排|主要任务|工作建议|目标任务|工作总体要求|经济社会发展总体要求|经济社会发展的总体要求|经济社会发展主要目标|经济社会发展目标)"
    r"(?:和重点任务|和政策取向|建议)?)"
    r"|(?:“|\")?十[一二三四五六]五(?:”|\")?(?:时期|规划)(?:的)?(?:主要目标|经济社会发展|工作总体要求|总体要求|主要目标任务|发展目标))",
)
# No heading: a paragraph that opens the plan ("2024年是…关键一年", "今年是…").
_PLAN_OPENING = _Heading.compile("\n", rf"[ \t\u3000\u200b]*(?P<y>{_YEAR[1:-1]})年是")
_REVIEW_HEADING = _Heading.compile(
    "。\n",
    rf"[ \t\u3000\u200b]*(?:[{_NUM}]+、)?[ \t\u3000]*(?:(?P<y>{_YEAR[1:-1]})年(?:和.{{2,8}}时期)?(?:工作回顾|主要工作|政府工作回顾)"
    rf"|过去一年(?:的)?工作回顾|“?十[一二三四五六]五”?时期和(?P<y2>{_YEAR[1:-1]})年工作回顾)"
)
# Inside the plan: a paragraph that reviews the past year again.
_RE_REVIEW_PARAGRAPH = re.compile(r"[ \t\u3000\u200b]*(?:过去一年|一年来|过去的一年)")
# ...or one of its sentences does, until a sentence turns to this year again.
_RE_LOOK_BACK = re.compile(r"[。！？](?:过去一年|一年来|过去的一年)")
_RE_LOOK_AHEAD = re.compile(r"[。！？](?:今年|明年|\d{4}年|我们要|要|将|必须|继续|力争|确保)")
# An ordinal (一 … 十九, 二十 …), not any run of numerals: "五一、端午、中秋国庆期间" is no heading.
_ORDINAL = r"(?:[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_CHAPTER = _Heading.compile("。\n", rf"[ \t\u3000\u200b]*({_ORDINAL})、([^。\n]{{2,60}}?)(?=[。\n]|$)")
# A run of sentence ends with the closing quotes after it, or a run of line breaks. It opens with one
# character class so the regex engine jumps between candidates instead of trying every position.
_SENTENCE_END = re.compile(r"[。！？!?\n](?:(?<=\n)\n*|[。！？!?]*[”’」』）)]*)")
_TITLE_YEAR = re.compile(rf"{_YEAR}年(?:[^\n。]{{0,12}})政府工作报告")


@dataclass(frozen=True)
class Part:
    """A stretch of the report: `review` of past years, `plan` for the coming year, or `other`."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Chapter:
    """A numbered heading ("一、…") and the stretch of text it governs."""

    title: str
    start: int
    end: int


class Sentence(NamedTuple):
    """A sentence (ended by 。！？ or a line break) with its part and chapter title.

    A named tuple, not a frozen dataclass: a report has thousands, and a tuple is several times cheaper to build.
    """

    start: int
    end: int
    part: str
    chapter: str | None


@dataclass
class Segmented:
    """The structure of one report text; all offsets index `text`.

    Sentences are split on first use, and `sentences_of` splits only the parts of one kind: extraction
    reads the plan's sentences alone, and a report has thousands.
    """

    text: str
    year: int | None
    parts: list[Part] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence of the text, in order."""
        return _sentences(self.text, self.parts, self.chapters)

    def sentences_of(self, kind: str) -> list[Sentence]:
        """The sentences of the parts of one kind ("plan"), in order."""
        return _sentences(self.text, self.parts, self.chapters, kind)

    @property
    def has_plan(self) -> bool:
        """Whether a plan part was found (a report without one holds no commitments)."""
        return any(p.kind == "plan" for p in self.parts)

    def part_at(self, offset: int) -> str:
        """The kind of part that contains `offset`."""
        for p in self.parts:
            if p.start <= offset < p.end:
                return p.kind
        return "other"

    def sentence_text(self, s: Sentence) -> str:
        """The sentence's text."""
        return self.text[s.start:s.end]


def segment(text: str, year: int | None = None) -> Segmented:
    """Split `text` into parts and chapters (sentences on use); the plan `year` is detected if not given."""
    reviews = list(_REVIEW_HEADING.finditer(text))
    plan_start, plan_year = _find_plan_start(text, reviews)
    year = year or plan_year or _title_year(text)
    review_start = _find_review_start(text, plan_start, reviews)
    parts = _parts(text, review_start, plan_start)
    return Segmented(text=text, year=year, parts=parts, chapters=_chapters(text))


def _find_plan_start(text: str, reviews: list[re.Match[str]]) -> tuple[int | None, int | None]:
    """Offset of the plan part's heading and the plan year it names, or (None, None); `reviews` are the
    review headings of the text."""
    review_years = [int(m.group("y") or m.group("y2")) for m in reviews if m.group("y") or m.group("y2")]
    for m in _PLAN_HEADING.finditer(text):
        y = int(m.group("y")) if m.group("y") else None
        if y is not None and review_years and y <= min(review_years):
            continue
        if y is None and not review_years and m.start() < len(text) // 10:
            continue
        start = m.start() + (1 if text[m.start()] in "。\n：:" else 0)
        if y is None:
            # a five-year-plan section: the plan year is that of the year heading after it
            later = next((int(n.group("y")) for n in _PLAN_HEADING.finditer(text, m.end()) if n.group("y")), None)
            y = later if later is not None else (max(review_years) + 1 if review_years else None)
        return start, y
    opening = next((m for m in _PLAN_OPENING.finditer(text) if m.start() > len(text) // 5), None)
    if opening:
        return opening.start() + (1 if text[opening.start()] == "\n" else 0), int(opening.group("y"))
    return None, None


def _find_review_start(text: str, plan_start: int | None, reviews: list[re.Match[str]]) -> int | None:
    """Offset of the first review heading before the plan part, or None; `reviews` are those of the text."""
    limit = plan_start if plan_start is not None else len(text)
    m = reviews[0] if reviews else None
    if m is not None and m.start() < limit < m.end():
        # the heading runs into the plan part: read it again up to there (the rest of the text is not
        # searched again, as no review heading starts before the first one found)
        m = next(_REVIEW_HEADING.finditer(text, 0, limit), None)
    if m is None or m.start() >= limit:
        return None
    return m.start() + (1 if text[m.start()] in "。\n" else 0)


def _title_year(text: str) -> int | None:
    m = _TITLE_YEAR.search(text[:300])
    return int(m.group(1)) if m else None


def _parts(text: str, review_start: int | None, plan_start: int | None) -> list[Part]:
    n = len(text)
    if plan_start is None:
        start = review_start or 0
        return [Part("other", 0, start), Part("review", start, n)] if start else [Part("review", 0, n)]
    parts: list[Part] = []
    rs = review_start if review_start is not None and review_start < plan_start else None
    if rs is None:
        # no review heading: the address opens with the review right after the salutation
        rs = 0
    if rs > 0:
        parts.append(Part("other", 0, rs))
    parts.append(Part("review", rs, plan_start))
    # paragraphs of the plan that look back at the past year belong to the review
    pos = plan_start
    for para_start, para_end in _paragraphs(text, plan_start, n):
        if para_start <= plan_start:
            continue
        back: tuple[int, int] | None = (para_start, para_end)
        if not _RE_REVIEW_PARAGRAPH.match(text, para_start):
            back = _looking_back(text, para_start, para_end)
        if back:
            if pos < back[0]:
                parts.append(Part("plan", pos, back[0]))
            parts.append(Part("review", *back))
            pos = back[1]
    if pos < n:
        parts.append(Part("plan", pos, n))
    return [p for p in parts if p.end > p.start]


def _looking_back(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The sentences of a plan paragraph that look back at the past year, from one that opens with
    "过去一年" to one that turns to this year again ("今年", "要", "将"…); None when there are none.

    "2011年，是…开局之年…。过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%，…": the
    figures after the turn are last year's.
    """
    if text.find("一年", start, end) < 0:
        return None  # every look-back phrase holds 一年: a plain substring search rules out most paragraphs
    m = _RE_LOOK_BACK.search(text, start, end)
    if not m:
        return None
    again = _RE_LOOK_AHEAD.search(text, m.end(), end)
    return m.start() + 1, again.start() + 1 if again else end


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        if text[pos:stop].strip():
            out.append((pos, stop))
        pos = stop + 1
    return out


def _chapters(text: str) -> list[Chapter]:
    heads = [(m.start(1), m.group(1) + "、" + m.group(2).strip()) for m in _CHAPTER.finditer(text)]
    heads = [(s, t) for s, t in heads if not re.search(r"[；;，,]$", t) and len(t) <= 64]
    out = []
    for i, (s, title) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        out.append(Chapter(title=title, start=s, end=end))
    return out


def _sentences(text: str, parts: list[Part], chapters: list[Chapter], only: str | None = None) -> list[Sentence]:
    """The sentences of the text, or `only` those of the parts of that kind."""
    starts = [c.start for c in chapters]
    bounds = sorted({0, len(text), *(p.start for p in parts)})
    out: list[Sentence] = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        kind = next((p.kind for p in parts if p.start <= lo < p.end), "other")
        if only is not None and kind != only:
            continue
        pos = lo
        for m in _SENTENCE_END.finditer(text, lo, hi):
            a, b = m.span()
            if text[a] != "\n":
                _add(out, text, pos, b, kind, chapters, starts)
            elif a > pos:  # (a line break right after a sentence end ends nothing)
                if _soft_break(text, a, b, lo, hi):
                    continue
                _add(out, text, pos, a, kind, chapters, starts)
            pos = b
        _add(out, text, pos, hi, kind, chapters, starts)
    return out


def _soft_break(text: str, nl_start: int, nl_end: int, lo: int, hi: int) -> bool:
    """A single line break next to a line of one or two characters is a conversion artefact.

    Web copies break lines around sub- and superscripts ("广义货币M\n2\n和社会融资规模…"); the
    sentence goes on across them.
    """
    if nl_end - nl_start != 1:
        return False
    before = text.rfind("\n", lo, nl_start) + 1 or lo
    after = text.find("\n", nl_end, hi)
    after = hi if after == -1 else after
    short = len(text[max(before, lo):nl_start].strip()) <= 2 or len(text[nl_end:after].strip()) <= 2
    return short and text[nl_start - 1:nl_start] not in ("。", "！", "？", "：", "")


def _add(out: list[Sentence], text: str, start: int, end: int, kind: str,
         chapters: list[Chapter], starts: list[int]) -> None:
    while start < end and text[start] in " \t\u3000\u200b\r\n\ufeff":
        start += 1
    while end > start and text[end - 1] in " \t\u3000\u200b\r\n":
        end -= 1
    if end <= start:
        return
    i = bisect_right(starts, start) - 1
    chapter = chapters[i].title if i >= 0 and chapters[i].start <= start < chapters[i].end else None
    out.append(Sentence(start, end, kind, chapter))
