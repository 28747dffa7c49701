"""End to end: the DOCX, PDF and scanned-PDF renditions of the seed plans score as the text does."""
from __future__ import annotations

import importlib.util
import sqlite3

import pytest
from conftest import ROOT

RENDITIONS = ROOT / "corpus" / "renditions"


def _tool():
    spec = importlib.util.spec_from_file_location("score_renditions", ROOT / "tools" / "score_renditions.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def tool():
    return _tool()


@pytest.mark.parametrize("fmt", ["docx", "odt", pytest.param("pdf", marks=pytest.mark.slow)])  # PDF: the goldens too
@pytest.mark.parametrize("stem", ["000_6f49e80e59cad2c1", "001_da5bc96585bd91bd", "003_17e739ba34981291",
                                  "004_c147d9c3ca0a32b7"])
def test_born_digital_rendition_scores_as_the_text(tool, fmt, stem):
    r = tool.score_file(RENDITIONS / fmt / f"{stem}.{fmt}")
    assert r["metadata_identical"], r["metadata_diff"]
    assert r["rows_f1"] >= r["rows_f1_text"] - 0.03
    assert r["targets_f1"] >= r["targets_f1_text"] - 0.03
    assert r["ocr_pages"] == 0
    if fmt == "pdf":
        rows = [row for row in r["pred"]["rows"] if row["provenance"]]
        assert len(rows) > 0.9 * len(r["pred"]["rows"])
        assert all(row["provenance"]["page"] for row in rows)
        # appendix tables sit on the landscape pages at the end, not on page 1
        assert max(row["provenance"]["page"] for row in rows) >= r["pages"] - 1


def test_landscape_pages_turned_by_rotate_read_as_upright(tool):
    import pdfplumber

    path = RENDITIONS / "pdf-rotated" / "003_17e739ba34981291.pdf"
    with pdfplumber.open(path) as pdf:
        assert sum(p.rotation == 90 for p in pdf.pages) >= 3
    r = tool.score_file(path)
    assert r["metadata_identical"], r["metadata_diff"]
    assert r["rows_f1"] >= r["rows_f1_text"] - 0.03
    assert r["targets_f1"] >= r["targets_f1_text"] - 0.03


@pytest.fixture(scope="module")
def scanned(tool):
    return tool.score_file(RENDITIONS / "scan" / "004_c147d9c3ca0a32b7.pdf")


@pytest.mark.slow
def test_scanned_rendition_reaches_the_ocr_bar(scanned):
    assert scanned["rows_f1"] >= 0.85
    assert scanned["targets_f1"] >= 0.80
    assert scanned["metadata_identical"], scanned["metadata_diff"]


@pytest.mark.slow
def test_scanned_values_carry_the_ocr_flag_and_page_confidence(scanned):
    pred = scanned["pred"]
    assert scanned["ocr_pages"] == scanned["pages"] == len(pred["ocr_pages"])
    assert all(50 <= p["confidence"] <= 100 for p in pred["ocr_pages"])
    assert all(t["provenance"]["ocr"] for t in pred["targets"])
    assert all(r["provenance"]["ocr"] for r in pred["rows"])
    assert any("OCR on 14 of 14 pages" in w for w in pred["warnings"])


@pytest.mark.slow
def test_ocr_confidence_and_flags_are_stored(tmp_path):
    from vnplans.pipeline.cli import main

    db = tmp_path / "v.db"
    files = [RENDITIONS / "docx" / "003_17e739ba34981291.docx", RENDITIONS / "pdf" / "003_17e739ba34981291.pdf"]
    assert main(["ingest", *map(str, files), "--db", str(db)]) == 0
    conn = sqlite3.connect(db)
    formats = dict(conn.execute("SELECT format, pages FROM documents").fetchall())
    assert set(formats) == {"docx", "pdf"} and formats["pdf"] >= 10
    assert conn.execute("SELECT count(*) FROM rows WHERE ocr = 1").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM ocr_pages").fetchone()[0] == 0
    pdf_rows = conn.execute("SELECT count(*) FROM rows r JOIN documents d ON d.id = r.doc_id"
                            " WHERE d.format = 'pdf' AND r.page IS NOT NULL").fetchone()[0]
    assert pdf_rows > 40


# --- producers other than our LibreOffice path (tools/make_foreign_pdfs.py) -------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("stem", ["000_6f49e80e59cad2c1", "001_da5bc96585bd91bd", "003_17e739ba34981291",
                                  "004_c147d9c3ca0a32b7"])
def test_a_chromium_print_scores_as_the_text(tool, stem):
    # other fonts, CSS borders, a <thead> repeated on every page, landscape appendices
    r = tool.score_file(RENDITIONS / "chromium" / f"{stem}.pdf")
    assert r["rows_f1"] >= r["rows_f1_text"] - 0.05
    assert r["lead"] >= r["lead_text"] - 0.05 and r["coordinate"] >= r["coordinate_text"] - 0.05
    assert r["targets_f1"] >= r["targets_f1_text"] - 0.05


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [150, 300])
def test_a_scan_from_another_tool_chain_scores_as_the_text(tool, dpi):
    # pdftoppm, turned 0.5-2 degrees, noised and JPEG-compressed by ImageMagick, wrapped by img2pdf
    r = tool.score_file(RENDITIONS / "rescan" / f"004_c147d9c3ca0a32b7@{dpi}.pdf")
    assert r["ocr_pages"] == r["pages"] == 5
    assert r["rows_f1"] >= r["rows_f1_text"] - 0.05
    assert r["lead"] >= r["lead_text"] - 0.05 and r["coordinate"] >= r["coordinate_text"] - 0.05
    assert r["pred"]["page_quality"] and all(q["source"] == "ocr" for q in r["pred"]["page_quality"])
    assert all(q["non_syllable"] < 0.2 for q in r["pred"]["page_quality"])


SEED_STEMS = ["000_6f49e80e59cad2c1", "001_da5bc96585bd91bd", "003_17e739ba34981291", "004_c147d9c3ca0a32b7"]


@pytest.mark.parametrize("stem", SEED_STEMS)
@pytest.mark.parametrize("fmt, rows_min, lead_min, coordinate_min", [
    ("layout-text/{}.txt", 0.85, 0.75, 0.80),  # a pdftotext -layout dump: tables of spaces
    pytest.param("chromium-borderless/{}.pdf", 0.90, 0.80, 0.95,  # no rulings at all, labels wrapped in narrow columns
                 marks=pytest.mark.slow),
])
def test_a_table_without_rulings_is_read_from_where_its_words_stand(tool, stem, fmt, rows_min, lead_min, coordinate_min):
    # every row is found; roles are read, less surely than from rulings
    r = tool.score_file(RENDITIONS / fmt.format(stem))
    assert r["rows_f1"] >= rows_min
    assert r["lead"] >= lead_min and r["coordinate"] >= coordinate_min
