"""The demo's HTML scorecard rendered by headless Chromium (Debian's chromium package): charts drawn,
commitments table visible, no horizontal scrolling of the page on a phone, and a screenshot written."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tracker.config import Settings
from tracker.demo import run_demo
from tracker.scorecard.html import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

# Added by the test only (the published page has no script): layout sizes become data attributes,
# which --dump-dom then shows.
MEASURE = """<script>
function box(el) { var r = el.getBoundingClientRect(); el.setAttribute('data-w', Math.round(r.width));
  el.setAttribute('data-h', Math.round(r.height)); return r; }
document.querySelectorAll('svg.chart').forEach(function (svg) {
  box(svg); var drawn = 0;
  svg.querySelectorAll('rect').forEach(function (r) { var b = r.getBoundingClientRect();
    if (b.width > 0 && b.height > 0) drawn++; });
  svg.setAttribute('data-drawn', drawn); });
document.querySelectorAll('table.commitments').forEach(function (t) {
  box(t); var shown = 0;
  t.querySelectorAll('tbody tr').forEach(function (tr) { if (tr.getBoundingClientRect().height > 0) shown++; });
  var st = getComputedStyle(t);
  t.setAttribute('data-shown', shown); t.setAttribute('data-visible', st.display !== 'none' && st.visibility === 'visible'); });
document.body.setAttribute('data-scroll-width', document.documentElement.scrollWidth);
document.body.setAttribute('data-viewport', window.innerWidth);
</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with no network, sync or first-run chatter, in a throwaway profile."""
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("demo")
    from tests.conftest import ROOT
    from tracker.config import load_settings

    settings: Settings = load_settings(ROOT / "config.toml", env={})
    demo = run_demo(settings, db_path=tmp / "demo.sqlite")
    page = tmp / "scorecard.html"
    page.write_text(render_html(demo.scorecard).replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    return page


def test_charts_are_drawn_and_the_table_is_visible_on_a_phone(demo_page: Path, tmp_path: Path) -> None:
    res = chromium(tmp_path, "--window-size=390,844", "--dump-dom", demo_page.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    dom = LexborHTMLParser(res.stdout)
    body = dom.css_first("body")
    assert body is not None and body.attributes.get("data-viewport") is not None, "the measuring script did not run"
    charts = {c.attributes["class"]: c.attributes for c in dom.css("svg.chart")}
    assert set(charts) == {"chart chart-status", "chart chart-areas"}
    for cls, attrs in charts.items():
        assert int(attrs["data-w"] or 0) > 100 and int(attrs["data-h"] or 0) > 10, cls
        assert int(attrs["data-drawn"] or 0) >= 2, f"{cls}: no bars drawn"
    table = dom.css_first("table.commitments")
    assert table is not None and table.attributes["data-visible"] == "true"
    assert int(table.attributes["data-w"] or 0) > 200 and int(table.attributes["data-h"] or 0) > 500
    assert int(table.attributes["data-shown"] or 0) == len(dom.css("table.commitments tbody tr")) > 20
    # wide tables scroll inside their own box; the page itself fits the phone's width
    assert int(body.attributes["data-scroll-width"] or 0) <= int(body.attributes["data-viewport"] or 0)
    assert "国内生产总值增长" in table.text()


def test_screenshot(demo_page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "scorecard.png"
    res = chromium(tmp_path, "--window-size=1200,1800", f"--screenshot={shot}", demo_page.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_report_text_with_markup_is_shown_as_text(tmp_path: Path) -> None:
    from tests.test_scorecard import ev, view
    from tracker.scorecard.build import build_scorecard

    attack = '<script>document.body.setAttribute("data-pwned", "1")</script> R&D'
    nasty = view(1, attack, "fulfilled", chapter='"><img src=x onerror="document.body.dataset.img=1">',
                 evidence=ev(6.2, "%", "exact", "<b onmouseover=x>增长</b> & 6.2%", "6.2%"))
    page = tmp_path / "nasty.html"
    page.write_text(render_html(build_scorecard([nasty], year=2024)), encoding="utf-8")
    res = chromium(tmp_path, "--window-size=800,600", "--dump-dom", page.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    dom = LexborHTMLParser(res.stdout)
    body = dom.css_first("body")
    assert body is not None and "data-pwned" not in body.attributes and "data-img" not in body.attributes
    assert not dom.css("main script") and not dom.css("main img") and not dom.css("td b")
    cells = dom.css("table.commitments tbody td")
    assert cells[1].text() == attack
    assert cells[-1].text().startswith("<b onmouseover=x>增长</b> & 6.2%")
