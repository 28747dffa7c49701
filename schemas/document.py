"""The intermediate document model every reader produces and every extractor consumes.

A reader turns raw bytes into one `SourceDocument`: the NFC-normalised text it
read (`text`), and that text cut into `Block`s, each either a line of running
text or a `Table` made of rows of `Cell`s. Every block and cell keeps its
character span into `text` and its source line (and page, for paged formats),
so anything extracted later can point back at the exact characters it came
from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

BlockKind = Literal["line", "table"]


@dataclass
class Span:
    """Where something sits in `SourceDocument.text`: [start, end) plus its line and page."""

    start: int
    end: int
    line: int  # 1-based line number in the source (for text); paragraph index for DOCX
    page: Optional[int] = None


@dataclass
class Cell:
    text: str
    span: Optional[Span] = None
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    """A table as rows of cells; `header` holds the column labels when the reader found them."""

    rows: list[list[Cell]]
    header: list[str] = field(default_factory=list)
    layout: str = ""  # how it was laid out in the source: tsv, pipe, cell-per-line, html, docx, pdf
    caption: Optional[str] = None


@dataclass
class Block:
    kind: BlockKind
    text: str
    span: Span
    table: Optional[Table] = None
    bold: bool = False  # the source marked it as emphasised (markdown ** or <b>/<strong>)

    @property
    def line(self) -> int:
        return self.span.line


@dataclass
class SourceDocument:
    path: str
    sha256: str
    format: str  # text, html, pdf, docx
    text: str
    blocks: list[Block]
    encoding: Optional[str] = None
    warnings: list[str] = field(default_factory=list)
    pages: Optional[int] = None
    ocr_pages: list[int] = field(default_factory=list)
    ocr_confidence: dict[int, float] = field(default_factory=dict)  # page -> mean Tesseract word confidence (0-100)
    # page -> how its text was read and how Vietnamese it reads: {"source": "text" | "ocr", "non_syllable": share,
    # "single_letter": share} (see readers/quality.py)
    page_quality: dict[int, dict] = field(default_factory=dict)
    # What the hosting web page said about the document (field -> value), and the page's title line.
    site_meta: dict[str, str] = field(default_factory=dict)
    site_title: Optional[str] = None
    # What an e-signature drew over page 1 of a signed PDF ("stamped_header": its OCR text) and when it
    # signed ("signed_date"): the number and day such PDFs leave blank in their text layer.
    stamps: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "line"]

    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]

    def outline(self) -> dict:
        """What a reader made of the file, without the text body: blocks with their kind, span and text, tables
        cell by cell. The golden files of tests/data/ keep this."""

        def cell(c: Cell):
            return c.text if (c.colspan, c.rowspan) == (1, 1) else {"text": c.text, "colspan": c.colspan,
                                                                    "rowspan": c.rowspan}

        def block(b: Block) -> dict:
            out = {"kind": b.kind, "line": b.span.line, "page": b.span.page, "start": b.span.start, "end": b.span.end}
            if b.table is None:
                return {**out, "text": b.text, **({"bold": True} if b.bold else {})}
            t = b.table
            return {**out, "layout": t.layout, "caption": t.caption, "header": t.header,
                    "rows": [[cell(c) for c in row] for row in t.rows]}

        return {"format": self.format, "encoding": self.encoding, "pages": self.pages, "warnings": self.warnings,
                "ocr_pages": self.ocr_pages, "site_meta": self.site_meta, "site_title": self.site_title,
                "stamps": self.stamps, "blocks": [block(b) for b in self.blocks]}
