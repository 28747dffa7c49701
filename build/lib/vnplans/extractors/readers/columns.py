"""Tables laid out with spaces: `pdftotext -layout` dumps, fixed-width printouts, e-mailed plain text.

Such a table has no rulings and no separators. Its columns are found the way a reader's eye finds them:
a column is a band of character positions that holds text in some line, and columns are separated by
gutters, positions blank in every data line. Header labels (which may be centred over their column and
wrapped over two lines) are put in the band under their centre. A row starts where the first column
holds a row number (or, with no number column, any text); lines in between continue the row's cells.
A header repeated at a page break starts a new stretch whose columns are measured again, since
pages shift them; a row cut by the page break goes on in the first lines under it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Protocol

from vnplans.extractors.readers.tables import classify_header, is_header_row, looks_like_stt
from vnplans.schemas.document import Cell, Span, Table

SEGMENT_RE = re.compile(r"\S+(?: \S+)*")  # text runs separated by two spaces or more
PAGE_NUMBER_RE = re.compile(r"^(?:-\s*)?\d{1,4}(?:\s*-)?$")


class TextLine(Protocol):
    idx: int
    start: int
    raw: str


@dataclass
class PlacedLine:
    """A line of positioned words (a PDF page's) written out with spaces where its words stand."""
    idx: int
    start: int
    raw: str


def place_words(lines: list[list[tuple[float, float, str]]], unit: float, word_gap: float) -> list[PlacedLine]:
    """Lines of (x0, x1, text) words as text lines whose columns follow x: a gap wider than `word_gap` (the
    space between two cells) becomes two spaces or more, a word space one, so `read_column_table` reads a
    borderless PDF table as it reads a `pdftotext -layout` dump."""
    left = min((x0 for words in lines for x0, _, _ in words), default=0.0)
    out = []
    for k, words in enumerate(lines):
        raw, prev_x1 = "", None
        for x0, x1, text in words:
            at = int(round((x0 - left) / unit))
            if prev_x1 is None:
                raw = " " * at
            elif x0 - prev_x1 > word_gap:
                raw += " " * max(2, at - len(raw))
            else:
                raw += " "
            raw += text
            prev_x1 = x1
        out.append(PlacedLine(k, 0, raw))
    return out


@dataclass
class Segment:
    start: int  # column in the line
    end: int
    text: str


def segments(raw: str) -> list[Segment]:
    raw = raw.replace("\f", " ").replace("\t", "    ")
    return [Segment(m.start(), m.end(), m.group()) for m in SEGMENT_RE.finditer(raw)]


def header_lines(lines: list[TextLine], i: int, end: int) -> Optional[list[list[Segment]]]:
    """The segments of the one to three lines from line i that head a table: labels wrapped in narrow columns
    ("STT" / "Chỉ số chính/Chỉ" / "Điểm" over "số thành phần" / "tối đa") are read down each column."""
    first = segments(lines[i].raw)
    if len(first) < 2 or "   " not in lines[i].raw.strip():
        return None
    rows = [first]
    for k in range(i, min(i + 3, end)):
        if k > i:
            more = segments(lines[k].raw)
            if not more or _opens_row(more, first):
                break
            rows.append(more)
        bands = _bands(rows)
        labels = [" ".join(s.text for segs in rows for s in segs if lo <= s.start < hi) for lo, hi in bands]
        if len(labels) >= 3 and is_header_row(labels):
            return rows
    return None


def read_column_table(lines: list[TextLine], i: int, end: int) -> Optional[tuple[Table, int]]:
    """The table whose header starts at line i: (table, index of its last line), or None when no rows follow."""
    head_rows = header_lines(lines, i, end)
    if head_rows is None:
        return None
    head = head_rows[0]
    width = max(s.end for segs in head_rows for s in segs)
    stretches: list[tuple[list[list[Segment]], list[int]]] = [(head_rows, [])]  # (header lines, data lines) per page
    j, last, in_header = i + len(head_rows), i + len(head_rows) - 1, True
    while j < end:
        segs = segments(lines[j].raw)
        if not segs:
            k = j
            while k < end and not segments(lines[k].raw):
                k += 1
            if k - j > 1 or k >= end or len(segments(lines[k].raw)) < 2:
                break  # the table ends at a gap, or where prose follows one
            j = k
            continue
        if len(segs) == 1 and PAGE_NUMBER_RE.match(segs[0].text):
            j += 1
            continue
        repeated = header_lines(lines, j, end) if len(segs) >= 2 else None
        if repeated is not None and not _opens_row(segs, head):
            stretches.append((repeated, []))  # the header repeated over a page break
            in_header = True
            j += len(repeated)
            continue
        if len(segs) == 1 and segs[0].start <= 2 and segs[0].end - segs[0].start >= 0.6 * width:
            break  # a full-width line of prose: the table is over
        header_rows, data = stretches[-1]
        if in_header and (_repeats(segs, stretches[0][0][1:]) if len(stretches) > 1 else
                          not _opens_row(segs, head) and all(len(s.text) < 25 for s in segs)):
            header_rows.append(segs)  # the header's second line ("đôn đốc   thực hiện")
            j += 1
            continue
        in_header = False
        data.append(j)
        last = j
        j += 1
    rows: list[list[Cell]] = []
    labels: list[str] = []
    for header_rows, data in stretches:
        if not data:
            continue
        columns = _columns(header_rows, [segments(lines[k].raw) for k in data])
        if len(columns) < 3:
            continue
        labels = labels or [name for name, _ in columns]
        numbered = _numbered(labels)
        for k in data:
            cells = _place(lines[k], segments(lines[k].raw), columns)[: len(labels)]
            cells += [None] * (len(labels) - len(cells))
            first = cells[0]
            if not rows or (first is not None and (looks_like_stt(first.text) or not numbered)):
                rows.append([c or Cell("") for c in cells])
                continue
            for col, cell in enumerate(cells):  # the row goes on, on this page or over the page break
                if cell is not None:
                    _extend(rows[-1][col], cell)
    if not rows or not labels:
        return None
    return Table(rows=rows, header=labels, layout="columns"), last


def _numbered(labels: list[str]) -> bool:
    spec = classify_header(labels[0])
    return bool(spec and spec.field == "stt")


def _opens_row(segs: list[Segment], head: list[Segment]) -> bool:
    return bool(segs) and segs[0].start <= head[0].end + 1 and looks_like_stt(segs[0].text)


def _repeats(segs: list[Segment], header_rows: list[list[Segment]]) -> bool:
    words = " ".join(s.text for s in segs).split()
    return any(words == " ".join(s.text for s in row).split() for row in header_rows)


def _columns(header_rows: list[list[Segment]], data: list[list[Segment]]) -> list[tuple[str, int]]:
    """(label, first position) of each column. Data text fills bands of positions separated by gutters blank
    in every line; each header segment names the band under its centre. A band under two labels of one
    header line holds two columns printed one space apart in some line: it is cut where data text starts
    most often between the two labels. A band under no label belongs to the column on its left."""
    bands = _bands(data)
    right = max((e for _, e in bands), default=0)
    for segs in header_rows:  # a column no data line fills ("Ghi chú") is where its label is
        bands += [(s.start, s.end) for s in segs if s.start > right + 1]
        right = max([right] + [s.end for s in segs if s.start > right + 1])
    bands.sort()
    named: list[list[tuple[int, Segment]]] = [[] for _ in bands]
    for row, segs in enumerate(header_rows):
        for s in segs:
            centre = (s.start + s.end) / 2
            k = min(range(len(bands)), key=lambda b: 0 if bands[b][0] <= centre < bands[b][1] else
                    min(abs(bands[b][0] - centre), abs(bands[b][1] - centre)))
            named[k].append((row, s))
    counts: dict[int, int] = {}
    for segs in data:
        for s in segs:
            counts[s.start] = counts.get(s.start, 0) + 1
    starts = {x: counts.get(x - 1, 0) + counts[x] + counts.get(x + 1, 0) for x in counts}  # positions jitter by one
    columns: list[tuple[str, int]] = []
    for (start, end), labels in zip(bands, named):
        cuts = [start]
        rows = [[s for r, s in labels if r == row] for row in range(len(header_rows))]
        line = next((segs for segs in rows if len(segs) > 1), [])  # the first header line that splits the band
        for a, b in zip(line, line[1:]):  # two labels of one header line over one band
            between = [x for x in starts if max(a.start, b.start - 6) < x <= b.start + 2]
            # where data starts most often near the label: text layouts shift a column by a few places
            cuts.append(max(between, key=lambda x: (starts[x], -abs(x - b.start))) if between else b.start)
        cuts.sort()
        if len(cuts) > 1:
            for n, cut in enumerate(cuts):
                texts = [s.text for _, s in labels if _column_of(s, cuts) == n]
                columns.append((" ".join(texts), cut))
        elif labels or not columns:
            columns.append((" ".join(s.text for _, s in labels), start))
    return columns


def _column_of(s: Segment, cuts: list[int]) -> int:
    centre = (s.start + s.end) / 2
    return max((n for n, c in enumerate(cuts) if c <= centre), default=0)


def _bands(data: list[list[Segment]]) -> list[tuple[int, int]]:
    """Runs of positions that hold text in some line; one blank is a space between words."""
    width = max((s.end for segs in data for s in segs), default=0)
    used = [False] * (width + 2)
    for segs in data:
        for s in segs:
            used[s.start:s.end] = [True] * (s.end - s.start)
    bands: list[tuple[int, int]] = []
    x = 0
    while x < width:
        if not used[x]:
            x += 1
            continue
        start = x
        while x < width and (used[x] or used[x + 1]):
            x += 1
        bands.append((start, x))
    return bands


def _place(line: TextLine, segs: list[Segment], columns: list[tuple[str, int]]) -> list[Optional[Cell]]:
    """The line's segments, each in the column whose band holds its start."""
    cells: list[Optional[Cell]] = [None] * len(columns)
    offset = 1 if line.raw.startswith("\f") else 0
    for s in _cut(segs, [start for _, start in columns], line.raw.replace("\f", " ")):
        col = max((k for k, (_, start) in enumerate(columns) if start <= s.start + 1), default=0)
        span = Span(line.start + s.start - offset, line.start + s.end - offset, line.idx + 1)
        if cells[col] is None:
            cells[col] = Cell(s.text, span)
        else:
            _extend(cells[col], Cell(s.text, span))
    return cells


def _cut(segs: list[Segment], starts: list[int], raw: str) -> list[Segment]:
    """Segments cut where a column starts inside them after a space ("Giám đốc Ngân hàng Các chi nhánh")."""
    out: list[Segment] = []
    for s in segs:
        at = s.start
        for x in starts:
            if at < x < s.end and raw[x - 1] == " ":
                out.append(Segment(at, x - 1, raw[at:x - 1]))
                at = x
        out.append(Segment(at, s.end, raw[at:s.end]))
    return out


def _extend(cell: Cell, more: Cell) -> None:
    cell.text = f"{cell.text} {more.text}".strip() if cell.text else more.text
    if cell.span and more.span:
        cell.span = Span(cell.span.start, max(cell.span.end, more.span.end), cell.span.line)
    elif more.span:
        cell.span = more.span
