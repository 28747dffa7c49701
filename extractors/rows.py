"""Plan tables -> indicator and task rows, with agencies by role and normalised deadlines.

Column meaning comes from the header vocabulary (data/table_columns.yaml), never
from position. Group rows (a Roman numeral or letter with only a title) become the
`group` of the rows below them; pillar rows that carry scores are rows themselves
and group the rows under them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from vnplans.extractors import agencies, deadlines
from vnplans.extractors.structure import Section, section_of_block, section_path
from vnplans.extractors.readers.tables import SUB_ROW_MARK_RE, classify_header, column_fields, is_empty, is_header_row, looks_like_deadline, \
    looks_like_number, looks_like_stt
from vnplans.schemas.document import Block, SourceDocument, Span
from vnplans.schemas.extraction import ROLES, Deadline, Row

SUBITEM_RE = re.compile(r"^(\d{1,2}[.)]|[a-zđ]\))\s+(.+)$", re.S)
TOTAL_RE = re.compile(r"^(?:tổng cộng|tổng số|tổng|cộng|chỉ số chung|chỉ số cao nhất|chỉ số thấp nhất)\b[\s:.(]*", re.IGNORECASE)
GROUP_STT_RE = re.compile(r"^([IVXL]{1,6}|[A-H])\.?$")
SUBGROUP_STT_RE = re.compile(r"^[IVXL]{1,6}(?:\.\d{1,3}){1,3}\.?$")  # "III.1", "III.1.2": groups within group III


ROLE_NAMES = {"chủ trì": "lead", "phối hợp": "coordinate", "theo dõi": "monitor", "giám sát": "monitor"}
# "Chủ trì: Sở Nội vụ; Phối hợp: Sở Tài chính" - role labels inside one agency cell
ROLE_LABEL_RE = re.compile(r"(?:^|(?<=[;\n.,])|(?<=\s))[-–+•]?\s*(chủ trì|phối hợp|theo dõi|giám sát)(?:\s+thực hiện)?\s*:",
                           re.IGNORECASE)
# "Sở KH&CN chủ trì, phối hợp với Sở Tài chính", "Sở A phối hợp với Sở B": roles as running words
LEAD_WORD_RE = re.compile(r"\s+chủ trì\b", re.IGNORECASE)
PARTNER_WORD_RE = re.compile(r"[,;]?\s*(?:và\s+)?phối hợp(?:\s+chặt chẽ)?\s+(?:với|cùng)\s+", re.IGNORECASE)


def roles_of_cells(cells: dict[str, str]) -> dict[str, Optional[str]]:
    """The agencies of each role from a row's role cells. A lead (or single "Cơ quan thực hiện")
    cell may carry the other roles itself: role labels ("Chủ trì: X; Phối hợp: Y") or running
    words ("X chủ trì, phối hợp với Y"); the role words are dropped, the agencies kept."""
    out: dict[str, Optional[str]] = {role: cells.get(role) for role in ROLES}
    lead = out["lead"]
    if not lead:
        return out
    found = split_roles(lead)
    if found:
        out["lead"] = found.get("lead")
        for role in ("coordinate", "monitor"):
            if found.get(role):
                out[role] = "\n".join(x for x in (out[role], found[role]) if x)
    return out


def split_roles(text: str) -> dict[str, str]:
    """Role -> its part of one cell, or {} when the cell names one role only."""
    marks = list(ROLE_LABEL_RE.finditer(text))
    out: dict[str, str] = {}
    if marks:
        head = text[: marks[0].start()].strip(" ;,.\n")
        if head:
            out["lead"] = head
        for k, m in enumerate(marks):
            part = text[m.end() : marks[k + 1].start() if k + 1 < len(marks) else len(text)].strip(" ;,.\n")
            role = ROLE_NAMES[m.group(1).lower()]
            out[role] = "\n".join(x for x in (out.get(role), part) if x)
        return out
    partner = PARTNER_WORD_RE.search(text)
    lead_word = LEAD_WORD_RE.search(text)
    cut = min(m.start() for m in (partner, lead_word) if m) if (partner or lead_word) else None
    if cut is None or cut == 0:
        return {}
    out["lead"] = text[:cut].strip(" ;,.\n")
    if partner:
        out["coordinate"] = text[partner.end() :].strip(" ;,.\n")
    return out


def parse_number(text: Optional[str]) -> Optional[float]:
    if not text or not looks_like_number(text):
        return None
    t = text.strip()
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    elif re.match(r"^\d{1,3}\.\d{3}$", t):
        t = t.replace(".", "")
    try:
        return float(t)
    except ValueError:
        return None


def _clean(text: str) -> str:
    return " ".join(text.split())


def table_caption(sections: list[Section], sec_id: Optional[int]) -> str:
    for sec in reversed(section_path(sections, sec_id)):
        if sec.kind == "appendix":
            return sec.label[:1] + sec.label[1:].lower() if sec.label.isupper() else sec.label
    path = section_path(sections, sec_id)
    return f"{path[-1].label} {path[-1].heading}".strip() if path else "Bảng"


def extract_rows(doc: SourceDocument, sections: list[Section], plan_year: Optional[int] = None) -> list[Row]:
    out: list[Row] = []
    where = section_of_block(sections)
    for idx, block in enumerate(doc.blocks):
        if block.kind != "table" or not block.table or not block.table.header:
            continue
        caption = table_caption(sections, where.get(idx))
        rows = rows_of_table(block, caption, plan_year)
        inherit_period(rows, [f"{s.label} {s.heading}".strip() for s in reversed(section_path(sections, where.get(idx)))])
        out.extend(rows)
    return out


def inherit_period(rows: list[Row], headings: list[str]) -> None:
    """Rows that print no deadline take the period of the nearest heading that states one ("Nhiệm vụ năm
    2026"), kept apart from printed deadlines and with the heading it came from."""
    found = next(((d, h) for h in headings if (d := deadlines.period_of(h))), None)
    if found is None:
        return
    period, heading = found
    for row in rows:
        if row.prints_no_deadline() and row.deadline_inherited is None:
            row.deadline_inherited, row.deadline_inherited_from = period, heading


@dataclass(frozen=True)
class _TableReading:
    """What a table's header says about every row: the field of each column, the year its deadline and target
    labels state ("Thời gian (Năm 2026)", "Mục tiêu 2025"), and whether its rows are indicators."""

    fields: list[Optional[str]]
    plan_year: Optional[int]
    target_year: Optional[int]
    indicators: bool
    target_columns: dict[int, tuple[Optional[int], Optional[str], Optional[str]]]  # of a table with several

    @classmethod
    def of(cls, header: list[str], plan_year: Optional[int]) -> "_TableReading":
        fields = column_fields(header)

        def label(field: str) -> str:
            return next((h for h, f in zip(header, fields) if f == field), "")

        stated = re.search(r"\b(?:năm\s+)?((?:19|20)\d{2})\b", label("deadline"))
        target_year = re.search(r"\b((?:19|20)\d{2})\b(?!.*\b(?:19|20)\d{2}\b)", label("target"))
        indicators = bool(re.match(r"\s*chỉ (số|tiêu)", label("text"), re.I)) or any(
            f in ("max_score", "score") for f in fields)
        targets = [k for k, f in enumerate(fields) if f == "target"]
        columns = {k: _target_column(header[k]) for k in targets} if len(targets) > 1 else {}
        return cls(fields, int(stated.group(1)) if stated else plan_year,
                   int(target_year.group(1)) if target_year else None, indicators, columns)


TARGET_LABEL_YEAR_RE = re.compile(r"^.*\b((?:19|20)\d{2})\b\s*")
LABEL_UNIT_RE = re.compile(r"\s*\(([^()]{1,30})\)\s*$")


def _target_column(label: str) -> tuple[Optional[int], Optional[str], Optional[str]]:
    """The year, unit and measure one of several target columns states: "Kế hoạch 2026 Lượng (Tấn)" -> (2026,
    "Tấn", "Lượng"); "Mục tiêu 2030" -> (2030, None, None)."""
    label = " ".join(label.split())
    year = TARGET_LABEL_YEAR_RE.match(label)
    rest = label[year.end():] if year else ""
    unit = LABEL_UNIT_RE.search(rest)
    measure = (rest[:unit.start()] if unit else rest).strip(" ,:-–") or None
    return (int(year.group(1)) if year else None, unit.group(1).strip() if unit else None, measure)


@dataclass
class _RowCells:
    """One table row's cells by field, with where each was printed."""

    values: dict[str, str] = field(default_factory=dict)
    spans: dict[str, Optional[Span]] = field(default_factory=dict)
    merged_note: Optional[str] = None  # a cell merged across role or deadline columns
    title_spans: bool = False  # a full-width title runs across the role or deadline columns
    copied: set[str] = field(default_factory=set)  # fields only a cell merged down from the row above fills
    target_cells: list[tuple[int, str]] = field(default_factory=list)  # (column, text) of each target cell

    @classmethod
    def of(cls, cells, fields: list[Optional[str]]) -> "_RowCells":
        row = cls()
        col = 0
        for cell in cells:
            covered = fields[col : col + cell.colspan]
            if covered[:1] == ["target"] and not is_empty(cell.text):
                row.target_cells.append((col, cell.text.strip()))
            col += cell.colspan
            if cell.colspan > 1 and "text" in covered and not is_empty(cell.text):
                # a full-width cell is a group title: "I. Nhóm Hạ tầng số"
                m = re.match(r"^([IVXL]{1,6}|[A-H])[.)]\s+(.+)$", _clean(cell.text), re.S)
                if m and "stt" in covered:
                    row.values["stt"], row.values["text"] = m.group(1), m.group(2)
                else:
                    row.values["text"] = cell.text.strip()
                row.title_spans = any(f in ROLES or f == "deadline" for f in covered)
                continue
            if cell.colspan > 1 and any(f in ROLES or f == "deadline" for f in covered) and not is_empty(cell.text):
                row.merged_note = _clean(cell.text)
                continue
            f = covered[0] if covered else None
            if f in row.values and f in ("max_score", "score", "stt"):
                continue  # a second column of the same figure ("Điểm số": 2024 | Mục tiêu 2025): the first counts
            if f and not is_empty(cell.text):
                row.values[f] = (row.values[f] + "\n" + cell.text).strip() if f in row.values else cell.text.strip()
                row.spans.setdefault(f, cell.span)
                if cell.rowspan == 0:
                    row.copied.add(f)
        return row


@dataclass
class _Groups:
    """The group titles above the current row: the outer one ("I. Hạ tầng số"), an inner one ("III.1", a pillar,
    a sub-item heading), and the period an outer title states ("I | Giai đoạn 2025-2027")."""

    outer: Optional[str] = None
    inner: Optional[str] = None
    period: Optional[tuple[Deadline, str]] = None

    def take_title(self, stt: Optional[str], text: str, cells: _RowCells, others: dict[str, str]) -> bool:
        """Whether the row is a group title (then it becomes the group of the rows below)."""
        has_scores = any(k in others for k in ("max_score", "score"))
        has_assignments = any(k in others and k not in cells.copied
                              for k in ROLES + ("deadline", "note", "hint", "method")) or cells.merged_note
        if has_scores or has_assignments or "target" in others:
            return False
        # a group title: a Roman numeral or letter with nothing else, or any number whose title runs
        # across the role and deadline columns ("1 | Hoàn thiện thể chế, chính sách" merged over the row)
        if stt and SUBGROUP_STT_RE.match(stt):
            self.inner = text  # the group and its period above still hold
            return True
        if stt is None or GROUP_STT_RE.match(stt) or cells.title_spans:
            self.outer, self.inner = text, None
            period = deadlines.period_of(text)
            if period is not None:
                self.period = (period, text)
            elif stt and GROUP_STT_RE.match(stt):
                self.period = None  # a new top-level group that states no period ends the previous one
            return True
        return False


def _marks_sub_row(read: "_RowCells") -> bool:
    """A row numbered with a dash in its STT column: a sub-row of the numbered row above it."""
    return bool(SUB_ROW_MARK_RE.match(_clean(read.values.get("stt", ""))))


def rows_of_table(block: Block, caption: str, plan_year: Optional[int] = None) -> list[Row]:
    table = block.table
    assert table is not None
    reading = _TableReading.of(table.header, plan_year)
    out: list[Row] = []
    groups = _Groups()
    readings = [_RowCells.of(cells, reading.fields) for cells in table.rows]
    for position, read in enumerate(readings):
        stt = _ocr_stt(_clean(read.values.get("stt", ""))) or None
        text = _clean(read.values.get("text", ""))
        others = {k: v for k, v in read.values.items() if k not in ("stt", "text")}
        # sub-items written in a free-text column of an otherwise empty row ("1. Cơ sở dữ liệu ...")
        from_subitem = False
        if not stt and not text:
            free = [k for k in ("hint", "method", "note") if k in others]
            if len(free) == 1:
                content = others.pop(free[0]).strip()
                m = SUBITEM_RE.match(content)
                if m:
                    stt, text, from_subitem = m.group(1), _clean(m.group(2)), True
                elif not any(k in others for k in ROLES + ("deadline",)):
                    groups.inner = _clean(content)
                    continue
        if not text or (stt is None and TOTAL_RE.match(text)):
            continue  # a total ("Tổng cộng", "CHỈ SỐ CHUNG") sums the rows above: it is not one
        if groups.take_title(stt, text, read, others):
            continue
        if stt and not SUB_ROW_MARK_RE.match(stt) and not others and position + 1 < len(readings) \
                and _marks_sub_row(readings[position + 1]):
            groups.inner = text  # "1 | Cà phê" over "- | Diện tích" and "- | Sản lượng": what they measure
            continue
        is_pillar = (any(k in others for k in ("max_score", "score")) and stt is not None
                     and "." not in stt.rstrip(".") and bool(re.match(r"^(\d+|[IVXL]+)\.?$", stt)))
        row = _row(caption, reading, read, others, stt, text, "task" if from_subitem or not reading.indicators
                   else "indicator", groups.outer if is_pillar else (groups.inner or groups.outer))
        if groups.period and row.prints_no_deadline():
            row.deadline_inherited, row.deadline_inherited_from = groups.period
        out.append(row)
        if is_pillar:
            groups.inner = text
    return out


def _row(caption: str, reading: _TableReading, read: _RowCells, others: dict[str, str], stt: Optional[str],
         text: str, kind: str, group: Optional[str]) -> Row:
    """A row from its cells: score, agencies by role, the deadline as printed and as dates."""
    scored, out_of = _score_of(others.get("score"))
    spans = read.spans
    row = Row(
        table=caption, kind=kind, stt=stt, group=group, text=text,
        max_score=_first(parse_number(others.get("max_score")), out_of),
        score=scored,
        note=read.merged_note or (_clean(others["note"]) if "note" in others else None),
        hint=others.get("hint"),
        target=_clean(others["target"]) if "target" in others and not reading.target_columns else None,
        target_cells=[(_clean(text), *reading.target_columns[k]) for k, text in read.target_cells
                      if k in reading.target_columns],
        unit=_clean(others["unit"]) if "unit" in others else None,
        target_year=reading.target_year,
        span=spans.get("text") or spans.get("stt") or next((sp for sp in spans.values() if sp), None),
    )
    for role, raw in roles_of_cells(others).items():
        named = agencies.split_printed(raw)
        setattr(row, role, [entry for _, entry in named])
        row.printed_as = {**agencies.printed_map(named), **row.printed_as}
    raw_deadline = others.get("deadline")
    row.deadline_raw = _clean(raw_deadline) if raw_deadline else None
    row.deadline = deadlines.parse(row.deadline_raw, reading.plan_year)
    if row.deadline.empty and row.note and looks_like_deadline(row.note):
        row.deadline = deadlines.parse(row.note, reading.plan_year)
    return row


def _first(*values: Optional[float]) -> Optional[float]:
    return next((v for v in values if v is not None), None)


SCORE_OUT_OF_RE = re.compile(r"\s*([\d.,]+)\s*/\s*([\d.,]+)\s*")


def _score_of(cell: Optional[str]) -> tuple[Optional[float], Optional[float]]:
    """(score, out of) of a score cell: "9,38" or "9,49/ 9,5" (points scored over the points there were)."""
    m = SCORE_OUT_OF_RE.fullmatch(cell or "")
    if m:
        return parse_number(m.group(1)), parse_number(m.group(2))
    return parse_number(cell), None


OCR_ROMAN = str.maketrans({"H": "II", "l": "I", "L": "I", "1": "I", "|": "I"})


def _ocr_stt(stt: str) -> str:
    """A Roman numeral as OCR reads it off a scan ("IH", "LH" for III; "l" for I), when only the reading
    is wrong: the number column holds numbers and numerals, and no numeral has an H or an L before a V."""
    if stt and not looks_like_stt(stt) and re.fullmatch(r"[IVXHLl1|]{1,5}", stt):
        fixed = stt.translate(OCR_ROMAN)
        return fixed if GROUP_STT_RE.match(fixed) else stt
    return stt


def _is_stt_label(text: str) -> bool:
    spec = classify_header(text)
    return bool(spec and spec.field == "stt")


CELL_BREAK_RE = re.compile(r"\s*\|\s*|\t| {2,}")


def unread_tables(doc: SourceDocument, sections: list[Section], rows: list[Row]) -> list[str]:
    """Warnings for tables the document shows but no row was read from: a table block that gave
    no rows, or a line that reads as a table header (STT | Nội dung | ...) outside any table.
    Losing a plan's appendix in silence is the worst outcome."""
    out: list[str] = []
    where = section_of_block(sections)
    spans = [r.span.start for r in rows if r.span is not None and r.origin == "table"]
    blocks = doc.blocks
    for idx, block in enumerate(blocks):
        if block.kind == "table" and block.table is not None:
            if not any(block.span.start <= s <= block.span.end for s in spans):
                label = table_caption(sections, where.get(idx))
                out.append(f"{label} (line {block.span.line}): a table of {len(block.table.rows)} rows was found"
                           " but no rows were read")
        elif block.kind == "line":
            raw = doc.text[block.span.start : block.span.end] or block.text  # as printed: runs of spaces kept
            # (a line with no bar, tab or double space is one cell: no split to try)
            broken = "|" in raw or "\t" in raw or "  " in raw
            cells = [c for c in CELL_BREAK_RE.split(raw) if c.strip()] if broken else [raw] if raw.strip() else []
            if len(cells) < 3 and _is_stt_label(block.text):
                # a header printed one cell per line ("STT", "Nội dung", "Đơn vị tính", ...)
                cells = [b.text for b in blocks[idx : idx + 8] if b.kind == "line" and len(b.text) < 80]
                cells = cells[: next((k for k, c in enumerate(cells[1:], 1) if not classify_header(c)), len(cells))]
            if len(cells) >= 3 and is_header_row(cells):
                following = 0
                for k in range(idx + 1, min(idx + 400, len(blocks))):
                    if blocks[k].kind != "line" or where.get(k) != where.get(idx):
                        break
                    following += 1
                label = table_caption(sections, where.get(idx))
                out.append(f"{label} (line {block.span.line}): a table of about {following} lines was found"
                           f" ({' | '.join(cells[:4])} ...) but no rows were read")
    return out
