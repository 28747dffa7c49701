"""A PDF page's glyphs and rulings, read by pdfium and shaped as pdfplumber's char and edge dicts.

pdfium (C++) parses a page some fifty times faster than pdfminer, on which pdfplumber reads
(pure Python: 98% of a born-digital PDF's time went there). pdfplumber keeps its place where it
is good, and cheap: grouping glyphs into words (`extract_words`) and finding ruled tables
(`TableFinder`) run over these dicts exactly as over its own.

The glyph boxes are pdfminer's, so that words, lines and cells come out as they did: the box runs
from the glyph's origin by its advance in the font's /Widths (not pdfium's loose box, which is the
drawn outline and differs for accented letters), and from the descent the font *descriptor*
states (pdfium measures the font program instead; LibreOffice writes 0) up one font size.
"""
from __future__ import annotations

import ctypes
import functools
import math
import re
import unicodedata
from io import BytesIO
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable, Iterator

Matrix = tuple[float, float, float, float, float, float]
SOFT_HYPHEN_MARK = 2  # pdfium reports a hyphen that ends a line as U+0002
NOT_GLYPHS = {0, 0xFFFE, 10, 13}
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
UNMAPPED = 0xFFFF  # a noncharacter: no font maps it
LIGATURES = {"ff": 0xFB00, "fi": 0xFB01, "fl": 0xFB02, "ffi": 0xFB03, "ffl": 0xFB04}


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m, then n."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


@dataclass
class FontMetrics:
    """What pdfminer reads in a font's dictionaries: the descriptor's descent and the exact advances
    (pdfium keeps advances as whole thousandths of an em, and places glyphs by them)."""

    descent: float
    advances: dict[str, float]  # text of a glyph -> its advance, per unit of font size


def _advances(font) -> dict[str, float]:
    from pdfminer.pdffont import PDFCIDFont

    codes = set(k for k in font.widths if isinstance(k, int))
    if font.unicode_map is not None:
        codes |= set(font.unicode_map.cid2unichr)
    if not isinstance(font, PDFCIDFont):
        codes |= set(font.cid2unicode)
    out: dict[str, float] = {}
    for code in codes:
        try:
            text = font.to_unichr(code)
        except Exception:  # no text for this code
            continue
        width = font.char_width(code)
        for form in (text, unicodedata.normalize("NFC", text), unicodedata.normalize("NFKC", text)):
            out.setdefault(form, width)
    return out


def font_metrics(data: bytes) -> dict[str, FontMetrics]:
    """BaseFont name -> its metrics as pdfminer reads them. Only font dictionaries are parsed (page and
    form resources), not content streams."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdffont import PDFType3Font
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import PSLiteral

    fonts = PDFResourceManager(caching=True)
    out: dict[str, FontMetrics] = {}
    seen: set = set()

    def visit(resources, depth: int) -> None:
        resources = resolve1(resources) or {}
        if not isinstance(resources, dict):
            return
        for ref in (resolve1(resources.get("Font")) or {}).values():
            key = getattr(ref, "objid", None)
            if key is not None and key in seen:
                continue
            seen.add(key)
            spec = resolve1(ref)
            if not isinstance(spec, dict):
                continue
            base = spec.get("BaseFont")
            name = base.name if isinstance(base, PSLiteral) else str(base)
            try:
                font = fonts.get_font(key, spec)
                metrics = FontMetrics(font.get_descent(),
                                      {} if isinstance(font, PDFType3Font) else _advances(font))
            except Exception:  # a damaged font: pdfium's own reading stands
                continue
            # pdfium names a font without its subset tag ("ABCDEF+"): subsets of one font share their glyphs
            for key_name in {name, SUBSET_TAG.sub("", name)}:
                known = out.setdefault(key_name, FontMetrics(metrics.descent, {}))
                for text, width in metrics.advances.items():
                    known.advances.setdefault(text, width)
        if depth < 8:
            for ref in (resolve1(resources.get("XObject")) or {}).values():
                form = resolve1(ref)
                if isinstance(form, PDFStream) and getattr(form.get("Subtype"), "name", "") == "Form":
                    visit(form.get("Resources"), depth + 1)

    try:
        for page in PDFPage.create_pages(PDFDocument(PDFParser(BytesIO(data)))):
            visit(page.resources, 0)
    except Exception:  # what pdfminer cannot parse, pdfium may: fonts unknown here keep pdfium's metrics
        pass
    return out


class LayerPage:
    """One page: its displayed size, /Rotate, glyphs and ruling edges (pdfplumber's dicts, top-down y)."""

    def __init__(self, page, fonts: dict[str, FontMetrics]) -> None:
        import pypdfium2.raw as raw

        self._raw = raw
        self._page = page
        self._fonts = fonts
        self.width, self.height = page.get_size()
        self.rotation = page.get_rotation()
        x0, y0, x1, y1 = page.get_mediabox()
        self._ctm: Matrix = {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
                             270: (0, 1, -1, 0, y1, -x0)}.get(self.rotation, (1, 0, 0, 1, -x0, -y0))
        self._name = ctypes.create_string_buffer(512)
        self._text = None
        self._calls = _address_calls()

    def _text_page(self):
        if self._text is None:
            self._text = self._page.get_textpage()
        return self._text

    def count_chars(self) -> int:
        """Characters in the text layer, counted before any is read (a hostile page may hold millions)."""
        return self._text_page().count_chars()

    def close(self) -> None:
        if self._text is not None:
            self._text.close()
        self._page.close()

    def _font_name(self, font) -> str:
        n = self._raw.FPDFFont_GetBaseFontName(font, self._name, len(self._name))
        return self._name.raw[: max(0, n - 1)].decode("latin-1")

    def chars(self) -> list[dict]:
        """The glyphs as pdfminer boxes them.

        pdfium hands out some glyphs in pieces ("ỷ" as "y" and a combining hook, "ﬁ" as "f", "i"), each at
        the glyph's origin: the pieces are put back together, so the glyph keeps its one advance. And it
        places each glyph after the one before by whole thousandths of an em: within a text object that
        drifts (a third of a point along a Chromium line), so the fractions it dropped are added back."""
        raw = self._raw
        calls = self._calls
        unicode_of, generated, object_of, origin_of = (calls.FPDFText_GetUnicode, calls.FPDFText_IsGenerated,
                                                       calls.FPDFText_GetTextObject, calls.FPDFText_GetCharOrigin)
        text = self._text_page()
        handle = ctypes.cast(text.raw, ctypes.c_void_p).value
        out: list[dict] = []
        starts: list[float] = []  # where each glyph's box starts past its origin (the drift added back)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        at_x, at_y = ctypes.byref(ox), ctypes.byref(oy)
        matrix = raw.FS_MATRIX()
        objects: dict[int, _Style] = {}  # text object -> its style
        styles: dict[tuple, _Style] = {}  # many text objects share one
        fonts: dict[int, _Font] = {}
        last: tuple = ()  # the text object and origin of the glyph before
        drift = step = 0.0  # within the current text object: the fractions dropped so far, and by the last glyph
        for i in range(text.count_chars()):
            code = unicode_of(handle, i)
            if code in NOT_GLYPHS or (code == 32 and generated(handle, i) == 1):  # pdfium adds only blanks
                continue
            if code == SOFT_HYPHEN_MARK:
                code = 0x2D
            key = object_of(handle, i)
            if key is None:  # a character pdfium made up, drawn by no text object
                continue
            known = objects.get(key)
            if known is None:
                raw.FPDFText_GetMatrix(text.raw, i, matrix)
                font = calls.FPDFTextObj_GetFont(key) or 0  # none: no name, no widths; the drawn box stands in
                style = (font, matrix.a, matrix.b, matrix.c, matrix.d, raw.FPDFText_GetFontSize(text.raw, i))
                known = objects[key] = styles.get(style) or styles.setdefault(
                    style, _Style(style[1:5], self._ctm, self.height, self._font(fonts, font), style[5]))
            origin_of(handle, i, at_x, at_y)
            x, y = ox.value, oy.value
            if out and last == (key, x, y):  # a piece of the glyph before
                glyph = unicodedata.normalize("NFC", out[-1]["text"] + chr(code))
                whole = ord(glyph) if len(glyph) == 1 else LIGATURES.get(glyph)
                drift -= step
                advance, step = known.font.advance(glyph, whole, base=ord(out[-1]["text"][0]))
                out[-1] = known.box(glyph, starts[-1], advance, x, y)
                drift += step
                continue
            if not last or last[0] != key:
                drift = 0.0
            last = (key, x, y)
            advance, step = known.font.advance_of(code)
            if advance <= 0 and code != 32:  # not in any widths: the drawn box stands in
                box = raw.FS_RECTF()
                raw.FPDFText_GetLooseCharBox(text.raw, i, box)
                advance = (box.right - box.left) / ((math.hypot(*known.matrix[:2]) or 1) * (known.size or 1))
            out.append(known.box(chr(code), drift, advance, x, y))
            starts.append(drift)
            drift += step
        out.extend(self._blanks(set(objects), fonts))
        return out

    def _blanks(self, seen: set[int], fonts: dict[int, "_Font"]) -> Iterator[dict]:
        """The spaces pdfium leaves out: a text object that draws only a space has no extent, and pdfium
        skips such objects (Word sets the spaces of a justified line so, and a word gap narrower than
        pdfplumber's tolerance then joins two words). Each becomes one space at the object's origin."""
        raw = self._raw
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        size = ctypes.c_float()
        for address, m in self._objects(raw.FPDF_PAGEOBJ_TEXT, skip=seen):
            obj = ctypes.cast(address, raw.FPDF_PAGEOBJECT)
            if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top) or abs(right.value - left.value) > 0.01:
                continue
            font = self._calls.FPDFTextObj_GetFont(address)
            if not font or not raw.FPDFTextObj_GetFontSize(obj, size):
                continue
            blank = _Style(m[:4], self._ctm, self.height, self._font(fonts, font), size.value)
            yield blank.box(" ", 0.0, blank.font.advance_of(0x20)[0], m[4], m[5])

    def _font(self, fonts: dict[int, "_Font"], address: int) -> "_Font":
        known = fonts.get(address)
        if known is None:
            font = ctypes.cast(address, self._raw.FPDF_FONT)
            name = self._font_name(font)
            known = fonts[address] = _Font(font, name, self._fonts.get(name))
        return known

    def edges(self) -> list[dict]:
        """Ruling edges of the page's path objects (forms included), classified as pdfminer does."""
        from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

        out: list[dict] = []
        for shape, points in self._subpaths():
            flipped = [(x, self.height - y) for x, y in points]
            if shape in ("mlh", "ml"):
                (ax, ay), (bx, by) = flipped[0], flipped[1]
                line = {"object_type": "line", "x0": min(ax, bx), "x1": max(ax, bx), "top": min(ay, by),
                        "bottom": max(ay, by)}
                line.update(width=line["x1"] - line["x0"], height=line["bottom"] - line["top"], doctop=line["top"])
                out.append(line_to_edge(line))
            elif shape in ("mlllh", "mllll") and _is_rect(points):
                xs, ys = (points[0][0], points[2][0]), (flipped[0][1], flipped[2][1])
                rect = {"object_type": "rect", "x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys)}
                rect.update(width=rect["x1"] - rect["x0"], height=rect["bottom"] - rect["top"], doctop=rect["top"],
                            y0=self.height - rect["bottom"], y1=self.height - rect["top"])
                out.extend(rect_to_edges(rect))
            else:
                top = min(y for _, y in flipped)
                out.extend(curve_to_edges({"object_type": "curve", "pts": flipped, "top": top, "doctop": top}))
        return out

    def _objects(self, kind: int, skip: set[int] = frozenset()) -> Iterator[tuple[int, Matrix]]:
        """The addresses of the page objects of one kind, forms opened, each with its matrix in the page's user
        space (before the page's /Rotate turn); objects whose address is in `skip` are passed over."""
        calls = self._calls
        page = ctypes.cast(self._page.raw, ctypes.c_void_p).value
        yield from self._placed(kind, skip, calls.FPDFPage_CountObjects(page),
                                lambda k: calls.FPDFPage_GetObject(page, k), (1, 0, 0, 1, 0, 0), 0)

    def _placed(self, kind: int, skip: set[int], count: int, get: Callable[[int], int], matrix: Matrix,
                depth: int) -> Iterator[tuple[int, Matrix]]:
        calls = self._calls
        m = self._raw.FS_MATRIX()
        at_m = ctypes.byref(m)
        form = self._raw.FPDF_PAGEOBJ_FORM
        for k in range(count):
            obj = get(k)
            if obj in skip:
                continue
            found = calls.FPDFPageObj_GetType(obj)
            if found != kind and found != form:
                continue
            calls.FPDFPageObj_GetMatrix(obj, at_m)
            placed = _mul((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
            if found == kind:
                yield obj, placed
            elif depth < 8:
                yield from self._placed(kind, skip, calls.FPDFFormObj_CountObjects(obj),
                                        lambda j, o=obj: calls.FPDFFormObj_GetObject(o, j), placed, depth + 1)

    def _subpaths(self) -> Iterator[tuple[str, list[tuple[float, float]]]]:
        """(operators, points) of each subpath, in page space, spelled as pdfminer spells them: a Bézier
        curve is one 'c' to its end point, a closing segment adds 'h' back to the start, and a final
        'l' onto the start just before 'h' is dropped."""
        raw = self._raw
        x, y = ctypes.c_float(), ctypes.c_float()
        for address, placed in self._objects(raw.FPDF_PAGEOBJ_PATH):
            obj = ctypes.cast(address, raw.FPDF_PAGEOBJECT)
            m = _mul(placed, self._ctm)
            ops: list[str] = []
            points: list[tuple[float, float]] = []
            curve_points = 0
            for k in range(raw.FPDFPath_CountSegments(obj)):
                segment = raw.FPDFPath_GetPathSegment(obj, k)
                raw.FPDFPathSegment_GetPoint(segment, x, y)
                kind = raw.FPDFPathSegment_GetType(segment)
                point = _apply(m, x.value, y.value)
                if kind == raw.FPDF_SEGMENT_MOVETO:
                    if ops:
                        yield _tidy(ops, points)
                    ops, points, curve_points = ["m"], [point], 0
                elif kind == raw.FPDF_SEGMENT_LINETO:
                    ops.append("l")
                    points.append(point)
                else:
                    curve_points += 1
                    if curve_points % 3 == 0:
                        ops.append("c")
                        points.append(point)
                if raw.FPDFPathSegment_GetClose(segment) and points:
                    ops.append("h")
                    points.append(points[0])
            if ops:
                yield _tidy(ops, points)


@functools.lru_cache(maxsize=1)  # declared once: every page of every PDF uses the same declarations
def _address_calls() -> SimpleNamespace:
    """pdfium's functions called per glyph and per page object, declared to take and return plain addresses
    and numbers: pypdfium2's typed pointers cost as much again per call, and a page has thousands of glyphs
    and text objects."""
    import pypdfium2.raw as raw
    import pypdfium2_raw.bindings as bindings

    lib = bindings._libs["pdfium"]
    address, index, number = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double)
    calls = {}
    for name, result, args in (("FPDFText_GetUnicode", ctypes.c_uint, (address, index)),
                               ("FPDFText_IsGenerated", ctypes.c_int, (address, index)),
                               ("FPDFText_GetTextObject", address, (address, index)),
                               ("FPDFText_GetCharOrigin", ctypes.c_int, (address, index, number, number)),
                               ("FPDFTextObj_GetFont", address, (address,)),
                               ("FPDFPage_CountObjects", ctypes.c_int, (address,)),
                               ("FPDFPage_GetObject", address, (address, index)),
                               ("FPDFFormObj_CountObjects", ctypes.c_int, (address,)),
                               ("FPDFFormObj_GetObject", address, (address, ctypes.c_ulong)),
                               ("FPDFPageObj_GetType", ctypes.c_int, (address,)),
                               ("FPDFPageObj_GetMatrix", ctypes.c_int, (address, ctypes.POINTER(raw.FS_MATRIX)))):
        call = lib[name]  # a fresh function object: pypdfium2's own keeps its declaration
        call.restype, call.argtypes = result, list(args)
        calls[name] = call
    return SimpleNamespace(**calls)


def _tidy(ops: list[str], points: list[tuple[float, float]]) -> tuple[str, list[tuple[float, float]]]:
    shape = "".join(ops)
    if len(shape) > 3 and shape.endswith("lh") and points[-2] == points[0]:
        return shape[:-2] + "h", points[:-2] + points[-1:]
    return shape, points


def _is_rect(points: list[tuple[float, float]]) -> bool:
    """Four sides along the axes, closed: pdfminer makes such a path a rect."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points
    return last == points[0] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                  or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0))


class _Font:
    """One font of the page: its name, descent and advances (exact where pdfminer read them, pdfium's
    otherwise)."""

    def __init__(self, font, name: str, metrics: FontMetrics | None) -> None:
        import pypdfium2.raw as raw

        self._raw = raw
        self.font, self.name = font, name
        self._exact = metrics.advances if metrics else {}
        if metrics is None:  # not among the fonts pdfminer read: pdfium's measure
            measured = ctypes.c_float()
            raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(measured))
            self.descent = measured.value
        else:
            self.descent = metrics.descent
        self._pdfium: dict[int, float] = {}
        self._by_code: dict[int, tuple[float, float]] = {}

    def _pdfium_advance(self, code: int) -> float:
        known = self._pdfium.get(code)
        if known is None:
            width = ctypes.c_float()
            ok = self._raw.FPDFFont_GetGlyphWidth(self.font, code, ctypes.c_float(1.0), ctypes.byref(width))
            known = self._pdfium[code] = width.value if ok else 0.0
        return known

    def advance_of(self, code: int) -> tuple[float, float]:
        known = self._by_code.get(code)
        if known is None:
            known = self._by_code[code] = self.advance(chr(code), code)
        return known

    def advance(self, text: str, code: int | None, base: int | None = None) -> tuple[float, float]:
        """A glyph's advance per unit of font size, and the fraction pdfium dropped placing the next glyph
        after it. pdfium finds a glyph's width through its text, and a font that cannot map the text back
        to a code answers with its default width: such a figure is not trusted, and a glyph put together
        from pieces is then as wide as its `base` letter."""
        exact = self._exact.get(text)
        pdfium = self._pdfium_advance(code) if code is not None else 0.0
        if exact is not None:
            return exact, (exact - pdfium if abs(exact - pdfium) < 0.001 else 0.0)
        if base is not None and (code is None or pdfium == self._pdfium_advance(UNMAPPED)):
            return self._pdfium_advance(base), 0.0
        return pdfium, 0.0


class _Style:
    """What the glyphs of text objects with one font, size and matrix share, and how such a glyph is boxed
    on the page."""

    def __init__(self, matrix: tuple[float, float, float, float], ctm: Matrix, height: float, font: _Font,
                 size: float) -> None:
        self.matrix, self.font, self.size = matrix, font, size
        self._ctm, self._height = ctm, height
        a, b, c, d, _, _ = _mul((*matrix, 0.0, 0.0), ctm)
        self._linear = (a, b, c, d)
        self._upright = a * d > 0 and b * c <= 0

    def box(self, text: str, start: float, advance: float, x: float, y: float) -> dict:
        """pdfminer's box of a glyph whose origin is (x, y) in user space: from the origin (moved on by
        `start`) by its advance, from the descent up one font size; two corners, as pdfminer takes them."""
        a, b, c, d = self._linear
        A, B, C, D, E, F = self._ctm
        ex, ey = x * A + y * C + E, x * B + y * D + F
        size = self.size
        u0, u1 = start * size, (start + advance) * size
        v0 = self.font.descent * size
        v1 = v0 + size
        x0, y0 = a * u0 + c * v0 + ex, b * u0 + d * v0 + ey
        x1, y1 = a * u1 + c * v1 + ex, b * u1 + d * v1 + ey
        if x1 < x0:
            x0, x1 = x1, x0
        top, bottom = self._height - y0, self._height - y1
        if bottom < top:
            top, bottom = bottom, top
        return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
                "upright": self._upright, "size": bottom - top, "fontname": self.font.name}


class _EdgesOnly:
    """What pdfplumber's TableFinder asks of a page."""

    def __init__(self, edges: list[dict], bbox: tuple[float, float, float, float]) -> None:
        self.edges, self.bbox = edges, bbox


def find_tables(edges: list[dict], width: float, height: float, settings: dict) -> list[list[tuple]]:
    """pdfplumber's ruled-table finder over the given edges: each table's cell boxes."""
    from pdfplumber.table import TableFinder, TableSettings

    finder = TableFinder(_EdgesOnly(edges, (0, 0, width, height)), TableSettings.resolve(settings))
    return [table.cells for table in finder.tables]
