"""Plan tables -> indicator and task rows, with agencies by role and normalised deadlines.

Column meaning comes from the header vocabulary (data/table_columns.yaml), never
from position. Group rows (a Roman numeral or letter with only a title) become the
`group` of the rows below them; pillar rows that carry scores are rows themselves
and group the rows under them.
"""
from __future__ import annotations

import re
from typing import Optional

from vnplans.extractors import agencies, deadlines
from vnplans.extractors.structure import Section, section_of_block, section_path
from vnplans.extractors.readers.tables import classify_header, column_fields, is_empty, is_header_row, looks_like_deadline, looks_like_number, looks_like_stt
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
    return re.sub(r"\s+", " ", text.replace("\n", " ")).strip()


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


def rows_of_table(block: Block, caption: str, plan_year: Optional[int] = None) -> list[Row]:
    table = block.table
    assert table is not None
    fields = column_fields(table.header)
    text_label = next((h for h, f in zip(table.header, fields) if f == "text"), "")
    deadline_label = next((h for h, f in zip(table.header, fields) if f == "deadline"), "")
    stated = re.search(r"\b(?:năm\s+)?((?:19|20)\d{2})\b", deadline_label)
    plan_year = int(stated.group(1)) if stated else plan_year  # "Thời gian (Năm 2026)"
    target_label = next((h for h, f in zip(table.header, fields) if f == "target"), "")
    target_year = re.search(r"\b((?:19|20)\d{2})\b(?!.*\b(?:19|20)\d{2}\b)", target_label)  # "Mục tiêu 2025"
    indicator_table = bool(re.match(r"\s*chỉ (số|tiêu)", text_label, re.I)) or any(f in ("max_score", "score") for f in fields)
    out: list[Row] = []
    outer_group: Optional[str] = None
    inner_group: Optional[str] = None
    group_period: Optional[tuple[Deadline, str]] = None  # "I | Giai đoạn 2025-2027" over the rows below
    for cells in table.rows:
        values: dict[str, str] = {}
        spans: dict[str, Optional[Span]] = {}
        merged_note: Optional[str] = None
        title_spans = False
        copied: set[str] = set()  # fields only a cell merged down from the row above fills
        col = 0
        for cell in cells:
            covered = [f for f in fields[col : col + cell.colspan]]
            col += cell.colspan
            if cell.colspan > 1 and "text" in covered and not is_empty(cell.text):
                # a full-width cell is a group title: "I. Nhóm Hạ tầng số"
                m = re.match(r"^([IVXL]{1,6}|[A-H])[.)]\s+(.+)$", _clean(cell.text), re.S)
                if m and "stt" in covered:
                    values["stt"], values["text"] = m.group(1), m.group(2)
                else:
                    values["text"] = cell.text.strip()
                title_spans = any(f in ROLES or f == "deadline" for f in covered)
                continue
            if cell.colspan > 1 and any(f in ROLES or f == "deadline" for f in covered) and not is_empty(cell.text):
                merged_note = _clean(cell.text)
                continue
            f = covered[0] if covered else None
            if f in values and f in ("max_score", "score", "stt"):
                continue  # a second column of the same figure ("Điểm số": 2024 | Mục tiêu 2025): the first counts
            if f and not is_empty(cell.text):
                values[f] = (values.get(f, "") + "\n" + cell.text).strip() if f in values else cell.text.strip()
                spans.setdefault(f, cell.span)
                if cell.rowspan == 0:
                    copied.add(f)
        stt = _ocr_stt(_clean(values.get("stt", ""))) or None
        text = _clean(values.get("text", ""))
        others = {k: v for k, v in values.items() if k not in ("stt", "text")}
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
                    inner_group = _clean(content)
                    continue
        if not text or (stt is None and TOTAL_RE.match(text)):
            continue  # a total ("Tổng cộng", "CHỈ SỐ CHUNG") sums the rows above: it is not one
        has_scores = any(k in others for k in ("max_score", "score"))
        has_assignments = any(k in others and k not in copied for k in ROLES + ("deadline", "note", "hint", "method")) \
            or merged_note
        # a group title: a Roman numeral or letter with nothing else, or any number whose title runs
        # across the role and deadline columns ("1 | Hoàn thiện thể chế, chính sách" merged over the row)
        if not has_scores and not has_assignments and "target" not in others and stt and SUBGROUP_STT_RE.match(stt):
            inner_group = text  # the group and its period above still hold
            continue
        if not has_scores and not has_assignments and "target" not in others and (
                stt is None or GROUP_STT_RE.match(stt) or title_spans):
            outer_group, inner_group = text, None
            period = deadlines.period_of(text)
            if period is not None:
                group_period = (period, text)
            elif stt and GROUP_STT_RE.match(stt):
                group_period = None  # a new top-level group that states no period ends the previous one
            continue
        scored, out_of = _score_of(others.get("score"))
        is_pillar = has_scores and stt is not None and ("." not in stt.rstrip(".")) and bool(re.match(r"^(\d+|[IVXL]+)\.?$", stt))
        row = Row(
            table=caption,
            kind="indicator" if indicator_table and not from_subitem else "task",
            stt=stt,
            group=outer_group if is_pillar else (inner_group or outer_group),
            text=text,
            max_score=_first(parse_number(others.get("max_score")), out_of),
            score=scored,
            note=merged_note or (_clean(others["note"]) if "note" in others else None),
            hint=others.get("hint"),
            target=_clean(others["target"]) if "target" in others else None,
            unit=_clean(others["unit"]) if "unit" in others else None,
            target_year=int(target_year.group(1)) if target_year else None,
            span=spans.get("text") or spans.get("stt") or next((sp for sp in spans.values() if sp), None),
        )
        for role, raw in roles_of_cells(others).items():
            setattr(row, role, agencies.split(raw))
        raw_deadline = others.get("deadline")
        row.deadline_raw = _clean(raw_deadline) if raw_deadline else None
        row.deadline = deadlines.parse(row.deadline_raw, plan_year)
        if row.deadline.empty and row.note and looks_like_deadline(row.note):
            row.deadline = deadlines.parse(row.note, plan_year)
        if group_period and row.prints_no_deadline():
            row.deadline_inherited, row.deadline_inherited_from = group_period
        out.append(row)
        if is_pillar:
            inner_group = text
    return out


def _first(*values: Optional[float]) -> Optional[float]:
    return next((v for v in values if v is not None), None)


def _score_of(cell: Optional[str]) -> tuple[Optional[float], Optional[float]]:
    """(score, out of) of a score cell: "9,38" or "9,49/ 9,5" (points scored over the points there were)."""
    m = re.fullmatch(r"\s*([\d.,]+)\s*/\s*([\d.,]+)\s*", cell or "")
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
            cells = [c for c in CELL_BREAK_RE.split(raw) if c.strip()]
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
