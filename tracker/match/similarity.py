"""Indicator similarity: synonyms folded, filler dropped, then jieba words and character pairs compared.

Scores are in [0, 1]. Two indicators that name different members of an exclusive group
("登记失业率" vs "调查失业率", "二氧化硫" vs "氮氧化物") score 0: a wrong link is worse than none.
jieba is imported on first use only (it takes about a second and ~100 MB to load).
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.resources import files
from threading import Lock
from typing import Any

from tracker.match.wordlists import exclusive_groups, rows, synonyms, words

# Brackets, punctuation and digits carry no meaning for what is measured.
_NOISE = re.compile(r"[（(][^）)]*[）)]|[\s\u200b“”\"'‘’、，,。；;：:·\-—]|(?:19|20)\d{2}年?"
                    r"|比(?:上年|去年|改革前|[^，。]{0,4}?前)|同比")


@cache
def _synonym_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    pairs = dict(synonyms())
    for canonical in set(pairs.values()):
        pairs.setdefault(canonical, canonical)
    keys = sorted(pairs, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys)), pairs


def _any_of(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern found in a text exactly when one of the words is: one scan instead of a test per word.

    It only says whether there is one; which ones (they may overlap) is for `in` to tell.
    """
    return re.compile("|".join(re.escape(w) for w in words))


# Canonical verbs: an indicator made only of these says how, not what.
_VERBS = frozenset({"增长", "降低", "涨幅", "新建", "新建改建", "开工", "完成", "实现", "安排", "达到", "再"})


@cache
def canonical(indicator: str) -> str:
    """The indicator with synonyms folded to one word and bracketed asides, digits and punctuation dropped.

    NFKC first: reports mix Roman-numeral and Latin letters ("Ⅰ—Ⅲ类" / "I—Ⅲ类") and full-width forms.
    """
    text = _NOISE.sub("", unicodedata.normalize("NFKC", indicator))
    pattern, pairs = _synonym_pattern()
    return pattern.sub(lambda m: pairs[m.group(0)], text)


@cache
def aggregate_rows() -> tuple[tuple[str, ...], ...]:
    """Aggregates and their parts (aggregates.txt)."""
    return rows("aggregates.txt")


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(words("stopwords.txt"))


@cache
def _long_stopwords() -> tuple[tuple[str, ...], re.Pattern[str]]:
    """The stopwords `bigrams` removes (those of two characters or more), and a pattern finding any of them.

    Longest first, in a fixed order: overlapping ones ("去年" and "年底" in "去年底") must be removed the
    same way in every run, whatever the order of the set they come from.
    """
    long = tuple(sorted((w for w in _stopwords() if len(w) > 1), key=lambda w: (-len(w), w)))
    return long, _any_of(long)


_JIEBA_LOCK = Lock()
_TOKENIZER: list[Any] = []


def _jieba() -> Any:
    """A jieba tokenizer on a compact dictionary: the words of jieba's own dict.txt with frequency >= 100.

    Indicator phrases are short and made of common words; the compact dictionary segments them
    the same way and loads in 0.1 s instead of about a second (`awk '$2>=100' dict.txt`). A batch
    loads it in a thread while the main thread may already need it, hence the lock.
    """
    if not _TOKENIZER:
        with _JIEBA_LOCK:
            if not _TOKENIZER:
                jieba = _import_jieba()
                jieba.setLogLevel(60)
                tokenizer = jieba.Tokenizer(str(files("tracker.match") / "data" / "jieba_words.dict"))
                tokenizer.initialize()
                for row in synonyms():
                    tokenizer.add_word(row[1])
                _TOKENIZER.append(tokenizer)
    return _TOKENIZER[0]


def _import_jieba() -> Any:
    """jieba, imported without pkg_resources.

    jieba imports pkg_resources only to open its own data files and falls back to plain open()
    when it is missing; importing it costs 0.3 s, as much as the rest of an ingest's matching.
    """
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba  # lazily: only matching needs word boundaries
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    return jieba


def load_tokenizer() -> None:
    """Load the word segmenter and compile the synonym pattern now (about 0.3 s), e.g. while waiting on workers."""
    _jieba()
    _synonym_pattern()


@cache
def tokens(indicator: str) -> frozenset[str]:
    """The content words of an indicator (jieba words of its canonical form, filler dropped)."""
    text = canonical(indicator)
    stop = _stopwords()
    out: set[str] = set()
    for w in _jieba().lcut(text, HMM=False):
        if w.strip() and w not in stop:
            out.update(_split_generic(w))
    return frozenset(out)


def _split_generic(word: str) -> tuple[str, ...]:
    """A dictionary word made only of generic words ("财政投入") split into them, so it weighs as they do."""
    generic = _generic()
    if word in generic or len(word) < 3:
        return (word,)
    for i in range(2, len(word) - 1):
        head, tail = word[:i], word[i:]
        if head in generic and (tail in generic or _split_generic(tail) != (tail,)):
            return (head, *_split_generic(tail))
    return (word,)


@cache
def bigrams(indicator: str) -> frozenset[str]:
    """Character pairs of the canonical indicator with filler words removed."""
    text = canonical(indicator)
    stopwords, any_stopword = _long_stopwords()
    if any_stopword.search(text):
        for w in stopwords:
            text = text.replace(w, "")
    if len(text) == 1:
        return frozenset({text})
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


@cache
def _qualifier_words() -> tuple[frozenset[str], re.Pattern[str], tuple[frozenset[str], ...]]:
    """Every exclusive qualifier, a pattern finding any of them, and each group as a set."""
    groups = tuple(frozenset(group) for group in exclusive_groups())
    every = frozenset().union(*groups)
    return every, _any_of(every), groups


@cache
def qualifiers(indicator: str) -> dict[int, frozenset[str]]:
    """The exclusive groups (by index) the indicator names members of, with those members.

    A member inside a longer one it names is dropped ("城镇" of "城镇居民"). This runs for every new
    indicator and most name none: one scan tells, then the words present are found once, not group
    by group, and the groups not named are left out.
    """
    text = canonical(indicator)
    every, any_qualifier, groups = _qualifier_words()
    if not any_qualifier.search(text):
        return {}
    present = frozenset(w for w in every if w in text)
    named = {}
    for i, group in enumerate(groups):
        found = present & group
        if len(found) > 1:
            found = frozenset(w for w in found if not any(w != o and w in o for o in found))
        if found:
            named[i] = found
    return named


@cache
def _aggregate_words() -> re.Pattern[str]:
    """A pattern finding any aggregate or part (most indicators name none)."""
    return _any_of({w for row in aggregate_rows() for w in row})


_NO_AGGREGATE: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())


@cache
def _aggregate_marks(indicator: str) -> tuple[frozenset[int], frozenset[int]]:
    """Which aggregates (rows of aggregates.txt) the indicator names as a whole, and which by one of their parts."""
    text = canonical(indicator)
    if not _aggregate_words().search(text):
        return _NO_AGGREGATE
    wholes = frozenset(i for i, row in enumerate(aggregate_rows()) if row[0] in text)
    parts = frozenset(i for i, row in enumerate(aggregate_rows()) if any(p in text for p in row[1:]))
    return wholes, parts


def conflict(a: str, b: str) -> bool:
    """Whether the two indicators name different members of one exclusive group, or an aggregate and its part."""
    qa, qb = qualifiers(a), qualifiers(b)
    if qa and qb and any(i in qb and q.isdisjoint(qb[i]) for i, q in qa.items()):
        return True
    # an aggregate one side names whole ("减税降费") and the other only by a part ("减税")
    (wholes_a, parts_a), (wholes_b, parts_b) = _aggregate_marks(a), _aggregate_marks(b)
    return bool(wholes_a & (parts_b - wholes_b) or wholes_b & (parts_a - wholes_a))


@cache
def _generic() -> frozenset[str]:
    return frozenset(words("generic.txt"))


def _weight(word: str) -> float:
    """Generic words ("中央财政", "安排", "增长") count for a fifth of a content word."""
    return 0.2 if word in _generic() else 1.0


@cache
def _total_weight(words: frozenset[str]) -> float:
    """The summed weight of the words; fsum, so a set's iteration order cannot change the last bit."""
    return math.fsum(map(_weight, words))


def _covered(x: frozenset[str], y: frozenset[str]) -> float:
    """Weighted share of x's words found in y."""
    total = _total_weight(x)
    return math.fsum(map(_weight, x & y)) / total if total else 0.0


def _share(x: frozenset[str], y: frozenset[str]) -> float:
    return len(x & y) / len(x) if x else 0.0


@cache
def content(indicator: str) -> frozenset[str]:
    """The indicator's words that name a measure (not generic, not a verb)."""
    return frozenset(w for w in tokens(indicator) if w not in _generic() and w not in _VERBS)


@cache
def _chars(indicator: str) -> frozenset[str]:
    """The characters of the canonical indicator: every word of it (`tokens`) is made of them."""
    return frozenset(canonical(indicator))


@lru_cache(maxsize=200_000)
def similarity(a: str, b: str) -> float:
    """How surely indicator `a` (the target's) and `b` (the evidence's) name the same measure, in [0, 1].

    What the target names must be found in the evidence (weighted 0.7); what the evidence adds
    costs less (0.3): "进城落户" is settled by "农业转移人口在城镇落户". Generic words weigh little,
    an indicator of generic words only scores 0, and conflicting qualifiers score 0.
    """
    if not a or not b:
        return 0.0
    if canonical(a) == canonical(b):
        # never a conflict: qualifiers and aggregates are read from the canonical form; but a bare verb
        # ("安排", "新增") names no measure, the same on both sides or not
        return 1.0 if content(a) or len(canonical(a)) >= 4 else 0.0
    # The tests that score 0 come cheapest first. About half the pairs share no character, of which a
    # shared word or character pair would be made: both shares below would be 0.
    if _chars(a).isdisjoint(_chars(b)):
        return 0.0
    if conflict(a, b):
        return 0.0
    if not content(a) or not content(b):
        return 0.0  # "中央财政投入", "增长": no measure named
    ta, tb = tokens(a), tokens(b)
    ba, bb = bigrams(a), bigrams(b)
    words_score = 0.7 * _covered(ta, tb) + 0.3 * _covered(tb, ta)
    chars_score = 0.7 * _share(ba, bb) + 0.3 * _share(bb, ba)
    if _whole_for_part(a, b) or _siblings(a, b):
        return 0.0
    return round(0.7 * words_score + 0.3 * chars_score, 4)


# 地区 is a scope only where it opens the indicator ("地区生产总值"), not in "贫困地区…"
_SCOPE_HEAD = re.compile(r"(?:全省|全市|全国|全区|全县|全州|全社会|^地区|国内)(?P<head>[\u4e00-\u9fff]{2,8})")


@cache
def _scope_heads(indicator: str) -> tuple[str, ...]:
    """What follows each scope word of the canonical indicator ("全省生产总值" -> "生产总值")."""
    return tuple(m.group("head") for m in _SCOPE_HEAD.finditer(canonical(indicator)))


def _whole_for_part(a: str, b: str) -> bool:
    """Whether evidence `b` is the jurisdiction-wide total of a measure that target `a` qualifies.

    "全省生产总值增长" does not settle "海洋生产总值增长": the target names a sector of the total.
    """
    ca = canonical(a)
    for head in _scope_heads(b):
        i = ca.find(head)
        if i > 0 and not _SCOPE_HEAD.match(ca, max(0, i - 3)) and _content_before(ca[:i]):
            return True
    return False


_VERB_STEMS = ("新建", "建成", "建设", "新增", "完成", "实现", "开工", "新开工", "培育", "打造", "改造", "提升", "推进",
               "实施", "开展", "引进", "招引", "认定", "新认定", "累计", "全年", "年度")


@lru_cache(maxsize=100_000)
def _qualifier(prefix: str) -> str:
    """What stands before a shared head, with verbs, scope words and filler left out."""
    q = _SCOPE_WORDS.sub("", prefix)
    for w in _VERB_STEMS:
        q = q.replace(w, "")
    for w in _stopwords():
        q = q.replace(w, "")
    return q


_SCOPE_WORDS = re.compile(r"全省|全市|全国|全区|全县|全州|全社会|地区|国内|全年")


def _siblings(a: str, b: str) -> bool:
    """Two measures of one kind with different qualifiers: "文旅产业增加值增长" vs "高新技术产业增加值增长"."""
    ca, cb = canonical(a), canonical(b)
    n = 0
    while n < min(len(ca), len(cb)) and ca[-1 - n] == cb[-1 - n]:
        n += 1
    if n < 3 or n == len(ca) or n == len(cb):
        return False
    qa, qb = _qualifier(ca[:-n]), _qualifier(cb[:-n])
    if len(qa) < 2 or len(qb) < 2:
        return False
    # qualifiers worded differently ("城乡居民医保" / "居民基本医保人均") share most of their characters
    return len(set(qa) & set(qb)) < 0.5 * min(len(set(qa)), len(set(qb)))


@lru_cache(maxsize=100_000)
def _content_before(prefix: str) -> bool:
    """Whether a target's prefix holds a content word (a qualifier), not only verbs and generic words."""
    return bool(content(prefix))
