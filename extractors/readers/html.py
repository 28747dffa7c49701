"""HTML reader: a saved web page -> paragraphs and tables, site navigation and chrome dropped.

The document text is rendered one block element per line; data tables (a header
row in the column vocabulary) become Table blocks with rowspan/colspan resolved,
layout tables (the issuer | national-motto header) are read as lines.
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

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

    def walk(self, node: "lxml.html.HtmlElement", depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise ReadError(f"HTML nested deeper than {MAX_DEPTH} levels")
        if node.text:
            self.inline.append(node.text)
        for child in node:
            if isinstance(child.tag, str):  # not a comment or a processing instruction, whose text is no content
                self.element(child, depth)
            if child.tail:  # the text after a child runs on in this node
                self.inline.append(child.tail)

    def element(self, child: "lxml.html.HtmlElement", depth: int) -> None:
        name = child.tag.lower()
        if name in DROP_TAGS or _is_chrome(child):
            return
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

    def table(self, node: "lxml.html.HtmlElement", depth: int) -> None:
        self.out.grid(_grid(node), layout="html")


def _is_chrome(tag: "lxml.html.HtmlElement") -> bool:
    attrs = " ".join([tag.get("id") or ""] + (tag.get("class") or "").split())
    return bool(attrs and CHROME_CLASS.search(attrs)) or tag.get("role") in ("navigation", "banner", "contentinfo")


def _cell_text(cell: "lxml.html.HtmlElement") -> str:
    lines: list[str] = []
    cur: list[str] = []

    def visit(el) -> None:
        if el.text:
            cur.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                if child.tag in ("br", "p", "div", "li"):  # a line break where the element starts
                    lines.append("".join(cur))
                    cur.clear()
                visit(child)
            if child.tail:
                cur.append(child.tail)

    visit(cell)
    lines.append("".join(cur))
    out = [re.sub(r"[ \t\u00a0\r\n]+", " ", l).strip() for l in lines]
    return nfc("\n".join(l for l in out if l))


def _grid(table: "lxml.html.HtmlElement") -> list[list[tuple[str, int]]]:
    """Rows of (text, colspan); a rowspan repeats the cell's text in the rows it covers."""
    grid: list[list[tuple[str, int]]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows left)
    for tr in table.iter("tr"):
        if next(tr.iterancestors("table"), None) is not table:  # a row of a table nested in a cell
            continue
        row: list[tuple[str, int]] = []
        col = 0
        cells = [c for c in tr if c.tag in ("td", "th")]
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


XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse(text: str) -> "lxml.html.HtmlElement | None":
    """The page as libxml2's HTML parser reads it (forgiving, as browsers are); None when it holds nothing."""
    # huge_tree: libxml2 would otherwise cut a tree off at 256 levels without a word; walk() refuses past MAX_DEPTH
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except ValueError:  # a str that still declares its encoding (`<?xml ... encoding=...?>`): decoded already
        return _parse(XML_DECLARATION_RE.sub("", text, count=1)) if XML_DECLARATION_RE.match(text) else None
    except etree.ParserError:  # no content at all
        return None


def read_html(path: str, sha256: str, data: bytes) -> SourceDocument:
    notes: list[str] = []
    text, enc = decode(data, notes)
    root = _parse(text)
    r = _Renderer()
    page_title = None
    if root is not None:
        title_tag = next(root.iter("title"), None)
        if title_tag is not None:
            page_title = nfc(" ".join(s.strip() for s in title_tag.itertext() if s.strip()))
        body = next(root.iter("body"), None)
        r.walk(root if body is None else body)
    r.flush()
    doc = r.out.document(path, sha256, "html", encoding=enc, page_title=page_title)
    doc.warnings.extend(notes)
    return doc
