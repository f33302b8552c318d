"""Matching: indicator similarity, synonyms, exclusive qualifiers, scope, growth vs level, unit compatibility."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from tracker.config import MatchSettings, StatusSettings
from tracker.extract.numbers import normalise
from tracker.match.link import dimension, link, naive_link, places, score, units_agree
from tracker.match.similarity import canonical, conflict, similarity

ACCEPT = MatchSettings().accept
REVIEW = MatchSettings().review

# (commitment indicator, outcome indicator): the same measure in the reports' own words
SAME = [
    # Roman-numeral and Latin letters, qualifiers worded differently, 增加值 kept whole
    ("地表水国控断面I—Ⅲ类水质比例", "地表水国控断面Ⅰ—Ⅲ类水质比例"),
    ("城乡居民医保人均财政补助标准", "居民基本医保人均财政补助标准"),
    ("战略性新兴产业增加值增长", "战略性新兴产业增加值增长"),
    # a province's own name for its GDP is the jurisdiction's GDP
    ("地区生产总值增长", "全省生产总值增长"),
    ("生产总值增长", "全省生产总值增长"),
    ("国内生产总值增长", "国内生产总值增长"),
    ("居民消费价格涨幅", "居民消费价格上涨"),
    ("单位国内生产总值能耗降低", "单位国内生产总值能耗下降"),
    ("城镇调查失业率", "调查失业率"),
    ("新建改建农村公路", "农村公路"),
    ("新建高标准农田", "新建成高标准农田"),
    ("新建高标准农田", "新（改）建高标准农田"),
    ("规上工业企业营收增长", "规上工业企业营业收入增长"),
    ("减轻企业和个人负担", "降低企业税负"),
    ("进城落户", "农业转移人口在城镇落户"),
    ("农村贫困人口脱贫", "农村贫困人口减少"),
    ("易地扶贫搬迁脱贫", "易地扶贫搬迁人口"),
    ("二氧化硫排放量降低", "二氧化硫排放量下降"),
    ("城镇新增就业", "新增就业"),
    ("能耗降低", "能耗降幅"),
]

# different measures that share words: must not be linked
DIFFERENT = [
    # two sectors measured the same way are different measures
    ("文旅产业增加值增长", "高新技术产业增加值增长"),
    ("规上工业增加值增长", "战略性新兴产业增加值增长"),
    # the jurisdiction-wide total does not settle a sector of it
    ("海洋生产总值增长", "全省生产总值增长"),
    ("海洋生产总值增长", "国内生产总值增长"),
    ("城镇登记失业率", "调查失业率"),
    ("二氧化硫排放量降低", "氮氧化物排放量下降"),
    ("新建改建农村公路", "新建改建高速公路"),
    ("铁路投资", "公路投资"),
    ("中央财政赤字", "地方财政赤字"),
    ("为企业和个人减税", "为企业和个人减税降费"),
    ("社会融资规模余额增长", "广义货币M2增长"),
    ("城镇居民人均可支配收入增长", "农村居民人均可支配收入增长"),
    ("全省地区生产总值增长", "全市地区生产总值增长"),
    ("增长", "国内生产总值增长"),
]


@pytest.mark.parametrize(("a", "b"), SAME, ids=[f"{a}~{b}" for a, b in SAME])
def test_same_measure_scores_above_accept(a: str, b: str) -> None:
    assert similarity(a, b) >= ACCEPT


@pytest.mark.parametrize(("a", "b"), DIFFERENT, ids=[f"{a}!={b}" for a, b in DIFFERENT])
def test_different_measures_stay_below_review(a: str, b: str) -> None:
    assert similarity(a, b) < REVIEW


def test_similarity_is_bounded_and_target_first() -> None:
    for a, b in SAME + DIFFERENT:
        assert 0.0 <= similarity(a, b) <= 1.0
    # what the target names must be in the evidence; extra words in the evidence cost less
    assert similarity("进城落户", "农业转移人口在城镇落户") > similarity("农业转移人口在城镇落户", "进城落户")


def test_generic_words_name_no_measure() -> None:
    assert similarity("中央财政投入", "中央财政投入资金") == 0.0
    assert similarity("中央财政拟安排三农投入", "中央财政安排") < ACCEPT


def test_synonyms_fold_to_one_word() -> None:
    assert canonical("居民消费价格上涨") == canonical("居民消费价格涨幅")
    assert canonical("新建成高标准农田") == canonical("新建高标准农田")
    assert canonical("规上工业企业营收") == canonical("规上工业企业营业收入")


def test_exclusive_qualifiers_conflict() -> None:
    assert conflict("城镇登记失业率", "城镇调查失业率")
    assert not conflict("城镇调查失业率", "调查失业率")
    # a member inside a longer member is not a second qualifier: 公路 in 农村公路
    assert not conflict("新建改建农村公路", "农村公路")


def rec(indicator: str, value: float, unit: str, *, kind: str = "amount", **extra: object) -> SimpleNamespace:
    nv, base = normalise(value, unit)
    fields = dict(indicator=indicator, value=value, unit=unit, norm_value=nv, base_unit=base, kind=kind,
                  comparator="exact", upper=None, bound="exact", jurisdiction_id=1, target_year=2016,
                  period_year=2016, period=None, multi_year=False, document_id=1, start=0, end=1, id=1)
    fields.update(extra)
    return SimpleNamespace(**fields)


@pytest.mark.parametrize(("cu", "ou", "agree"), [
    ("万亩", "亩", True), ("万亿斤", "亿斤", True), ("公里", "万公里", True), ("万人", "人", True),
    ("万", "万人", True), ("万人", "万户", False), ("亿元", "亿美元", False), ("%", "个百分点", False),
    ("万人", "万人次", False), ("亩", "公顷", False),
])
def test_unit_compatibility(cu: str, ou: str, agree: bool) -> None:
    assert units_agree(rec("x", 1, cu), rec("x", 1, ou)) is agree


def test_growth_target_needs_a_growth_outcome() -> None:
    growth = rec("粮食产量增长", 2, "%")
    level = rec("粮食产量", 1.3, "万亿斤")
    share = rec("服务业增加值比重", 52, "%")
    assert dimension(growth) == "percent:change"
    assert dimension(share) == "percent:level"
    assert dimension(level) == "measure:斤"
    assert dimension(rec("常住人口城镇化率提高到", 60, "%")) == "percent:level"
    c = rec("服务业增加值比重提高", 1, "个百分点")
    assert dimension(c) != dimension(share)


def test_places_and_scope() -> None:
    assert places("成都市地区生产总值增长") == {"成都市"}
    assert places("地级及以上城市空气质量优良天数比率") == frozenset()
    assert places("高新区营业收入") == frozenset()
    # 省/市/县/区 before 外, 内, 级, 域, 场 and words such as 上市, 区块链 name no place
    for phrase in ("在浙就业省外劳动力", "国内市场", "县域经济", "上市公司", "区块链产业", "市级财政"):
        assert places(phrase) == frozenset(), phrase
    c = rec("地区生产总值增长", 7, "%")
    assert score(c, rec("成都市地区生产总值增长", 8, "%")) == 0.0
    assert score(c, rec("地区生产总值增长", 8, "%")) == 1.0


def test_a_figure_settles_the_closest_measure_only() -> None:
    # 浙江 2025 -> 2026: the 2300万 of all workers from other provinces is not the 240万 of those lifted from poverty
    whole = rec("省外劳动力在浙稳定就业", 2300, "万人")
    part = rec("省外脱贫劳动力在浙稳定就业", 240, "万人")
    figure = rec("在浙就业省外劳动力", 2300, "万人")
    settings = MatchSettings(accept=0.6, review=0.4)
    assert score(part, figure) >= settings.accept  # alone, the part would take the figure
    found = link([whole, part], [figure], match=settings, status=StatusSettings(), reviewed=lambda j, y: True)
    assert [f.outcome is figure for f in found] == [True, False]
    assert found[1].status == "no_evidence"
    # one target restated in two chapters is one measure: both keep the figure
    again = link([whole, rec("省外劳动力在浙稳定就业", 2300, "万人")], [figure], match=settings,
                 status=StatusSettings(), reviewed=lambda j, y: True)
    assert [f.status for f in again] == ["fulfilled", "fulfilled"]


def test_bare_measures_of_list_items() -> None:
    assert similarity("粮食总产", "粮食总产量") == 1.0
    assert canonical("工业总产值") == "工业总产值"  # 总产 -> 总产量 leaves 总产值 alone
    assert similarity("重大项目完成年度投资", "重大项目完成投资") == 1.0  # 年度 is filler


def test_same_jurisdiction_and_year_only() -> None:
    c = rec("城镇新增就业", 1000, "万人", comparator="at_least")
    other_place = rec("城镇新增就业", 1314, "万人", jurisdiction_id=2)
    other_year = rec("城镇新增就业", 1314, "万人", period_year=2015)
    [f] = link([c], [other_place, other_year], match=MatchSettings(), status=StatusSettings(),
               reviewed=lambda j, y: True)
    assert f.status == "no_evidence" and f.outcome is None


def test_review_band_goes_to_review() -> None:
    c = rec("城乡居民医保人均财政补助", 450, "元")
    o = rec("居民基本医保人均财政补助标准", 450, "元")
    settings = MatchSettings(accept=0.99, review=0.3)
    [f] = link([c], [o], match=settings, status=StatusSettings(), reviewed=lambda j, y: True)
    assert f.review and f.status == "no_evidence" and f.candidate_status == "fulfilled"


def test_best_candidate_wins_and_index_equals_naive() -> None:
    rng = random.Random(7)
    names = ["城镇新增就业", "国内生产总值增长", "居民消费价格涨幅", "新建改建农村公路", "棚户区住房改造",
             "城镇登记失业率", "粮食产量"]
    units = {"城镇新增就业": "万人", "国内生产总值增长": "%", "居民消费价格涨幅": "%", "新建改建农村公路": "万公里",
             "棚户区住房改造": "万套", "城镇登记失业率": "%", "粮食产量": "万亿斤"}
    cs = [rec(n, rng.uniform(1, 10), units[n], jurisdiction_id=rng.randrange(5), target_year=2016 + rng.randrange(2))
          for n in rng.choices(names, k=200)]
    os_ = [rec(n, rng.uniform(1, 10), units[n], jurisdiction_id=rng.randrange(5), period_year=2016 + rng.randrange(2),
               start=i, id=i) for i, n in enumerate(rng.choices(names, k=200))]
    fast = link(cs, os_, match=MatchSettings(), status=StatusSettings(), reviewed=lambda j, y: True)
    slow = naive_link(cs, os_, match=MatchSettings(), status=StatusSettings())
    assert [(f.status, f.outcome and f.outcome.id) for f in fast] == [(f.status, f.outcome and f.outcome.id) for f in slow]
    assert sum(f.outcome is not None for f in fast) > 50


@pytest.mark.parametrize(("c_ind", "c_unit", "o_ind", "o_unit", "linked"), [
    # a share is not the growth it qualifies
    ("地区生产总值增长", "%", "消费对经济增长贡献率", "%", False),
    # a rate is evidence for a rate, synonyms included
    ("能耗强度下降", "%", "单位国内生产总值能耗下降", "%", True),
    ("赤字率", "%", "财政赤字占国内生产总值的比重", "%", True),
    ("社会消费品零售总额增长", "%", "社会消费品零售增长", "%", True),
    # an addition is not settled by a stock
    ("新认定高新技术企业", "家", "高新技术企业", "家", False),
    ("新认定高新技术企业", "家", "新认定高新技术企业", "家", True),
    # starts are not completions
    ("棚户区住房改造开工", "万套", "棚户区住房改造基本建成", "万套", False),
    ("棚户区住房改造开工", "万套", "棚户区住房改造", "万套", True),
    # a word ending in 区 that is no place ("棚户区") does not make the outcome another place's
    ("棚改开工", "万套", "棚户区住房改造", "万套", True),
])
def test_measure_type_rules(c_ind: str, c_unit: str, o_ind: str, o_unit: str, linked: bool) -> None:
    assert (score(rec(c_ind, 5, c_unit), rec(o_ind, 6, o_unit)) >= ACCEPT) is linked


def test_similarity_does_not_depend_on_the_hash_seed() -> None:
    """Overlapping filler words ("去年" / "年底" in "去年底") and weight sums give the same result in every run."""
    import os
    import subprocess
    import sys

    code = ("from tracker.match.similarity import bigrams, similarity; "
            "print(sorted(bigrams('去年底城镇常住人口')), repr(similarity('去年底城镇常住人口', '城镇常住人口年底')))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONHASHSEED=str(seed))).stdout for seed in range(6)}
    assert len(outs) == 1
