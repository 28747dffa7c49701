"""OCR for scanned PDF pages: render, deskew, Tesseract (Vietnamese), and find the ruled tables in the image.

The result is the same `Page` a text layer gives (words with boxes in PDF points,
cell boxes of ruled tables), so layout.py treats a scan like a born-digital page.
Ruling lines are found by a morphological opening of the binarised image (dark
runs longer than a fifth of an inch) and handed to pdfplumber's own
edges -> intersections -> cells -> tables functions, the ones its table finder
uses on vector lines.

Tesseract is a system library (Debian: tesseract-ocr, tesseract-ocr-vie), run in this
process (tesseract.py); when it or its Vietnamese data is missing the reader says which
package to install.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

import numpy as np

from vnplans.extractors.errors import ReadError
from vnplans.extractors.readers.encoding import nfc
from vnplans.extractors.readers.layout import Box, Page, Word, tables_from_edges
from vnplans.extractors.readers.tesseract import ENGINES, OEM_DEFAULT, OEM_LSTM_ONLY, PSM_AUTO, PSM_SINGLE_BLOCK, \
    PSM_SINGLE_LINE, OcrError

if TYPE_CHECKING:
    from PIL import Image

LANG = os.environ.get("VNPLANS_OCR_LANG", "vie")
ARTIFACT_RE = re.compile(r"^[|_\[\]{}¦]+$")
# what Tesseract makes of a bullet glyph at the start of a line: "•" read as e, s, ©, ®, «, *, ...
BULLET_NOISE_RE = re.compile(r"^([©®«»*•◦¢°_~]+[.,»]*|[eso][».,]*|s»)$")


@dataclass
class ScannedPage:
    page: Page
    confidence: float  # mean word confidence, 0-100
    angle: float  # the skew corrected, in degrees


def check_tesseract() -> None:
    """A ReadError naming the missing Debian package when Tesseract or its language data is not installed
    (the engine made to find out is kept for the first page)."""
    with ENGINES.lend(LANG, OEM_LSTM_ONLY):
        pass


def _dpi(pdf_page, width_pt: float) -> int:
    """OCR at the scan's own resolution (200-400 dpi), 300 when the page has no image to tell."""
    try:
        objs = [o for o in pdf_page.get_objects() if o.type == 3]  # FPDF_PAGEOBJ_IMAGE
        if objs:
            px = max(o.get_px_size()[0] for o in objs)
            return int(min(400, max(200, px / (width_pt / 72))))
    except Exception:
        pass
    return 300


MAX_PIXELS = 80_000_000  # an A0 sheet at 200 dpi; a 200-inch page at 300 dpi would be 3.6 billion


def _render_dpi(dpi: int, width_pt: float, height_pt: float, index: int) -> int:
    """The resolution a page is rendered at for OCR: lowered for a page larger than any paper, so that the
    image stays under MAX_PIXELS; a page too large to read even at 100 dpi is refused."""
    pixels = (width_pt / 72 * dpi) * (height_pt / 72 * dpi)
    if pixels <= MAX_PIXELS:
        return dpi
    fitted = int(dpi * (MAX_PIXELS / pixels) ** 0.5)
    if fitted < 100:
        raise ReadError(f"page {index + 1} is {width_pt / 72:.0f} x {height_pt / 72:.0f} inches: too large to "
                        f"render for OCR (over {MAX_PIXELS // 1_000_000} million pixels at 100 dpi)")
    return fitted


def estimate_skew(gray: np.ndarray) -> float:
    """The rotation (degrees) that makes text rows sharpest: the maximum variance of the row profile.

    Each candidate angle turns the ink pixels' coordinates, not the image: a pixel lands between two rows and
    counts for each by its distance (as a bilinear rotation spreads it), so the profiles are those of the
    image turned, at a fraction of the cost (the same angles on every corpus scan, 8x faster)."""
    from PIL import Image

    small = Image.fromarray(gray)
    scale = 1000 / max(1, small.width)
    small = np.asarray(small.resize((max(1, int(small.width * scale)), max(1, int(small.height * scale)))))
    h, w = small.shape
    ys, xs = np.nonzero(small < 160)
    x0, y0 = xs - (w - 1) / 2, ys - (h - 1) / 2

    def score(angle: float) -> float:
        a = np.deg2rad(angle)  # as PIL's rotate(angle): counter-clockwise, about the centre, cropped to the frame
        x = np.cos(a) * x0 + np.sin(a) * y0 + (w - 1) / 2
        y = -np.sin(a) * x0 + np.cos(a) * y0 + (h - 1) / 2
        row = np.floor(y)
        part = y - row
        row = row.astype(np.int64)
        inside = (row >= 0) & (row + 1 < h) & (x >= 0) & (x <= w - 1)
        row, part = row[inside], part[inside]
        rows = np.bincount(row, weights=1 - part, minlength=h) + np.bincount(row + 1, weights=part, minlength=h)
        return float(np.var(rows))

    best = max(np.arange(-2.0, 2.01, 0.25), key=score)
    best = max(np.arange(best - 0.25, best + 0.26, 0.05), key=score)
    return round(float(best), 2)


def _runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every horizontal run of True at least `min_len` long, row by row. Only rows with
    that much True at all are looked at (half of a page's rows and a quarter of its columns), laid end to end
    with a False after each, so that one pass finds where every run starts and ends and none spans two rows."""
    h, w = mask.shape
    candidates = np.flatnonzero(np.count_nonzero(mask, axis=1) >= min_len) if w >= min_len else []
    if not len(candidates):
        return []
    laid = np.zeros((len(candidates), w + 1), dtype=bool)
    laid[:, :w] = mask[candidates]
    flat = laid.ravel()
    changes = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    if flat[0]:
        changes = np.concatenate(([0], changes))
    starts, ends = changes[0::2], changes[1::2]  # the laid rows end False: every start has its end
    long = ends - starts >= min_len
    starts, ends = starts[long], ends[long]
    rows = starts // (w + 1)
    offsets = rows * (w + 1)
    return list(zip(candidates[rows].tolist(), (starts - offsets).tolist(), (ends - offsets).tolist()))


Runs = tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]


def ink_runs(gray: np.ndarray, dpi: int) -> Runs:
    """The horizontal and vertical runs of ink long enough to be a table's edge (a fifth of an inch), found
    once a page: the rulings erase_rulings whitens are the longer of them."""
    ink = gray < 140
    min_len = max(20, dpi // 5)
    return _runs(ink, min_len), _runs(np.ascontiguousarray(ink.T), min_len)  # a column at a time, laid in a row


def find_tables(gray: np.ndarray, dpi: int, runs: Optional[Runs] = None) -> list[list[Box]]:
    """Cell boxes (in PDF points) of the ruled tables in a page image."""
    rows, columns = runs or ink_runs(gray, dpi)
    k = 72 / dpi
    edges = []
    for r, s, e in rows:
        edges.append({"x0": s * k, "x1": e * k, "top": r * k, "bottom": r * k, "width": (e - s) * k, "height": 0,
                      "orientation": "h"})
    for c, s, e in columns:
        edges.append({"x0": c * k, "x1": c * k, "top": s * k, "bottom": e * k, "width": 0, "height": (e - s) * k,
                      "orientation": "v"})
    return tables_from_edges(edges)


EDGE_NOISE = "_|`'‘’¦"  # a ruling's remains stuck to a word: "_UBND", "'TT&TT"


def _read_cell(clean: np.ndarray, box: Box, k: float) -> list[Word]:
    """The words of one cell read on their own (one line, Tesseract's --psm 7), when the cell holds ink."""
    x0, y0, x1, y1 = (int(round(v / k)) for v in box)
    pad = 3
    crop = clean[max(0, y0 + pad):max(0, y1 - pad), max(0, x0 + pad):max(0, x1 - pad)]
    if crop.size == 0 or (crop < 140).mean() < 0.004:
        return []
    try:
        with ENGINES.lend(LANG, OEM_LSTM_ONLY) as engine:
            text = engine.text(crop, PSM_SINGLE_LINE, timeout=30)
    except OcrError:
        return []
    text = nfc(text.strip().strip(EDGE_NOISE))
    if not text or ARTIFACT_RE.match(text):
        return []
    return [Word(box[0] + pad * k, box[1] + pad * k, box[2] - pad * k, box[3] - pad * k, text)]


def erase_rulings(gray: np.ndarray, dpi: int, runs: Optional[Runs] = None) -> np.ndarray:
    """The page with its ruling lines whitened, for Tesseract: a cell's border read as "|", "_" or "—" sticks to
    the words beside it ("|2", "Í_ Chủ trì") whatever scanner made the page. Runs of ink longer than half an
    inch, with the grey fringe a scan gives them, are lines; letters are never that tall or wide."""
    rows, columns = runs or ink_runs(gray, dpi)
    min_len = max(40, dpi // 2)
    line = np.zeros(gray.shape, dtype=bool)
    for r, s, e in rows:
        if e - s >= min_len:
            line[r, s:e] = True
    for c, s, e in columns:
        if e - s >= min_len:
            line[s:e, c] = True
    fringe = np.zeros_like(line)
    fringe[1:, :] |= line[:-1, :]
    fringe[:-1, :] |= line[1:, :]
    fringe[:, 1:] |= line[:, :-1]
    fringe[:, :-1] |= line[:, 1:]
    out = gray.copy()
    out[line | (fringe & (gray < 200))] = 255
    return out


class PdfOcr:
    """OCR of the pages of one PDF; the PDF is opened for rendering once. `page` may run in several threads at
    once: pdfium renders one page at a time (it is not thread-safe); each thread reads with a Tesseract
    engine of its own, outside the GIL."""

    def __init__(self, data: bytes) -> None:
        check_tesseract()
        import threading

        import pypdfium2 as pdfium

        self.rendering = threading.Lock()
        try:
            self.pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ReadError(f"corrupt or unreadable PDF (cannot be rendered for OCR: {exc})") from None

    def close(self) -> None:
        self.pdf.close()

    def page(self, index: int) -> ScannedPage:
        from PIL import Image

        import pypdfium2 as pdfium

        try:
            with self.rendering:
                pdf_page = self.pdf[index]
                width_pt, height_pt = pdf_page.get_size()
                dpi = _render_dpi(_dpi(pdf_page, width_pt), width_pt, height_pt, index)
                img = pdf_page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                pdf_page.close()
        except pdfium.PdfiumError as exc:
            raise ReadError(f"page {index + 1} cannot be rendered for OCR ({exc})") from None
        gray = np.asarray(img)
        angle = estimate_skew(gray)
        if abs(angle) >= 0.05:
            img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            gray = np.asarray(img)
        runs = ink_runs(gray, dpi)
        clean = erase_rulings(gray, dpi, runs)  # what Tesseract reads, the page and then its empty cells
        try:
            with ENGINES.lend(LANG, OEM_LSTM_ONLY) as engine:
                recognized = engine.words(clean, PSM_AUTO, timeout=300)
        except OcrError as exc:
            raise ReadError(f"OCR failed on page {index + 1}: {str(exc)[:120]}") from None
        k = 72 / dpi
        words, confs = [], []
        line_seen: set[tuple[int, int, int]] = set()
        for word in recognized:
            text, conf = nfc(word.text.strip().strip(EDGE_NOISE)), float(word.conf)
            if not text or conf < 0 or ARTIFACT_RE.match(text) or (conf < 40 and len(text) <= 2 and not text.isalnum()):
                continue  # ruling lines read as letters, and speckle
            key = (word.block, word.paragraph, word.line)
            if key not in line_seen:
                line_seen.add(key)
                text = "-" if BULLET_NOISE_RE.match(text) else text
            x, y, w, h = word.left, word.top, word.width, word.height
            words.append(Word(x * k, y * k, (x + w) * k, (y + h) * k, text))
            confs.append(conf)
        tables = find_tables(gray, dpi, runs)
        for cells in tables:
            for box in cells:
                if any(box[0] <= (w.x0 + w.x1) / 2 <= box[2] and box[1] <= (w.top + w.bottom) / 2 <= box[3] for w in words):
                    continue
                found = _read_cell(clean, box, k)  # a lone "3" in its cell, which page segmentation skips
                words += found
                confs += [90.0] * len(found)
        confidence = sum(confs) / len(confs) if confs else 0.0
        return ScannedPage(Page(index + 1, width_pt, height_pt, words, tables), confidence, angle)


def _without_alpha(image: "Image.Image") -> "Image.Image":
    """Grey or RGB, as Tesseract took the image from a file: an alpha channel is laid over white."""
    from PIL import Image

    if "A" in image.getbands():
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, (0, 0), image.getchannel("A"))
        return background
    return image if image.mode in ("L", "RGB") else image.convert("RGB")


def stamped_header(data: bytes) -> dict[str, str]:
    """What an e-signature system stamped over page 1: signed PDFs are issued with the number and day left
    blank in the text layer ("Số:   /BC-SNV", "ngày   tháng 11") and filled by signature widgets drawn
    over them. Returns the OCR text of the band those widgets cover (forms drawn) as "stamped_header",
    and the first signature's signing time as "signed_date" (ISO); {} for a PDF without such widgets."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out: dict[str, str] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        if raw.FPDF_GetSignatureCount(pdf.raw) > 0:
            sig = raw.FPDF_GetSignatureObject(pdf.raw, 0)
            size = raw.FPDFSignatureObj_GetTime(sig, None, 0)
            if size > 0:
                buf = (raw.c_char * size)()
                raw.FPDFSignatureObj_GetTime(sig, buf, size)
                m = re.match(r"D:(\d{4})(\d{2})(\d{2})", bytes(buf).decode("latin-1"))
                if m:
                    out["signed_date"] = "-".join(m.groups())
        pdf.init_forms()
        page = pdf[0]
        width, height = page.get_size()
        bands = []
        for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
            annot = raw.FPDFPage_GetAnnot(page.raw, i)
            try:
                if raw.FPDFAnnot_GetSubtype(annot) != raw.FPDF_ANNOT_WIDGET:
                    continue
                rect = raw.FS_RECTF()
                raw.FPDFAnnot_GetRect(annot, rect)
                if rect.bottom > height / 2 and rect.top - rect.bottom < 80:
                    bands.append((rect.bottom, rect.top))
            finally:
                raw.FPDFPage_CloseAnnot(annot)
        if not bands:
            return out
        low, high = max(0.0, min(b for b, _ in bands) - 12), min(height, max(t for _, t in bands) + 12)
        image = page.render(scale=300 / 72, may_draw_forms=True, crop=(0, low, 0, height - high)).to_pil()
        try:
            with ENGINES.lend(LANG, OEM_DEFAULT) as engine:
                text = engine.text(np.asarray(_without_alpha(image)), PSM_SINGLE_BLOCK, timeout=60)
        except OcrError:
            return out
        out["stamped_header"] = nfc(text)
    except (ReadError, RuntimeError, OSError, pdfium.PdfiumError):
        pass  # no Tesseract, or a form layer pdfium cannot draw: the text layer alone is read
    finally:
        pdf.close()
    return out
