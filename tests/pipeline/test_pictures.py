"""Pictures people look at instead of reading: the comparison page (compare --html) and its notebook figure, the
audit report (table of contents, Vietnamese chart labels, a phone's width, print), and Datasette's pages, checked
the way a person would see them: laid out by Chromium at 1400 and 400 px."""
import re
import sys

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from vnplans.pipeline import audit, compare, html
from vnplans.pipeline.cli import main
from vnplans.pipeline.serve import running
from vnplans.pipeline.store import Store

sys.path.insert(0, str(ROOT / "tools"))
import screenshot  # noqa: E402

# A page framed at a given width (headless Chromium's own window is never narrower than 500 px), and what a
# person at that width would see, written into the DOM for the test to read.
PROBE = """<!doctype html><body style="margin:0"><iframe id="f" src="{page}" style="width:{width}px;height:1200px;border:0">
</iframe><script>document.getElementById("f").addEventListener("load", () => {{
  const d = document.getElementById("f").contentDocument, b = document.body;
  const texts = [...d.querySelectorAll(".chart svg text")].map(t => t.getBoundingClientRect().height).filter(h => h > 0);
  b.dataset.pageWidth = d.documentElement.scrollWidth;
  b.dataset.smallestChartText = texts.length ? Math.min(...texts) : -1;
}});</script></body>"""


def _laid_out(page, width: int, tmp_path) -> dict:
    probe = tmp_path / f"probe-{width}.html"
    probe.write_text(PROBE.format(page=page.name, width=width), "utf-8")
    body = BeautifulSoup(screenshot.dump_dom(str(probe), width=max(width, 600), height=1300), "html.parser").body
    return {"page_width": float(body["data-page-width"]), "smallest_chart_text": float(body["data-smallest-chart-text"])}


def _offline(page_html: str) -> bool:
    return not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page_html)


def test_compare_html_draws_the_latest_values_against_the_national_target_and_the_median(corpus_db, tmp_path, capsys):
    page = tmp_path / "compare.html"
    assert main(["compare", "smartphone-adults", "--html", str(page), "--db", str(corpus_db)]) == 0
    text = page.read_text("utf-8")
    soup = BeautifulSoup(text, "html.parser")
    assert soup.find("h1").get_text() == "Tỷ lệ dân số trưởng thành có điện thoại thông minh"
    chart = soup.find(id="latest").find_next("div", class_="chart").find("svg")
    labels = [t.get_text().strip() for t in chart.find_all("text")]
    assert "mục tiêu quốc gia · national target: ≥80 (2025)" in labels
    assert "trung vị các tỉnh · median of the provinces: 85" in labels
    assert {"Bình Phước", "Bắc Giang", "Ninh Thuận", ">95% (2025)", "85% (2022)"} <= set(labels)
    assert [a["href"] for a in soup.select("nav.toc a")] == ["#latest", "#all"]  # no trajectory: none drawn
    assert len(soup.select("#all ~ div table tr")) == 4 and _offline(text)


def test_trajectories_are_drawn_for_provinces_that_set_a_metric_for_several_years(corpus_db, tmp_path):
    # Bình Dương sets "tỷ lệ hồ sơ công việc xử lý trên môi trường mạng" per level for 2020 and for 2025
    page = tmp_path / "work.html"
    assert main(["compare", "work-records-online", "--html", str(page), "--db", str(corpus_db)]) == 0
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    assert [a["href"] for a in soup.select("nav.toc a")] == ["#latest", "#trajectories", "#all"]
    chart = soup.find(id="trajectories").find_next("div", class_="chart").find("svg")
    labels = {t.get_text().strip() for t in chart.find_all("text")}
    assert {"Bình Dương [tỉnh]", "Bình Dương [xã]", "2020", "2025", "năm mục tiêu · target year"} <= labels


def test_the_notebook_api_draws_the_comparison(corpus_db):
    import vnplans

    with vnplans.open(corpus_db) as db:
        fig = db.compare("smartphone-adults").figure()
    assert fig.axes and {t.get_text() for t in fig.axes[0].get_yticklabels()} == {"Bình Phước", "Bắc Giang",
                                                                                  "Ninh Thuận"}
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_the_audit_report_has_contents_vietnamese_labels_and_prints_whole(corpus_db):
    page = html.render_audit(audit.audit(Store.existing(corpus_db), as_of="2024-01-01"))
    soup = BeautifulSoup(page, "html.parser")
    targets = [a["href"][1:] for a in soup.select("nav.toc a")]
    assert len(targets) >= 5 and all(soup.find(id=t) for t in targets)  # every entry leads somewhere
    legends = " ".join(t.get_text() for t in soup.select(".chart svg text"))
    assert "một đơn vị chủ trì · one lead" in legends and "chưa có chủ trì · no lead" in legends
    assert "mục con đã được giao · sub-item(s) assigned" in page  # the notes are Vietnamese first too
    assert "@media print" in page and "beforeprint" in page and "@media (max-width: 40rem)" in page
    assert _offline(page)


@pytest.mark.slow
@pytest.mark.parametrize("width", [1400, 400])
def test_chromium_lays_the_audit_report_out_readably(corpus_db, tmp_path, width):
    if screenshot.chromium() is None:
        pytest.skip("needs Debian's chromium")
    page = tmp_path / "audit.html"
    html.write_audit(audit.audit(Store.existing(corpus_db), as_of="2024-01-01"), page)
    seen = _laid_out(page, width, tmp_path)
    assert seen["page_width"] <= width  # nothing runs off the screen: wide tables and charts scroll in their box
    assert seen["smallest_chart_text"] >= 7.5  # chart labels stay legible (they were about 4 px on a phone)
    png = screenshot.screenshot(str(page), tmp_path / f"audit-{width}.png", width, 1600)
    from PIL import Image

    with Image.open(png) as im:
        assert im.size == (width, 1600) and len(im.convert("RGB").getcolors(maxcolors=1 << 20) or range(99)) > 50


@pytest.mark.slow
def test_chromium_lays_the_comparison_page_out_readably_on_a_phone(corpus_db, tmp_path):
    if screenshot.chromium() is None:
        pytest.skip("needs Debian's chromium")
    page = tmp_path / "compare.html"
    html.write_compare(compare.compare(Store.existing(corpus_db), "smartphone-adults"), page)
    for width in (1400, 400):
        seen = _laid_out(page, width, tmp_path)
        assert seen["page_width"] <= width and seen["smallest_chart_text"] >= 7.5
    assert screenshot.screenshot(str(page), tmp_path / "compare.png", 1400, 1200).stat().st_size > 10_000


@pytest.mark.slow
def test_datasette_home_lists_views_and_queries_and_tables_carry_vietnamese_labels(corpus_db, tmp_path):
    if screenshot.chromium() is None:
        pytest.skip("needs Debian's chromium")
    with running(corpus_db) as url:
        home = BeautifulSoup(screenshot.dump_dom(url.rsplit("/", 1)[0] + "/"), "html.parser")
        links = {a.get_text() for a in home.find_all("a")}
        assert "Chỉ tiêu cam kết · Commitments (targets by province)" in links
        assert "So sánh chỉ tiêu giữa các tỉnh · Compare one metric across provinces" in links
        table = BeautifulSoup(screenshot.dump_dom(url + "/items?_facet=province"), "html.parser")
        labels = {th["data-column"]: th.select_one(".label-vi").get_text() for th in table.select("th")
                  if th.select_one(".label-vi")}
        assert labels.get("stt") == "STT" and labels.get("text") == "Nội dung"
        counts = table.select(".facet-info .facet-count")
        assert counts and all(re.fullmatch(r"[\d,]+", c.get_text().strip()) for c in counts)
        query = BeautifulSoup(screenshot.dump_dom(url + "/compare_metric"), "html.parser")
        assert any(a["href"].endswith("compare_metric?metric=smartphone-adults") for a in query.find_all("a", href=True))
        png = screenshot.screenshot(url.rsplit("/", 1)[0] + "/", tmp_path / "home.png", 1280, 1000)
        assert png.stat().st_size > 10_000

