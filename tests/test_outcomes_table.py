"""Outcome extraction, table-driven: review sentences of real reports -> the outcome read from each figure.

Each row names a report in fixtures/reports, the figure as written (its first occurrence in the
review part) and the expected indicator (a phrase the indicator must contain), value, unit, bound,
kind and whether it is a multi-year figure. Rows marked `skip` must yield no outcome.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tracker.extract.outcomes import extract_outcomes
from tracker.extract.records import OutcomeRecord
from tracker.text import segment

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


@cache
def outcomes_of(name: str) -> tuple[str, tuple[OutcomeRecord, ...]]:
    text = (REPORTS / name).read_text(encoding="utf-8")
    return text, tuple(extract_outcomes(segment(text)))


def find(name: str, quote: str, nth: int = 0) -> OutcomeRecord | None:
    text, outs = outcomes_of(name)
    hits = [o for o in outs if o.quote.replace("\n", "").replace("\u200b", "") == quote]
    return hits[nth] if len(hits) > nth else None


# (report, figure, indicator contains, value, unit, bound, kind, multi_year)
CASES = [
    # national 2017 reviewing 2016
    ("national/2017.txt", "74.4万亿元", "国内生产总值", 74.4, "万亿元", "exact", "amount", False),
    ("national/2017.txt", "6.7%", "国内生产总值增长", 6.7, "%", "exact", "growth", False),
    ("national/2017.txt", "2%", "居民消费价格上涨", 2, "%", "exact", "growth", False),
    ("national/2017.txt", "1314万人", "城镇新增就业", 1314, "万人", "exact", "amount", False),
    ("national/2017.txt", "4.02%", "城镇登记失业率", 4.02, "%", "exact", "ratio", False),
    ("national/2017.txt", "5%", "能耗下降", 5, "%", "exact", "growth", False),
    ("national/2017.txt", "8.5%", "工业企业利润增长", 8.5, "%", "exact", "growth", False),
    ("national/2017.txt", "超过240万", "易地扶贫搬迁", 240, "万", "more_than", "amount", False),
    ("national/2017.txt", "600多万套", "棚户区住房改造", 600, "万套", "at_least", "amount", False),
    ("national/2017.txt", "5700多亿元", "降低企业税负", 5700, "亿元", "at_least", "amount", False),
    ("national/2017.txt", "约4000亿元", "降低利息负担", 4000, "亿元", "about", "amount", False),
    ("national/2017.txt", "11.3%", "广义货币M2增长", 11.3, "%", "exact", "growth", False),
    ("national/2017.txt", "29万公里", "农村公路", 29, "万公里", "exact", "amount", False),
    ("national/2017.txt", "21项", "新开工重大水利工程", 21, "项", "exact", "amount", False),
    ("national/2017.txt", "1240万", "农村贫困人口减少", 1240, "万", "exact", "amount", False),
    # enumeration: one outcome per indicator, the shared head lent to the first
    ("national/2017.txt", "5.6%", "二氧化硫排放量下降", 5.6, "%", "exact", "growth", False),
    ("national/2017.txt", "4%", "氮氧化物排放量下降", 4, "%", "exact", "growth", False),
    # "年均浓度" is a yearly mean, not a multi-year figure
    ("national/2017.txt", "9.1%", "细颗粒物", 9.1, "%", "exact", "growth", False),
    # 浙江 2026 reviewing 2025: a bare measure after a list item measures the item's subject
    ("province/浙江-2026.txt", "132.4亿斤", "粮食总产量", 132.4, "亿斤", "exact", "amount", False),
    ("province/浙江-2026.txt", "2300万人", "省外劳动力", 2300, "万人", "exact", "amount", False),
    # 广东 2026 reviewing 2025: a governing verb before the count takes what it counts
    ("province/广东-2026.txt", "1万家", "推动工业企业技术改造", 1, "万家", "exact", "amount", False),
    ("province/广东-2026.txt", "2.8%", "社会消费品零售增长", 2.8, "%", "exact", "growth", False),
    ("province/浙江-2026.txt", "68%", "村集体经济经营性收入50万元以上的行政村占比", 68, "%", "exact", "ratio", False),
    ("province/浙江-2026.txt", "73%", "和美乡村覆盖率", 73, "%", "exact", "ratio", False),
    ("province/浙江-2026.txt", "90%以上", "矛盾纠纷化解在基层", 90, "%", "at_least", "ratio", True),  # 十四五 review
    # national 2019 reviewing 2018
    ("national/2019.txt", "5%左右", "调查失业率", 5, "%", "about", "ratio", False),
    ("national/2019.txt", "3.1%", "能耗下降", 3.1, "%", "exact", "growth", False),
    ("national/2019.txt", "1386万", "农村贫困人口减少", 1386, "万", "exact", "amount", False),
    ("national/2019.txt", "280万人", "易地扶贫搬迁", 280, "万人", "exact", "amount", False),
    ("national/2019.txt", "近1400万", "城镇落户", 1400, "万", "about", "amount", False),
    ("national/2019.txt", "30多万公里", "农村公路", 30, "万公里", "at_least", "amount", False),
    ("national/2019.txt", "620多万套", "棚户区住房改造", 620, "万套", "at_least", "amount", False),
    ("national/2019.txt", "一半以上", "通关时间压缩", 50, "%", "at_least", "growth", False),
    ("national/2019.txt", "1.3万亿斤以上", "粮食总产量", 1.3, "万亿斤", "at_least", "amount", False),
    ("national/2019.txt", "约1.3万亿元", "减税降费", 1.3, "万亿元", "about", "amount", False),
    # national 2018: a five-year review; single-year figures only where the year is named or a level is stated
    ("national/2018.txt", "6.9%", "国内生产总值增长", 6.9, "%", "exact", "growth", False),
    ("national/2018.txt", "1351万人", "城镇新增就业", 1351, "万人", "exact", "amount", False),
    ("national/2018.txt", "3%以内", "财政赤字率", 3, "%", "up_to", "ratio", False),
    ("national/2018.txt", "450元", "医保人均财政补助标准", 450, "元", "exact", "amount", False),
    ("national/2018.txt", "7.1%", "年均增长", 7.1, "%", "exact", "growth", True),
    ("national/2018.txt", "6600万人以上", "城镇新增就业", 6600, "万人", "at_least", "amount", True),
    # national 2016: a paragraph that opens on "十二五" / "过去五年" reports five-year figures
    ("national/2016.txt", "6.9%", "国内生产总值增长", 6.9, "%", "exact", "growth", False),
    ("national/2016.txt", "4013万套", "保障性安居工程", 4013, "万套", "exact", "amount", True),
    ("national/2016.txt", "7.8%", "年均增长", 7.8, "%", "exact", "growth", True),
    # the verb of the first enumerated item governs the next: "新建改建高速公路6700多公里、农村公路29万公里"
    ("national/2017.txt", "29万公里", "新建改建农村公路", 29, "万公里", "exact", "amount", False),
    # national 2014 reviewing 2013: milestones and bounds
    ("national/2014.txt", "7.7%", "国内生产总值增长", 7.7, "%", "exact", "growth", False),
    ("national/2014.txt", "2.6%", "居民消费价格涨幅", 2.6, "%", "exact", "growth", False),
    # national 2015 reviewing 2014: a count before what it counts, a fraction written with a slash
    ("national/2015.txt", "246项", "取消和下放行政审批事项", 246, "项", "exact", "amount", False),
    ("national/2015.txt", "1/3以上", "专项转移支付项目", 100 / 3, "%", "at_least", "growth", False),
    ("national/2017.txt", "7个", "新设自贸试验区", 7, "个", "exact", "amount", False),
    # a five-year review: a sentence naming the reviewed year is about that year; a share takes its subject
    ("national/2013.txt", "7.8%", "国内生产总值增长", 7.8, "%", "exact", "growth", False),
    ("national/2013.txt", "4%", "教育经费支出占国内生产总值比例", 4, "%", "exact", "ratio", False),
    # a clause of only a stage verb measures the works of the clause before
    ("national/2014.txt", "544万套", "基本建成保障性安居工程", 544, "万套", "exact", "amount", False),
    ("national/2012.txt", "1043万套", "城镇保障性住房新开工建设", 1043, "万套", "exact", "amount", False),
]


@pytest.mark.parametrize(("report", "quote", "indicator", "value", "unit", "bound", "kind", "multi"), CASES,
                         ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_outcome(report: str, quote: str, indicator: str, value: float, unit: str, bound: str, kind: str,
                 multi: bool) -> None:
    o = find(report, quote)
    assert o is not None, f"no outcome for {quote} in {report}"
    assert indicator in o.indicator
    assert (o.value, o.unit, o.bound, o.kind, o.multi_year) == (value, unit, bound, kind, multi)


# figures that must not become outcomes: restated targets, starting points, last year's figures
SKIPPED = [
    ("national/2017.txt", "13%左右"),   # "低于13%左右的预期目标"
    ("national/2017.txt", "2.3%"),      # "由上年下降2.3%转为增长8.5%"
    ("national/2018.txt", "240元"),     # "由240元提高到450元"
    ("province/浙江-2026.txt", "50万元以上"),  # "经营性收入50万元以上的行政村占比达68%": names the group
]


@pytest.mark.parametrize(("report", "quote"), SKIPPED, ids=[f"{r}:{q}" for r, q in SKIPPED])
def test_not_an_outcome(report: str, quote: str) -> None:
    assert find(report, quote) is None


def test_offsets_point_into_the_text() -> None:
    text, outs = outcomes_of("national/2017.txt")
    assert outs
    for o in outs:
        assert text[o.start:o.end] == o.quote
        assert o.sentence_start <= o.start < o.end <= o.sentence_end
        assert o.period_year == 2016


def test_no_review_part_gives_nothing() -> None:
    assert extract_outcomes(segment("")) == []
