"""PDF reader: the text layer through pdfium (pdf_layer.py), or Tesseract OCR for pages that have none.

A page is read from its text layer when it has one that decodes to Vietnamese;
a page with no text, or with text in legacy font encodings (TCVN3/VNI fonts
without a Unicode map come out as "¸nh s¸ng" or "(cid:12)"), is rasterised and
OCR'd (see ocr.py). Either way the page becomes positioned words plus the cell
boxes of its ruled tables, and layout.py turns those into paragraphs and tables.
"""
from __future__ import annotations

import logging
import os
import re

from vnplans.extractors.errors import ReadError
from vnplans.extractors.readers.builder import DocBuilder
from vnplans.extractors.readers.encoding import nfc
from vnplans.extractors.readers.layout import Box, Page, PageLayout, Word, tables_from_edges
from vnplans.extractors.readers.pdf_layer import LayerPage, find_tables, font_metrics
from vnplans.extractors.readers.quality import TextQuality, measure
from vnplans.schemas.document import SourceDocument
from vnplans.extractors.readers.alphabet import MARKED

MAX_PAGES = 2000
# "page N of M read" records, for a progress display inside a long document (a scan OCR'd page by page);
# the batch attaches a handler, readers know nothing of bars
PAGES = logging.getLogger("vnplans.pages")
VIETNAMESE = re.compile(f"[{MARKED}]", re.I)
LEGACY_GLYPHS = re.compile(r"[¸¹µ¶·¾»¼½ÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßãåæçèéêëìíîïóòôõöøùúûüýþ®©¤¥¦§¨«¬]")
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                  "join_tolerance": 3, "intersection_tolerance": 3}


def text_layer_quality(text: str) -> tuple[str, TextQuality]:
    """'ok', 'empty' or 'garbled' (whether a page's text layer can be used as it is), with its measure."""
    measured = measure(text)
    letters = sum(c.isalpha() for c in text)
    if letters < 20:
        return "empty", measured
    if text.count("(cid:") * 5 > letters or text.count("\ufffd") * 20 > letters or measured.garbled:
        return "garbled", measured
    viet = len(VIETNAMESE.findall(text))
    legacy = len(LEGACY_GLYPHS.findall(text))
    if legacy > 2 * viet and legacy > 0.03 * letters:
        return "garbled", measured
    return "ok", measured


def _text_layer(page: LayerPage, chars: list[dict]) -> tuple[tuple[str, TextQuality], list[dict]]:
    """The page's text layer, read once: its quality and its upright words. Words are built from glyph
    positions alone: Word and other exporters put accented letters in a second subset of the same font
    ("ABCDEF+TimesNewRomanPSMT", "ABCDEG+TimesNewRomanPSMT"), so splitting at font changes would read
    "K ế ho ạ ch". A word is bold when most of its glyphs are."""
    from pdfplumber.utils import extract_words

    raw = extract_words(chars, x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False, return_chars=True)
    return text_layer_quality(" ".join(w["text"] for w in raw)), [w for w in raw if w.get("upright", True)]


def words_in_cells(raw: list[dict], tables: list[list[Box]]) -> list[Word]:
    """Words, each cut where a cell's side runs through it: two figures in adjacent cells set closer than a
    space ("62,5" | "85") are two words, not "62,585"."""
    # each table's sides once (a side is shared by the cells on either hand), looked at only for words at its height
    tables_sides = [(min(c[1] for c in cells), max(c[3] for c in cells),
                     {(x, c[1], c[3]) for c in cells for x in (c[0], c[2])}) for cells in tables if cells]
    out: list[Word] = []
    for w in raw:
        chars = w["chars"]
        mid = (w["top"] + w["bottom"]) / 2
        cuts = sorted({x for lo, hi, sides in tables_sides if lo <= mid <= hi for x, top, bottom in sides
                       if w["x0"] + 0.5 < x < w["x1"] - 0.5 and top <= mid <= bottom})
        if not cuts:  # most words
            out.append(Word(w["x0"], w["top"], w["x1"], w["bottom"], nfc(w["text"]), _mostly_bold(chars)))
            continue
        groups: list[list[dict]] = [[] for _ in range(len(cuts) + 1)]
        for ch in chars:
            centre = (ch["x0"] + ch["x1"]) / 2
            groups[sum(centre > x for x in cuts)].append(ch)
        for part in (g for g in groups if g):
            text = "".join(ch["text"] for ch in part).strip()
            if text:
                x0, x1 = min(ch["x0"] for ch in part), max(ch["x1"] for ch in part)
                out.append(Word(x0, w["top"], x1, w["bottom"], nfc(text), _mostly_bold(part)))
    return out


def _mostly_bold(chars: list[dict]) -> bool:
    bold = sum("bold" in c.get("fontname", "").lower() for c in chars)
    return bold * 2 > len(chars)


def _ruled_tables(page: LayerPage) -> list[list[Box]]:
    """Cell boxes of the page's ruled tables. A page turned by /Rotate (a landscape appendix stored
    portrait) goes through the edges -> cells steps on their own, with the rulings labelled by their
    displayed geometry."""
    edges = page.edges()
    if page.rotation % 180 == 0:
        return find_tables(edges, page.width, page.height, TABLE_SETTINGS)
    for e in edges:
        e["orientation"] = "h" if abs(e["bottom"] - e["top"]) <= abs(e["x1"] - e["x0"]) else "v"
    return tables_from_edges(edges)


def _quality(source: str, measured: TextQuality) -> dict:
    return {"source": source, "non_syllable": measured.non_syllable, "single_letter": measured.single_letter}


MAX_PAGE_CHARS = 100_000  # a dense A4 page of a plan holds about 5,000; a million text objects would take minutes


def _ocr_pages(data: bytes, path: str, n_pages: int, to_ocr: list[tuple[int, str]], read: dict[int, Page],
               notes: dict[int, list[str]], ocr_conf: dict[int, float], page_quality: dict[int, dict]) -> None:
    """OCR the pages that need it, several at once (a thread and a Tesseract engine a core), each in its place."""
    from concurrent.futures import ThreadPoolExecutor

    from vnplans.extractors.readers.ocr import PdfOcr

    ocr = PdfOcr(data)
    workers = max(1, min(len(to_ocr), len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                         else os.cpu_count() or 1))
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = [(number, quality, pool.submit(ocr.page, number - 1)) for number, quality in to_ocr]
            for number, quality, future in pending:
                try:
                    scanned = future.result()
                except ReadError as exc:
                    if n_pages == 1:
                        raise
                    notes.setdefault(number, []).append(f"page {number}: not read ({exc.reason})")  # the rest count
                    continue
                finally:
                    PAGES.info("%s", path, extra={"page": number - 1, "pages": n_pages})
                read[number] = scanned.page
                ocr_conf[number] = scanned.confidence
                page_quality[number] = _quality("ocr", measure(" ".join(w.text for w in scanned.page.words)))
                if quality == "garbled":
                    notes.setdefault(number, []).append(
                        f"page {number}: text layer garbled (a legacy font encoding, or words cut at every letter); "
                        "read by OCR instead")
    finally:
        ocr.close()


def _open(data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == raw.FPDF_ERR_PASSWORD:
            raise ReadError("password-protected PDF: ask the issuer for an unprotected copy") from None
        if exc.err_code == raw.FPDF_ERR_SECURITY:
            raise ReadError("PDF protected by an unsupported security handler") from None
        raise ReadError(f"corrupt or unreadable PDF ({str(exc).rstrip('.')})") from None
    n_pages = len(pdf)
    if n_pages == 0:
        pdf.close()
        raise ReadError("PDF has no pages")
    if n_pages > MAX_PAGES:
        pdf.close()
        raise ReadError(f"PDF has {n_pages} pages; the limit is {MAX_PAGES}")
    return pdf, n_pages


def read_pdf(path: str, sha256: str, data: bytes) -> SourceDocument:
    pdf, n_pages = _open(data)
    fonts = font_metrics(data)
    out = DocBuilder()
    layout = PageLayout(out, n_pages)
    read: dict[int, Page] = {}
    notes: dict[int, list[str]] = {}  # warnings, page by page, said in page order whichever page finished first
    to_ocr: list[tuple[int, str]] = []
    ocr_conf: dict[int, float] = {}
    page_quality: dict[int, dict] = {}
    crowded: dict[int, int] = {}
    try:
        for number in range(1, n_pages + 1):
            try:
                page = LayerPage(pdf[number - 1], fonts)
            except Exception as exc:  # a damaged page: say so and go on with the rest
                notes[number] = [f"page {number}: unreadable ({exc.__class__.__name__})"]
                continue
            try:
                try:
                    count = page.count_chars()
                except Exception as exc:  # no text page for it: OCR may still read it
                    notes[number] = [f"page {number}: unreadable text layer ({exc.__class__.__name__})"]
                    to_ocr.append((number, "garbled"))
                    continue
                if count > MAX_PAGE_CHARS:
                    crowded[number] = count
                    notes[number] = [f"page {number}: {count:,} characters, more than any plan page holds "
                                     f"(the limit is {MAX_PAGE_CHARS:,}): not read"]
                    continue
                try:
                    (quality, measured), raw_words = _text_layer(page, page.chars())
                    if quality == "ok":
                        PAGES.info("%s", path, extra={"page": number - 1, "pages": n_pages})
                        tables = _ruled_tables(page)
                        words = words_in_cells(raw_words, tables)
                        read[number] = Page(number, float(page.width), float(page.height), words, tables)
                        page_quality[number] = _quality("text", measured)
                        continue
                except Exception as exc:  # a damaged page: say so and go on with the rest
                    notes[number] = [f"page {number}: unreadable text layer ({exc.__class__.__name__})"]
                    quality = "garbled"
                to_ocr.append((number, quality))
            finally:
                page.close()
    finally:
        pdf.close()
    if len(crowded) == n_pages:
        what = f"page 1 holds {crowded[1]:,} characters" if n_pages == 1 else \
            f"each of its {n_pages} pages holds over {MAX_PAGE_CHARS:,} characters"
        raise ReadError(f"{what}, more than any plan page (the limit is {MAX_PAGE_CHARS:,} a page): not read")
    if to_ocr:
        _ocr_pages(data, path, n_pages, to_ocr, read, notes, ocr_conf, page_quality)
    for number in sorted(notes):
        out.warnings.extend(notes[number])
    pages = [read[number] for number in sorted(read)]
    layout.learn_running_lines(pages)
    for page in pages:
        layout.add(page)
    layout.flush_table()
    if ocr_conf:
        mean = sum(ocr_conf.values()) / len(ocr_conf)
        out.warnings.append(f"OCR on {len(ocr_conf)} of {n_pages} pages, mean word confidence {mean:.0f}%")
    doc = out.document(path, sha256, "pdf", pages=n_pages, ocr_confidence=ocr_conf)
    doc.page_quality = page_quality
    if 1 not in ocr_conf:
        from vnplans.extractors.readers.ocr import stamped_header

        doc.stamps = stamped_header(data)
    return doc
