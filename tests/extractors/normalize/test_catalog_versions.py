"""The DTI catalog in versions: 922/QĐ-BTTTT (2022) and 405/QĐ-BKHCN (2025), an indicator followed from one
to the next, each plan linked and audited against the version in force at its date; and a table that numbers
its own items 1.1, 1.1.1 (a PAR index, sampling sites) is not read as DTI codes."""
from types import SimpleNamespace

import pytest

from conftest import CORPUS, REFERENCE
from vnplans.pipeline import audit
from vnplans.pipeline.cli import main
from vnplans.pipeline.store import Store


def test_each_date_gets_the_version_in_force():
    assert REFERENCE.metrics.catalog_for("2019-08-22").id == "dti-2022"  # older than all: the nearest
    assert REFERENCE.metrics.catalog_for("2025-04-02").id == "dti-2022"
    assert REFERENCE.metrics.catalog_for("2025-04-03").id == "dti-2025"
    assert REFERENCE.metrics.catalog_for("2026-03-15").id == "dti-2025"
    v = REFERENCE.metrics.catalog_for("2026-03-15")
    assert v.decision == "Quyết định 405/QĐ-BKHCN" and v.follows == "dti-2022"
    assert list(v.pillars.values())[5] == "Hoạt động chính quyền số" and len(v.assessed()) == 8


@pytest.mark.parametrize("code_2022, code_2025", [
    ("6.8", "6"),  # Tỷ lệ TTHC cung cấp DVCTT toàn trình -> Hoạt động chính quyền số
    ("7.5", "7"),  # doanh nghiệp nhỏ và vừa sử dụng nền tảng số -> Hoạt động kinh tế số
    ("5.12.5", "5"),  # a sub-component is carried with its main indicator
    ("3", "3"),  # Hạ tầng số continues
    ("9", None),  # Đô thị thông minh is not in the 2025 index
    ("9.1", None),
])
def test_an_indicator_of_2022_walks_to_its_2025_counterpart(code_2022, code_2025):
    assert REFERENCE.metrics.walk(code_2022, "dti-2022", "dti-2025") == code_2025


def test_a_2026_target_links_to_the_2025_catalog():
    # Lâm Đồng, 2026 (realdocs r12): "Tỷ lệ hồ sơ trực tuyến toàn trình ... đạt 80%"
    target = SimpleNamespace(metric="Tỷ lệ hồ sơ trực tuyến toàn trình", quote="", unit="%", row_index=None)
    (link,) = REFERENCE.metrics.link_all([], [target], "2026-03-15").targets
    assert (link.metric.id, link.indicator, link.catalog) == ("dvctt-full-online", "6", "dti-2025")
    (before,) = REFERENCE.metrics.link_all([], [target], "2024-06-01").targets
    assert (before.indicator, before.catalog) == ("6.8", "dti-2022")


def _row(table, stt, text, kind="indicator"):
    return SimpleNamespace(table=table, stt=stt, text=text, kind=kind, max_score=1.0)


def test_a_table_with_its_own_numbering_is_not_read_as_dti_codes():
    # Lâm Đồng's PAR index self-assessment (realdocs r14): criteria 1.3.1, 2.1.1 ... share the shape of DTI codes
    par = [_row("Phụ lục", "1.3.1", "Tỷ lệ cơ quan chuyên môn cấp tỉnh và đơn vị hành chính cấp xã được kiểm tra"),
           _row("Phụ lục", "2.1.1", "Kiểm tra công tác tổ chức thi hành pháp luật"),
           _row("Phụ lục", "3.2.1", "Công bố TTHC, danh mục TTHC theo quy định"),
           _row("Phụ lục", "4.1.1", "Hoàn thiện quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức")]
    # Bình Dương's DTI plan (seed 000): the same shape, read as the catalog's codes
    dti = [_row("Phụ lục 2", "2.9", "Ban hành chính sách thuê chuyên gia chuyển đổi số"),
           _row("Phụ lục 2", "3.5", "Triển khai Trung tâm dữ liệu phục vụ Chuyển đổi số theo hướng sử dụng công nghệ "
                                    "điện toán đám mây"),
           _row("Phụ lục 2", "3.5.1", "Đã triển khai theo hướng sử dụng công nghệ điện toán đám mây")]
    links = REFERENCE.metrics.link_all(par + dti, [], "2023-09-26").rows
    assert all(link is None or link.method not in ("code", "parent-code") for link in links[:4])
    assert [(link.indicator, link.method) for link in links[4:]] == [("2.9", "code"), ("3.5", "code"),
                                                                      ("3.5", "parent-code")]


def test_coverage_of_a_2026_plan_counts_the_main_indicators_of_the_2025_index(tmp_path):
    store = Store(tmp_path / "empty.db")  # the catalogs are in every store, with or without plans
    rows = [{"indicator_code": "6", "catalog": "dti-2025", "leads": "Sở Khoa học và Công nghệ"},
            {"indicator_code": "7", "catalog": "dti-2025", "leads": ""},
            {"indicator_code": "6.8", "catalog": "dti-2022", "leads": "Sở Khoa học và Công nghệ"}]
    c = audit._coverage(store, rows, "2026-01-06")
    assert (c.catalog, c.indicators, c.covered) == ("dti-2025", 8, 1)
    assert "Hoạt động kinh tế số" in {g["name"] for g in c.gaps} and "main indicators" in c.note


def test_the_store_follows_an_indicator_across_versions_and_audits_a_2025_plan(tmp_path, capsys):
    db = tmp_path / "v.db"
    plan = CORPUS / "realdocs/docs/r08.md"  # Thủ tướng Chính phủ, 01/12/2025
    assert main(["ingest", str(plan), "--db", str(db)]) == 0
    store = Store(db)
    try:
        walked = store.query("SELECT to_code FROM dti_correspondence WHERE from_catalog = 'dti-2022' "
                             "AND from_code = '6.8' AND to_catalog = 'dti-2025'")
        assert walked == [{"to_code": "6"}]
        assert store.query("SELECT count(*) AS n FROM dti_indicators WHERE catalog = 'dti-2025'") == [{"n": 8}]
        linked = store.query("SELECT DISTINCT indicator_code, catalog FROM targets WHERE indicator_code IS NOT NULL")
        assert linked and all(r["catalog"] == "dti-2025" for r in linked)
        (p,) = audit.audit(store).plans
        assert p.coverage.catalog == "dti-2025" and p.coverage.indicators == 8
    finally:
        store.close()
