"""One place that turns a reader's paragraphs and table grids into a SourceDocument.

The HTML, DOCX and PDF readers each walk their own format, then hand lines and
grids to a `DocBuilder`, which writes the document text, keeps every span exact,
decides whether a grid is a data table (a header row in the column vocabulary) or
a layout table (the issuer | national-motto header, the recipients | signature
block, read as lines), and cuts web-page chrome at the end.
"""
from __future__ import annotations

import re
from typing import Optional

from vnplans.extractors.readers.chrome import find_chrome
from vnplans.extractors.readers.text_tables import clean_markup
from vnplans.extractors.readers.tables import find_header, normalize_label, repeats_header
from vnplans.schemas.document import Block, Cell, SourceDocument, Span, Table

Grid = list[list[tuple[str, int]]]  # rows of (cell text, colspan)
WS = re.compile(r"[ \t\u00a0\r\n]+")


class DocBuilder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.blocks: list[Block] = []
        self.line_no = 0
        self.page: Optional[int] = None  # set by paged readers as they go
        self.warnings: list[str] = []

    def _emit(self, text: str) -> Span:
        if self.parts:
            self.parts.append("\n")
            self.pos += 1
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        self.line_no += 1
        return Span(start, self.pos, self.line_no, self.page)

    def line(self, raw: str, bold: bool = False) -> None:
        """A paragraph of running text; whitespace runs collapse, markdown emphasis is dropped."""
        raw = WS.sub(" ", raw).strip()
        if not raw:
            return
        text, md_bold = clean_markup(raw)
        if text:
            self.blocks.append(Block("line", text, self._emit(text), bold=bold or md_bold))

    def grid(self, grid: Grid, layout: str, page_of_row: Optional[list[Optional[int]]] = None) -> None:
        """A table: data tables become Table blocks, layout tables their cells' lines, row by row."""
        grid = [row for row in grid if any(t.strip() for t, _ in row)]
        if not grid:
            return
        found = find_header(grid)
        if found is None:
            for r, row in enumerate(grid):
                if page_of_row:
                    self.page = page_of_row[r]
                for text, _ in row:
                    for line in text.split("\n"):
                        self.line(line)
            return
        header, first_row = found
        start = self.pos + (1 if self.parts else 0)
        first_line = self.line_no + 1
        first_page = page_of_row[first_row - 1] if page_of_row else self.page
        head_rows = [[normalize_label(c) for c, _ in row] for row in grid[:first_row]]
        rows: list[list[Cell]] = []
        for r, row in enumerate(grid[first_row:], start=first_row):
            if repeats_header([c for c, _ in row], head_rows):
                continue
            if page_of_row:
                self.page = page_of_row[r]
            cells = []
            for text, colspan in row:
                text = "\n".join(WS.sub(" ", l).strip() for l in text.split("\n") if l.strip())
                span = self._emit(text.replace("\n", " / ")) if text else None
                cells.append(Cell(text, span, colspan=colspan))
            rows.append(cells)
        if rows:
            table = Table(rows=rows, header=header, layout=layout)
            self.blocks.append(Block("table", "", Span(start, self.pos, first_line, first_page), table=table))

    def document(self, path: str, sha256: str, fmt: str, encoding: Optional[str] = None, pages: Optional[int] = None,
                 ocr_confidence: Optional[dict[int, float]] = None, page_title: Optional[str] = None) -> SourceDocument:
        """The finished document, with site chrome the reader could not see by structure cut off."""
        lines = [b.text if b.kind == "line" else "\t" for b in self.blocks]
        chrome = find_chrome(lines)
        return SourceDocument(
            path=path, sha256=sha256, format=fmt, text="".join(self.parts),
            blocks=[b for i, b in enumerate(self.blocks[: chrome.body_end]) if i >= chrome.body_start and i not in chrome.dropped],
            encoding=encoding, warnings=self.warnings,
            pages=pages, ocr_pages=sorted(ocr_confidence or {}), ocr_confidence=ocr_confidence or {},
            site_meta=chrome.site_meta, site_title=chrome.site_title or page_title,
        )
