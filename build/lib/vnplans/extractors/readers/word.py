"""DOCX reader: Word paragraphs (with their automatic numbering) and tables, in body order.

Word keeps list labels ("1.", "a)", bullets) out of the text, in numbering.xml;
they are rebuilt here so the segmenter sees the same "1." a typed plan has.
Merged cells come back as colspan (gridSpan) or as the text repeated down the
rows it covers (vMerge), as the HTML reader does. The two-column header and
signature tables are layout tables and read as lines (DocBuilder decides).
Footnotes, page headers and footers are not part of the body and are dropped.
Pages are counted from the page breaks Word recorded (explicit breaks, section
breaks and Word's own last-rendered breaks), when the file has them.
"""
from __future__ import annotations

import re
from io import BytesIO
from typing import Optional

from vnplans.extractors.errors import ReadError
from vnplans.extractors.readers.builder import DocBuilder, Grid
from vnplans.extractors.readers import legacy
from vnplans.extractors.readers.encoding import nfc
from vnplans.schemas.document import SourceDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
         (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _roman(n: int) -> str:
    out = ""
    for value, sym in ROMAN:
        while n >= value:
            out += sym
            n -= value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = LETTERS[(n - 1) % 26] * ((n - 1) // 26 + 1)
        return s if fmt == "lowerLetter" else s.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.lower() if fmt == "lowerRoman" else s
    if fmt in ("none", ""):
        return ""
    return str(n)  # decimal and its variants (decimalZero, ...)


class Numbering:
    """Counters for Word's automatic list numbering; `label(numId, ilvl)` gives the next label."""

    def __init__(self, element) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId -> ilvl -> (start, fmt, text)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        if element is None:
            return
        for absn in element.iter(W + "abstractNum"):
            levels = {}
            for lvl in absn.iter(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl", "0"))
                start = lvl.find(W + "start")
                fmt = lvl.find(W + "numFmt")
                text = lvl.find(W + "lvlText")
                levels[ilvl] = (int(start.get(W + "val", "1")) if start is not None else 1,
                                fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                                text.get(W + "val", "") if text is not None else "")
            self.levels[absn.get(W + "abstractNumId")] = levels
        for num in element.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            overrides = {}
            for ov in num.iter(W + "lvlOverride"):
                so = ov.find(W + "startOverride")
                if so is not None:
                    overrides[int(ov.get(W + "ilvl", "0"))] = int(so.get(W + "val", "1"))
            if ref is not None:
                self.nums[num.get(W + "numId")] = (ref.get(W + "val"), overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        start, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return "-"
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, overrides.get(ilvl, start) - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def level_value(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k == ilvl:
                return _format(counters[ilvl], fmt)
            if k in counters and k in levels:
                return _format(counters[k], levels[k][1])
            return ""

        return re.sub(r"%(\d)", level_value, text).strip()


def _num_ref(num_pr) -> Optional[tuple[str, int]]:
    """(numId, ilvl) of a <w:numPr>, when it names a list."""
    nid = num_pr.find(W + "numId") if num_pr is not None else None
    if nid is None:
        return None
    lvl = num_pr.find(W + "ilvl")
    return nid.get(W + "val"), int(lvl.get(W + "val", "0")) if lvl is not None else 0


class _Reader:
    def __init__(self, document) -> None:
        self.doc = document
        part = document.part
        try:
            numbering = part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        self.numbering = Numbering(numbering)
        self.styles = {s.get(W + "styleId"): s for s in document.styles.element.iter(W + "style")}
        self.out = DocBuilder()
        self.out.page = 1
        self.saw_rendered_breaks = False
        self.legacy_fonts: set[str] = set()  # legacy encodings met in run fonts (converted as read)

    # --- paragraphs --------------------------------------------------------------------

    def _style_num(self, style_id: Optional[str]) -> Optional[tuple[str, int]]:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            st = self.styles.get(style_id)
            if st is None:
                return None
            ref = _num_ref(st.find(f"{W}pPr/{W}numPr"))
            if ref:
                return ref
            based = st.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else None
        return None

    def _style_bold(self, style_id: Optional[str]) -> bool:
        st = self.styles.get(style_id or "")
        b = st.find(f"{W}rPr/{W}b") if st is not None else None
        return b is not None and b.get(W + "val", "true") not in ("0", "false")

    def paragraph_text(self, p) -> tuple[str, bool]:
        """The paragraph's text with its list label, and whether all of it is bold."""
        parts: list[str] = []
        bold_chars = total = 0
        ppr = p.find(W + "pPr")
        style_el = ppr.find(W + "pStyle") if ppr is not None else None
        style_id = style_el.get(W + "val") if style_el is not None else None
        style_bold = self._style_bold(style_id)
        for r in p.iter(W + "r"):
            rpr = r.find(W + "rPr")
            b = rpr.find(W + "b") if rpr is not None else None
            bold = style_bold if b is None else b.get(W + "val", "true") not in ("0", "false")
            fonts = rpr.find(W + "rFonts") if rpr is not None else None
            legacy_font = legacy.font_encoding(fonts.get(W + "ascii") or fonts.get(W + "hAnsi")) \
                if fonts is not None else None
            if legacy_font:
                self.legacy_fonts.add(legacy_font[0])
            for child in r:
                tag = child.tag
                if tag == W + "t":
                    text = child.text or ""
                elif tag == W + "tab":
                    text = " "
                elif tag in (W + "br", W + "cr"):
                    if child.get(W + "type") == "page":
                        self.out.page = (self.out.page or 1) + 1
                        continue
                    text = "\n"
                elif tag == W + "lastRenderedPageBreak":
                    self.saw_rendered_breaks = True
                    self.out.page = (self.out.page or 1) + 1
                    continue
                elif tag == W + "noBreakHyphen":
                    text = "-"
                else:
                    continue
                if legacy_font:  # a .VnTime / VNI-Times run: its characters are the font's, not Unicode
                    text = legacy.convert(text, *legacy_font)
                parts.append(text)
                if text.strip():
                    total += len(text)
                    bold_chars += len(text) if bold else 0
        text = nfc("".join(parts))
        num = _num_ref(ppr.find(W + "numPr")) if ppr is not None else None
        if num is None or num[0] == "0":
            num = self._style_num(style_id)
        if num and text.strip():
            label = self.numbering.label(*num)
            if label:
                text = f"{label} {text.lstrip()}"
        return text, total > 0 and bold_chars == total

    # --- tables ------------------------------------------------------------------------

    def cell_text(self, tc) -> str:
        lines = []
        for child in tc:
            if child.tag == W + "p":
                lines.append(self.paragraph_text(child)[0])
            elif child.tag == W + "tbl":  # a nested table: its cells' text, row by row
                for row in self.table_grid(child):
                    lines.extend(t for t, _ in row if t)
        return "\n".join(l for l in "\n".join(lines).split("\n") if l.strip())

    def table_grid(self, tbl) -> Grid:
        grid: Grid = []
        above: dict[int, str] = {}  # grid column -> text of the vertically merged cell above
        for tr in tbl.iter(W + "tr"):
            if tr.getparent() is not tbl:
                continue
            row: list[tuple[str, int]] = []
            col = 0
            for tc in tr.iter(W + "tc"):
                if tc.getparent() is not tr:
                    continue
                tcpr = tc.find(W + "tcPr")
                span_el = tcpr.find(W + "gridSpan") if tcpr is not None else None
                span = max(1, int(span_el.get(W + "val", "1"))) if span_el is not None else 1
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                if vmerge is not None and vmerge.get(W + "val") != "restart":
                    text = above.get(col, "")
                else:
                    text = self.cell_text(tc)
                    if vmerge is not None:
                        above[col] = text
                    else:
                        above.pop(col, None)
                row.append((text, span))
                col += span
            grid.append(row)
        return grid

    # --- body --------------------------------------------------------------------------

    def walk(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "p":
                text, bold = self.paragraph_text(child)
                for line in text.split("\n"):
                    self.out.line(line, bold=bold)
                if child.find(f"{W}pPr/{W}sectPr") is not None and not self.saw_rendered_breaks:
                    self.out.page = (self.out.page or 1) + 1  # a section break starts a new page
            elif tag == W + "tbl":
                self.out.grid(self.table_grid(child), layout="docx")
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag"):
                self.walk(child)


def read_docx(path: str, sha256: str, data: bytes) -> SourceDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ReadError(f"corrupt Word document ({exc.__class__.__name__}: {str(exc)[:120]})") from None
    except Exception as exc:  # lxml XMLSyntaxError, zipfile errors
        raise ReadError(f"corrupt Word document ({exc.__class__.__name__})") from None
    r = _Reader(document)
    r.walk(document.element.body)
    return r.out.document(path, sha256, "docx", pages=r.out.page,
                          encoding="/".join(sorted(r.legacy_fonts)) or None)
