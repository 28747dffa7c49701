"""OpenDocument text (.odt, LibreOffice Writer's own format): content.xml read with lxml into the same
lines and table grids the DOCX reader builds. Headings and paragraphs are lines; list items are lines marked
"- " (ODF keeps list numbers in styles, which a plan's own numbering repeats in its text); a table cell merged
across columns carries its span, one merged down the rows belongs to each row it covers."""
from __future__ import annotations

import zipfile
from io import BytesIO

from vnplans.extractors.errors import ReadError
from vnplans.extractors.readers.builder import DocBuilder, Grid
from vnplans.extractors.readers.encoding import nfc
from vnplans.schemas.document import SourceDocument

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _text(el) -> str:
    """The characters of a paragraph: spans and links opened, <text:s c="3"/> as spaces, tabs and line breaks."""
    out = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == TEXT + "s":
            out.append(" " * int(child.get(TEXT + "c", "1")))
        elif tag == TEXT + "tab":
            out.append("\t")
        elif tag == TEXT + "line-break":
            out.append("\n")
        elif tag not in (TEXT + "note", OFFICE + "annotation"):  # footnotes and comments are not the plan's text
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


class _Reader:
    def __init__(self) -> None:
        self.out = DocBuilder()
        self.out.page = 1

    def walk(self, parent, bullet: str = "") -> None:
        for child in parent:
            tag = child.tag
            if tag in (TEXT + "p", TEXT + "h"):
                for line in nfc(_text(child)).split("\n"):
                    self.out.line(bullet + line if line.strip() else line)
                    bullet = ""  # only the item's first line carries the mark
            elif tag == TEXT + "list":
                for item in child:
                    if item.tag in (TEXT + "list-item", TEXT + "list-header"):
                        self.walk(item, "- " if item.tag == TEXT + "list-item" else "")
            elif tag == TABLE + "table":
                self.out.grid(self.grid(child), layout="odt")
            elif tag == TEXT + "soft-page-break":
                self.out.page += 1
            elif tag in (TEXT + "section", TEXT + "index-body", TABLE + "table-header-rows", TABLE + "table-rows"):
                self.walk(child, bullet)

    def cell_text(self, cell) -> str:
        lines: list[str] = []
        for child in cell.iter(TEXT + "p", TEXT + "h"):
            lines.extend(nfc(_text(child)).split("\n"))
        return "\n".join(line for line in lines if line.strip())

    def grid(self, table) -> Grid:
        grid: Grid = []
        down: dict[int, tuple[str, int, int]] = {}  # column -> (text, colspan, rows still covered) of a cell merged down
        rows = [r for r in table.iter(TABLE + "table-row") if r.getparent() is table
                or r.getparent().getparent() is table]  # header rows and body rows, not a nested table's
        for tr in rows:
            row: list[tuple[str, int]] = []
            col = 0
            for cell in tr:
                repeat = int(cell.get(TABLE + "number-columns-repeated", "1"))
                if cell.tag == TABLE + "covered-table-cell":
                    for _ in range(min(repeat, 64)):
                        if col in down:  # the cell above spans down into this row
                            text, span, left = down[col]
                            row.append((text, span))
                            down[col] = (text, span, left - 1)
                            if left <= 1:
                                del down[col]
                            col += span
                        else:  # covered by a cell to its left, whose span counts it
                            col += 1
                    continue
                if cell.tag != TABLE + "table-cell":
                    continue
                text = self.cell_text(cell)
                span = max(1, int(cell.get(TABLE + "number-columns-spanned", "1")))
                rows_down = int(cell.get(TABLE + "number-rows-spanned", "1"))
                for _ in range(min(repeat, 64)):  # an empty cell repeated across the rest of a wide sheet: bounded
                    if rows_down > 1:
                        down[col] = (text, span, rows_down - 1)
                    row.append((text, span))
                    col += span
            grid.append(row)
        return grid


def read_odt(path: str, sha256: str, data: bytes) -> SourceDocument:
    from lxml import etree

    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            xml = z.read("content.xml")
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ReadError(f"corrupt OpenDocument file ({exc.__class__.__name__})") from None
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"corrupt OpenDocument file (content.xml: {str(exc)[:100]})") from None
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise ReadError("OpenDocument file with no text body (a spreadsheet or a drawing, not a plan)")
    r = _Reader()
    r.walk(body)
    return r.out.document(path, sha256, "odt", pages=r.out.page)
