"""Benchmark: linking 10,000 synthetic commitments to 10,000 outcomes spread over 300 jurisdictions.

Prints the indexed matching time (target < 2 s) and, in the same run, the naive all-pairs time.
The naive baseline is measured on a subset of the commitments and extrapolated linearly (it
compares every commitment with every outcome, so its time is proportional to the commitments).
jieba's one-off dictionary load is timed separately and excluded from both figures; the word
caches are cleared before each timed run so both start cold.
"""

from __future__ import annotations

import inspect
import random
import sys
import time
from types import SimpleNamespace

from tracker.config import MatchSettings, StatusSettings
from tracker.extract.numbers import normalise
from tracker.match import similarity
from tracker.match.link import link, naive_link

N_COMMITMENTS = 10_000
N_OUTCOMES = 10_000
N_JURISDICTIONS = 300
YEARS = (2022, 2023, 2024)
NAIVE_SUBSET = 500

# (commitment indicator, outcome wording, unit)
MEASURES = [
    ("地区生产总值增长", "地区生产总值增长", "%"), ("居民消费价格涨幅", "居民消费价格上涨", "%"),
    ("城镇新增就业", "城镇新增就业", "万人"), ("城镇调查失业率", "城镇调查失业率", "%"),
    ("单位地区生产总值能耗降低", "单位地区生产总值能耗下降", "%"), ("新建高标准农田", "新建成高标准农田", "万亩"),
    ("规上工业增加值增长", "规模以上工业增加值增长", "%"), ("固定资产投资增长", "固定资产投资增长", "%"),
    ("社会消费品零售总额增长", "社会消费品零售总额增长", "%"), ("一般公共预算收入增长", "一般公共预算收入增长", "%"),
    ("外贸进出口增长", "进出口总额增长", "%"), ("新建改建农村公路", "农村公路", "公里"),
    ("棚户区住房改造", "棚户区改造", "万套"), ("粮食产量", "粮食总产量", "万吨"),
    ("城镇居民人均可支配收入增长", "城镇居民人均可支配收入增长", "%"),
    ("农村居民人均可支配收入增长", "农村居民人均可支配收入增长", "%"),
    ("研发经费投入强度", "研发经费投入强度", "%"), ("新增城镇保障性住房", "新增保障性住房", "套"),
    ("造林", "完成造林", "万亩"), ("新增高速公路通车里程", "高速公路通车里程", "公里"),
]
PREFIXES = ("", "全市", "力争", "全年", "确保")


def records(rng: random.Random) -> tuple[list[SimpleNamespace], list[SimpleNamespace]]:
    """Synthetic commitments and outcomes with the attribute names of the real records."""
    commitments, outcomes = [], []
    for i in range(N_COMMITMENTS):
        name, _, unit = rng.choice(MEASURES)
        v = round(rng.uniform(1, 100), 1)
        nv, base = normalise(v, unit)
        commitments.append(SimpleNamespace(
            id=i, indicator=rng.choice(PREFIXES) + name + ("" if rng.random() < 0.8 else f"（{rng.randrange(99)}）"),
            value=v, unit=unit, norm_value=nv, base_unit=base, comparator=rng.choice(("at_least", "about", "exact")),
            upper=None, kind="amount", jurisdiction_id=rng.randrange(N_JURISDICTIONS), target_year=rng.choice(YEARS),
            period=None))
    for i in range(N_OUTCOMES):
        _, wording, unit = rng.choice(MEASURES)
        v = round(rng.uniform(1, 100), 1)
        nv, base = normalise(v, unit)
        outcomes.append(SimpleNamespace(
            id=i, indicator=wording, value=v, unit=unit, norm_value=nv, base_unit=base, bound="exact", kind="amount",
            jurisdiction_id=rng.randrange(N_JURISDICTIONS), period_year=rng.choice(YEARS), multi_year=False,
            document_id=i // 40, start=i))
    return commitments, outcomes


def clear_caches() -> None:
    """Empty the per-indicator and per-pair caches, so each timed run computes its similarities from scratch.

    Every cached function of the matching modules that takes arguments is cleared; the word lists
    (cached functions without arguments) stay loaded, as in a running tracker.
    """
    from tracker.match import link as link_module

    for module in (similarity, link_module):
        for fn in vars(module).values():
            if hasattr(fn, "cache_clear") and inspect.signature(fn).parameters:
                fn.cache_clear()


def main() -> None:
    """Run both measurements and print one line each."""
    rng = random.Random(2024)
    commitments, outcomes = records(rng)
    match, status = MatchSettings(), StatusSettings()
    t0 = time.perf_counter()
    similarity.tokens("地区生产总值增长")  # loads jieba once
    load = time.perf_counter() - t0
    clear_caches()
    t0 = time.perf_counter()
    findings = link(commitments, outcomes, match=match, status=status, reviewed=lambda j, y: True)
    indexed = time.perf_counter() - t0
    linked = sum(f.outcome is not None for f in findings)
    clear_caches()
    subset = commitments[:NAIVE_SUBSET]
    t0 = time.perf_counter()
    naive_link(subset, outcomes, match=match, status=status)
    naive = (time.perf_counter() - t0) * N_COMMITMENTS / NAIVE_SUBSET
    print(f"jieba dictionary load (once per process, excluded): {load:.2f} s")
    print(f"indexed matching: {N_COMMITMENTS:,} commitments x {N_OUTCOMES:,} outcomes over {N_JURISDICTIONS} "
          f"jurisdictions: {indexed:.2f} s ({linked:,} linked) [target < 2 s: {'ok' if indexed < 2 else 'MISSED'}]")
    print(f"naive all-pairs: {naive:.1f} s (measured on {NAIVE_SUBSET} commitments x {N_OUTCOMES:,} outcomes, "
          f"extrapolated to {N_COMMITMENTS:,}); speed-up x{naive / indexed:.0f}")
    sys.exit(0 if indexed < 2 else 1)


if __name__ == "__main__":
    main()
