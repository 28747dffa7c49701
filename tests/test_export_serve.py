"""vnplans export (CSV, JSON, XLSX, Parquet) and vnplans serve (Datasette), driven as a user would."""
import csv
import json
import sys
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT
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
