"""HTML reader: a saved web page -> paragraphs and tables, site navigation and chrome dropped.

The document text is rendered one block element per line; data tables (a header
row in the column vocabulary) become Table blocks with rowspan/colspan resolved,
layout tables (the issuer | national-motto header) are read as lines.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from extractors.errors import ReadError
from extractors.readers.chrome import find_chrome
from extractors.readers.encoding import decode, nfc
from extractors.readers.text import clean_markup
from extractors.tables import is_header_row
from schemas.document import Block, Cell, SourceDocument, Span, Table

DROP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button", "select",
             "svg", "canvas", "template", "input", "textarea", "head"}
CHROME_CLASS = re.compile(r"(^|[-_ ])(menu|nav|navbar|breadcrumb|footer|header|sidebar|banner|share|social|comment|related|advert|ads|cookie|login|search)([-_ ]|$)", re.I)
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "main", "blockquote", "pre",
              "dd", "dt", "center", "body", "ul", "ol", "dl", "figure", "figcaption", "address"}
MAX_DEPTH = 400


class _Renderer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.blocks: list[Block] = []
        self.line_no = 0
        self.inline: list[str] = []
        self.inline_bold = False

    def _emit_text(self, text: str) -> Span:
        if self.parts:
            self.parts.append("\n")
            self.pos += 1
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        self.line_no += 1
        return Span(start, self.pos, self.line_no)

    def flush(self) -> None:
        raw = re.sub(r"[ \t\u00a0\r\n]+", " ", "".join(self.inline)).strip()
        self.inline = []
        if raw:
            text, _ = clean_markup(raw)
            span = self._emit_text(text)
            self.blocks.append(Block("line", text, span, bold=self.inline_bold))
        self.inline_bold = False

    def walk(self, node: Tag, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise ReadError(f"HTML nested deeper than {MAX_DEPTH} levels")
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "ProcessingInstruction", "CData", "Declaration"):
                    continue
                self.inline.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in DROP_TAGS or _is_chrome(child):
                continue
            if name == "br":
                self.flush()
            elif name == "table":
                self.flush()
                self.table(child, depth)
            elif name in BLOCK_TAGS:
                self.flush()
                if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    self.inline_bold = True
                self.walk(child, depth + 1)
                self.flush()
            else:
                if name in ("b", "strong") and not "".join(self.inline).strip():
                    self.inline_bold = True
                self.walk(child, depth + 1)

    def table(self, node: Tag, depth: int) -> None:
        grid = _grid(node)
        if not grid:
            return
        header_idx = next((k for k, row in enumerate(grid[:3]) if is_header_row([c for c, _ in row])), None)
        if header_idx is None:
            # a layout table: read each cell as its own lines
            for row in grid:
                for text, _ in row:
                    for line in text.split("\n"):
                        if line.strip():
                            self.inline.append(line)
                            self.flush()
            return
        header = [c for c, _ in grid[header_idx]]
        start = self.pos + (1 if self.parts else 0)
        first_line = self.line_no + 1
        rows: list[list[Cell]] = []
        for row in grid[header_idx + 1 :]:
            texts = [c for c, _ in row]
            if [t.lower() for t in texts] == [h.lower() for h in header]:
                continue
            cells = []
            for text, colspan in row:
                span = self._emit_text(text.replace("\n", " / ")) if text else None
                cells.append(Cell(text, span, colspan=colspan))
            rows.append(cells)
        if not rows:
            return
        table = Table(rows=rows, header=header, layout="html")
        self.blocks.append(Block("table", "", Span(start, self.pos, first_line), table=table))


def _is_chrome(tag: Tag) -> bool:
    attrs = " ".join([tag.get("id") or ""] + list(tag.get("class") or []))
    return bool(attrs and CHROME_CLASS.search(attrs)) or tag.get("role") in ("navigation", "banner", "contentinfo")


def _cell_text(cell: Tag) -> str:
    lines: list[str] = []
    cur: list[str] = []
    for el in cell.descendants:
        if isinstance(el, NavigableString):
            cur.append(str(el))
        elif isinstance(el, Tag) and el.name in ("br", "p", "div", "li"):
            lines.append("".join(cur))
            cur = []
    lines.append("".join(cur))
    out = [re.sub(r"[ \t\u00a0\r\n]+", " ", l).strip() for l in lines]
    return nfc("\n".join(l for l in out if l))


def _grid(table: Tag) -> list[list[tuple[str, int]]]:
    """Rows of (text, colspan); a rowspan repeats the cell's text in the rows it covers."""
    grid: list[list[tuple[str, int]]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows left)
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        row: list[tuple[str, int]] = []
        col = 0
        cells = [c for c in tr.find_all(["td", "th"], recursive=False)]
        it = iter(cells)
        while True:
            if col in pending:
                text, left = pending[col]
                row.append((text, 1))
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (text, left - 1)
                col += 1
                continue
            cell = next(it, None)
            if cell is None:
                break
            text = _cell_text(cell)
            colspan = _int(cell.get("colspan"))
            rowspan = _int(cell.get("rowspan"))
            row.append((text, colspan))
            if rowspan > 1:
                pending[col] = (text, rowspan - 1)
            col += colspan
        if any(t for t, _ in row):
            grid.append(row)
    return grid


def _int(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 100))
    except (TypeError, ValueError):
        return 1


def read_html(path: str, sha256: str, data: bytes) -> SourceDocument:
    text, enc = decode(data)
    soup = BeautifulSoup(text, "lxml")
    title_tag = soup.find("title")
    page_title = nfc(title_tag.get_text(" ", strip=True)) if title_tag else None
    body = soup.body or soup
    r = _Renderer()
    r.walk(body)
    r.flush()
    full = "".join(r.parts)
    # cut site chrome the tag filters missed (portal headers/footers written as plain paragraphs)
    lines = [b.text if b.kind == "line" else "\t" for b in r.blocks]
    chrome = find_chrome(lines)
    blocks = r.blocks[chrome.body_start : chrome.body_end]
    return SourceDocument(path=path, sha256=sha256, format="html", text=full, blocks=blocks, encoding=enc,
                          site_meta=chrome.site_meta, site_title=chrome.site_title or page_title)
