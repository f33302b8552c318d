"""Commitments: the quantitative targets of a report's plan part, one record per indicator-target pair.

Each plan sentence goes through the number grammar; the numbers that are not targets (names,
definitions of the indicator, forecasts, past figures, baselines) are dropped; each remaining one
gets its indicator, comparator, hedge, kind and target year from the words around it.
"""

from __future__ import annotations

import re
from functools import cache

from tracker.extract import indicators as ind
from tracker.extract.context import (
    ACTION_START,
    CLAUSE_BREAK,
    CLAUSE_END,
    FROM_TO,
    LIST_GAP,
    LIST_JOIN,
    PHRASE_END,
    Ctx,
    clause_start,
    fund_of,
    object_of_previous_clause,
    previous_clause,
)
from tracker.extract.lexicon import table, words
from tracker.extract.numbers import NumberExpr, cn_to_float, find_numbers
from tracker.extract.outcome_phrases import find_fractions
from tracker.extract.records import CommitmentRecord
from tracker.extract.targets import defines_indicator, is_target
from tracker.text import Segmented

# A bound before the verb of change: "资费至少降低30%" is at least 30%.
_AT_LEAST_VERB = re.compile(r"至少(?:降低|下降|减少|压减|压缩|提高|提升|增长|增加)?$")
# 争取 is a hedge before a verb ("争取实现"), not when it means "obtain" ("争取中省资金").
_HEDGE_VETO = re.compile(r"新争创|争取(?:中|上级|资金|专项|债|更多|国家|省|政策|项目|试点|列入|纳入)")
# 争创 (strive to win a title) and 争取 before a noun (obtain: "争取…试点政策") govern only their own clause;
# 争取 before a verb or a time ("争取实现", "争取到2027年") hedges what follows it.
_CLAUSE_LOCAL = re.compile(r"争创|争取(?!实现|达到|完成|突破|全年|新增|提前|建成|开工|培育|引进|在|到|用|早日|尽早|尽快|今年|年内|超过|保持)")
# A year the plan aims at: after 到/至/在/于 ("到2027年") or closed by 底/末/前 ("2027年底"). The pattern
# opens with a literal, which the regex engine finds fast; the word before is checked in _target_year.
_YEAR_TARGET = re.compile(r"(20\d{2})年(底|末|前|左右)?")
_TOWARDS = "到至在于"
_PERIOD = re.compile(r"十([一二三四五])五")
_PERIOD_END = {"一": 2010, "二": 2015, "三": 2020, "四": 2025, "五": 2030}
# A horizon of several years before the number: "今后三年…拟投入8500亿元", "今后一个时期…约1亿人",
# "争取用三年时间，解决750万户…", "两年投资计划，其中中央政府拟新增1.18万亿元", "五年统筹投入100亿元"
_HORIZON = re.compile(r"(?:今后|未来)(?:一个时期|一段时期|(?P<n>[两二三四五])年)|(?<![年今十])(?P<m>[两二三四五])年内"
                      r"|用(?P<u>[两二三四五])年(?:时间)?|(?<![年今十])(?P<p>[两二三四五])年(?:投资)?计划"
                      r"|(?<![年今十])(?P<f>[两二三四五])年(?=统筹|累计|共)")
_PERIOD_CUE = re.compile(r"年均|累计|时期|期间|期末|末|规划")
_GROWTH = re.compile(r"(?:增长|增速|涨幅|增幅|降幅|下降|降低|提高|提升|减少|增加|压减|压降|压缩|缩减|削减|翻)(?![到至])[^，；。到至]{0,3}$")
_GROWS_AT_END = re.compile(r"(?:增长|涨幅|增速|增幅|降幅|下降|降低)$")
_CONTROL = re.compile(r"控制(?:在|到)?$|不超过$|以内$")
# A bound stated as a share or multiple of a base: "累计提高总额不超过所在统筹地区…原封顶线的20%",
# "保障标准不低于当地最低生活保障标准的1.6倍" (the base is not the indicator).
_BOUND_OF = re.compile(r"(?P<cmp>不超过|不高于|不得超过|控制在|不低于|不少于)[^，；。、\d]{2,24}?的$")
_CHANGED_TO = re.compile(r"(?:提高|提升|增加|扩大|上调|降低|下降|减少|压减|缩小|缩短)(?:到|至)$")
_SHARED = re.compile(r"(?:要|将)?(?:分别|(?<![年人平户])均(?=为|增长|达到|下降|提高|保持|在|超过))|各$")
_SUB_ITEM = re.compile(r"^其中")
# A change with no subject of its own: "今明两年继续提高企业退休人员基本养老金，人均每年增长10%左右"
_PER_CAPITA_GROWTH = re.compile(r"(?:人均)?(?:每年)?(?:增长|提高|增加)")
# A budget line that names nothing but money or its allocation ("中央财政拟投入", "安排", or nothing at all)
_FUND_ONLY = re.compile(r"(?:中央财政|中央|财政|各级政府|政府)?拟?(?:安排|投入|下达)?(?:专项|补助|补贴)?"
                        r"(?:资金|经费|专项资金|投入)?(?:安排|投入)?")
# A tally that names no object: "服务数量", "项目数增加"
_BARE_TALLY = re.compile(r"(?:服务)?(?:数量|人次|项目数|个数)(?:增加|增长|提高)?|(?:待遇)?享受人数")
# The verb of a change right before its size, and an indicator that already ends with one
_CHANGE_BEFORE = re.compile(r"(提高|提升|增加(?!值)|增长|降低|下降|减少|压减|压缩|缩减|削减)[^，；。到至\d]{0,3}$")
_CHANGE_END = re.compile(r"(?:增长|增速|增幅|涨幅|降幅|提高|提升|增加|降低|下降|减少|压减|压缩|缩减|削减|减排)$")
# Changes that name nothing of their own ("比上年增加1868亿元")
_BARE_CHANGES = ("增加", "增长", "提高", "减少", "下降", "降低")
# Shares and rates: what a share is of ("…支持民间投资项目比重"), "占…" without its 比重, a rate's ending
_SHARE_TAIL = re.compile(r"(?:支持|用于|投向|投入|占)[^、]*$")
_SHARE_OF = re.compile(r"占(?!地)[^，；。率例重比]{2,}$")
_RATE_END = re.compile(r"(?:率|比例|比重|占比)$")
# Lists whose items lend each other words: the name between two figures ("硅料、"), the next rate of a list,
# industries listed in the clause before, and a capacity the last item names
_ITEM_GAP = re.compile(r"[\u4e00-\u9fff]{1,8}[、和及]")
_RATE_GAP = re.compile(r"、[\u4e00-\u9fff]{2,10}(?:率|比例)(?:达到|达|为)?")
_LISTED_INDUSTRIES = re.compile(r"(?P<list>[\u4e00-\u9fff]{2,6}(?:、[\u4e00-\u9fff]{2,6})+)(?P<head>产业|行业)")
_CAPACITY_HEAD = re.compile(r"(?:产能|生产能力|能力)$")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{0,10}")
_GROWS_AFTER = re.compile(r"的?(?:增长|增速)")
_GROWS_AFTER_ANY = re.compile(r"的?(?:增长|增速|增幅)")
_GROWTH_HEAD = re.compile(r"(?:增长|增速|涨幅|增幅)$")
_ABOVE = re.compile(r"(?:高于|快于|好于|领先)[^，；]{0,8}$")
# A fraction in words is a target only as the size of a change ("审批时间再压减一半", "压缩三分之一"):
# elsewhere it is rhetoric, unless it is the share of a fund to be put to a use ("将1/3以上的…资金投向基础研究").
_SHARE_USED = re.compile(r"的[^，；。]{2,20}?(?:用于|投向|投入到|投入于)")
_FRACTION_VERB = re.compile(r"(?:压减|压缩|缩减|缩短|减少|削减|精简|降低|下降|提高|增加|扩大)$")
# Years and years of age ("10.8年", "提高1岁"): read only in a clause naming a duration or an age
# measure (duration_indicators.txt), and only when the number closes its phrase ("三年行动" does not).
_DURATION = re.compile(
    r"(?<![0-9０-９.．A-Za-z第])(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})(?P<u>年|岁)(?P<post>以上|左右|以内)?"
    r"(?=[，。；、,;）)！？]|$)"
)


def _continues_run(text: str, e: NumberExpr, exprs: list[NumberExpr]) -> bool:
    later = [x for x in exprs if x.start >= e.end]
    return bool(later) and bool(LIST_GAP.match(text[e.end:later[0].start]))


def extract_commitments(seg: Segmented) -> list[CommitmentRecord]:
    """Quantitative commitments found in the plan sentences of `seg`; [] when there are none."""
    out: list[CommitmentRecord] = []
    for s in seg.sentences_of("plan"):
        out.extend(extract_sentence(seg.text, s.start, s.end, year=seg.year, chapter=s.chapter))
    return out


def extract_sentence(text: str, start: int = 0, end: int | None = None, *, year: int | None = None,
                     chapter: str | None = None, part: str = "plan") -> list[CommitmentRecord]:
    """Commitments of one plan sentence text[start:end]; offsets index `text`."""
    end = len(text) if end is None else end
    found = find_numbers(text, start, end)
    found += _word_numbers(text, start, end, found)
    if not found:
        return []  # most sentences hold no number
    found.sort(key=lambda x: x.start)
    ctx = Ctx(text, start, end, year, chapter, part)
    exprs = [e for e in found if is_target(e, ctx)]
    exprs = [e for i, e in enumerate(exprs) if not defines_indicator(e, exprs[i + 1:], text, end)]
    out: list[CommitmentRecord] = []
    prev: NumberExpr | None = None
    prev_inds: list[str] = []
    run_items: list[str] = []
    run_pos = 0
    verb, run_grows = "", False  # the verb after 分别 of the current run of items; whether it is a change
    run_bound = ""  # the bound a word before the run's first figure sets for all ("分别突破80亿元、60亿元")
    prev_prefix, prev_counted = "", False  # the words before the previous number; whether it counted what follows it
    clause_items: list[str] = []  # indicators of the current list of numbers
    earlier_items: list[str] = []  # ...and of the list before it
    for e in exprs:
        gap_start = ctx.clause_start(e.start)
        in_run = prev is not None and prev.end >= gap_start and bool(LIST_GAP.match(text[prev.end:e.start]))
        p_start = prev.end if prev is not None and prev.end > gap_start else gap_start
        prefix = text[p_start:e.start]
        after_prev = prev is not None and p_start == prev.end and prev_counted
        joined = after_prev and bool(LIST_JOIN.search(prefix))
        # "5个行业级、2个区域级子虚拟电厂", "180项检验结果、300项检查结果互认": a modifier or a bare noun
        # shares what the last item says even across 、
        modifier_item = after_prev and prefix.endswith("、") and bool(out) and _bare_item(out[-1].indicator, prev_prefix)
        if prev is not None and p_start == prev.end and "、" in prefix:
            prefix = prefix[prefix.rindex("、") + 1:]
        if joined:
            prefix = ""  # "200个小区…和400个小区…": the words before 和 are the previous item's
        if not prefix.strip() and prev_counted:
            prefix = prev_prefix  # the verb before the first of the counted items governs them all
        after = ctx.after(e.end)
        between = text[prev.end:e.start] if prev is not None else ""
        # "、B 30条" (the item names before its number) or "“A”、20个" (after it): items of one list
        listed = prev is not None and prev.end >= gap_start and (
            between.startswith("、") or (between.endswith("、") and not PHRASE_END.search(between[:-1])))
        if not (in_run or listed or joined or modifier_item):
            earlier_items, clause_items = clause_items, []
        counted = ind.after_phrase(after)
        e = _people(e, prefix, counted)
        prev_prefix, prev_counted = prefix, bool(counted)
        cap = _bound_of(e, prefix)
        inds = _indicators(e, prefix[:cap.start()] if cap else prefix, after, counted, ctx, prev_inds,
                           in_run or listed, prev.unit_class if prev else "")
        shared = _SHARED.search(prefix)
        if shared:
            run_items, run_pos = ind.share_head(ind.split_items(ind.clean(prefix[:shared.start()]), joins=True)), 0
            # "园区亩均产值和税收分别提高": a bare measure is measured of the first item's subject
            run_items = run_items[:1] + [ind.measure_of_item(run_items[0], x) or x for x in run_items[1:]]
            verb = ind.clean(prefix[shared.end():])
            if len(run_items) < 2 and len(earlier_items) >= 2 and "分别" in shared.group(0):
                # "推进27个省级重点项目、380余个市级重点项目，力争分别完成投资260亿元、750亿元": a bare
                # measure (before or after 分别) distributed over the items counted just before
                after_raw, before_raw = prefix[shared.end():].strip(CLAUSE_END), prefix[:shared.start()].strip(CLAUSE_END)
                measures = [after_raw, ind.clean_lead(after_raw), before_raw, ind.clean_lead(before_raw)]
                for m in measures:
                    measured = [ind.measure_of_item(x, m) or "" for x in earlier_items]
                    if all(measured):
                        run_items = measured
                        break
            measure = ind.clean(prefix[:shared.start()])
            industries = _LISTED_INDUSTRIES.search(ind.clean_lead(previous_clause(ctx, e.start))) \
                if len(run_items) < 2 and "分别" in shared.group(0) and ind.is_bare_measure(measure) else None
            if industries:
                # "推动电子信息、生物医药产业规模化发展，力争产值分别增长20%、10%": the industries named before
                run_items = [x + industries.group("head") + measure for x in industries.group("list").split("、")]
            run_grows = bool(_GROWTH.search(prefix[shared.end():]))
            run_bound = e.comparator if e.pre else ""
            if len(run_items) > 1 and not _continues_run(text, e, exprs):
                for item in run_items:
                    out.append(_record(e, item + verb, prefix, ctx))
                prev, prev_inds, run_items = e, run_items, []
                continue
        elif in_run and run_items:
            run_pos += 1
        elif not in_run and "、" in prefix and (figures := _run_length(text, e, exprs)) > 1:
            # "基本养老保险、基本医疗保险参保率达94%、98%以上": as many items as figures, taken in order
            items = ind.split_items(ind.clean(prefix))
            run_items, run_pos, verb, run_bound = (ind.share_head(items) if len(items) == figures else []), 0, "", ""
        else:
            run_items, run_pos, run_bound = [], 0, ""
        if run_items and len(run_items) > 1 and run_pos < len(run_items):
            # "A、B分别增长2%、5.5%": each item with the change both undergo
            inds = [run_items[run_pos] + (verb if _GROWTH.search(verb) and not run_items[run_pos].endswith(verb) else "")]
        if (joined or modifier_item) and len(inds) == 1 and out:
            out[-1] = out[-1]._replace(indicator=_with_shared_predicate(out[-1].indicator, inds[0]))
            if clause_items:
                clause_items[-1] = out[-1].indicator
        for indicator in inds:
            rec = _record(e, indicator, prefix, ctx)
            if run_items and run_grows and rec.kind == "ratio":
                rec = rec._replace(kind="growth")  # "A、B分别增长2%、5.5%": the later items grow too
            if run_items and run_bound and run_pos > 0 and rec.comparator == "exact":
                rec = rec._replace(comparator=run_bound)
            out.append(rec)
        clause_items.extend(inds)
        prev, prev_inds = e, inds
    return _lend_subject(text, _lend_capacity_head(text, out))


def _lend_subject(text: str, out: list[CommitmentRecord]) -> list[CommitmentRecord]:
    """Rates of one list whose first names their subject ("市场主体诉求响应率100%、诉求化解率100%、
    评价满意率100%") lend it to the others: the subject is what the first has beyond the second's length."""
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and _RATE_GAP.fullmatch(text, out[j].end, out[j + 1].start):
            j += 1
        if j > i and all(r.unit == "%" and _RATE_END.search(r.indicator) for r in out[i:j + 1]):
            first, rest = out[i].indicator, out[i + 1:j + 1]
            subject = first[:len(first) - len(rest[0].indicator)] if len(rest[0].indicator) < len(first) else ""
            if len(subject) >= 2 and not any(r.indicator.startswith(subject) for r in rest):
                out[i + 1:j + 1] = [r._replace(indicator=subject + r.indicator) for r in rest]
        i = j + 1
    return out


def _lend_capacity_head(text: str, out: list[CommitmentRecord]) -> list[CommitmentRecord]:
    """Counted items of one list whose last names the measure ("形成60万吨硅料、100吉瓦切片和70吉瓦电池片产能")
    lend it to the others: each figure is that item's capacity."""
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and _ITEM_GAP.fullmatch(text, out[j].end, out[j + 1].start):
            j += 1
        head = _CAPACITY_HEAD.search(out[j].indicator) if j > i else None
        if head:
            out[i:j] = [r._replace(indicator=r.indicator + head.group(0)) if not _CAPACITY_HEAD.search(r.indicator)
                        else r for r in out[i:j]]
        i = j + 1
    return out


def _run_length(text: str, e: NumberExpr, exprs: list[NumberExpr]) -> int:
    """How many figures, from `e` on, follow one another as items of one list ("94%、98%以上")."""
    n, last = 1, e
    for nxt in (x for x in exprs if x.start > e.start):  # by position: `e` may carry a unit read since
        if not LIST_GAP.match(text[last.end:nxt.start]):
            break
        n, last = n + 1, nxt
    return n


def _bare_item(indicator: str, prefix: str) -> bool:
    """Whether a counted item names only a modifier ("行业级") or a short noun ("检验结果"), beside its verb."""
    verb = ind.lead_verb(prefix)
    core = indicator[len(verb):] if verb and indicator.startswith(verb) else indicator
    return core.endswith(("级", "类", "型")) or len(core) <= 4


def _with_shared_predicate(item: str, last: str) -> str:
    """An item of "2300万省外劳动力和240万省外脱贫劳动力在浙稳定就业" completed with what the last item
    says of both: the words after the item's head noun where the last item repeats it ("2个国家级和12个
    省级战略性新兴产业集群": after 级)."""
    for n in range(min(len(item), 4), 0 if item[-1:] in "级类型" else 1, -1):
        i = last.find(item[-n:])
        if i >= 0 and len(last) - (i + n) >= 2:
            return item + last[i + n:]
    return item


def _word_numbers(text: str, start: int, end: int, found: list[NumberExpr]) -> list[NumberExpr]:
    """Quantities outside the unit grammar: fractions in words after a verb of change, durations and ages."""
    out: list[NumberExpr] = []
    if not _word_number_cue().search(text, start, end):
        return out
    for f in find_fractions(text, start, end):
        a, b = f.start, f.end
        if _FRACTION_VERB.search(text, max(start, a - 4), a) or _SHARE_USED.match(text, b, end):
            out.append(NumberExpr(start=a, end=b, value=f.value, upper=None, unit="%", norm_value=f.value,
                                  base_unit="%", comparator=f.comparator, num_start=a + len(f.pre),
                                  pre=f.pre, post="", unit_class="percent", chinese=True))
    measure = _duration_measure_re()
    if measure.search(text, start, end):
        for m in _DURATION.finditer(text, start, end):
            clause = text[clause_start(text, start, m.start()):m.start()]
            value = float(m.group("n")) if m.group("n")[0].isdigit() else cn_to_float(m.group("n"))
            if value is None or value >= 150 or not measure.search(clause):
                continue
            post = m.group("post") or ""
            comparator = table("comparators.txt")[post][0] if post else "exact"
            out.append(NumberExpr(start=m.start(), end=m.end(), value=value, upper=None, unit=m.group("u"),
                                  norm_value=value, base_unit=m.group("u"), comparator=comparator,
                                  num_start=m.start(), pre="", post=post,
                                  unit_class="duration" if m.group("u") == "年" else "age",
                                  chinese=not m.group("n")[0].isdigit()))
    return [x for x in out if not any(x.start < y.end and y.start < x.end for y in found)]


def _people(e: NumberExpr, prefix: str, counted: str) -> NumberExpr:
    """A bare 万/亿 next to a noun for people counts people: "12万城镇就业困难人员" -> 12 万人.

    `counted` is the noun phrase after the number (indicators.after_phrase).
    """
    if e.unit not in ("万", "亿"):
        return e
    nouns = words("people_nouns.txt")
    head = _HAN_RUN.match(counted).group(0)  # type: ignore[union-attr]
    if any(n in head for n in nouns) or ind.clean(prefix).endswith(nouns):
        return e._replace(unit=e.unit + "人", base_unit="人", unit_class="count")
    return e


def _indicators(e: NumberExpr, prefix: str, after: str, counted: str, ctx: Ctx, prev_inds: list[str],
                in_run: bool, prev_class: str = "") -> list[str]:
    """Indicators of one number (several when parallel items share one growth target); `counted` is the noun
    phrase after it (indicators.after_phrase of `after`)."""
    # the verb opening the previous item governs this one when both count the same kind of thing
    shared_verb = ""
    if in_run and prev_inds:
        rates = ("percent", "point")
        shared_verb = ind.opening_verb(prev_inds[-1]) if (prev_class in rates) == (e.unit_class in rates) else ""
    sentence = ctx.text[ctx.start:ctx.end]
    upto = e.start - ctx.start
    tail = counted
    grows = _GROWS_AFTER.fullmatch(tail)
    if grows or prefix.endswith("的"):
        tail = ""  # "…占国内生产总值的4%编制预算": the words before name the share, those after are a verb
    from_to = (FROM_TO.search(prefix) or _CHANGED_TO.search(prefix)) if tail else None
    if from_to:
        # "推动县中托管帮扶从15个县（市）扩大到57个县（市）", "综合改革试点扩大到1000个县": the subject
        # before the change is what grows
        return [ind.complete(ind.clean(prefix[:from_to.start()]) + tail, sentence, upto)]
    if tail:
        measured = ind.measure_of_item(prev_inds[-1], tail) if prev_inds else None
        if measured:
            return [measured]  # "推进335个省市重点项目建设，确保完成850亿元以上年度投资任务"
        verb = ind.lead_verb(prefix)
        if not verb and not ind.opening_verb(tail):
            verb = shared_verb
        return [ind.complete(verb + tail, sentence, upto)]
    base = ind.clean(prefix)
    if prev_inds and base in _BARE_CHANGES and (e.unit_class not in ("percent", "point") or (
            base in ("增长", "下降") and not prev_inds[-1].endswith(_BARE_CHANGES))):
        # "…投入拟安排12287亿元，比上年增加1868亿元", "科技投入1461亿元，增长25.6%": the change of the amount before
        return [prev_inds[-1] + base]
    if prev_inds and _SUB_ITEM.match(prefix) and 0 < len(base) <= 4:
        return [_sub_item(prev_inds[-1], base)]
    raw = prefix.strip(CLAUSE_END + "、 ")
    if prev_inds and base:
        measured = ind.measure_of_item(prev_inds[-1], raw) or ind.measure_of_item(prev_inds[-1], base)
        if measured:
            return [measured]  # "安排重大项目1000个以上，完成年度投资1万亿元以上"
    if in_run and prev_inds and (0 < len(base) <= 2 or base in ind.action_verbs()) and len(prev_inds[-1]) > len(base) + 1 \
            and not ind.new_verb(prev_inds[-1]):
        if raw != base and raw.endswith(base) and len(raw) <= 4:
            base = prev_inds[-1] + raw  # "实施重大项目11个、完成投资60亿元": the verb says what is measured
        else:
            base = ind.join_item(prev_inds[-1], base)  # "装置投运一个、开工一个": the item's subject is shared
    elif in_run and prev_inds and base and ind.new_verb(prev_inds[-1]) and ind.is_verb_item(prefix):
        # "新建高标准农田2万亩、改造提升4万亩": a verb item acts on the previous item's object
        raw = ind.clean_lead(prefix)
        base = raw + prev_inds[-1][len(ind.new_verb(prev_inds[-1])):]
    elif in_run and prev_inds and base:
        base = shared_verb + base if not ind.new_verb(base) and not ind.opening_verb(base) else base
    elif (base in ind.action_verbs() or _PER_CAPITA_GROWTH.fullmatch(base)) and ind.clean_lead(prefix) == base:
        if not prev_inds:
            base = object_of_previous_clause(ctx, e.start, e.unit) + base  # "优化经营性用地结构…，收储13000亩"
        elif prev_inds[-1].endswith(ind.action_verbs()) and len(prev_inds[-1]) > len(base) + 2:
            base = ind.join_item(prev_inds[-1], base)  # "…工程基本建成500万套，新开工700万套": the same works
    elif _BARE_TALLY.fullmatch(base) and ind.clean_lead(prefix) == base:
        # "升级建设12355青少年服务台，…，服务数量超75万人次": the tally of what an earlier clause builds
        base = object_of_previous_clause(ctx, e.start, e.unit, back=3) + base
    if not base:
        return prev_inds[-1:] if prev_inds else [ind.clean(previous_clause(ctx, e.start))]
    last_action = base[base.rfind("、") + 1:] if "、" in base and e.unit_class not in ("percent", "point") else ""
    if len(last_action) >= 4 and ACTION_START.match(last_action) and base.index("、") >= 6:
        # "加大…扶持力度、举办专场招聘会70场": the figure is the last action's; "实施…项目、完成投资1400亿元":
        # the investment of the projects before
        base = ind.measure_of_item(base[:base.rfind("、")], last_action) or last_action
    if e.unit == "倍" and "和" in base:
        return [x + "翻番" for x in ind.split_items(ind.clean(base), joins=True)]
    if e.unit_class == "percent" and "、" in base:
        shares = ind.split_items(base)
        if len(shares) > 1 and all(_RATE_END.search(x) for x in shares):
            return shares  # "孕产妇产后访视率、0—6岁儿童健康管理率达到90%以上": rates do not add up, one each
        share_of = _SHARE_TAIL.search(shares[-1]) if len(shares) > 1 and _RATE_END.search(shares[-1]) else None
        if share_of and share_of.start() >= 2 and not any(_RATE_END.search(x) for x in shares[:-1]):
            # "专项产业基金、新增能耗、新增工业用地支持民间投资项目比重不低于80%": each resource's share
            return [x + share_of.group(0) for x in shares[:-1]] + [shares[-1]]
    joined_pair = "、" not in base and "和" in base and bool(_GROWTH_HEAD.search(base)) \
        and len(ind.split_items(base, joins=True)) == 2 and all(len(x) >= 5 for x in ind.split_items(base, joins=True))
    if _kind(e, prefix, after) == "growth" and ("、" in base or joined_pair):
        # "城镇居民人均可支配收入和农村居民人均纯收入年均实际增长超过7%": each grows by as much
        items = ind.split_items(base, joins=joined_pair)
        if len(items) > 1:
            head = _GROWTH_HEAD.search(items[-1])
            if head:
                items[-1] = items[-1][:head.start()]
            suffix = head.group(0) if head else ("增长" if grows else "")
            return [ind.complete(x, sentence, upto) for x in ind.share_head([x + suffix for x in items])]
    return [ind.complete(base, sentence, upto)]


def _sub_item(whole: str, part: str) -> str:
    """The indicator of a "其中" part of `whole`: "市属国企新增投资" + "产业投资" -> 市属国企新增产业投资."""
    if len(whole) > 2 and whole[-2:] == part[-2:]:
        return whole[:-2] + part
    return whole + part


def _kind(e: NumberExpr, prefix: str, after: str = "") -> str:
    if e.unit_class == "index":
        return "growth"  # a price index target ("103左右") is a rate of change
    if e.unit_class == "point":
        return "relative" if ind.is_relative(prefix) else "growth"
    if e.unit_class == "percent":
        grows = _GROWTH.search(prefix) or _GROWS_AFTER_ANY.match(after)
        return "growth" if grows else "ratio"
    return "amount"


def _hedge(text: str, lo: int, pos: int) -> str | None:
    """The hedge governing `pos`: the last hedge word since the clause group began (；or sentence start)."""
    semi = max(text.rfind("；", lo, pos), text.rfind(";", lo, pos))
    start = semi + 1 if semi >= 0 else lo
    hedges = table("hedges.txt")
    found = None
    for m in _hedge_re().finditer(text, start, pos):
        if _HEDGE_VETO.match(text, m.start() - (1 if text[m.start() - 1:m.start()] == "新" else 0)):
            continue
        if _CLAUSE_LOCAL.match(text, m.start()) and CLAUSE_BREAK.search(text, m.end(), pos):
            continue  # "争创…示范区，新增航线80条": the hedge names its own goal, not the later target
        found = hedges[m.group(0)][0]
    return found


@cache
def _hedge_re() -> re.Pattern[str]:
    return _compiled("|".join(map(re.escape, words("hedges.txt"))))


@cache
def _duration_measure_re() -> re.Pattern[str]:
    return _compiled("|".join(map(re.escape, words("duration_indicators.txt"))))


@cache
def _word_number_cue() -> re.Pattern[str]:
    """Words one of which every fraction (一半, 分之, 三成, 1/3) or duration clause (年限, 寿命…) holds: one
    search rules out most sentences, where looking for each kind would take two."""
    fractions = ["一半", "分之", r"\d/\d"] + [f"{d}成" for d in "一二三四五六七八九"]
    return _compiled("|".join(fractions + [re.escape(w) for w in words("duration_indicators.txt")]))


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _target_year(ctx: Ctx, pos: int) -> tuple[int | None, str | None]:
    text = ctx.text
    years = [int(m.group(1)) for m in _YEAR_TARGET.finditer(text, ctx.start, pos)
             if m.group(2) in ("底", "末", "前") or (m.start() > ctx.start and text[m.start() - 1] in _TOWARDS)
             or m.start() == ctx.clause_start(m.start())]  # "2012年财政性教育经费支出…达到4%" in the 2011 report
    future = [y for y in years if ctx.year is None or y > ctx.year]
    if future:
        return future[-1], f"到{future[-1]}年"
    m = _PERIOD.search(ctx.chapter) if ctx.chapter else None
    if m is None:
        m = _PERIOD.search(text, ctx.start, ctx.end)
        m = m if m and _PERIOD_CUE.search(text, ctx.start, ctx.end) else None
    if m:
        end_year = _PERIOD_END[m.group(1)]
        if ctx.year is None or end_year >= ctx.year:
            return end_year, f"十{m.group(1)}五"
    stop = CLAUSE_BREAK.search(text, pos, ctx.end)
    h = _HORIZON.search(text, ctx.start, stop.start() if stop else ctx.end)  # "4万亿元的两年投资计划" too
    if h and ctx.year is not None:
        # a horizon without an end ("今后一个时期") keeps the report year; it is a period target all the same
        span = cn_to_float(next((g for g in h.groups() if g), "一")) or 1
        return ctx.year + int(span) - 1, h.group(0)
    return ctx.year, None


def _bound_of(e: NumberExpr, prefix: str) -> re.Match[str] | None:
    """A bound relative to a base before a share or a multiple ("不超过…的20%", "不低于…的1.6倍")."""
    return _BOUND_OF.search(prefix) if e.unit_class in ("percent", "multiple") else None


def _record(e: NumberExpr, indicator: str, prefix: str, ctx: Ctx) -> CommitmentRecord:
    kind = _kind(e, prefix, ctx.after(e.end))
    if kind == "ratio" and _GROWS_AT_END.search(indicator):
        kind = "growth"  # "经济增长预期目标定为7.5%左右": the indicator says it is a rate of change
    if e.unit_class == "percent" and kind != "growth" and _SHARE_OF.search(indicator):
        indicator += "比重"  # "…教育经费支出占国内生产总值的4%": the share is what is measured
    change = _CHANGE_BEFORE.search(prefix) if kind == "growth" and indicator else None
    if change and not _CHANGE_END.search(indicator):
        indicator += change.group(1)  # "企业退休人员基本养老金继续提高10%": the change is what is promised
    comparator = e.comparator
    if comparator == "exact":
        bound = _bound_of(e, prefix)
        if _CONTROL.search(prefix.rstrip()) or (bound and bound.group("cmp") not in ("不低于", "不少于")):
            comparator = "at_most"
        elif bound:
            comparator = "at_least"
        elif kind == "relative" and _ABOVE.search(prefix):
            comparator = "at_least"
    start = e.start
    least = _AT_LEAST_VERB.search(prefix)
    if least and comparator == "exact":
        comparator, start = "at_least", e.start - (len(prefix) - least.start())  # "至少降低30%"
    target_year, period = _target_year(ctx, e.start)
    if e.base_unit == "元" and _FUND_ONLY.fullmatch(indicator):
        indicator = fund_of(indicator, e, ctx)
    return CommitmentRecord(
        start=start, end=e.end, quote=ctx.text[start:e.end],
        sentence_start=ctx.start, sentence_end=ctx.end, indicator=indicator,
        value=e.value, unit=e.unit, norm_value=e.norm_value, base_unit=e.base_unit,
        comparator=comparator, hedge=_hedge(ctx.text, ctx.start, e.start), kind=kind,
        target_year=target_year, part=ctx.part, chapter=ctx.chapter, upper=e.upper, period=period,
        confidence=1.0 if indicator else 0.5,
    )
