"""The sentence around a figure: the phrase after it, the clause that holds it, and what the clauses
before it lend when its own words name nothing ("…，收储13000亩", "中央财政拟投入420亿元资金").

Offsets index the report text; a Ctx reads each phrase and clause start once, as several rules ask
for the same ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.extract import indicators as ind
from tracker.extract.numbers import NumberExpr, find_numbers

CLAUSE_END = "，；：。！？,;:!?\n"
PHRASE_END = re.compile(r"[，；：。！？,;:!?、\n]")
CLAUSE_BREAK = re.compile(r"[，；：。！？,;:!?]")
ANY_DIGIT = re.compile(r"\d")
# A clause that opens on an action of its own ("举办…", "新建…"): not part of a list before it.
ACTION_START = re.compile(r"举办|开展|实施|完成|组织|启动|推出|举行|新增|新建|建设|打造|培育|引进|创建|改造|建成|提升|推进|推动")
# Between two figures of one list: nothing, or a joiner ("5%、8%", "200个…和400个"); a joiner closing a gap.
LIST_GAP = re.compile(r"^[、和及与]?$")
LIST_JOIN = re.compile(r"(?:和|及|以及|与)$")
# A change from a starting point ("从15个县扩大到", "由240元提高到"): the figure after it is the target.
FROM_TO = re.compile(r"(?:从|由)[^，；。]*?(?:到|至)$")
# A letter or digit beside a line break: the break is inside a word ("广义货币M\n2\n和").
_SOFT_NEIGHBOUR = re.compile(r"[A-Za-z0-9.]")
# Where an object ends; a programme's span and kind ("三年…攻坚计划"); the effort around works
_OBJECT_END = re.compile(r"[和及、与]")
_PROGRAMME = re.compile(r"^[一二两三四五六七八九十\d]+年|(?:攻坚计划|攻坚行动|攻坚战|行动计划|计划|行动|工程)$")
_EFFORT = re.compile(r"(?:(?:建设|工作|推进)?力度|建设)$")
# A time that opens a clause; a circumstance clause ("在确保质量的前提下")
_WHEN_OPEN = re.compile(r"^(?:今明两年|今年|全年|年内)")
_CIRCUMSTANCE = re.compile(r"^在[^，；。]*(?:前提下|基础上|情况下|过程中)$")
# Where a budget line says what the money is for, and the subject of the clause before it
_PURPOSE = re.compile(r"[，,](?:主要)?(?:用于|用[^，。；]{0,6}?支持)([^，。；]{2,20})")
_AFTER_VERB = re.compile(r"^[^，；。]*?(?:实施|增加|加大|提高|推进|完善|落实)")


@dataclass
class Ctx:
    """What the records of one sentence share, with the phrase after each number and the start of its
    clause, each read once: several rules need them."""

    text: str
    start: int
    end: int
    year: int | None
    chapter: str | None
    part: str
    afters: dict[int, str] = field(default_factory=dict)
    clause_starts: dict[int, int] = field(default_factory=dict)

    def after(self, pos: int) -> str:
        """The phrase after a number that ends at `pos` (see phrase_after)."""
        if pos not in self.afters:
            self.afters[pos] = phrase_after(self.text, pos, self.end)
        return self.afters[pos]

    def clause_start(self, pos: int) -> int:
        """Where the clause that holds `pos` starts (see clause_start)."""
        if pos not in self.clause_starts:
            self.clause_starts[pos] = clause_start(self.text, self.start, pos)
        return self.clause_starts[pos]


def clause_start(text: str, lo: int, pos: int) -> int:
    """Where the clause that holds `pos` starts, no earlier than `lo`."""
    i = pos
    while i > lo and (text[i - 1] not in CLAUSE_END or _soft_break(text, i - 1)):
        i -= 1
    return i


def _soft_break(text: str, i: int) -> bool:
    """A line break inside a word: converted pages split subscripts and numbers ("广义货币M\\n2\\n和")."""
    return text[i] == "\n" and bool(_SOFT_NEIGHBOUR.match(text[i - 1:i] or " ") or _SOFT_NEIGHBOUR.match(text[i + 1:i + 2] or " "))


def phrase_after(text: str, pos: int, end: int) -> str:
    """The phrase after a number, to the next punctuation; a 、 after a single character joins ("中、省督察").

    The 口 of a count of people ("覆盖农村5亿人口") belongs to the unit, not to what follows.
    """
    if text[pos - 1:pos + 1] == "人口":
        pos += 1
    i = pos
    for m in PHRASE_END.finditer(text, pos, end):
        if m.group(0) == "、" and (m.start() - i == 1 or _in_brackets(text, pos, m.start())
                                  or (m.start() > pos and (_examples_follow(text, m.end(), end)
                                                           or _list_goes_on(text, m, end)))):
            i = m.end()
            continue  # "中、省督察", "超5个县（市、区）开展…", "…提供个体康复、社会融入等针对性服务"
        return text[pos:m.start()]
    return text[pos:end]


def _list_goes_on(text: str, m: re.Match[str], end: int) -> bool:
    """Whether the counted items go on after 、 ("新增5家以上无人工厂、灯塔工厂…", "为1万名困境、留守儿童进行…"):
    no figure follows in the clause and the next item is not an action of its own ("新建3个公园、提升绿道")."""
    stop = CLAUSE_BREAK.search(text, m.end(), end)
    nxt = text[m.end():stop.start() if stop else end]
    return not ANY_DIGIT.search(nxt) and not ACTION_START.match(nxt) and not ind.opening_verb(nxt)


def _examples_follow(text: str, pos: int, end: int) -> bool:
    """Whether the list going on at `pos` is one of examples, closed by 等 with no number before its
    clause ends ("提供个体康复、社会融入等针对性服务"; not "绿道200公里、市民公园等城市公园65个")."""
    stop = CLAUSE_BREAK.search(text, pos, end)
    etc = ind.ETC.search(text, pos, stop.start() if stop else end)
    return etc is not None and not ANY_DIGIT.search(text, pos, etc.start())


def _in_brackets(text: str, start: int, pos: int) -> bool:
    """Whether `pos` is inside a parenthesis opened after `start`."""
    opened = text.count("（", start, pos) + text.count("(", start, pos)
    return opened > text.count("）", start, pos) + text.count(")", start, pos)


def _counted_object(obj: str, unit: str) -> str:
    """The object cut after the noun its unit counts: "班列市场化运营模式" counted in 列 is 班列."""
    i = obj.find(unit) if len(unit) == 1 and unit not in "个项次" else -1
    return obj[:i + 1] if i >= 1 else obj


def object_of_previous_clause(ctx: Ctx, pos: int, unit: str, back: int = 1) -> str:
    """The object of the clause before (its words after the opening verb, up to 和/及/、), or "";
    cut after the noun the unit counts ("深化中欧班列市场化运营改革，全年开行3000列" -> 中欧班列), without the
    activity or effort around it ("继续推进保障性安居工程建设，…基本建成500万套" -> 保障性安居工程)."""
    clause = previous_clause(ctx, pos)
    if back > 1:  # passing over clauses with figures of their own; a name with digits ("12355…服务台") may stay
        while back > 1 and clause and find_numbers(clause):
            pos, back = ctx.text.rfind(clause, ctx.start, pos), back - 1
            clause = previous_clause(ctx, pos)
        if find_numbers(clause):
            return ""
    elif ANY_DIGIT.search(clause):
        return ""
    if len(clause) < 6:
        return ""
    obj = _OBJECT_END.split(ind.clean_lead(_WHEN_OPEN.sub("", clause))[2:], maxsplit=1)[0]
    obj = _counted_object(_PROGRAMME.sub("", obj[obj.rfind("的") + 1:]), unit)  # "新的三年棚改攻坚计划" -> 棚改
    obj = _EFFORT.sub("", obj)  # "加大保障性安居工程建设力度，今年新开工700万套": the projects, not the effort
    return obj if 2 <= len(obj) <= 14 else ""


def fund_of(indicator: str, e: NumberExpr, ctx: Ctx) -> str:
    """A budget line that names only money ("中央财政拟投入420亿元资金") with what the money is for: the
    purpose after it ("，用于扶助和促进就业") or the subject of the clause before ("实施更加积极的就业政策，")."""
    purpose = _PURPOSE.match(ctx.text, e.end + len(ctx.after(e.end)), ctx.end)
    if purpose:
        return f"{indicator}用于{purpose.group(1)}"
    before = previous_clause(ctx, e.start)
    subject = _AFTER_VERB.sub("", before)
    subject = subject[subject.rfind("的") + 1:]
    return f"{indicator}用于{subject}" if 2 <= len(subject) <= 16 and not ANY_DIGIT.search(subject) else indicator


def previous_clause(ctx: Ctx, pos: int) -> str:
    """The clause before the one at `pos`, passing over a circumstance ("在确保质量的前提下")."""
    cs = ctx.clause_start(pos)
    while cs > ctx.start:
        clause = ctx.text[ctx.clause_start(cs - 1):cs - 1]
        if not _CIRCUMSTANCE.match(clause):
            return clause
        cs = ctx.clause_start(cs - 1)
    return ""
