"""vnplans export (CSV, JSON, XLSX, Parquet) and vnplans serve (Datasette), driven as a user would."""
import csv
import json
import sys
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT, plan_with_table
from vnplans.pipeline.cli import main
from vnplans.pipeline.serve import running
from vnplans.pipeline.store import Store

sys.path.insert(0, str(ROOT / "tools"))
import screenshot  # noqa: E402


def _count(db, table) -> int:
    return Store(db).query(f"SELECT count(*) AS n FROM {table}")[0]["n"]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "parquet"])
def test_export_writes_every_table_with_ids_and_provenance(corpus_db, tmp_path, fmt, capsys):
    out = tmp_path / fmt
    assert main(["export", "--format", fmt, "--out", str(out), "--db", str(corpus_db)]) == 0
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    for table in ("documents", "rows", "targets", "assignments", "commitments", "items", "canonical_agencies"):
        assert manifest["tables"][table]["rows"] == _count(corpus_db, table)
    cols = manifest["tables"]["targets"]["columns"]
    assert {"doc_id", "metric_id", "line", "start", "end", "quote"} <= set(cols)
    n = _count(corpus_db, "targets")
    if fmt == "csv":
        rows = list(csv.DictReader((out / "targets.csv").open(encoding="utf-8", newline="")))
        assert len(rows) == n and any(r["metric_id"] == "smartphone-adults" for r in rows)
    elif fmt == "json":
        rows = json.loads((out / "commitments.json").read_text("utf-8"))
        assert any(r["province"] == "Bình Phước" and r["value"] == 95 for r in rows)
        docs = json.loads((out / "documents.json").read_text("utf-8"))
        t = next(r for r in rows if r["metric_id"] == "smartphone-adults" and r["province"] == "Bình Phước")
        body = next(d["body"] for d in docs if d["id"] == t["doc_id"])
        assert "95%" in body[t["start"]:t["end"]]  # the provenance span points into the exported text
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(out / "vnplans.xlsx", read_only=True)
        assert sum(1 for _ in wb["targets"].iter_rows()) == n + 1
        assert "body" not in [c.value for c in next(wb["documents"].iter_rows())]
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(out / "targets.parquet")
        assert table.num_rows == n and str(table.schema.field("value").type) == "double"
        assert str(table.schema.field("line").type) == "int64"
        assert pq.read_table(out / "failures.parquet").num_rows == 0  # empty tables keep their columns


def test_codes_years_and_dates_survive_pandas_through_the_datapackage(corpus_db, tmp_path):
    import vnplans

    out = tmp_path / "csv"
    assert main(["export", "--format", "csv", "--out", str(out), "--db", str(corpus_db)]) == 0
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f["type"] for r in package["resources"] if r["name"] == "commitments"
              for f in r["schema"]["fields"]}
    assert (fields["dti_code"], fields["province_code"], fields["year"], fields["issued_date"]) == (
        "string", "string", "integer", "date")
    dti = vnplans.read_export(out, "dti_indicators")
    assert "5.10" in set(dti["code"]) and "5.1" in set(dti["code"])  # not 5.1 twice
    provinces = vnplans.read_export(out, "provinces")
    assert provinces.loc[provinces["name"] == "Hà Nội", "code"].tolist() == ["01"]
    commitments = vnplans.read_export(out, "commitments")
    assert str(commitments["year"].dtype) == "Int64" and commitments["year"].max() >= 2025
    assert all(hasattr(d, "isoformat") for d in commitments["issued_date"].dropna())
    # the long-form matrix: one latest commitment per province, metric, unit and level
    matrix = vnplans.read_export(out, "commitment_matrix")
    assert not matrix.duplicated(["province", "metric", "unit", "scope"]).any()
    assert len(matrix) == int((commitments["latest"] == 1).sum())


PLAN_WITH_FORMULAS = plan_with_table(
    '| 1 | =HYPERLINK("http://example.invalid","bấm vào đây") | Sở Khoa học và Công nghệ | 2026 |',
    "| 2 | +1+1 cập nhật dữ liệu dân cư | Công an tỉnh | 2026 |")


def test_text_that_a_spreadsheet_would_run_is_neutralised(tmp_path):
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN_WITH_FORMULAS, "utf-8")
    db = tmp_path / "t.db"
    assert main(["ingest", str(plan), "--db", str(db)]) == 0
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "csv"), "--db", str(db)]) == 0
    texts = [r["text"] for r in csv.DictReader((tmp_path / "csv" / "rows.csv").open(encoding="utf-8"))]
    assert texts[0].startswith("'=HYPERLINK(") and texts[1].startswith("'+1+1")
    import vnplans

    assert vnplans.read_export(tmp_path / "csv", "rows")["text"].tolist()[0].startswith("=HYPERLINK(")
    assert main(["export", "--format", "xlsx", "--out", str(tmp_path / "x"), "--db", str(db)]) == 0
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "x" / "vnplans.xlsx")["rows"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("text") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK(")  # text, not a formula
    assert ws[1][0].font.bold and ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    docs = load_workbook(tmp_path / "x" / "vnplans.xlsx")["documents"]
    dheader = [c.value for c in docs[1]]
    assert docs.cell(row=2, column=dheader.index("issued_date") + 1).is_date


def test_excel_csv_has_a_bom_and_codes_excel_keeps_as_text(corpus_db, tmp_path):
    out = tmp_path / "excel"
    assert main(["export", "--format", "csv", "--excel", "--out", str(out), "--db", str(corpus_db)]) == 0
    raw = (out / "dti_indicators.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b'"=""5.10"""' in raw  # the field ='5.10' as CSV quotes it


def test_parquet_years_are_integers_and_dates_dates(corpus_db, tmp_path):
    import pyarrow.parquet as pq

    assert main(["export", "--format", "parquet", "--out", str(tmp_path), "--db", str(corpus_db)]) == 0
    schema = pq.read_table(tmp_path / "commitments.parquet").schema
    assert str(schema.field("year").type) == "int64" and str(schema.field("issued_date").type) == "date32[day]"
    assert str(schema.field("dti_code").type) == "string"


def test_export_into_a_file_is_a_clear_error(corpus_db, tmp_path, capsys):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    assert main(["export", "--format", "csv", "--out", str(blocker), "--db", str(corpus_db)]) == 1
    assert "cannot create" in capsys.readouterr().err


# --- Datasette -----------------------------------------------------------------------------------------------

def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        assert r.status == 200
        return r.read().decode("utf-8")


@pytest.fixture(scope="module")
def server(corpus_db):
    with running(corpus_db) as url:
        yield url


def _json(url: str):
    return json.loads(_get(url))


def test_serve_home_page_lists_the_views_and_the_canned_queries(server):
    home = _get(server.rsplit("/", 1)[0] + "/")  # the instance's home page, above the database's
    assert "Câu hỏi có sẵn · canned queries" in home
    assert 'href="/vnplans/agency_due"' in home and 'href="/vnplans/commitment_matrix"' in home
    assert "Ma trận cam kết" in home and "Khối lượng theo cơ quan" in home


def test_serve_has_vietnamese_labels_descriptions_and_facets(server):
    page = _get(server + "/commitments")
    assert "Chỉ tiêu cam kết · Commitments" in page and "Tỉnh sau sáp nhập 2025" in page
    data = _json(server + "/items.json?_size=1")
    assert {"province", "lead_state", "deadline_state"} <= set(data["facet_results"])
    data = _json(server + "/agency_items.json?_size=1")
    assert {"agency", "role"} <= set(data["facet_results"])


def test_serve_canned_queries_answer_compare_and_audit(server):
    rows = _json(server + "/compare_metric.json?metric=sme-digital-platforms&_shape=array")
    assert {r["province"] for r in rows} == {"Bình Dương", "Bình Phước", "Bắc Giang", "Ninh Thuận"}
    plan = urllib.parse.quote("4876/KH-UBND")
    rows = _json(server + f"/audit_no_lead.json?plan={plan}&_shape=array")
    assert [r["stt"] for r in rows if r["lead_state"] == "none"] == ["2.10", "3.5.1", "3.5.2", "5.12", "6.22"]
    rows = _json(server + f"/audit_deadlines.json?plan={plan}&as_of=2023-11-01&_shape=array")
    assert {"5.3", "5.7"} <= {r["stt"] for r in rows if r["state"] == "none"}
    rows = _json(server + "/agency_load.json?province=&_shape=array")
    assert rows[0]["agency"] == "Sở Khoa học và Công nghệ"  # Sở TT&TT's load, counted under today's agency
    rows = _json(server + f"/dti_gaps.json?plan={plan}&_shape=array")
    assert "1.1" in {r["code"] for r in rows} and "2.8" not in {r["code"] for r in rows}


def test_serve_refuses_a_public_address_unless_asked(corpus_db, capsys):
    assert main(["serve", "--host", "0.0.0.0", "--db", str(corpus_db)]) == 2
    assert "--public" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(screenshot.chromium() is None,
                    reason="needs Debian's chromium (tools/install_system_deps.sh --browser; .ci/run installs it)")
def test_a_browser_renders_the_comparison_page(server, tmp_path):
    url = server + "/compare_metric?metric=smartphone-adults"
    dom = screenshot.dump_dom(url)
    assert "So sánh chỉ tiêu giữa các tỉnh" in dom and "382/KH-UBND" in dom and "Bắc Giang" in dom
    png = screenshot.screenshot(url, tmp_path / "compare.png", 1280, 900)
    from PIL import Image

    with Image.open(png) as im:
        assert im.size == (1280, 900)
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is None or len(colours) > 50  # a rendered page, not a blank one
