"""Status rules of DESIGN.md, one row per case: target, evidence -> status (tracker.match.rules.judge)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tracker.config import MatchSettings, StatusSettings
from tracker.extract.numbers import normalise
from tracker.match.link import link
from tracker.match.rules import judge, lower_is_better


def target(indicator: str, value: float, unit: str, comparator: str = "exact", upper: float | None = None,
           kind: str = "amount") -> SimpleNamespace:
    nv, base = normalise(value, unit)
    return SimpleNamespace(indicator=indicator, value=value, unit=unit, norm_value=nv, base_unit=base,
                           comparator=comparator, upper=upper, kind=kind, jurisdiction_id=1, target_year=2016,
                           period=None)


def actual(indicator: str, value: float, unit: str, bound: str = "exact", kind: str = "amount",
           multi_year: bool = False) -> SimpleNamespace:
    nv, base = normalise(value, unit)
    return SimpleNamespace(indicator=indicator, value=value, unit=unit, norm_value=nv, base_unit=base, bound=bound,
                           kind=kind, jurisdiction_id=1, period_year=2016, multi_year=multi_year, document_id=1,
                           start=0, end=1, id=1)


# (case, target, evidence, expected status)
RULES = [
    # at_least and exact: fulfilled at or above the target, partial from 0.8 x target, else missed
    ("at_least met", target("城镇新增就业", 1000, "万人", "at_least"), actual("城镇新增就业", 1314, "万人"), "fulfilled"),
    ("at_least equal", target("城镇新增就业", 1100, "万人", "at_least"), actual("城镇新增就业", 1100, "万人"), "fulfilled"),
    ("at_least partial", target("城镇新增就业", 1000, "万人", "at_least"), actual("城镇新增就业", 850, "万人"), "partial"),
    ("at_least partial edge 0.8", target("城镇新增就业", 1000, "万人", "at_least"), actual("城镇新增就业", 800, "万人"), "partial"),
    ("at_least missed", target("城镇新增就业", 1000, "万人", "at_least"), actual("城镇新增就业", 790, "万人"), "missed"),
    ("exact met", target("新开工重大水利工程", 20, "项"), actual("新开工重大水利工程", 21, "项"), "fulfilled"),
    ("exact partial", target("新开工重大水利工程", 20, "项"), actual("新开工重大水利工程", 17, "项"), "partial"),
    ("units normalised 万公里 vs 公里", target("新建改建农村公路", 20, "万公里"), actual("农村公路", 290000, "公里"), "fulfilled"),
    ("units normalised 万亿斤 vs 亿斤", target("粮食产量", 1.3, "万亿斤", "at_least"), actual("粮食产量", 13200, "亿斤"), "fulfilled"),
    # about: fulfilled from X - 0.5 points for %, X - 5 % otherwise; below, partial or missed
    ("about % within tolerance", target("国内生产总值增长", 6.5, "%", "about"), actual("国内生产总值增长", 6.1, "%"), "fulfilled"),
    ("about % below tolerance partial", target("广义货币M2增长", 13, "%", "about"), actual("广义货币M2增长", 11.3, "%"), "partial"),
    ("about % missed", target("广义货币M2增长", 13, "%", "about"), actual("广义货币M2增长", 9, "%"), "missed"),
    ("about amount 5 %", target("压减钢铁产能", 5000, "万吨", "about"), actual("压减钢铁产能", 4760, "万吨"), "fulfilled"),
    ("about amount beyond 5 %", target("压减钢铁产能", 5000, "万吨", "about"), actual("压减钢铁产能", 4700, "万吨"), "partial"),
    # range: fulfilled at its lower bound
    ("range lower bound", target("国内生产总值增长", 6.5, "%", "range", upper=7.0), actual("国内生产总值增长", 6.5, "%"), "fulfilled"),
    ("range inside", target("国内生产总值增长", 6.5, "%", "range", upper=7.0), actual("国内生产总值增长", 6.7, "%"), "fulfilled"),
    ("range below", target("国内生产总值增长", 6.5, "%", "range", upper=7.0), actual("国内生产总值增长", 6.0, "%"), "partial"),
    # lower-is-better: about X, X以内, 控制在X met up to X + tolerance, else missed (no partial)
    ("CPI about met", target("居民消费价格涨幅", 3, "%", "about"), actual("居民消费价格上涨", 2, "%"), "fulfilled"),
    ("CPI about within tolerance", target("居民消费价格涨幅", 3, "%", "about"), actual("居民消费价格上涨", 3.4, "%"), "fulfilled"),
    ("CPI about missed", target("居民消费价格涨幅", 3, "%", "about"), actual("居民消费价格上涨", 3.6, "%"), "missed"),
    ("unemployment cap met", target("城镇登记失业率", 4.5, "%", "at_most"), actual("城镇登记失业率", 4.02, "%"), "fulfilled"),
    ("unemployment cap missed", target("城镇调查失业率", 5.5, "%", "at_most"), actual("调查失业率", 6.1, "%"), "missed"),
    ("deficit ratio, evidence 3%以内", target("赤字率", 3, "%"), actual("财政赤字率", 3, "%", "up_to"), "fulfilled"),
    ("accidents down is better", target("生产安全事故死亡人数", 3000, "人", "at_most"), actual("生产安全事故死亡人数", 2800, "人"), "fulfilled"),
    ("any cap is lower-is-better", target("淘汰关停煤电机组单机容量", 30, "万千瓦", "at_most"), actual("淘汰关停煤电机组单机容量", 35, "万千瓦"), "missed"),
    # reductions: the size of the reduction is higher-is-better
    ("reduction bound fulfils about", target("能耗降低", 2.5, "%", "about"), actual("能耗降幅", 3, "%", "more_than"), "fulfilled"),
    ("reduction met", target("单位国内生产总值能耗降低", 3.4, "%", "at_least"), actual("单位国内生产总值能耗下降", 5, "%"), "fulfilled"),
    ("reduction short", target("单位国内生产总值能耗降低", 3.4, "%", "at_least"), actual("单位国内生产总值能耗下降", 2.0, "%"), "missed"),
    ("reduction of a lower-is-better word", target("赤字率比上年预算降低", 0.4, "个百分点"), actual("赤字率降低", 0.5, "个百分点"), "fulfilled"),
    # bounds as evidence count as their bound
    ("more_than bound", target("易地扶贫搬迁脱贫", 200, "万人", "at_least"), actual("易地扶贫搬迁人口", 240, "万人", "more_than"), "fulfilled"),
    ("milestone bound", target("粮食产量", 1.3, "万亿斤", "at_least"), actual("粮食总产量", 1.4, "万亿斤", "more_than"), "fulfilled"),
    ("5700多亿元 is at least 5700亿元", target("减轻企业和个人负担", 5000, "亿元", "at_least"), actual("降低企业税负", 5700, "亿元", "at_least"), "fulfilled"),
    ("about evidence 近1400万", target("进城落户", 1300, "万人"), actual("农业转移人口在城镇落户", 1400, "万", "about"), "fulfilled"),
    # growth that turned into a decline
    ("opposite verbs flip the sign", target("进出口增长", 5, "%", "about"), actual("进出口下降", 7, "%"), "missed"),
]


@pytest.mark.parametrize(("case", "c", "o", "expected"), RULES, ids=[r[0] for r in RULES])
def test_rule(case: str, c: SimpleNamespace, o: SimpleNamespace, expected: str) -> None:
    status, _ = judge(c, o, StatusSettings())
    assert status == expected, case


def test_thresholds_come_from_settings() -> None:
    c, o = target("城镇新增就业", 1000, "万人", "at_least"), actual("城镇新增就业", 850, "万人")
    assert judge(c, o, StatusSettings(partial_ratio=0.9))[0] == "missed"
    c2, o2 = target("国内生产总值增长", 6.5, "%", "about"), actual("国内生产总值增长", 6.1, "%")
    assert judge(c2, o2, StatusSettings(about_tolerance_points=0.2))[0] == "partial"


@pytest.mark.parametrize(("indicator", "comparator", "lower"), [
    ("居民消费价格涨幅", "about", True), ("城镇登记失业率", "at_most", True), ("赤字率", "exact", True),
    ("单位国内生产总值能耗降低", "at_least", False), ("国内生产总值增长", "about", False),
    ("赤字率比上年预算降低", "exact", False),
])
def test_lower_is_better(indicator: str, comparator: str, lower: bool) -> None:
    assert lower_is_better(target(indicator, 3, "%", comparator)) is lower


def _link(c: SimpleNamespace, outcomes: list[SimpleNamespace]) -> str:
    [finding] = link([c], outcomes, match=MatchSettings(), status=StatusSettings(), reviewed=lambda j, y: True)
    return finding.status


def test_multi_year_figures_are_not_evidence() -> None:
    c = target("城镇新增就业", 1100, "万人", "at_least")
    assert _link(c, [actual("城镇新增就业", 6600, "万人", multi_year=True)]) == "no_evidence"


def test_relative_target_needs_a_stated_comparison() -> None:
    c = target("城镇居民人均可支配收入增长高于全省", 1, "个百分点", kind="relative")
    assert _link(c, [actual("城镇居民人均可支配收入增长", 8, "%", kind="growth")]) == "no_evidence"
    assert _link(c, [actual("城镇居民人均可支配收入增长高于全省", 1.2, "个百分点", kind="relative")]) == "fulfilled"
    assert _link(c, [actual("城镇居民人均可支配收入增长高于全省", 0.5, "个百分点", kind="relative")]) == "missed"


def test_period_and_unreviewed_targets_stay_pending() -> None:
    c = target("常住人口城镇化率", 60, "%")
    c.period = "十三五"
    assert _link(c, [actual("常住人口城镇化率", 61, "%")]) == "pending"
    c2 = target("城镇新增就业", 1100, "万人", "at_least")
    [f] = link([c2], [], match=MatchSettings(), status=StatusSettings(), reviewed=lambda j, y: False)
    assert f.status == "pending"
