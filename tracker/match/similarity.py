"""Indicator similarity: synonyms folded, filler dropped, then jieba words and character pairs compared.

Scores are in [0, 1]. Two indicators that name different members of an exclusive group
("登记失业率" vs "调查失业率", "二氧化硫" vs "氮氧化物") score 0: a wrong link is worse than none.
jieba is imported on first use only (it takes about a second and ~100 MB to load).
"""

from __future__ import annotations

import re
import sys
import unicodedata
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
    for w in _stopwords():
        if len(w) > 1:
            text = text.replace(w, "")
    if len(text) == 1:
        return frozenset({text})
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


@cache
def qualifiers(indicator: str) -> tuple[frozenset[str], ...]:
    """For each exclusive group, the members the indicator names (a member inside a longer one is dropped)."""
    text = canonical(indicator)
    out = []
    for group in exclusive_groups():
        found = {w for w in group if w in text}
        found = {w for w in found if not any(w != o and w in o for o in found)}
        out.append(frozenset(found))
    return tuple(out)


@cache
def _aggregate_marks(indicator: str) -> tuple[frozenset[int], frozenset[int]]:
    """Which aggregates (rows of aggregates.txt) the indicator names as a whole, and which by one of their parts."""
    text = canonical(indicator)
    wholes = frozenset(i for i, row in enumerate(aggregate_rows()) if row[0] in text)
    parts = frozenset(i for i, row in enumerate(aggregate_rows()) if any(p in text for p in row[1:]))
    return wholes, parts


def _part_of_aggregate(a: str, b: str) -> bool:
    """Whether `a` names an aggregate ("减税降费") and `b` only one of its parts ("减税")."""
    wholes_b, parts_b = _aggregate_marks(b)
    return any(i in parts_b and i not in wholes_b for i in _aggregate_marks(a)[0])


@cache
def _named_qualifiers(indicator: str) -> dict[int, frozenset[str]]:
    """The exclusive groups the indicator names a member of, with those members."""
    return {i: q for i, q in enumerate(qualifiers(indicator)) if q}


def conflict(a: str, b: str) -> bool:
    """Whether the two indicators name different members of one exclusive group, or an aggregate and its part."""
    qa, qb = _named_qualifiers(a), _named_qualifiers(b)
    if any(i in qb and not (q & qb[i]) for i, q in qa.items()):
        return True
    return _part_of_aggregate(a, b) or _part_of_aggregate(b, a)


@cache
def _generic() -> frozenset[str]:
    return frozenset(words("generic.txt"))


def _weight(word: str) -> float:
    """Generic words ("中央财政", "安排", "增长") count for a fifth of a content word."""
    return 0.2 if word in _generic() else 1.0


@cache
def _total_weight(words: frozenset[str]) -> float:
    return sum(_weight(w) for w in words)


def _covered(x: frozenset[str], y: frozenset[str]) -> float:
    """Weighted share of x's words found in y."""
    total = _total_weight(x)
    return sum(_weight(w) for w in x & y) / total if total else 0.0


def _share(x: frozenset[str], y: frozenset[str]) -> float:
    return len(x & y) / len(x) if x else 0.0


@cache
def content(indicator: str) -> frozenset[str]:
    """The indicator's words that name a measure (not generic, not a verb)."""
    return frozenset(w for w in tokens(indicator) if w not in _generic() and w not in _VERBS)


@lru_cache(maxsize=200_000)
def similarity(a: str, b: str) -> float:
    """How surely indicator `a` (the target's) and `b` (the evidence's) name the same measure, in [0, 1].

    What the target names must be found in the evidence (weighted 0.7); what the evidence adds
    costs less (0.3): "进城落户" is settled by "农业转移人口在城镇落户". Generic words weigh little,
    an indicator of generic words only scores 0, and conflicting qualifiers score 0.
    """
    if not a or not b or conflict(a, b):
        return 0.0
    if canonical(a) == canonical(b):
        return 1.0
    if not content(a) or not content(b):
        return 0.0  # "中央财政投入", "增长": no measure named
    ta, tb = tokens(a), tokens(b)
    ba, bb = bigrams(a), bigrams(b)
    words_score = 0.7 * _covered(ta, tb) + 0.3 * _covered(tb, ta)
    chars_score = 0.7 * _share(ba, bb) + 0.3 * _share(bb, ba)
    if _whole_for_part(a, b) or _siblings(a, b):
        return 0.0
    return round(0.7 * words_score + 0.3 * chars_score, 4)


_SCOPE_HEAD = re.compile(r"(?:全省|全市|全国|全区|全县|全州|全社会|地区|国内)(?P<head>[\u4e00-\u9fff]{2,8})")


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
