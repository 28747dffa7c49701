"""HTML reader: a saved web page -> paragraphs and tables, site navigation and chrome dropped.

The document text is rendered one block element per line; data tables (a header
row in the column vocabulary) become Table blocks with rowspan/colspan resolved,
layout tables (the issuer | national-motto header) are read as lines.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from vnplans.extractors.errors import ReadError
from vnplans.extractors.readers.builder import DocBuilder
from vnplans.extractors.readers.encoding import decode, nfc
from vnplans.schemas.document import SourceDocument

DROP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button", "select",
             "svg", "canvas", "template", "input", "textarea", "head"}
CHROME_CLASS = re.compile(r"(^|[-_ ])(menu|nav|navbar|breadcrumb|footer|header|sidebar|banner|share|social|comment|related|advert|ads|cookie|login|search)([-_ ]|$)", re.I)
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "main", "blockquote", "pre",
              "dd", "dt", "center", "body", "ul", "ol", "dl", "figure", "figcaption", "address"}
MAX_DEPTH = 400


class _Renderer:
    """Walks the DOM, gathering inline text until a block boundary, and hands paragraphs and tables to a DocBuilder."""

    def __init__(self) -> None:
        self.out = DocBuilder()
        self.inline: list[str] = []
        self.inline_bold = False

    def flush(self) -> None:
        self.out.line("".join(self.inline), bold=self.inline_bold)
        self.inline = []
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
        self.out.grid(_grid(node), layout="html")


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
    notes: list[str] = []
    text, enc = decode(data, notes)
    soup = BeautifulSoup(text, "lxml")
    title_tag = soup.find("title")
    page_title = nfc(title_tag.get_text(" ", strip=True)) if title_tag else None
    body = soup.body or soup
    r = _Renderer()
    r.walk(body)
    r.flush()
    doc = r.out.document(path, sha256, "html", encoding=enc, page_title=page_title)
    doc.warnings.extend(notes)
    return doc
