"""Outcomes: the figures a report's review part gives for the reviewed year (pure).

Each number expression of a review sentence becomes an outcome with the indicator it measures,
read from the words before it in its clause ("城镇新增就业1314万人"), from the subject of an
earlier clause when the clause is only a verb ("国内生产总值达到74.4万亿元，增长6.7%"), or from the
words after it when it opens the clause ("近1400万农业转移人口在城镇落户"). Enumerations
("二氧化硫、氮氧化物排放量分别下降5.6%和4%") give one outcome per indicator. Restated targets
("低于13%左右的预期目标"), starting points ("由240元提高到") and last year's figures ("由上年下降2.3%")
are skipped. Five-year totals and averages are kept but marked `multi_year`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from tracker.extract import indicators as ind
from tracker.extract.lexicon import table
from tracker.extract.numbers import find_numbers
from tracker.extract.outcome_phrases import Offsets, clean_view, find_fractions
from tracker.extract.records import OutcomeRecord
from tracker.match.rules import direction
from tracker.text import Segmented

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
_CLAUSE_SEP = "，；：,;:"
# Leading words that are not part of what is measured.
_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+是|——|—|[（(][一二三四五六七八九十]+[)）]|其中|同时|此外|全年|年末|年底|去年|"
                   r"当年|(?:19|20)\d{2}年(?:末|底)?|已经|已|共|累计|分别|首次|均|都|和(?!美)|及|以及|并|、|“|”|的)+")
# Trailing words that link the indicator to its figure.
_TAIL_WORDS = tuple("五年|人均|达到|达|为|是|突破|超过|超|逾|跃上|迈上|站上|跨上|跨越|迈过|稳定在|保持在|控制在|维持在|提高到|提高至|"
                    "增加到|增加至|增长到|增长至|下降到|下降至|降到|降至|升至|上升到|提升到|提升至|减少到|扩大到|扩大至|"
                    "至|到|近|约|接近|首次|实现|完成|累计|共|分别|总量|总额|规模|再|又|均|一直|已|在|的".split("|"))
_TAIL = re.compile(f"(?:{'|'.join(_TAIL_WORDS)})+$")
# Verbs that govern a count followed by what it counts ("推动1万家工业企业技术改造", "帮助20万人就业").
_GOVERNS = re.compile(r"推动|推进|支持|带动|帮助|引导|促进|组织|指导|培育|认定|吸引|吸纳|服务|惠及|培训")
# Verbs that end the words before a count of what follows them ("全年取消和下放246项行政审批事项", "新设7个自贸试验区").
_COUNT_VERB = re.compile(r"(?:取消|下放|设立|新设|建立|清理规范|升级|批准|命名|支持|实施|新建|建成|改造|培育|认定|创建)了?$")
# A verb alone before a figure, followed by what it is of ("新增510万沼气用户", "安排200亿元技改专项资金").
_BARE_VERB = re.compile(r"(?:又|还|再)?(?:新增|安排|投入|下达|完成|建成|新建|解决了?|提供|免除|有|让|将)|首批|首期")
# Words that end a phrase whose figure is followed by what it counts ("农村饮水安全工程使6069万农民受益")
_LEADS_INTO_COUNT = ("使", "惠及", "解决了")
# A stage of works, alone before its figure ("…基本建成432万套，新开工建设1043万套")
_STAGE_WORDS = r"新?开工(?:建设)?|基本建成|建成|竣工|完工"
_STAGE = re.compile(_STAGE_WORDS)
_STAGE_END = re.compile(f"(?:{_STAGE_WORDS})$")
# What a share's subject says of itself besides naming it ("五年累计", "年均增长")
_SHARE_SUBJECT = re.compile(r"(?:五年)?(?:累计|年均)?(?:增长|增速)?$")
_CONTINUED = re.compile(r"连续\d+年")
_VERB_ONLY = re.compile(r"^(?:比上年|同比|分别|实际|名义|年均|又|再|人均)*(?:增长|下降|上涨|下跌|提高|降低|减少|增加|回升|回落|增速)$")
_GROUP_AFTER = re.compile(r"^的(?!增长|增速|涨幅|水平|目标)")
_TARGET_AFTER = re.compile(r"^[^，。；]{0,3}?(?:的)?(?:预期|目标|计划|任务)")
_TARGET_BEFORE = re.compile(r"(?:预期目标|目标任务|计划目标|目标)[^，。；]{0,4}$")
_START_BEFORE = re.compile(r"(?:[由从])(?:上年|去年|\d{4}年)?[^，。；由从]{0,6}$")
_START_AFTER = re.compile(r"^[^，。；]{0,6}?(?:提高到|提高至|增加到|增加至|增长到|增长至|下降到|下降至|降到|降至|上升到|升至|"
                          r"提升到|提升至|减少到|扩大到|扩大至|转为|到|至)")
_LAST_YEAR = re.compile(r"(?:由|从|比)?(?:上年|去年)[^，。；]{0,3}$")
# Clause markers of multi-year figures ("年均浓度" is a yearly mean, not a multi-year one).
_MULTI = re.compile(r"年均(?!浓度)|年平均(?!浓度)|平均每年|累计|五年来|五年间|五年共|过去五年|十[一二三四五六]五")
# Sentence markers: a whole sentence about the five years.
_MULTI_SENTENCE = re.compile(r"五年来|五年间|过去五年|五年累计|十[一二三四五六]五(?:期间|时期|以来)")
_LEVEL_BEFORE = re.compile(r"(?:达到|达|为|是|提高到|提高至|增加到|增长到|下降到|降到|降至|升至|上升到|提升到|提升至|"
                           r"稳定在|保持在|控制在|维持在|一直|突破|跃上|迈上|站上)[^，。；]{0,3}$")
_MILESTONE = re.compile(r"(?:突破|跃上|迈上|站上|跨上|跨越|迈过|超过|超|逾)[^，。；]{0,2}$")
_RELATIVE = re.compile(r"(?:高于|低于|快于|慢于|超出)(?:全国|全省|全市|全区|平均|面上|预期)")
_MULTI_PART = re.compile(r"五年|十[一二三四五六]五")
_SINGLE_PARA = re.compile(r"^[\s\u3000]*(?:刚刚过去的|过去的|回顾)?(?:(?:19|20)\d{2}年|过去一年|一年来|去年|今年以来)")
# A paragraph that opens on the five years switches the scope to them until a single year returns.
_MULTI_OPEN = re.compile(r"[\s\u3000]*(?:过去五年|五年来|五年间|“?十[一二三四五六]五”?(?:时期|期间|以来)|这是[^。]{0,24}的五年"
                         r"|[一二三四五六七八九十]+、[^。\n]{0,16}(?:十[一二三四五六]五|五年))")
_ADDRESS = re.compile(r"^[\s\u3000]*各位代表[，,！!：:]?")
_YEAR_PARA = re.compile(r"^[\s\u3000]*(?:刚刚过去的)?((?:19|20)\d{2})年")
_SPLIT_SUBJECTS = re.compile(r"[、]")
_SPLIT_SUBJECTS_AND = re.compile(r"[、和及与]")
_MAX_INDICATOR = 24
# The bound of a figure given by its comparator (a fraction in words is never at_most).
_BOUND = {"at_least": "at_least", "about": "about", "at_most": "up_to"}
_CLOSING_VERBS = ("增长", "下降", "上涨", "提高", "降低", "减少", "增加", "增速")
_CLOSING_VERB = re.compile(f"(?:比上年|同比)?(?:{'|'.join(_CLOSING_VERBS)})$")
_TURNS_TO = re.compile(r"^[^，。；]{0,3}?转为")
_DE = re.compile(r"[的]")
_LEAD_VERB = re.compile(r"新建改建|新改建|新（改）建|新建|新增|新开工|开工|完成|建成|改造|培育|引进|解决")


class _Num(NamedTuple):
    """A number found in the clean view: offsets there, value, unit, bound and the comparator word before it,
    and where its clause starts and ends (found once: every rule reads them)."""

    start: int
    end: int
    value: float
    unit: str
    norm_value: float
    base_unit: str
    bound: str
    clause_start: int
    clause_end: int


def extract_outcomes(seg: Segmented) -> list[OutcomeRecord]:
    """Outcomes reported in the review part(s) of `seg`; multi-year figures are kept and marked."""
    reviewed = (seg.year - 1) if seg.year else None
    out: list[OutcomeRecord] = []
    for part in seg.parts:
        if part.kind != "review":
            continue
        clean, where = clean_view(seg.text, part.start, part.end)
        # Scope is sticky from paragraph to paragraph: a review that opens with "过去五年" (or a heading
        # "2025年和“十四五”时期工作回顾") reports five-year figures until a paragraph opens on a single
        # year ("2025年是…", "过去一年…"), and the reverse ("这是经济实力持续提升的五年。").
        multi = False
        year = reviewed
        pos = 0
        for para in clean.split("\n"):
            p_start, pos = pos, pos + len(para) + 1
            if not para.strip():
                continue
            opening = _ADDRESS.sub("", para, count=1)
            ym = _YEAR_PARA.match(opening)
            if _SINGLE_PARA.match(opening):
                multi = False
                year = int(ym.group(1)) if ym and reviewed and int(ym.group(1)) <= reviewed else reviewed
            elif _MULTI_OPEN.match(opening):
                multi = True
            # a paragraph that mentions the five years early is about them, without changing the scope
            scope_multi = multi or bool(_MULTI_PART.search(opening[:60]))
            for sm in _SENTENCE.finditer(para):
                s0 = p_start + sm.start()
                out.extend(_sentence(seg.text, clean, where, s0, p_start + sm.end(), year, scope_multi))
    return out


@cache
def _named_year(year: int) -> re.Pattern[str]:
    """The reviewed year named as such ("2012年，", "去年"), not as an end of a span ("2012年以来", "2008年至2012年")."""
    return re.compile(rf"(?:(?<![至到—–\-]){year}年|去年)(?!以来|至|到|—|-)")


def _numbers(clean: str, s0: int, s1: int) -> list[_Num]:
    found: list[_Num] = []
    for n in find_numbers(clean, s0, s1):
        if n.comparator == "range":
            bound = "exact"
        elif n.pre in ("超过", "突破", "超", "逾"):
            bound = "more_than"
        else:
            bound = _BOUND.get(n.comparator, "exact")
        if bound == "exact" and _MILESTONE.search(clean, max(s0, n.start - 6), n.start):
            bound = "more_than"
        found.append(_Num(n.start, n.end, n.value, n.unit, n.norm_value, n.base_unit, bound,
                          _clause_start(clean, s0, n.start), _clause_end(clean, n.end, s1)))
    for f in find_fractions(clean, s0, s1):
        a, b = f.start, f.end
        if any(x.start < b and a < x.end for x in found):
            continue
        bound = "more_than" if f.pre == "超过" else _BOUND.get(f.comparator, "exact")
        found.append(_Num(a, b, f.value, "%", f.value, "%", bound,
                          _clause_start(clean, s0, a), _clause_end(clean, b, s1)))
    return sorted(found, key=lambda x: x.start)


def _clause_start(clean: str, s0: int, pos: int) -> int:
    i = pos
    while i > s0 and clean[i - 1] not in _CLAUSE_SEP:
        i -= 1
    return i


def _clause_end(clean: str, pos: int, s1: int) -> int:
    i = pos
    while i < s1 and clean[i] not in _CLAUSE_SEP:
        i += 1
    return i


_FROM_TO = re.compile(r"[由从](?:上年|去年)?[^，；由从]*?(?:转为|提高到|增加到|增长到|下降到|降到|降至|提升到|扩大到|到|至)")


def _strip(phrase: str) -> str:
    phrase = _FROM_TO.sub("", phrase).replace("比上年", "").replace("同比", "").strip("、，。；：,;:")
    prev = None
    while prev != phrase:
        prev = phrase
        phrase = _LEAD.sub("", phrase.strip(" \u3000“”\"")).strip()
        if phrase.endswith(_TAIL_WORDS):  # else the regex would scan the whole phrase to find no tail
            phrase = _TAIL.sub("", phrase).strip()
    return phrase[-_MAX_INDICATOR:]


def _subject(indicator: str) -> str:
    """The indicator without its closing verb, to lend to a following verb-only clause."""
    # most indicators end otherwise, and telling so is far cheaper than a regex scan of the whole indicator
    return _CLOSING_VERB.sub("", indicator) if indicator.endswith(_CLOSING_VERBS) else indicator


def _skip(clean: str, s0: int, s1: int, n: _Num) -> bool:
    """Restated targets, starting points and last year's figures are not outcomes."""
    c0, c1 = n.clause_start, n.clause_end
    before, after = clean[c0:n.start], clean[n.end:c1]
    if _TARGET_AFTER.match(after) or _TARGET_BEFORE.search(before):
        return True
    if _START_BEFORE.search(before) and _START_AFTER.match(after):
        return True
    if n.bound in ("at_least", "up_to") and n.base_unit not in ("%", "‰") and _GROUP_AFTER.match(after):
        return True  # "经营性收入50万元以上的行政村占比达68%": a threshold naming a group
    return bool(_TURNS_TO.match(after)) and bool(_LAST_YEAR.search(before))


def _sentence(text: str, clean: str, where: Offsets, s0: int, s1: int, year: int | None,
              scope_multi: bool) -> list[OutcomeRecord]:
    nums = [n for n in _numbers(clean, s0, s1) if not _skip(clean, s0, s1, n)]
    if not nums:
        return []
    indicators = _indicators(clean, s0, s1, nums)
    sentence_multi = bool(_MULTI_SENTENCE.search(clean, s0, s1))
    # "2012年，…国内生产总值增长7.8%" in a review of five years: the sentence names the reviewed year
    named_year = _named_year(year).search(clean, s0, s1) if year else None
    sentence_start, sentence_end = where[s0], where[s1 - 1] + 1
    out = []
    for n, indicator in zip(nums, indicators, strict=True):
        if not indicator:
            continue
        c0 = n.clause_start
        before = clean[c0:n.start]
        # a five-year figure when its clause says so, or when its sentence or scope does and it is not a
        # level reached ("达到…")
        multi = bool(_MULTI.search(clean, c0, n.clause_end)) or (
            (sentence_multi or scope_multi) and not _LEVEL_BEFORE.search(before)
            and not (named_year and named_year.start() < n.start))
        relative = n.base_unit in ("%", "个百分点") and bool(_RELATIVE.search(before))
        if relative:
            kind = "relative"
        elif n.base_unit in ("%", "个百分点", "‰"):
            kind = "growth" if direction(indicator) else "ratio"
        else:
            kind = "amount"
        start, end = where[n.start], where[n.end - 1] + 1
        # in field order, without keywords: a named tuple is built three times faster so
        out.append(OutcomeRecord(start, end, text[start:end], sentence_start, sentence_end, indicator,
                                 n.value, n.unit, n.norm_value, n.base_unit, n.bound, kind, year, multi))
    return out


def _indicators(clean: str, s0: int, s1: int, nums: list[_Num]) -> list[str]:
    """The indicator of each number of one sentence."""
    result: list[str] = [""] * len(nums)
    subject = ""
    i = 0
    while i < len(nums):
        n = nums[i]
        c0 = n.clause_start
        prev_end = nums[i - 1].end if i and nums[i - 1].end > c0 else c0
        before = clean[prev_end:n.start]
        k = before.find("分别")
        if k >= 0:
            group = _enumeration(clean, s0, s1, nums, i, prev_end + k)
            if group:
                for j, named in group.items():
                    result[j] = named
                subject = _subject(result[i])
                i = max(group) + 1
                continue
        phrase = _strip(before)
        if _counts_what_follows(phrase, n):
            # "推动1万家工业企业技术改造": the verb governs what the number counts
            stop = min([n.clause_end] + [m.start for m in nums[i + 1:]])
            counted = _strip(clean[n.end:stop]).removesuffix("和").removesuffix("及")
            phrase = phrase + counted if counted and len(counted) <= _MAX_INDICATOR else phrase
        elif not phrase or _VERB_ONLY.match(phrase):
            verb = phrase
            if subject and verb:
                phrase = subject + verb
            else:
                # the number opens its clause: what follows names it ("近1400万农业转移人口在城镇落户")
                stop = min([n.clause_end] + [m.start for m in nums[i + 1:]])
                phrase = _strip(clean[n.end:stop])
                phrase = _strip(_DE.split(phrase)[-1]) if len(phrase) > _MAX_INDICATOR else phrase
                if not phrase and verb and c0 > s0:
                    # "企业退休人员基本养老金连续5年增加，去年又人均提高10%": the subject of the clause before
                    phrase = _subject(_strip(_CONTINUED.sub("", clean[_clause_start(clean, s0, c0 - 1):c0 - 1])))
                phrase = (phrase + verb) if phrase else ""
        if phrase.startswith("占") and subject:
            phrase = _SHARE_SUBJECT.sub("", subject) + phrase  # "教育经费支出…，2012年占国内生产总值比例达到4%"
        measured = ind.measure_of_item(result[i - 1], phrase) if i and result[i - 1] and phrase else None
        if measured:
            phrase = measured  # "粮食播种面积1584.6万亩、总产量132.4亿斤": the item's subject is shared
        elif i and result[i - 1] and phrase and ind.is_bare_measure(_subject(phrase)) \
                and clean[prev_end:prev_end + 1] == "、":
            phrase = result[i - 1] + phrase  # "规模以上工业企业达7.6万家、增加值增长3%": the measure of what was counted
        if i and result[i - 1] and (phrase in ind.action_verbs() or _STAGE.fullmatch(phrase)):
            phrase = _same_works(result[i - 1], phrase)
        lead = _LEAD_VERB.match(result[i - 1]) if i and result[i - 1] else None
        if lead and phrase and not _LEAD_VERB.match(phrase) and clean[prev_end:prev_end + 1] == "、":
            # "新建改建高速公路6700多公里、农村公路29万公里": the verb governs both items
            phrase = lead.group(0) + phrase
        result[i] = phrase
        if phrase:
            subject = _subject(phrase)
        i += 1
    return result


def _same_works(prev: str, stage: str) -> str:
    """A stage verb alone measures the works the figure before names, at that stage: "新开工保障性安居工程666万套，
    基本建成544万套" -> 基本建成保障性安居工程; "城镇保障性住房基本建成432万套，新开工建设…" -> 城镇保障性住房新开工建设."""
    done = _LEAD_VERB.match(prev)
    if done:
        return stage + prev[done.end():]
    ended = _STAGE_END.search(prev)
    return prev[:ended.start()] + stage if ended and ended.start() >= 2 else stage


def _counts_what_follows(phrase: str, n: _Num) -> bool:
    """Whether the words before a figure only govern it, what it counts following it ("推动1万家工业企业技术改造",
    "新增510万沼气用户", "农村饮水安全工程使6069万农民受益", "全年取消和下放246项行政审批事项")."""
    if _GOVERNS.fullmatch(phrase) or _BARE_VERB.fullmatch(phrase) or phrase.endswith(_LEADS_INTO_COUNT):
        return True
    return bool(_COUNT_VERB.search(phrase)) and table("units.txt").get(n.base_unit, ("",))[0] == "count"


def _enumeration(clean: str, s0: int, s1: int, nums: list[_Num], i: int, at: int) -> dict[int, str]:
    """"A、B分别增长x%、y%": one indicator per subject, the shared head lent to the shorter subjects."""
    c0 = _clause_start(clean, s0, at)
    c1 = _clause_end(clean, at, s1)
    members = [j for j in range(i, len(nums)) if nums[j].start < c1]
    verb = _strip(clean[at + 2:nums[i].start])
    head = clean[c0:at]
    for splitter in (_SPLIT_SUBJECTS, _SPLIT_SUBJECTS_AND):
        subjects = [_strip(s) for s in splitter.split(head)]
        subjects = [s for s in subjects if s]
        if len(subjects) == len(members) and len(subjects) > 1:
            last = subjects[-1]
            full = [s + last[len(s):] if len(last) > len(s) and not s.endswith(last[len(s):]) else s
                    for s in subjects[:-1]] + [last]
            return {j: full[k] + verb for k, j in enumerate(members)}
    return {}
