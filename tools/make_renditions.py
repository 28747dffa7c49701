#!/usr/bin/env python3
"""Build the DOCX, PDF and scanned-PDF renditions of the seed plans in corpus/renditions/.

Each seed is read with vnplans' own text reader and written back out the way a
provincial office would type it in Word: the issuer | national-motto header and
the recipients | signature block as borderless two-column tables, "-" items as Word
bullets (auto-numbered, so the dash is not in the text), appendix tables as real
Word tables with merged cells and a header row repeated on every page, wide tables
in a landscape section, and the page number in the page header. The PDF is that
DOCX printed by LibreOffice headless (Debian package `libreoffice-writer`, needed by
this script only); the scan is the PDF rasterised page by page, slightly skewed and
noisy, with no text layer.

usage: tools/make_renditions.py [--seeds corpus/seeds] [--out corpus/renditions]
                                [--scan 004] [--rotate 003] [--only 000 001 ...]
The outputs are committed, so tests never need LibreOffice.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vnplans.extractors.readers import read_file  # noqa: E402
from vnplans.schemas.document import Block, Table  # noqa: E402

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SIGNATURE_RE = re.compile(r"^(TM\.|KT\.|Q\.|TL\.|TUQ\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|TRƯỞNG BAN|GIÁM ĐỐC)")
APPENDIX_RE = re.compile(r"^(PHỤ LỤC|Phụ lục)\b")
CENTER_RE = re.compile(r"^(KẾ HOẠCH|QUYẾT ĐỊNH:?|ỦY BAN NHÂN DÂN TỈNH|\(.*(kèm theo|Kèm theo).*\))$")
WIDE_TABLE_COLUMNS = 5


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _repeat_header(row) -> None:
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _page_number_header(section) -> None:
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    p._p.append(fld)


def _cell_lines(cell, lines: list[str], bold: bool = False, center: bool = True) -> None:
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        run = p.add_run(line)
        run.bold = bold
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _layout_table(doc, rows: list[tuple[list[str], list[str]]], bold_left: bool = True) -> None:
    table = doc.add_table(rows=len(rows), cols=2)
    _no_borders(table)
    for r, (left, right) in enumerate(rows):
        _cell_lines(table.cell(r, 0), left, bold=bold_left and r == 0)
        _cell_lines(table.cell(r, 1), right, bold=r == 0)


def _paragraph(doc, block: Block) -> None:
    text = block.text
    if text.startswith("- ") and not text.startswith("- +"):
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(text[2:])
        return
    p = doc.add_paragraph()
    run = p.add_run(text)
    caps = text.isupper() and len(text) < 200
    run.bold = block.bold or caps or bool(re.match(r"^[IVX]+\.\s", text))
    if CENTER_RE.match(text) or (caps and not re.match(r"^([IVX]+|\d+)\.", text)):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Cm(1)


def _set_orientation(section, landscape: bool) -> None:
    w, h = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (h, w) if landscape else (w, h)


def _data_table(doc, table: Table, width_cm: float) -> None:
    ncols = len(table.header)
    t = doc.add_table(rows=1, cols=ncols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    # the text column gets most of the width, STT and scores little
    weights = [1.0 if i == 0 else 4.0 if i == 1 else 2.0 for i in range(ncols)]
    widths = [Cm(width_cm * w / sum(weights)) for w in weights]
    for i, label in enumerate(table.header):
        _cell_lines(t.rows[0].cells[i], [label], bold=True)
    _repeat_header(t.rows[0])
    for row in table.rows:
        cells = t.add_row().cells
        col = 0
        for cell in row:
            if col >= ncols:
                break
            end = min(col + max(cell.colspan, 1), ncols) - 1
            target = cells[col].merge(cells[end]) if end > col else cells[col]
            lines = [l for l in cell.text.split("\n") if l.strip()] or [""]
            _cell_lines(target, lines, center=col == 0 or len(cell.text) < 12)
            col = end + 1
    t.autofit = False
    for i, col in enumerate(t.columns):
        col.width = widths[i]
    for row in t.rows:
        for i, c in enumerate(row.cells[:ncols]):
            c.width = widths[i]


def _is_wide(block: Block | None) -> bool:
    return bool(block and block.table and len(block.table.header) >= WIDE_TABLE_COLUMNS)


def _new_section(doc, landscape: bool) -> bool:
    _set_orientation(doc.add_section(WD_SECTION.NEW_PAGE), landscape)
    return landscape


def build_docx(seed: Path, out: Path) -> None:
    src = read_file(seed)
    blocks = src.blocks
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    section = doc.sections[0]
    _set_orientation(section, False)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    _page_number_header(section)

    i, landscape = 0, False
    motto = next((k for k, b in enumerate(blocks[:8]) if b.text.startswith(MOTTO)), None)
    if motto is not None:
        # issuer | motto on the first row, number | place and date on the second
        issuer = [b.text for b in blocks[:motto]]
        k = motto + 1
        motto_lines = [blocks[motto].text]
        if k < len(blocks) and blocks[k].text.startswith("Độc lập"):
            motto_lines.append(blocks[k].text)
            k += 1
        number = [blocks[k].text] if k < len(blocks) and blocks[k].text.startswith("Số") else []
        k += len(number)
        place = [blocks[k].text] if k < len(blocks) and ", ngày" in blocks[k].text else []
        k += len(place)
        _layout_table(doc, [(issuer, motto_lines), (number, place)])
        i = k

    while i < len(blocks):
        block = blocks[i]
        if block.text.startswith("Nơi nhận"):
            # recipients | signature, side by side, up to the appendix
            j = i + 1
            while j < len(blocks) and blocks[j].kind == "line" and blocks[j].text.startswith(("-", "+")):
                j += 1
            k = j
            while k < len(blocks) and blocks[k].kind == "line" and not APPENDIX_RE.match(blocks[k].text) and k - j < 6:
                k += 1
            if any(SIGNATURE_RE.match(b.text) for b in blocks[j:k]):
                _layout_table(doc, [([b.text for b in blocks[i:j]], [b.text for b in blocks[j:k]])], bold_left=False)
                i = k
                continue
        if block.kind == "table" and block.table:
            if _is_wide(block) and not landscape:
                landscape = _new_section(doc, True)
            _data_table(doc, block.table, 24.0 if landscape else 15.0)
        elif APPENDIX_RE.match(block.text):
            # an appendix starts on a new page, landscape when its table is wide
            wide = _is_wide(next((b for b in blocks[i + 1 : i + 6] if b.kind == "table"), None))
            if wide != landscape:
                landscape = _new_section(doc, wide)
            else:
                doc.add_page_break()
            _paragraph(doc, block)
        else:
            if landscape and i > 0 and blocks[i - 1].kind == "table":
                landscape = _new_section(doc, False)
            _paragraph(doc, block)
        i += 1
    doc.core_properties.title = ""
    doc.core_properties.author = "vnplans corpus"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice is not installed: apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out_dir), str(docx)], check=True, capture_output=True, timeout=300)
    return out_dir / (docx.stem + ".pdf")


def scan_pdf(pdf: Path, out: Path, dpi: int = 200, seed: int = 7) -> None:
    """Rasterise every page, skew it a little, add speckle, and save the images as a PDF with no text layer."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    pages = []
    pdf_doc = pdfium.PdfDocument(str(pdf))
    for page in pdf_doc:
        img = page.render(scale=dpi / 72).to_pil().convert("L")
        img = img.rotate(rng.uniform(-0.6, 0.6), resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.4))
        px = img.load()
        w, h = img.size
        for _ in range(w * h // 2500):
            px[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 90, 160))
        pages.append(img)
    pdf_doc.close()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)


def rotated_pdf(pdf: Path, out: Path) -> None:
    """The PDF with its landscape pages stored portrait and turned by /Rotate 90, as many scanners and
    PDF printers write a landscape appendix."""
    import pypdf
    from pypdf.generic import RectangleObject

    writer = pypdf.PdfWriter(clone_from=str(pdf))
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        if w > h:
            page.add_transformation(pypdf.Transformation().rotate(90).translate(h, 0))
            page.mediabox = page.cropbox = RectangleObject([0, 0, h, w])
            page.rotation = 90
    writer.write(str(out))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default=str(ROOT / "corpus" / "seeds"))
    ap.add_argument("--out", default=str(ROOT / "corpus" / "renditions"))
    ap.add_argument("--scan", nargs="*", default=["004"], help="seed prefixes to also render as a scan")
    ap.add_argument("--rotate", nargs="*", default=["003"], help="seed prefixes to also render with /Rotate pages")
    ap.add_argument("--only", nargs="*", help="seed prefixes to build (default: the seeds with tables)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    (out / "docx").mkdir(parents=True, exist_ok=True)
    (out / "pdf").mkdir(parents=True, exist_ok=True)
    (out / "scan").mkdir(parents=True, exist_ok=True)
    (out / "pdf-rotated").mkdir(parents=True, exist_ok=True)
    for seed in sorted(Path(args.seeds).glob("*.txt")):
        prefix = seed.name.split("_")[0]
        if args.only and prefix not in args.only:
            continue
        if not args.only and not read_file(seed).tables():
            continue
        docx = out / "docx" / (seed.stem + ".docx")
        build_docx(seed, docx)
        pdf = docx_to_pdf(docx, out / "pdf")
        print(f"{seed.name}: {docx.relative_to(ROOT)} {pdf.relative_to(ROOT)}")
        if prefix in args.rotate:
            rotated = out / "pdf-rotated" / (seed.stem + ".pdf")
            rotated_pdf(pdf, rotated)
            print(f"{seed.name}: {rotated.relative_to(ROOT)}")
        if prefix in args.scan:
            scan = out / "scan" / (seed.stem + ".pdf")
            scan_pdf(pdf, scan)
            print(f"{seed.name}: {scan.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
