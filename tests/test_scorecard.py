"""Scorecards: aggregation and renderers on a small fixed scorecard (exact Markdown, CSV and JSON), the HTML
page's structure and escaping, policy areas, and real scorecards built from ingested fixture reports."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.conftest import REPORTS
from tracker.batch import ingest_paths
from tracker.cli import app
from tracker.config import Settings
from tracker.db import session_scope
from tracker.errors import InputError
from tracker.scorecard.areas import area_of
from tracker.scorecard.build import Comparison, Scorecard, build_comparison, build_scorecard, clip, fmt_num
from tracker.scorecard.html import render_html
from tracker.scorecard.load import CommitmentView, EvidenceView
from tracker.scorecard.render import render_csv, render_json, render_markdown, render_xlsx
from tracker.scorecard.service import make_scorecard

DOC = "宜宾市2024年政府工作报告"


def view(n: int, indicator: str, status: str, *, chapter: str | None = "一、稳增长", area: str | None = "economy",
         hedge: str | None = None, value: float = 6.0, unit: str = "%", comparator: str = "exact",
         evidence: EvidenceView | None = None, jur: str = "宜宾", upper: float | None = None) -> CommitmentView:
    return CommitmentView(id=f"{jur}-2024-{n:03d}", jurisdiction=jur, document=DOC, report_year=2024, target_year=2024,
                          period=None, chapter=chapter, indicator=indicator, quote="", start=n * 10, end=n * 10 + 3,
                          value=value, unit=unit, upper=upper, comparator=comparator, hedge=hedge, kind="amount",
                          area=area, status=status, evidence=evidence)


def ev(value: float, unit: str, bound: str, sentence: str, figure: str) -> EvidenceView:
    at = sentence.index(figure) if sentence else 0
    return EvidenceView("宜宾市2025年政府工作报告", 2025, 100, 100 + len(figure), figure, value, unit, bound, sentence,
                        at, at + len(figure) if sentence else 0)


VIEWS = [
    view(1, "地区生产总值增长", "fulfilled", hedge="aspirational", comparator="about",
         evidence=ev(6.2, "%", "exact", "地区生产总值增长6.2%。", "6.2%")),
    view(2, "城镇新增就业", "missed", area="social_welfare", hedge="firm", value=5.5, unit="万人", comparator="at_least",
         evidence=ev(5.1, "万人", "more_than", "全年新增就业超过5.1万人", "5.1万人")),
    view(3, "新建高标准农田", "partial", chapter="二、促振兴", area="agriculture_rural", value=27.2, unit="万亩",
         evidence=ev(25, "万亩", "exact", "", "25万亩")),
    view(4, "<script>alert(1)</script> R&D 投入", "no_evidence", chapter="二、促振兴", area="science_education",
         value=2.5, upper=3.0, comparator="range"),
    view(5, "城市|绿道", "pending", chapter=None, area=None, value=30, unit="公里"),
]

MARKDOWN = """\
# Scorecard: 宜宾 2024

5 commitments: 1 fulfilled, 1 partial, 1 missed, 1 no_evidence, 1 pending. Fulfilment rate 33.3% (fulfilled / settled), coverage 60.0% (settled / all).

## By status

| status | commitments | share |
| --- | ---: | ---: |
| fulfilled | 1 | 20.0% |
| partial | 1 | 20.0% |
| missed | 1 | 20.0% |
| no_evidence | 1 | 20.0% |
| pending | 1 | 20.0% |

## Firm versus aspirational

| hedge | all | fulfilled | partial | missed | no_evidence | pending | fulfilment rate | coverage |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| firm (确保) | 1 | 0 | 0 | 1 | 0 | 0 | 0.0% | 100.0% |
| aspirational (力争/争取) | 1 | 1 | 0 | 0 | 0 | 0 | 100.0% | 100.0% |
| none | 3 | 0 | 1 | 0 | 1 | 1 | 0.0% | 33.3% |

## By chapter

| chapter | all | fulfilled | partial | missed | no_evidence | pending | fulfilment rate | coverage |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| 一、稳增长 | 2 | 1 | 0 | 1 | 0 | 0 | 50.0% | 100.0% |
| 二、促振兴 | 2 | 0 | 1 | 0 | 1 | 0 | 0.0% | 50.0% |
| (no chapter) | 1 | 0 | 0 | 0 | 0 | 1 | — | 0.0% |

## By policy area

| area | all | fulfilled | partial | missed | no_evidence | pending | fulfilment rate | coverage |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| 经济发展 (economy) | 1 | 1 | 0 | 0 | 0 | 0 | 100.0% | 100.0% |
| 农业农村 (agriculture_rural) | 1 | 0 | 1 | 0 | 0 | 0 | 0.0% | 100.0% |
| 科技和教育 (science_education) | 1 | 0 | 0 | 0 | 1 | 0 | — | 0.0% |
| 社会民生 (social_welfare) | 1 | 0 | 0 | 1 | 0 | 0 | 0.0% | 100.0% |
| 其他 (other) | 1 | 0 | 0 | 0 | 0 | 1 | — | 0.0% |

## Commitments

| id | indicator | target | actual | status | evidence |
| --- | --- | --- | --- | --- | --- |
| 宜宾-2024-001 | 地区生产总值增长 | ≈6% | 6.2% | fulfilled | 地区生产总值增长**6.2%**。 |
| 宜宾-2024-002 | 城镇新增就业 | ≥5.5万人 | >5.1万人 | missed | 全年新增就业超过**5.1万人** |
| 宜宾-2024-003 | 新建高标准农田 | 27.2万亩 | 25万亩 | partial | **25万亩** |
| 宜宾-2024-004 | \\<script>alert(1)\\</script> R&D 投入 | 2.5–3% | — | no_evidence |  |
| 宜宾-2024-005 | 城市\\|绿道 | 30公里 | — | pending |  |
"""

CSV = (
    "\ufeffscorecard,view,group,all,fulfilled,partial,missed,no_evidence,pending,settled,fulfilment_rate,coverage\r\n"
    "宜宾 2024,total,all,5,1,1,1,1,1,3,0.3333,0.6\r\n"
    "宜宾 2024,hedge,firm (确保),1,0,0,1,0,0,1,0.0,1.0\r\n"
    "宜宾 2024,hedge,aspirational (力争/争取),1,1,0,0,0,0,1,1.0,1.0\r\n"
    "宜宾 2024,hedge,none,3,0,1,0,1,1,1,0.0,0.3333\r\n"
    "宜宾 2024,chapter,一、稳增长,2,1,0,1,0,0,2,0.5,1.0\r\n"
    "宜宾 2024,chapter,二、促振兴,2,0,1,0,1,0,1,0.0,0.5\r\n"
    "宜宾 2024,chapter,(no chapter),1,0,0,0,0,1,0,,0.0\r\n"
    "宜宾 2024,area,经济发展 (economy),1,1,0,0,0,0,1,1.0,1.0\r\n"
    "宜宾 2024,area,农业农村 (agriculture_rural),1,0,1,0,0,0,1,0.0,1.0\r\n"
    "宜宾 2024,area,科技和教育 (science_education),1,0,0,0,1,0,0,,0.0\r\n"
    "宜宾 2024,area,社会民生 (social_welfare),1,0,0,1,0,0,1,0.0,1.0\r\n"
    "宜宾 2024,area,其他 (other),1,0,0,0,0,1,0,,0.0\r\n"
    "\r\n"
    "id,jurisdiction,chapter,area,hedge,indicator,target,actual,status,evidence,evidence source\r\n"
    "宜宾-2024-001,宜宾,一、稳增长,economy,aspirational,地区生产总值增长,≈6%,6.2%,fulfilled,地区生产总值增长6.2%。,"
    "宜宾市2025年政府工作报告 (2025)\r\n"
    "宜宾-2024-002,宜宾,一、稳增长,social_welfare,firm,城镇新增就业,≥5.5万人,>5.1万人,missed,全年新增就业超过5.1万人,"
    "宜宾市2025年政府工作报告 (2025)\r\n"
    "宜宾-2024-003,宜宾,二、促振兴,agriculture_rural,none,新建高标准农田,27.2万亩,25万亩,partial,25万亩,"
    "宜宾市2025年政府工作报告 (2025)\r\n"
    "宜宾-2024-004,宜宾,二、促振兴,science_education,none,<script>alert(1)</script> R&D 投入,2.5–3%,,no_evidence,,\r\n"
    "宜宾-2024-005,宜宾,,other,none,城市|绿道,30公里,,pending,,\r\n"
)


def _tally(key: str, label: str, counts: list[int]) -> dict[str, object]:
    statuses = ["fulfilled", "partial", "missed", "no_evidence", "pending"]
    settled = sum(counts[:3])
    total = sum(counts)
    return {"key": key, "label": label, "all": total, "counts": dict(zip(statuses, counts, strict=True)),
            "settled": settled, "fulfilment_rate": round(counts[0] / settled, 4) if settled else None,
            "coverage": round(settled / total, 4) if total else None}


@pytest.fixture
def card() -> Scorecard:
    return build_scorecard(VIEWS, year=2024)


def test_aggregation_counts_rates_and_groups(card: Scorecard) -> None:
    t = card.totals
    assert (t.total, t.settled, t.fulfilled, t.rate, t.coverage) == (5, 3, 1, 1 / 3, 3 / 5)
    assert [(g.key, g.total) for g in card.by_hedge] == [("firm", 1), ("aspirational", 1), ("none", 3)]
    assert [g.key for g in card.by_chapter] == ["一、稳增长", "二、促振兴", ""]
    assert [g.key for g in card.by_area] == ["economy", "agriculture_rural", "science_education", "social_welfare",
                                            "other"]
    assert [(r.target, r.actual) for r in card.rows] == [("≈6%", "6.2%"), ("≥5.5万人", ">5.1万人"),
                                                         ("27.2万亩", "25万亩"), ("2.5–3%", None), ("30公里", None)]


def test_empty_and_manual_statuses() -> None:
    empty = build_scorecard([], year=2024)
    assert (empty.totals.total, empty.totals.rate, empty.totals.coverage) == (0, None, None)
    assert "0 commitments" in render_markdown(empty)
    odd = build_scorecard([view(1, "x", "withdrawn")], year=2024)
    assert odd.statuses[-1] == "withdrawn" and odd.totals.counts == {"withdrawn": 1}
    assert "| withdrawn | 1 | 100.0% |" in render_markdown(odd)


def test_markdown_exact(card: Scorecard) -> None:
    assert render_markdown(card) == MARKDOWN


def test_csv_exact(card: Scorecard) -> None:
    assert render_csv(card) == CSV


def test_json_exact() -> None:
    small = build_scorecard(VIEWS[:2], year=2024)
    expected = {
        "title": "宜宾 2024", "year": 2024, "jurisdictions": ["宜宾"],
        "totals": _tally("all", "all", [1, 0, 1, 0, 0]),
        "by_hedge": [_tally("firm", "firm (确保)", [0, 0, 1, 0, 0]),
                     _tally("aspirational", "aspirational (力争/争取)", [1, 0, 0, 0, 0]),
                     _tally("none", "none", [0, 0, 0, 0, 0])],
        "by_chapter": [_tally("一、稳增长", "一、稳增长", [1, 0, 1, 0, 0])],
        "by_area": [_tally("economy", "经济发展 (economy)", [1, 0, 0, 0, 0]),
                    _tally("social_welfare", "社会民生 (social_welfare)", [0, 0, 1, 0, 0])],
        "commitments": [
            {"id": "宜宾-2024-001", "jurisdiction": "宜宾", "chapter": "一、稳增长", "area": "economy",
             "hedge": "aspirational", "indicator": "地区生产总值增长", "target": "≈6%", "actual": "6.2%",
             "status": "fulfilled", "evidence": "地区生产总值增长6.2%。", "evidence_source": "宜宾市2025年政府工作报告 (2025)"},
            {"id": "宜宾-2024-002", "jurisdiction": "宜宾", "chapter": "一、稳增长", "area": "social_welfare",
             "hedge": "firm", "indicator": "城镇新增就业", "target": "≥5.5万人", "actual": ">5.1万人", "status": "missed",
             "evidence": "全年新增就业超过5.1万人", "evidence_source": "宜宾市2025年政府工作报告 (2025)"},
        ],
    }
    assert render_json(small) == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"


def test_comparison_side_by_side() -> None:
    two = [VIEWS[0], dataclasses.replace(VIEWS[1], jurisdiction="泸州", id="泸州-2024-002")]
    cmp = build_comparison(two, year=2024)
    assert isinstance(cmp, Comparison) and cmp.title == "宜宾、泸州 2024"
    md = render_markdown(cmp)
    assert md.startswith("# Scorecard comparison: 宜宾、泸州 2024\n")
    assert "| 宜宾 2024 | 1 | 1 | 0 | 0 | 0 | 0 | 100.0% | 100.0% | — | 100.0% |" in md
    assert "| 泸州 2024 | 1 | 0 | 0 | 1 | 0 | 0 | 0.0% | 100.0% | 0.0% | — |" in md
    assert "| all | 2 | 1 | 0 | 1 | 0 | 0 | 50.0% | 100.0% |  |  |" in md
    assert md.count("## Scorecard: ") == 2 and "### Commitments" in md
    data = json.loads(render_json(cmp))
    assert [c["title"] for c in data["scorecards"]] == ["宜宾 2024", "泸州 2024"]
    assert render_csv(cmp).count("total,all") == 2
    page = HTMLParser(render_html(cmp))
    assert len(page.css("svg.chart-compare rect.seg")) == 2
    assert len(page.css("section.card")) == 2 and len(page.css("table.compare tbody tr")) == 2


def test_html_structure_is_self_contained_responsive_and_printable(card: Scorecard) -> None:
    page = render_html(card)
    assert page.startswith("<!DOCTYPE html>")
    tree = HTMLParser(page)
    assert tree.css_first('meta[name="viewport"]') is not None
    style = tree.css_first("style")
    assert style is not None and "@media print" in style.text() and "@media (max-width: 600px)" in style.text()
    assert not tree.css("link") and not tree.css("script") and not tree.css("[src]")  # nothing to fetch or run
    assert len(tree.css("svg.chart-status rect.seg")) == 5
    assert len(tree.css("svg.chart-areas rect.bar")) == 3  # areas with something settled
    rows = tree.css("table.commitments tbody tr")
    assert len(rows) == 5
    assert [td.text() for td in rows[0].css("td")][:5] == ["宜宾-2024-001", "地区生产总值增长", "≈6%", "6.2%", "fulfilled"]
    assert rows[0].css_first("mark").text() == "6.2%"
    assert rows[1].css_first("span.st-missed") is not None


def test_html_shows_report_text_as_text(card: Scorecard) -> None:
    nasty = dataclasses.replace(VIEWS[0], chapter='"><img src=x onerror=alert(1)>', evidence=ev(
        6.2, "%", "exact", "<b>增长</b> & 6.2% </td></tr>", "6.2%"))
    page = render_html(build_scorecard([nasty, VIEWS[3]], year=2024, title="A&B <i>"))
    assert "<script>" not in page and "<img" not in page and "<b>增长" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; R&amp;D 投入" in page
    assert "&lt;b&gt;增长&lt;/b&gt; &amp; <mark>6.2%</mark>" in page
    assert "Scorecard: A&amp;B &lt;i&gt;" in page
    tree = HTMLParser(page)
    assert tree.css_first("table.commitments tbody tr td:nth-child(2)").text() == "地区生产总值增长"
    assert "<script>alert(1)</script> R&D 投入" in tree.css("table.commitments tbody tr")[1].text()


def test_xlsx_has_one_sheet_per_view(card: Scorecard) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render_xlsx(card)))
    assert wb.sheetnames == ["Summary", "Firm vs aspirational", "Chapters", "Areas", "Commitments"]
    rows = list(wb["Commitments"].values)
    assert rows[0][:3] == ("id", "jurisdiction", "chapter") and len(rows) == 6
    assert rows[4][5] == "<script>alert(1)</script> R&D 投入"
    assert list(wb["Summary"].values)[1][:3] == ("宜宾 2024", "all", 5)
    cmp = build_comparison(VIEWS, year=2024)
    assert load_workbook(io.BytesIO(render_xlsx(cmp))).sheetnames[0] == "Compare"


@pytest.mark.parametrize(("indicator", "chapter", "area"), [
    ("新建高标准农田", None, "agriculture_rural"),
    ("城镇新增就业", None, "social_welfare"),
    ("居民消费价格涨幅", None, "economy"),
    ("动力电池产业营收", None, "industry"),
    ("单位国内生产总值能耗下降", None, "environment"),
    ("新增国家高新技术企业", None, "science_education"),
    ("改造城镇老旧小区", None, "urban_infrastructure"),
    ("医保服务事项“市内通办”", None, "social_welfare"),
    ("审批时限压缩", None, "governance"),
    ("开工", "六、坚持规划先行、建管并重，着力打造高品质生活宜居地", "other"),
    ("完成", "三、着力推进乡村振兴", "agriculture_rural"),
    ("增加", None, "other"),
])
def test_area_of(indicator: str, chapter: str | None, area: str) -> None:
    assert area_of(indicator, chapter) == area


def test_helpers() -> None:
    assert [fmt_num(x) for x in (6.0, 5.5, 27.2, 0.1 + 0.2, 1e12, 1300)] == ["6", "5.5", "27.2", "0.3",
                                                                             "1000000000000", "1300"]
    text, mark = clip("甲" * 100 + "6.2%" + "乙" * 100, 100, 104, around=3)
    assert text == "…甲甲甲6.2%乙乙乙…" and text[mark[0]:mark[1]] == "6.2%"


# --- real data: fixture reports ingested into a real database ------------------------------------


def test_real_scorecards_from_ingested_reports(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    files = [REPORTS / "national" / "2018.txt", REPORTS / "national" / "2019.txt",
             REPORTS / "city-2024" / "宜宾.txt", REPORTS / "city-2024" / "泸州.txt"]
    report = ingest_paths(engine, settings, [str(f) for f in files])
    assert not report.failed
    made = {(r.jurisdiction, r.year): r.commitments for r in report.done}
    with session_scope(engine) as s:
        card = make_scorecard(s, year=2018, jurisdictions=["全国"])
        cmp = make_scorecard(s, year=2024, compare=True)
        with pytest.raises(InputError, match="无此地"):
            make_scorecard(s, year=2024, jurisdictions=["无此地"])
    assert isinstance(card, Scorecard) and isinstance(cmp, Comparison)
    assert card.totals.total == made[("全国", 2018)]
    # the 2019 report reviews 2018: some commitments are settled, each with its evidence sentence
    settled = [r for r in card.rows if r.status in ("fulfilled", "partial", "missed")]
    assert settled and all(r.actual and r.evidence and r.mark for r in settled)
    gdp = next(r for r in card.rows if r.indicator.startswith("国内生产总值"))
    assert gdp.target == "≈6.5%" and gdp.evidence and "6.6%" in gdp.evidence
    assert sum(t.total for t in card.by_area) == sum(t.total for t in card.by_chapter) == card.totals.total
    assert {c.title for c in cmp.cards} == {"宜宾 2024", "泸州 2024"}
    assert cmp.totals.total == made[("宜宾", 2024)] + made[("泸州", 2024)]
    assert sum(1 for c in cmp.cards for t in c.by_area if t.key != "other") >= 12  # the word list finds areas
    # every format renders, through the command line as a user runs it
    runner = CliRunner()
    db = ["--db", settings.db_url]
    res = runner.invoke(app, [*db, "scorecard", "--year", "2018", "-j", "全国"])
    assert res.exit_code == 0 and res.stdout == render_markdown(card)
    for fmt in ("html", "csv", "json", "xlsx"):
        out = tmp_path / f"card.{fmt}"
        res = runner.invoke(app, [*db, "scorecard", "-y", "2024", "--compare", "-f", fmt, "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 1000
    assert out.read_bytes()[:2] == b"PK"  # xlsx is a zip
    res = runner.invoke(app, [*db, "scorecard", "-y", "1999"])
    assert res.exit_code == 2 and "no commitments" in res.stderr
