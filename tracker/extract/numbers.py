"""The number grammar: find number expressions ("5.5万人以上", "6%-6.5%", "突破万亿", "两位数") in text.

One compiled regular expression finds every candidate in a single pass; a little Python reads the
value, the unit and the comparator. Units and comparator words come from the data files
(`units.txt`, `comparators.txt`). No word segmentation here: this runs on every sentence.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from tracker.extract.lexicon import table, words

# Multipliers a unit may start with ("万亩", "亿元"); score and storage both normalise through them.
_MULT = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}
# Units that start with 千 but are units of their own, not "thousand ×".
_KEEP_QIAN = ("千瓦", "千伏", "千米", "千克", "千瓦时", "千立方米")
_BASE_ALIAS = {"％": "%", "名": "人", "百分点": "个百分点"}
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
# An Arabic number as Python reads it: ASCII digits, no thousands separators, no zero-width characters.
_ARABIC = str.maketrans("０１２３４５６７８９．", "0123456789.", ",\u200b\u200c\u200d\u2060\ufeff")
# Zero-width characters and footnote markers ("[12]") may sit inside a number expression.
_FILL = r"(?:[\u200b\u200c\u200d\u2060\ufeff]|\[\d{1,3}\])*"
_ZW = r"[\u200b\u200c\u200d\u2060\ufeff]*"
_NOTE = re.compile(r"[（(].*?[）)]")
_AR = rf"[0-9０-９](?:{_ZW}[0-9０-９])*(?:,[0-9]{{3}})*(?:{_ZW}[.．]{_ZW}[0-9０-９](?:{_ZW}[0-9０-９])*)?"
_CN = r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*(?:点[零〇一二两三四五六七八九]+)?"
_MAG = r"万亿|千亿|百亿|十亿|亿|千万|百万|万|千"
_NOT_AFTER_AR = r"(?<![0-9０-９.．A-Za-z第+＋])"
_NOT_AFTER_CN = r"(?<![零〇一二两三四五六七八九十百千万亿第])"
# Bare magnitudes ("突破万亿") are targets only after a verb of reaching, and only before a boundary:
# "超百亿企业" names a group of firms.
_BARE_VERBS = ("迈上", "迈入", "跨越", "跃上", "达到", "实现", "站上", "迈过", "挺进", "跨上")
_MONEY_CONTEXT = re.compile(r"(?:收入|营收|产值|投资|余额|总量|增加值|规模|销售额|交易额|额|生产总值|GDP|税收|资金|融资|贷款|存款|经济)$")
_VERB_TAIL = re.compile(r"(?:突破|超过|超|达到|实现|迈上|跨越|跃上|站上)+$")
_CN_OK_CLASSES = frozenset({"percent", "point", "money", "measure", "multiple"})
# An index ("价格指数") is a number without a unit; it is read only with a comparator after it.
_INDEX_BEFORE = re.compile(r"指数(?:控制在|保持在|稳定在|为|在)?$")
# A Chinese-numeral count is a target when it closes its phrase right after a verb ("投运一个、开工一个");
# before a noun ("一个中心", "三项改革") it is rhetoric. 批/些 are vague ("开工一批"); 期, 分, 毛 with a
# Chinese numeral are a phase or a phrase ("一期工程", "丢一分、少一厘").
_CN_COUNT_END = "，、。；;,！"
_ONE_AT_A_TIME = re.compile(r"成熟(?:一[^。；]{0,8})?$")
_CN_VAGUE_UNITS = ("批", "些", "种", "片", "次", "期", "分", "毛", "分钱", "毛钱")


class NumberExpr(NamedTuple):
    """A number expression: offsets of the whole expression, its value, unit and comparator.

    `unit` is as written ("万亩", "套（间）"); `norm_value`/`base_unit` are the value in base units
    (27.2 万亩 -> 272000 亩). `upper` is the upper bound of a range. `num_start` is where the
    number itself begins (after a leading comparator word such as 不低于). A named tuple, not a
    frozen dataclass: every sentence is searched, and a tuple is several times cheaper to build.
    """

    start: int
    end: int
    value: float
    upper: float | None
    unit: str
    norm_value: float
    base_unit: str
    comparator: str  # at_least | at_most | about | exact | range
    num_start: int = -1
    pre: str = ""
    post: str = ""
    unit_class: str = ""
    chinese: bool = False


def normalise(value: float, unit: str) -> tuple[float, str]:
    """`value` in `unit` expressed in the base unit: (27.2, "万亩") -> (272000.0, "亩")."""
    multipliers, base = _scale(unit or "")
    v = float(value)
    for m in multipliers:
        v *= m
    return v, base


@lru_cache(maxsize=1024)
def _scale(unit: str) -> tuple[tuple[float, ...], str]:
    """The multipliers a unit opens with and its base unit: "万亩" -> ((1e4,), "亩"); few units, read once each."""
    u = _NOTE.sub("", unit).strip()
    u = _BASE_ALIAS.get(u, u)
    multipliers = []
    while u and u[0] in _MULT and not u.startswith(_KEEP_QIAN):
        multipliers.append(_MULT[u[0]])
        u = u[1:]
    return tuple(multipliers), _BASE_ALIAS.get(u, u)


def cn_to_float(s: str) -> float | None:
    """A Chinese numeral ("三千五百", "十二", "一点五", "两万") as a float, or None."""
    s = s.replace("〇", "零")
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = cn_to_float(whole) if whole else 0.0
        digits = "".join(str(_CN_DIGIT.get(c, "")) for c in frac)
        if w is None or len(digits) != len(frac):
            return None
        return w + float("0." + digits) if digits else w
    total = 0.0
    section = 0.0
    digit: float | None = None
    for c in s:
        if c in _CN_DIGIT:
            digit = float(_CN_DIGIT[c])
        elif c in _CN_SMALL:
            section += (digit if digit is not None else 1.0) * _CN_SMALL[c]
            digit = None
        elif c == "万":
            total += (section + (digit or 0.0)) * 1e4
            section, digit = 0.0, None
        elif c == "亿":
            total = (total + section + (digit or 0.0)) * 1e8
            section, digit = 0.0, None
        else:
            return None
    return total + section + (digit or 0.0)


def _alt(items: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in items)


class _Grammar(NamedTuple):
    """The number grammar, built once: the characters an expression can start with, the expression, and
    the unit and comparator word lists it reads.

    Python's regex engine tries a pattern at every position unless the pattern opens with a literal or
    a character class, which this one cannot; `find_numbers` jumps between the starting characters.
    """

    starts: re.Pattern[str]
    pattern: re.Pattern[str]
    units: dict[str, tuple[str, ...]]
    comps: dict[str, tuple[str, ...]]


@cache
def _grammar() -> _Grammar:
    """The number grammar (see _Grammar)."""
    comps = table("comparators.txt")
    pre = tuple(w for w in words("comparators.txt") if comps[w][1] == "pre")
    post = tuple(w for w in words("comparators.txt") if comps[w][1] == "post" and w not in ("多", "余"))
    unit = _alt(words("units.txt"))
    num = rf"(?:{_NOT_AFTER_AR}{_AR}|{_NOT_AFTER_CN}{_CN})"
    f = _FILL
    first = "".join(sorted({w[0] for w in pre} | set("0123456789０１２３４５６７８９一二两三四五六七八九十百千万翻")))
    starts = re.compile(rf"[{re.escape(first)}\u200b\u200c\u200d\u2060\ufeff\[]")
    pattern = re.compile(
        rf"(?P<pre>{_alt(pre)})?{f}"
        r"(?:"
        r"(?P<tw>两位数)"
        r"|(?P<fan>翻(?:一|两|二|三)?番)"
        rf"|(?P<bare>万亿|千亿|百亿)(?P<bunit>元)?(?=大关|台阶|规模|元|[，。；、,;）)]|$)"
        rf"|百分之(?P<pn>{_CN}|{_AR})"
        # a range needs a separator before the phrase ends: checking that first spares reading most numbers twice
        rf"|(?=[^，。；\-—–～~至到－]*+[-—–～~至到－])(?P<n1>{num}){f}(?P<m1>{_MAG})?(?P<u1>{unit})?{f}(?P<sep>[-—–～~至－]|(?<=\d)到){f}(?P<n2>{num})"
        rf"|(?P<n>{num})"
        r")"
        rf"(?(bare)|{f}(?P<many>多|余)?(?P<mag>{_MAG})?(?P<unit>{unit})?(?![A-Za-z]))"
        rf"(?:{f} ?{f}(?P<post>{_alt(post)}))?"  # converted texts put a space before 以上 ("70% 以上")
    )
    return _Grammar(starts, pattern, table("units.txt"), comps)


def _num(s: str) -> float | None:
    if s[0].isdigit():
        try:
            # most numbers are plain ASCII ("5.5"), which float reads as they are
            return float(s if s.isascii() and "," not in s else s.translate(_ARABIC))
        except ValueError:
            return None
    return cn_to_float(s)


def _cn_count_target(text: str, m: re.Match[str], unit: str, raw: str) -> bool:
    """Whether a small Chinese-numeral count ends its phrase after a verb ("开工一个、"), so it is a target."""
    if not unit or unit in _CN_VAGUE_UNITS or m.group("post") or m.group("n2") or m.group("many"):
        return False
    if len(raw) > 2 or m.end() >= len(text) or text[m.end()] not in _CN_COUNT_END:
        return False
    # the verb has two characters at least: "说一件、干一件" (one thing at a time) is a manner of working
    before = text[m.start() - 2:m.start()] if m.start() >= 2 else ""
    if _ONE_AT_A_TIME.search(text, max(0, m.start() - 12), m.start()):
        return False  # "成熟一个、推出一个": one at a time, not a count
    return len(before) == 2 and all("\u4e00" <= c <= "\u9fff" for c in before) and before[1] not in "的第每这那各其届"


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[NumberExpr]:
    """Every number expression with a unit (or a bare magnitude, 两位数, 翻番) in text[start:end]."""
    end = len(text) if end is None else end
    grammar = _grammar()
    out: list[NumberExpr] = []
    pos = start  # where the next expression may start: expressions do not overlap
    for c in grammar.starts.finditer(text, start, end):
        i = c.start()
        if i < pos:
            continue
        m = grammar.pattern.match(text, i, end)
        if m is None:
            continue
        pos = m.end()
        expr = _read(m, text, grammar)
        if expr is not None:
            out.append(expr)
    return out


def _read(m: re.Match[str], text: str, grammar: _Grammar) -> NumberExpr | None:
    if m.lastgroup == "n":
        return None  # a number and nothing after it ("2024", "进一步"), the commonest candidate: not a quantity
    # every group at once: one call, where reading them one by one cost a fifth of this function
    pre, post, tw, fan, bare, pn, n1, n, n2, m1, u1, mag_group, unit_group, many = m.group(
        "pre", "post", "tw", "fan", "bare", "pn", "n1", "n", "n2", "m1", "u1", "mag", "unit", "many")
    pre, post = pre or "", post or ""
    num_start = m.end("pre") if pre else m.start()
    upper: float | None = None
    chinese = False
    comparator = "exact"
    if tw:
        value, unit, unit_class = 10.0, "%", "percent"
        comparator = "at_least"
    elif fan:
        value = {"翻番": 2.0, "翻一番": 2.0, "翻两番": 4.0, "翻二番": 4.0, "翻三番": 8.0}[fan]
        unit, unit_class = "倍", "multiple"
    elif bare:
        before = text[max(0, m.start() - 12):m.start()]
        if not pre and not before.endswith(_BARE_VERBS):
            return None
        money = bool(m.group("bunit")) or bool(_MONEY_CONTEXT.search(_VERB_TAIL.sub("", before)))
        value, unit, unit_class = 1.0, bare + ("元" if money else ""), "money" if money else "magnitude"
        # a bare magnitude is reached or passed: "突破万亿"
        comparator = "at_least"
    elif pn is not None:
        v = _num(pn)
        if v is None:
            return None
        value, unit, unit_class = v, "%", "percent"
        chinese = not pn[0].isdigit()
    else:
        raw = n1 or n
        chinese = not raw[0].isdigit()
        mag = mag_group or m1 or ""
        unit_word = unit_group or u1 or ""
        if not unit_word and mag not in ("万", "亿", "万亿"):
            if not (post and _INDEX_BEFORE.search(text, max(0, num_start - 12), num_start)) or mag or n2:
                return None  # a bare count ("2024", "4+4+4"): not a quantity
            unit_class = "index"  # "居民消费价格指数控制在103左右": an index has no unit
        else:
            unit_class = grammar.units[unit_word][0] if unit_word else "magnitude"
        if chinese and unit_class not in _CN_OK_CLASSES and not (mag or "万" in raw or "亿" in raw) \
                and not (unit_class == "count" and _cn_count_target(text, m, unit_word, raw)):
            return None  # "一个", "三项": rhetoric, not a target
        if raw == "一" and unit_class == "measure" and not post:
            return None  # "节约一张纸、一度电", "一度": a phrase, not a quantity
        v = _num(raw)  # read only now: most candidates are rejected above
        if v is None:
            return None
        value = v
        if n2:
            u2 = _num(n2)
            if u2 is None or u2 < v:
                return None
            upper = u2
            comparator = "range"
        unit = (m1 or mag) + unit_word if n2 else mag + unit_word
        if many:
            comparator = "at_least"
    if comparator != "range":
        if post:
            comparator = grammar.comps[post][0]
        elif pre and comparator == "exact":
            comparator = grammar.comps[pre][0]
    norm_value, base_unit = normalise(value, unit)
    # in field order, without keywords: a named tuple is built three times faster so
    return NumberExpr(m.start(), m.end(), value, upper, unit, norm_value, base_unit, comparator, num_start,
                      pre, post, unit_class, chinese)
