"""DOCX and PDF readers: Word numbering and merged cells, page layout rules, OCR plumbing, bad files."""
from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from vnplans.extractors.errors import ReadError
from vnplans.extractors.readers import read_bytes, read_file
from vnplans.extractors.readers.layout import Line, Word, cell_grid, paragraphs, split_segments
from vnplans.extractors.readers.pdf import text_layer_quality
from conftest import ROOT

PDF = ROOT / "corpus" / "renditions" / "pdf" / "003_17e739ba34981291.pdf"


def _docx_bytes(build) -> bytes:
    doc = Document()
    build(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_bullets_come_back_as_dashes_and_header_table_as_lines():
    def build(doc):
        t = doc.add_table(rows=2, cols=2)
        t.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH"
        t.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        t.cell(1, 0).text = "Số: 12/KH-UBND"
        t.cell(1, 1).text = "Bắc Ninh, ngày 3 tháng 2 năm 2025"
        doc.add_paragraph("KẾ HOẠCH")
        doc.add_paragraph("Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 90%;", style="List Bullet")

    doc = read_bytes("plan.docx", _docx_bytes(build))
    texts = [b.text for b in doc.blocks]
    assert texts[:4] == ["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/KH-UBND"]
    assert texts[-1] == "- Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 90%;"
    assert doc.format == "docx" and not doc.tables()


def test_docx_numbering_labels_and_merged_cells():
    def build(doc):
        for text in ("Mục tiêu", "Nhiệm vụ"):
            doc.add_paragraph(text, style="List Number")
        t = doc.add_table(rows=4, cols=4)
        for i, h in enumerate(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"]):
            t.cell(0, i).text = h
        t.cell(1, 0).text = "I"
        t.cell(1, 1).merge(t.cell(1, 3)).text = "Hạ tầng số"
        t.cell(2, 0).text = "1"
        t.cell(2, 1).text = "Phủ sóng 5G"
        t.cell(2, 2).merge(t.cell(3, 2)).text = "Sở Khoa học và Công nghệ"  # vertical merge
        t.cell(2, 3).text = "2025"
        t.cell(3, 0).text = "2"
        t.cell(3, 1).text = "Cáp quang đến thôn"
        t.cell(3, 3).text = "2026"

    doc = read_bytes("plan.docx", _docx_bytes(build))
    assert [b.text for b in doc.lines()] == ["1. Mục tiêu", "2. Nhiệm vụ"]
    table = doc.tables()[0].table
    assert table.header == ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    assert [(c.text, c.colspan) for c in table.rows[0]] == [("I", 1), ("Hạ tầng số", 3)]
    assert [c.text for c in table.rows[2]] == ["2", "Cáp quang đến thôn", "Sở Khoa học và Công nghệ", "2026"]
    for row in table.rows:
        for cell in row:
            if cell.span:
                assert doc.text[cell.span.start : cell.span.end] == cell.text.replace("\n", " / ")


def test_docx_page_breaks_number_the_pages():
    def build(doc):
        doc.add_paragraph("KẾ HOẠCH")
        doc.add_page_break()
        doc.add_paragraph("PHỤ LỤC")

    doc = read_bytes("plan.docx", _docx_bytes(build))
    assert [(b.text, b.span.page) for b in doc.blocks] == [("KẾ HOẠCH", 1), ("PHỤ LỤC", 2)]


def _words(text: str, x0: float, top: float, size: float = 13.0) -> list[Word]:
    out, x = [], x0
    for w in text.split():
        width = 0.5 * size * len(w)
        out.append(Word(x, top, x + width, top + size, w))
        x += width + 0.25 * size
    return out


def test_wrapped_lines_join_unless_the_next_word_would_have_fitted():
    left, right = 85.0, 530.0
    first = Line(_words("Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng của các cơ quan", left, 100))
    first.words[-1].x1 = right - 2  # the line runs to the margin
    second = Line(_words("nhà nước đạt 90%.", left, 115))
    third = Line(_words("Kết nối", left, 130))  # "Kết" would have fitted after "90%." -> a new paragraph
    paras = paragraphs([first, second, third], left, right)
    assert [t for t, _ in paras] == [first.text + " nhà nước đạt 90%.", "Kết nối"]


def test_bullet_glyphs_and_markers_start_paragraphs():
    left, right = 85.0, 530.0
    a = Line(_words("Đầu mục", left, 100))
    a.words[-1].x1 = right
    b = Line(_words("\uf0b7 Phủ sóng", left, 115))
    assert [t for t, _ in paragraphs([a, b], left, right)] == ["Đầu mục", "- Phủ sóng"]


def test_two_columns_are_split_by_an_unusual_gap():
    line = Line(_words("ỦY BAN NHÂN DÂN", 90, 50) + _words("CỘNG HÒA XÃ HỘI", 330, 50))
    assert [s.text for s in split_segments(line, 13.0)] == ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI"]
    body = Line(_words("một dòng văn bản bình thường được căn đều hai bên lề", 85, 50))
    assert len(split_segments(body, 13.0)) == 1


def test_cell_grid_finds_spans():
    cells = [(0, 0, 50, 20), (50, 0, 150, 20), (0, 20, 150, 40), (0, 40, 50, 60), (50, 40, 150, 60)]
    xs, ys, placed = cell_grid(cells)
    assert xs == [0, 50, 150] and ys == [0, 20, 40, 60]
    assert (1, 0, 1, 2) == placed[2][:4]  # the full-width second row


def test_pdf_tables_continue_across_pages_without_repeated_headers():
    doc = read_file(PDF)
    tables = doc.tables()
    assert len(tables) == 1 and doc.pages and doc.pages >= 10
    table = tables[0].table
    assert table.layout == "pdf"
    assert not any(c.text == "STT" for row in table.rows for c in row[:1])
    pages = {c.span.page for row in table.rows for c in row if c.span}
    assert len(pages) >= 4  # one table over the landscape pages
    assert not any(b.text.strip().isdigit() for b in doc.lines())  # page numbers dropped


def test_text_layer_quality():
    assert text_layer_quality("Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 85%")[0] == "ok"
    assert text_layer_quality("Tû lÖ d©n sè tr−ëng thµnh cã ®iÖn tho¹i th«ng minh ®¹t 85%")[0] == "garbled"
    assert text_layer_quality("(cid:12)(cid:13)(cid:14) (cid:15)(cid:16)" * 5)[0] == "garbled"
    assert text_layer_quality("  12 ")[0] == "empty"
    # r23 (UBND Lâm Đồng, 2025) as a reader that splits words at font-subset changes gets it
    split = ("Th ự c hi ện Công văn số 4625/BNV-CCHC ngày 02/7/2025 của Bộ Nội vụ về xây dựng k ế ho ạ ch c ải cách "
             "hành chính , Ủ y ban nhân dân t ỉ nh Lâm Đồ ng báo cáo k ế t qu ả th ự c hi ệ n công tác c ải cách")
    verdict, measured = text_layer_quality(split)
    assert verdict == "garbled" and measured.single_letter > 0.18
    whole = ("Thực hiện Công văn số 4625/BNV-CCHC ngày 02/7/2025 của Bộ Nội vụ về xây dựng kế hoạch cải cách hành "
             "chính, Ủy ban nhân dân tỉnh Lâm Đồng báo cáo kết quả thực hiện công tác cải cách hành chính")
    verdict, measured = text_layer_quality(whole)
    assert verdict == "ok" and measured.non_syllable < 0.05 and measured.single_letter == 0


@pytest.mark.slow
def test_ocr_rulings_become_table_cells():
    from vnplans.extractors.readers.ocr import estimate_skew, find_tables

    img = np.full((600, 800), 255, dtype=np.uint8)
    for y in (100, 200, 300):
        img[y : y + 3, 100:700] = 0
    for x in (100, 300, 700):
        img[100:303, x : x + 3] = 0
    tables = find_tables(img, dpi=72)
    assert len(tables) == 1 and len(tables[0]) == 4
    assert estimate_skew(img) == 0.0


def test_missing_tesseract_is_named(monkeypatch):
    import ctypes

    from vnplans.extractors.readers import tesseract

    def missing(name):
        raise OSError(f"{name}: cannot open shared object file")

    tesseract._library.cache_clear()
    monkeypatch.setattr(ctypes, "CDLL", missing)
    try:
        with pytest.raises(ReadError, match="tesseract-ocr tesseract-ocr-vie"):
            tesseract.Engine("vie", tesseract.OEM_LSTM_ONLY)
    finally:
        tesseract._library.cache_clear()


@pytest.mark.parametrize("data,reason", [
    (b"%PDF-1.4\n" + bytes(range(256)) * 40, "PDF"),
    (PDF.read_bytes()[:3000], "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "legacy Word .doc"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100,
     "password-protected Office"),
])
def test_bad_paged_files_fail_with_a_reason(data, reason):
    with pytest.raises(ReadError, match=reason) as exc:
        read_bytes("bad.pdf", data)
    assert "bad.pdf" in str(exc.value)


def test_corrupt_docx_fails_with_a_reason():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body><w:p>")
    with pytest.raises(ReadError, match="corrupt Word document"):
        read_bytes("bad.docx", buf.getvalue())


def test_encrypted_pdf_fails_with_a_reason():
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(PDF))
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(ReadError, match="password-protected PDF"):
        read_bytes("locked.pdf", buf.getvalue())


def test_figures_in_adjacent_cells_set_closer_than_a_space_are_two_words():
    from vnplans.extractors.readers.pdf import words_in_cells

    def char(text, x0):
        return {"text": text, "x0": x0, "x1": x0 + 5, "fontname": "ABCDEF+TimesNewRomanPSMT"}

    # "62,5" ends at x=99 in one cell, "85" starts at x=100 in the next: pdfplumber joins them as "62,585"
    chars = [char(t, 79 + 5 * k) for k, t in enumerate("62,5")] + [char(t, 100 + 5 * k) for k, t in enumerate("85")]
    raw = [{"text": "62,585", "x0": 79, "x1": 110, "top": 10, "bottom": 20, "chars": chars}]
    cells = [[(40, 0, 99.5, 30), (99.5, 0, 140, 30)]]
    assert [(w.text, w.x0) for w in words_in_cells(raw, cells)] == [("62,5", 79), ("85", 100)]
    assert [w.text for w in words_in_cells(raw, [])] == ["62,585"]


def _odt(body: str) -> bytes:
    import zipfile as zf

    buf = io.BytesIO()
    with zf.ZipFile(buf, "w") as z:
        z.writestr(zf.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>'
                   + body + "</office:text></office:body></office:document-content>")
    return buf.getvalue()


def test_odt_lists_spaces_and_a_lead_merged_down_two_rows():
    """LibreOffice Writer's own format: a list item is a bulleted line, <text:s c="2"/> two spaces, and a lead
    cell merged down over two rows belongs to both (as FORMAT.md says of merged cells)."""
    cell = "<table:table-cell><text:p>{}</text:p></table:table-cell>"
    header = "".join(cell.format(h) for h in ("STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"))
    body = ("<text:h>KẾ HOẠCH</text:h><text:list><text:list-item><text:p>Tổ chức<text:s text:c=\"2\"/>tập huấn"
            "</text:p></text:list-item></text:list>"
            "<table:table><table:table-header-rows><table:table-row>" + header + "</table:table-row>"
            "</table:table-header-rows><table:table-row>" + cell.format("1") + cell.format("Số hóa hồ sơ")
            + '<table:table-cell table:number-rows-spanned="2"><text:p>Sở Tư pháp</text:p></table:table-cell>'
            + cell.format("2026") + "</table:table-row><table:table-row>" + cell.format("2")
            + cell.format("Cập nhật dữ liệu") + "<table:covered-table-cell/>" + cell.format("2027")
            + "</table:table-row></table:table>")
    doc = read_bytes("plan.odt", _odt(body))
    assert doc.format == "odt"
    assert [b.text for b in doc.blocks if b.kind == "line"] == ["KẾ HOẠCH", "- Tổ chức tập huấn"]
    (block,) = doc.tables()
    assert [[c.text for c in r] for r in block.table.rows] == [["1", "Số hóa hồ sơ", "Sở Tư pháp", "2026"],
                                                               ["2", "Cập nhật dữ liệu", "Sở Tư pháp", "2027"]]


def test_an_opendocument_spreadsheet_or_an_excel_file_is_named():
    import zipfile as zf

    buf = io.BytesIO()
    with zf.ZipFile(buf, "w") as z:
        z.writestr(zf.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    with pytest.raises(ReadError, match="OpenDocument file that is not a text document"):
        read_bytes("sheet.ods", buf.getvalue())
    buf = io.BytesIO()
    with zf.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<x/>")
    with pytest.raises(ReadError, match="Excel workbook, not a plan document"):
        read_bytes("book.xlsx", buf.getvalue())


@pytest.mark.parametrize("turned", [-1.5, 0.75, 1.2])
def test_skew_is_the_angle_that_undoes_a_turned_page(turned):
    """Lines of 'text' turned by a known angle: the estimate is the rotation that brings them back level."""
    from PIL import Image

    from vnplans.extractors.readers.ocr import estimate_skew

    page = np.full((1400, 1000), 255, dtype=np.uint8)
    for y in range(100, 1300, 40):  # rows of word-like blobs
        for x in range(80, 920, 60):
            page[y : y + 12, x : x + 45] = 0
    tilted = np.asarray(Image.fromarray(page).rotate(turned, resample=Image.BILINEAR, fillcolor=255))
    assert abs(estimate_skew(tilted) + turned) <= 0.05


def _runs_one_row_at_a_time(mask: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    runs = []
    for r, row in enumerate(mask.tolist()):
        start = None
        for c, ink in enumerate(row + [False]):
            if ink and start is None:
                start = c
            elif not ink and start is not None:
                if c - start >= min_len:
                    runs.append((r, start, c))
                start = None
    return runs


def test_ink_runs_are_found_in_every_row_and_none_spans_two():
    """Runs that touch a row's end (the next row starts with ink) stay two runs; short ones are dropped."""
    from vnplans.extractors.readers.ocr import _runs

    rng = np.random.default_rng(7)
    for _ in range(300):
        shape = tuple(int(n) for n in rng.integers(0, 25, 2))
        mask = rng.random(shape) < rng.random()
        min_len = int(rng.integers(1, 10))
        assert _runs(mask, min_len) == _runs_one_row_at_a_time(mask, min_len)
    full = np.ones((3, 5), dtype=bool)
    assert _runs(full, 5) == [(0, 0, 5), (1, 0, 5), (2, 0, 5)]
