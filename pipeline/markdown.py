"""One document as readable Markdown (`vnplans extract --to md`): its text with headings where its sections open
and its tables as Markdown tables, then what was extracted (document fields, targets) as tables of their own."""
from __future__ import annotations

from vnplans.pipeline.stages import Processed
from vnplans.schemas.document import Table
from vnplans.schemas.extraction import Extraction

# the heading level of a section kind; items nested deeper are bold paragraphs, bullets stay list items
HEADING = {"appendix": 2, "part": 2, "chapter": 2, "roman": 2, "section": 3, "article": 3, "group": 3,
           "numbered": 3, "ordinal": 4, "clause": 4, "point": 5}
QUIET = {"header", "preamble", "signature", "recipients"}


def render(p: Processed, ex: Extraction) -> str:
    doc = p.source
    opens = {sec.blocks[0]: sec for sec in p.sections if sec.blocks and sec.kind not in QUIET}
    title = ex.document.title or ex.source
    out = [f"# {_inline(title)}", "", _fields(ex), ""]
    for idx, block in enumerate(doc.blocks):
        if block.kind == "table" and block.table is not None:
            out += [_table(block.table), ""]
            continue
        sec = opens.get(idx)
        text = _inline(block.text)
        if sec is not None and sec.kind in HEADING:
            depth = round((sec.level - 6) * 2) if sec.kind == "numbered" else 0  # "1." 3, "1.1" 4, "1.1.1" 5
            out.append(f"{'#' * min(5, HEADING[sec.kind] + depth)} {text}")
        elif sec is not None and sec.kind == "bullet":
            out.append(f"- {_inline(sec.heading) if sec.heading else text}")
        else:
            out.append(f"**{text}**" if block.bold else text)
        out.append("")
    if ex.targets:
        out += ["## Chỉ tiêu trích xuất (targets)", "",
                _grid(["Chỉ tiêu", "So sánh", "Giá trị", "Đơn vị", "Năm", "Chỉ số chuẩn"],
                      [[t.metric, t.comparator, _number(t.value, t.value_max), t.unit or "", str(t.year or ""),
                        t.link.metric if t.link else ""] for t in ex.targets]), ""]
    if ex.warnings:
        out += ["## Cảnh báo (warnings)", ""] + [f"- {_inline(w)}" for w in ex.warnings] + [""]
    return "\n".join(out).rstrip() + "\n"


def _fields(ex: Extraction) -> str:
    d = ex.document
    pairs = [("Số", d.doc_number or d.doc_number_raw), ("Loại", d.doc_type), ("Cơ quan ban hành", d.issuer),
             ("Tỉnh", d.province), ("Ngày ban hành", d.issued_date or d.issued_month), ("Người ký", d.signer),
             ("Giai đoạn", f"{d.period.start}–{d.period.end}" if d.period.start else None),
             ("Tệp", ex.source)]
    return _grid(["Trường", "Giá trị"], [[k, v] for k, v in pairs if v])


def _table(table: Table) -> str:
    width = max([len(table.header)] + [sum(c.colspan for c in row) for row in table.rows])
    rows = []
    for row in table.rows:
        cells = []
        for c in row:
            cells += [c.text] + [""] * (c.colspan - 1)
        rows.append(cells + [""] * (width - len(cells)))
    header = list(table.header) + [""] * (width - len(table.header))
    if not table.header and rows:
        header, rows = rows[0], rows[1:]
    return _grid(header, rows)


def _grid(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """A cell on one line: its line breaks as <br>, its pipes escaped."""
    return "<br>".join(_inline(line) for line in str(text).splitlines() if line.strip()).replace("|", "\\|")


def _inline(text: str) -> str:
    """Text on one line that does not turn into Markdown it never was: a leading '#' or '>' is escaped."""
    text = " ".join(text.split())
    return "\\" + text if text[:1] in "#>" else text


def _number(value: float, value_max) -> str:
    return f"{value:g}–{value_max:g}" if value_max is not None else f"{value:g}"
