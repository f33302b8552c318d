"""Which figures of a plan sentence are targets: not names and titles, not sizes that define what is
counted ("10亿元以上项目不少于10个": only 10个), not forecasts, past figures or facts of the present, not
counts that sum up a list the plan is about.
"""

from __future__ import annotations

import re

from tracker.extract import indicators as ind
from tracker.extract.context import FROM_TO, LIST_GAP, LIST_JOIN, PHRASE_END, Ctx
from tracker.extract.lexicon import words
from tracker.extract.numbers import NumberExpr

# Figures of forecasts, of the past and of the present: not targets.
_FORECAST = re.compile(r"预计|预测")
_PAST = re.compile(r"(?<![比较同与])(?:去年|(?<!础)上年(?!均)|过去一年|一年来)")  # not "基础上年均增长"
# The present state ("目前我国…教育经费支出总额已经超过2万亿元"): a fact, not a target.
_NOW = re.compile(r"目前|当前|现在|已经|我国有(?!望)")
# Before the number: "重大水利工程已开工的57个项目" (things that exist), "解决三个1亿人问题" (a slogan's count),
# "今年高校毕业生749万人" (the size of a cohort, not a target)
_NOT_A_TARGET_BEFORE = re.compile(r"已[\u4e00-\u9fff]{1,4}的$|[一二两三四五六七八九十\d]个$|今年(?:全国|全省|全市)?高校毕业生(?:人数)?(?:将|预计)?(?:达到|达|有|超过)?$")
# A change to a level ("提高到"): the numbers before it are starting points.
_CHANGE_TO = re.compile(r"(?:分别)?(?:提高|提升|增加|增长|上调|调整|降低|下降|减少|压减|扩大|缩小|缩短)?(?:到|至)")
# A count followed by the list of what it counts ("形成12件民生实事，分别是…") describes the plan.
_ENUM_AFTER = re.compile(r"[^，。；：:]{0,20}(?:[:：]|[，,](?:分别是|具体是|包括|即))")
# A size followed by what it sizes ("50亿元以上重大项目", "1万吨进口牛肉加工项目"): a threshold or a name.
_SIZED_THING = re.compile(r"^[\u4e00-\u9fff][^，；。]*?(?:项目|工程|生产线|基地|压机|机组|装备)")
# ...also across a list of such names up to the clause's end ("…、协鑫12万吨颗粒硅…等项目").
_SIZED_PROJECTS = re.compile(r"[^，；。：]*?(?:等)?(?:项目|工程|生产线)(?:达产|满产|投产|开工|建成|建设|竣工|落地)")
# A focus given by examples and their count ("聚焦A、B等6个重点方向"): the plan's scope, not a target.
_FOCUS_LIST = re.compile(r"(?:^|[^\u4e00-\u9fff])(?:聚焦|围绕|瞄准|立足|依托)[^，；。]*、[^，；。]*等$")
# A population ("8500万江苏人民"): the number describes a place's people.
_PEOPLE_OF_PLACE = re.compile(r"^[\u4e00-\u9fff]{0,6}?(?:人民|儿女|同胞)")
# A policy titled by its number of articles ("…帮扶十条措施", "…20条"), and the words that close such a title:
# numbers before it are part of the title.
_POLICY_HEADS = ("措施", "意见", "举措", "政策", "办法", "细则", "规定")
_TITLE_AFTER = re.compile(rf"[一二三四五六七八九十\d]+条(?:{'|'.join(_POLICY_HEADS)})?$")
# The programme of 民生实事 a count sizes ("办好34项重要民生实事").
_PLAN_LIST = re.compile(r"[^，；。]{0,9}?民生实事")
# A figure ending a list of figures ("钢铁2700万吨、水泥4200万吨、平板玻璃3500万标准箱等…").
_LIST_BEFORE = re.compile(r"[0-9０-９][^，。；、\d]{0,6}、[^，。；、\d]{1,10}$")
# A clause about a list it names ("围绕A、B、C4条廊道")
_FOCUS_OPEN = re.compile(r"围绕|聚焦|依托|立足|瞄准|沿|以|在|对|包括|涵盖|覆盖")
# One-character items ("国、省"); the size of a plan ("实施总额4万亿元的…计划"); units of people; any digit
_ONE_CHAR_ITEM = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]、")
_SIZE_OF = re.compile(r"(?:总额|总规模|规模|总投资)$")
_PEOPLE_UNITS = ("名", "人", "人次")
_DIGIT = re.compile(r"[0-9０-９一二两三四五六七八九十百千万亿]")


def is_target(e: NumberExpr, ctx: Ctx) -> bool:
    """Whether a number expression can be a target at all (not a name, forecast or past figure)."""
    text = ctx.text
    tail = text[e.end:e.end + 4]
    if tail.startswith(words("name_suffixes.txt")):
        return False
    after = ctx.after(e.end)
    sized = _SIZE_OF.search(text, max(ctx.start, e.start - 4), e.start)  # "实施总额4万亿元的两年投资计划"
    if (after.startswith("的") and e.unit_class != "percent" and not sized) or (ind.ETC.search(after.split("、")[0]) and not (
            after.startswith("等") and _LIST_BEFORE.search(text, ctx.clause_start(e.start), e.start))
            and not e.unit.endswith(_PEOPLE_UNITS)):
        # "10万元以下的村", "6万立方米…生产线等项目": the number describes a group or a name; but
        # "钢铁2700万吨、水泥4200万吨、平板玻璃3500万标准箱等落后产能" ends a list of targets, and
        # "引导超2万名高校毕业生等青年到…就业" counts the people of the group
        return False
    before = text[ctx.start:e.start]
    if before.count("“") > before.count("”") or before.count("《") > before.count("》"):
        return False  # inside a quoted name or a title
    clause = text[ctx.clause_start(e.start):e.start]
    # "赤字率从去年的2.1%提高到2.3%": last year is where the change starts, not when the figure is
    past = _PAST.search(clause) and not FROM_TO.search(clause)
    if _FORECAST.search(before) or past or _NOW.search(clause) \
            or _NOT_A_TARGET_BEFORE.search(text, max(ctx.start, e.start - 10), e.start):
        return False
    if e.unit_class == "time" and ("岁" in tail[:1] or (after and "\u4e00" <= after[0] <= "\u9fff" and after[0] not in "内以之左上")):
        return False  # ages; "24小时值守", "3个月专项行动", "5分钟救援圈": a time before a noun describes it
    if e.unit_class in ("money", "measure") and _SIZED_THING.match(after):
        return False
    if e.unit_class == "measure" and _SIZED_PROJECTS.match(text, e.end, ctx.end):
        return False  # "协鑫12万吨颗粒硅及24吉瓦切片电池片一期…等项目开工建设": the size of a named project
    if text[e.start - 1:e.start] == "前" and e.unit_class == "percent":
        return False  # "进入ESI排名前1%": a rank threshold that names the measure
    if e.unit == "条" and (text[e.start - 1:e.start] == "新" and not after or after.startswith(_POLICY_HEADS)):
        return False  # "鼓励引导民间投资新36条", "促进房地产市场平稳健康发展18条措施": a policy's name
    if e.unit_class == "count" and _FOCUS_LIST.search(clause):
        return False  # "聚焦未来交通、泛在网络等6个重点方向": the count sums up examples of the focus
    if _PEOPLE_OF_PLACE.match(after):
        return False  # "汇聚8500万江苏人民的奋进力量": a population, not a target
    if _TITLE_AFTER.search(after):
        return False  # "落实全省39个欠发达县域托底性帮扶十条措施": part of a policy's title
    if _PLAN_LIST.match(text, e.end, ctx.end):
        return False  # "办好34项重要民生实事": the size of the programme, whose items carry the targets
    return not (e.unit_class == "count" and (_ENUM_AFTER.match(text, e.end, ctx.end) or _sums_list(clause, e)))


def _sums_list(clause: str, e: NumberExpr) -> bool:
    """A count right after a list of as many items that the clause is about ("围绕A、B、C、D4条廊道") sums up
    the list."""
    items = clause.split("、")
    if "分别" in items[-1]:
        return False  # "早籼稻、中晚籼稻、粳稻每斤分别提高3分": one target per item
    if not _FOCUS_OPEN.match(ind.clean_lead(items[0])):
        return False  # "提档升级汉正街、楚河汉街、远洋里商业街3个特色街区": the count of what is to be done
    return len(items) >= 3 and e.value == len(items) and all(len(x) >= 2 and not _DIGIT.search(x) for x in items)


def defines_indicator(e: NumberExpr, later: list[NumberExpr], text: str, end: int) -> bool:
    """A number followed, in the same phrase, by another number defines the indicator ("10亿元以上项目不少于10个")."""
    if not later:
        return False
    last, rest = e, later
    while rest and rest[0].start > last.end and LIST_GAP.match(text[last.end:rest[0].start]):
        last, rest = rest[0], rest[1:]
    if last is not e:
        # "从每人每月209元、280元提高到217元、290元": a list of starting points
        return bool(rest) and bool(_CHANGE_TO.fullmatch(text[last.end:rest[0].start]))
    nxt = later[0]
    if nxt.start == e.end:
        return False
    between = text[e.end:nxt.start]
    if LIST_GAP.match(between) or LIST_JOIN.search(between):
        return False  # "5%和8%", "200个小区…和400个小区…": a list of targets
    # "14个国、省考核断面水质优良率100%": a 、 between one-character items does not end the phrase
    return not PHRASE_END.search(_ONE_CHAR_ITEM.sub("", between)) and not between.startswith(("以上", "左右"))
