"""Indicator phrases: what a number measures, in the report's own words, completed from context.

Rules, not word segmentation: the indicator is the clause text before the number ("城镇登记失业率
控制在4.2%以内"), or the noun phrase after it when the number comes first ("推动50个以上重点项目
竣工投产"), stripped of hedges and verbs of reaching; a bare head ("营收", "产值") takes the industry
the sentence is about ("白酒产业集群…力争实现营收1650亿元" -> 白酒产业营收).
"""

from __future__ import annotations

import re
from functools import cache

from tracker.extract.lexicon import table, words

# Lead words that say how firmly or when, not what: stripped from the front of an indicator.
_LEAD = re.compile(
    r"^(?:[、及并与且把的]|和(?!美)|(?:到|至|在)?\d{4}年(?:底|末)?|其中|同时|力争|确保|努力|力求|争取(?=实现|达到|完成|突破|全年|新增)|全年|今年|年内|当年|"
    r"实现|完成|达到|累计完成|继续|持续|进一步|稳步|再|将|要|拟|保持|提出|(?:今后|未来)(?:[两二三四五]年|一个时期|一段时期)|"
    # verbs and adverbs of manner that govern the measured clause, not part of it ("推动12万亩高标准农田建设",
    # "全面实施38个…项目", "做到…响应率100%"); 推进/开展/实施 stay: reports name projects with them
    r"加快推进|加快|推动|促进|做到|全面|至少|大力|着力|全力|深入|扎实|积极|在$)"
)
# Verbs of reaching and comparisons that sit between the indicator and the number: stripped from the end.
_TAIL = re.compile(
    r"(?:(?:动态)?(?:保持在|稳定在|控制在|保持|稳定|维持在|达到|达|为|在|突破|超过|超|提高到|提高至|提升到|提升至|"
    r"增加到|增加至|增至|提高|提升|降至|下降到|降低到|降到|控制|分别达到|分别为|分别|力争|确保|实现|完成|到|至|"
    r"拟按|按照|按|拟|继续|持续|进一步|将|共|合计|总计|"
    # a restated target: "经济增长预期目标定为7.5%左右", "M2预期增长目标拟定为13%左右"
    r"(?:预期)?目标(?:拟)?(?:定为|定在|确定为|设定为)?|(?:拟)?(?:定为|定在|确定为)|的)"
    r"|(?:高于|快于|低于|好于|超过|领先)(?:全国|全省|全市|全区|全州|全县)?(?:平均水平|平均|同期)?"
    r"|(?:高于|快于|好于|领先)[\u4e00-\u9fff]{2,6})$"
)
_RELATIVE = re.compile(r"(?:高于|快于|低于|好于|领先)(?:全国|全省|全市|全区|全州|全县)")
# A comparison with any named group right before the number: "增速高于城镇居民1个百分点".
_RELATIVE_TAIL = re.compile(r"(?:高于|快于|低于|好于|领先)[\u4e00-\u9fff]{2,8}$")
_BASELINE = re.compile(r"(?:比|较)(?:上年|去年|\d{4}年)(?:同期)?|[（(]\d{1,3}[)）]|\[\d{1,3}\]|(?:从|由)[^，；]*?(?=(?:提高|提升|增加|下降|降低|减少|增长|扩大|缩小)?(?:到|至)$)")
# A circumstance inside the phrase: "…目标是在明显提高质量和效益的基础上年均增长"
_CIRCUMSTANCE = re.compile(r"(?:是)?在[^，；。在]{2,20}?(?:的)?(?:基础上|前提下|情况下|过程中)")
_FOR_WHOM = re.compile(r"为[^，；。、]{1,8}(?:提供|开展|新增|建设|培训|安排)")
_QUOTED = re.compile(r"“[^”]*”")
_QUOTES = str.maketrans("", "", "“”\"")
# After the number: words that belong to the comparison, not to the indicator.
_AFTER_NOISE = re.compile(r"^(?:大关|台阶|的目标|目标|以上|左右)+")
_LEADING_NOTE = re.compile(r"^[（(][^）)]*[）)]")
_AFTER_TAIL = re.compile(r"(?:创建目标|目标任务|的目标|目标|任务|安排)$")
# Function words between an indicator and its verb ("排放量要下降", "M2预期增长", "拟按3%安排"): not part
# of what is measured. 均 only where it means "both" ("均为", not 年均/人均).
_FUNCTION = re.compile(
    # each lookbehind follows its word, so that every alternative opens with a literal the engine can skip to
    r"(?:拟|预期|至少|年内|要(?<![主重需必纲概]要)|均(?<![年人平户]均))"
    r"(?=增长|下降|降低|提高|提升|减少|增加|压减|压缩|缩短|削减|达到|为|保持|控制|安排)"
)
_WHITESPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
# Heads a list of short items may share, written once on the last item ("化学需氧量、氨氮排放量",
# "广义货币M2和社会融资规模余额增长"): longest first.
_SHARED_VERB = re.compile(r"(?:增长|增速|涨幅|增幅|下降|降低|减少|提高)$")
_SHARED_NOUN = re.compile(r"(?:排放总量|排放量|排放强度|(?:领域)?投资额|项目投资|投资|(?:人均)?(?:财政)?补助标准|补贴标准|保障标准|参保率|覆盖率"
                          r"|(?:产业)?(?:规模|营业收入|营收|总产值|产值|增加值)|年?(?:总产量|产量|出栏量|存栏量))$")
_CLASS_COUNT = re.compile(r"[0-9０-９一二三四五六七八九十]+[类批种大]$")
_NEW_CLAUSE = re.compile(r"^(?:并且|并|且|同时|以及|和|及|是)")
_NEXT_COUNT = re.compile(r"(?:和|及|以及|与|、)(?=[0-9０-９])")
_AFTER_JOIN = re.compile(r"(?<=[\u4e00-\u9fff”]{4})(?:和|及|以及|并)")
# A sentence-opening topic ("能源化工产业，…") or an industry named in the sentence ("白酒产业集群").
_TOPIC_OPEN = re.compile(r"^([\u4e00-\u9fff]{2,12}?)(?:产业|行业|制造业)[，：:]")
_TOPIC_IN = re.compile(r"([\u4e00-\u9fff]{2,4})(?:产业集群|产业(?!链|园|基地|研究院|发展|体系|生态|项目|化))")
_NEW_VERB = re.compile(r"^新(?:[（(][\u4e00-\u9fff][）)])?[\u4e00-\u9fff]{0,2}?(?:建|增|培育|引进|创建|开工|改建|认定|建成)")
_MAX_LEN = 30
# What an item measures of its subject ("粮食|播种面积"): a later bare measure replaces it.
_MEASURE_HEAD = re.compile(r"年?(?:播种面积|种植面积|面积|总产量|产量|总产值|产值|营业收入|营收|增加值|总量|税收|利润总额|利润|利税)$")
_GROWTH_HEAD = re.compile(r"增长|增速|增幅|涨幅|降幅|下降")
# A scope that opens the clause ("在医疗、教育等领域推出5个以上开放场景").
_SCOPE_OPEN = re.compile(r"^在[^，；。]{2,30}?等(?:领域|方面|行业)")
_SCOPE = re.compile(r"^在[^，；。]{2,30}等(?:领域|方面|行业)[\u4e00-\u9fff]{1,4}$")
_WHEN = re.compile(r"^(?:全年|今年|年内)")
_ITEM_SEP = re.compile("、")
# 等 meaning "and so on" ("A、B等项目"), not inside 等级, 等同, 等额…
ETC = re.compile(r"等(?![级同待额量值比效候])")
_ITEM_OR_JOIN_SEP = re.compile("、|和|及(?!以上|以下|其)")  # "县级及以上" is one word


@cache
def _generic() -> dict[str, str]:
    return {k: (v[0] if v else "") for k, v in table("generic_indicators.txt").items()}


@cache
def action_verbs() -> tuple[str, ...]:
    """Verbs a list item may consist of on its own ("开工", "出让"), longest first."""
    return words("action_verbs.txt")


def join_item(prev: str, item: str) -> str:
    """A short list item completed from the item before it.

    "大科学装置投运" + "开工" -> 大科学装置开工 (a verb replaces a verb); "保障性租赁住房" + "配租" ->
    保障性租赁住房配租 (a verb acts on the noun); "增加值" + "增长" -> 增加值增长; "粮食播种面积" + "产量" ->
    粮食产量 (a measure replaces the measure of the same thing).
    """
    if _GROWTH_HEAD.fullmatch(item):
        return prev + item
    verb = next((v for v in action_verbs() if prev.endswith(v) and len(prev) > len(v)), None)
    if verb:
        return prev[:-len(verb)] + item
    if item in action_verbs():
        return prev + item
    head = _MEASURE_HEAD.search(prev)
    if head and head.start() >= 2:
        return prev[:head.start()] + item  # "粮食播种面积" + "产量" -> 粮食产量: a measure replaces the measure
    return prev[:-len(item)] + item


# A measure of a group of projects that names no projects ("年度投资", "完成投资"): it measures the projects
# the previous item counts ("安排重大项目1000个、完成年度投资1万亿元").
_BARE_INVESTMENT = re.compile(r"(?:完成)?(?:年度)?(?:计划)?总?投资(?:额)?")
_PROJECTS = re.compile(r"[^，；。]*?项目")


def measure_of_item(prev: str, item: str) -> str | None:
    """A bare measure completed with the subject of the list item before it, or None when it is not bare.

    "粮食播种面积" + "总产量" -> 粮食总产量; "安排首批“千项万亿”重大项目" + "年度投资" ->
    首批“千项万亿”重大项目年度投资.
    """
    if _BARE_INVESTMENT.fullmatch(item):
        m = _PROJECTS.match(prev)
        if not m:
            return None
        subject = m.group(0)
        verb = opening_verb(subject) or next((v for v in ("安排", "实施", "推进", "谋划", "储备", "签约", "招引")
                                               if subject.startswith(v) and len(subject) > len(v) + 1), "")
        return subject[len(verb):] + item
    if _MEASURE_HEAD.fullmatch(item):
        head = _MEASURE_HEAD.search(prev)
        if head and head.start() >= 2:
            return prev[:head.start()] + item
    return None


def is_bare_measure(phrase: str) -> bool:
    """Whether a phrase is only a measure with no subject ("产值", "年产量")."""
    return bool(_MEASURE_HEAD.fullmatch(phrase))


def is_relative(prefix: str) -> bool:
    """Whether the text before a number compares with another jurisdiction ("高于全省")."""
    return bool(_RELATIVE.search(prefix[-12:]) or _RELATIVE_TAIL.search(prefix))


def clean(phrase: str) -> str:
    """An indicator phrase without leading hedges or trailing verbs of reaching."""
    s = _WHITESPACE.sub("", phrase).strip(" \t\u3000\u200b，,；;：:、。")
    s = _CIRCUMSTANCE.sub("", _BASELINE.sub("", s))
    s = _FUNCTION.sub("", _FUNCTION.sub("", s))
    for _ in range(4):
        t = _LEAD.sub("", s)
        t = _TAIL.sub("", t)
        if t == s:
            break
        s = t
    etc = _last_etc(s[:-1])
    if etc >= 0 and not _keeps_deng(s, etc):
        s = drop_examples(s, etc)
    # each item of a list is capped, not the list: "确保国省考核断面…比例、县级及以上…比例均保持100%"; a long
    # item loses its quoted names first ("开展“岗位需求+技能培训+…”职业技能培训")
    return "、".join(_cap(x) for x in s.split("、"))


def _cap(item: str) -> str:
    """A list item of at most _MAX_LEN characters, its end kept (where the measure is named)."""
    if len(item) > _MAX_LEN:
        item = _QUOTED.sub("", item) or item
    return item[-_MAX_LEN:]


def drop_examples(s: str, etc: int) -> str:
    """`s` without the examples that end with 等 at `etc`, what governs them kept.

    A list of examples starts as long before its first 、 as its second item is, items of a list
    being about as long as each other: "为孤独症儿童免费提供个体康复、社会融入等针对性服务" ->
    为孤独症儿童免费提供针对性服务. A single example leaves only the verbs before it:
    "开工建设S210游仙段等普通国省干线" -> 开工建设普通国省干线.
    """
    first = s.find("、", 0, etc)
    if first < 0:
        return _verbs_of(s[:etc]) + s[etc + 1:]
    second_end = s.find("、", first + 1, etc)
    second = (second_end if second_end >= 0 else etc) - first - 1
    return s[:max(0, first - second)] + s[etc + 1:]


def _verbs_of(s: str) -> str:
    """The governing verbs that open a phrase ("开工建设" of "开工建设S210游仙段"), or ""."""
    out = ""
    while verb := opening_verb(s[len(out):]):
        out += verb
    return out


def _last_etc(s: str) -> int:
    """Where the last 等 meaning "and so on" is in `s`, or -1."""
    found = [m.start() for m in ETC.finditer(s)]
    return found[-1] if found else -1


def _keeps_deng(s: str, i: int) -> bool:
    """Whether "X等Y" (等 at `i`) names what is counted as a whole: Y is a bare head ("整修等项目") or X is a
    kind of Y ("市民公园等城市公园"); otherwise X is a list of examples and Y alone is the indicator."""
    head, rest = s[:i], s[i + 1:]
    if _SCOPE_OPEN.match(s):
        return True  # "在交通、文旅等领域推出应用场景": the scope belongs to what is counted
    if "、" in head or "“" in head:
        return False
    return len(rest) <= 2 or (len(head) >= 2 and head[-2:] == rest[-2:])


def clean_lead(phrase: str) -> str:
    """A phrase without punctuation around it and without leading hedges (its trailing verbs kept)."""
    s = phrase.strip(" \t\u3000\u200b，,；;：:、。")
    for _ in range(3):
        s = _LEAD.sub("", s)
    return s


def is_verb_item(phrase: str) -> bool:
    """Whether a short list item is only verbs ("改造提升"): cleaning strips a verb and leaves <= 2 characters."""
    raw = clean_lead(phrase)
    return len(raw) <= 4 and len(clean(phrase)) <= 2 and clean(phrase) != raw


def after_phrase(text: str) -> str:
    """The noun phrase after a number that precedes what it counts ("个以上重点项目竣工投产" minus the unit)."""
    # "180座（含“渡改桥”工程）": a note, not what is counted; "8%左右的国内生产总值增长目标": 的 links
    s = _LEADING_NOTE.sub("", _AFTER_NOISE.sub("", text)).removeprefix("的")
    if _NEW_CLAUSE.match(s) or ETC.match(s):
        # "保持在97.0%以上并提升达优率": what follows is another clause, not what is counted;
        # "…平板玻璃3500万标准箱等落后产能": it sums up a list
        return ""
    etc = ETC.search(s)
    while etc and "、" in s[:etc.start()] and not _keeps_deng(s, etc.start()):
        s = drop_examples(s, etc.start())  # "超8000名孤独症儿童免费提供个体康复、社会融入等针对性服务"
        etc = ETC.search(s)
    nxt = _NEXT_COUNT.search(s)
    if nxt:
        s = s[:nxt.start()]  # "队伍及400个站点": the next item of a list of counts
    m = _AFTER_JOIN.search(s)
    if m and m.start() >= 6:
        s = s[:m.start()]
    return _AFTER_TAIL.sub("", s).strip(" \t\u3000\u200b")


def lead_verb(prefix: str) -> str:
    """The short verb before a number that counts what follows it ("打造10个…" -> 打造)."""
    s = prefix.strip(" \t\u3000\u200b，,；;：:、。")
    for _ in range(3):
        s = _LEAD.sub("", s)
    if _SCOPE.match(s):
        return s  # "在医疗、教育等领域推出": the scope belongs to what is counted
    if s.endswith("”") and "“" in s and 1 <= s.index("“") <= 4:
        return s[:s.index("“")]  # "新打造“A”“B”3项应用": the verb before the quoted names
    etc = _last_etc(s)
    if etc >= 0:
        if not s[etc + 1:]:
            return _verbs_of(s[:etc])  # "新开工建设19号线等5条地铁": the verbs before the examples
        s = s[etc + 1:]
    s = _CLASS_COUNT.sub("", s)  # "安排12类45件民生实事": the classes are not the verb
    if len(s) <= 4 or _FOR_WHOM.fullmatch(s):
        return s  # "为退役军人提供5万个就业岗位": for whom belongs to what is counted
    # "提档升级汉正街、楚河汉街、远洋里商业街3个特色街区": the verbs before the named items
    return _verbs_of(s) if "、" in s else s[-2:]


@cache
def _lead_verbs() -> tuple[str, ...]:
    return words("lead_verbs.txt")


def opening_verb(indicator: str) -> str:
    """The verb that opens an indicator and governs a list ("新建", "培育", "争创"), or ""."""
    v = new_verb(indicator)
    if v:
        return v
    return next((w for w in _lead_verbs() if indicator.startswith(w) and len(indicator) > len(w) + 1), "")


def new_verb(indicator: str) -> str:
    """The "new" verb that opens an indicator ("新建", "新增"), shared by the items of a list."""
    m = _NEW_VERB.match(indicator)
    return m.group(0) if m else ""


def topic(sentence: str, upto: int) -> str | None:
    """The industry a sentence is about, from its opening or the first industry it names before `upto`."""
    m = _TOPIC_OPEN.match(sentence)
    if m:
        return m.group(1)
    m = _TOPIC_IN.search(sentence, 0, upto)
    return m.group(1) if m else None


def complete(indicator: str, sentence: str, upto: int) -> str:
    """Prefix a bare head ("营收") with the sentence's topic ("白酒产业营收")."""
    core = _WHEN.sub("", indicator)
    joiner = _generic().get(core)
    if joiner is None:
        return indicator
    t = topic(sentence, upto)
    if not t or t in core:
        return indicator
    return t + (joiner if joiner and not t.endswith(joiner) else "") + core


def share_head(items: list[str]) -> list[str]:
    """Items completed with the head the last one carries: ["化学需氧量", "氨氮排放量下降"] ->
    ["化学需氧量排放量下降", "氨氮排放量下降"]; items already ending with the head are kept."""
    if len(items) < 2:
        return items
    last = items[-1]
    verb = _SHARED_VERB.search(last)
    noun = _SHARED_NOUN.search(last[:verb.start()] if verb else last)
    out = []
    for x in items[:-1]:
        if len(x) <= 3 < len(last) - len(x) and x[0] == last[0] and x != last[:len(x)]:
            out.append(x + last[len(x):])  # "第一、第二、第三产业增加值增长": the items are the last one's heads
            continue
        if noun and not _SHARED_NOUN.search(x) and (len(x) <= 6 or (len(x) <= 12 and noun.group(0).endswith("率"))):
            x += noun.group(0)  # a rate is each item's own: "基本养老保险、基本医疗保险参保率"
        if verb and not _SHARED_VERB.search(x):
            x += verb.group(0)
        out.append(x)
    return out + [last]


def split_items(phrase: str, joins: bool = False) -> list[str]:
    """The parallel items of "营业收入、利润总额、入库税金", each at least two characters, or [phrase].

    With `joins` ("A和B分别…", "A和B均为…") 和/及 separate items too.
    """
    sep = _ITEM_OR_JOIN_SEP if joins else _ITEM_SEP
    items = [x.strip() for x in sep.split(phrase.translate(_QUOTES))]
    if len(items) > 1 and all(len(x) >= 2 for x in items):
        return items
    return [phrase]
