"""Page layout: positioned words and table cell boxes -> paragraphs and table grids, in reading order.

Both PDF paths feed this module the same thing, a `Page` of words with their
boxes (from the text layer, or from Tesseract on a scan) and the cell boxes of
its ruled tables (from pdfplumber's table finder, or from rulings found in the
image), so a born-digital and a scanned plan are laid out by the same rules:

- hard-wrapped lines are joined when the next line's first word would not have
  fitted on the previous one (the test a typesetter's line breaker implies);
- a two-column block (issuer | national motto, recipients | signature) is read
  left column first, then right, row by row, as the DOCX reader reads that table;
- running headers, footers and page numbers are dropped;
- a table that continues on the next page is one table: the repeated header row
  goes, and a row split by the page break is glued back together.
"""
from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from vnplans.extractors.readers.alphabet import BULLET_GLYPHS
from vnplans.extractors.readers.builder import DocBuilder, Grid
from vnplans.extractors.readers.columns import place_words, read_column_table
from vnplans.extractors.readers.text_tables import MARKER_RE
from vnplans.extractors.readers.tables import classify_header, is_header_row

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
PAGE_NUMBER_RE = re.compile(r"^(-\s*)?(trang\s+)?\d{1,4}(\s*/\s*\d{1,4})?(\s*-)?$", re.I)
TERMINAL_RE = re.compile(r"[.;:!?]$")


@dataclass
class Word:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    bold: bool = False

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]
    tables: list[list[Box]] = field(default_factory=list)  # the cell boxes of each ruled table


@dataclass
class Line:
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


def group_lines(words: list[Word]) -> list[Line]:
    """Words -> lines, top to bottom: a word joins the line it overlaps vertically by more than half its height
    (the line's top and bottom being the medians of its words')."""
    lines: list[tuple[list[Word], list[float], list[float]]] = []  # words, and their tops and bottoms sorted
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        for line, tops, bottoms in reversed(lines[-3:]):
            top, bottom = _median_of_sorted(tops), _median_of_sorted(bottoms)
            if min(bottom, w.bottom) - max(top, w.top) > 0.5 * min(bottom - top, w.height):
                line.append(w)
                bisect.insort(tops, w.top)
                bisect.insort(bottoms, w.bottom)
                break
        else:
            lines.append(([w], [w.top], [w.bottom]))
    return [Line(sorted(line, key=lambda w: w.x0)) for line, _, _ in lines]


def _median_of_sorted(values: list[float]) -> float:
    """statistics.median of values already in order."""
    n = len(values)
    half = n // 2
    return values[half] if n % 2 else (values[half - 1] + values[half]) / 2


def split_segments(line: Line, height: float) -> list[Line]:
    """A line cut where two columns sit side by side: a gap far wider than the line's other word gaps."""
    gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:])]
    if not gaps:
        return [line]
    usual = statistics.median(gaps)
    out = [[line.words[0]]]
    for g, b in zip(gaps, line.words[1:]):
        if g > 2.5 * height or (g > 1.2 * height and g > 3 * usual):
            out.append([b])
        else:
            out[-1].append(b)
    return [Line(ws) for ws in out]


def paragraphs(lines: list[Line], left: float, right: float) -> list[tuple[str, bool]]:
    """Join hard-wrapped lines into paragraphs within a column that runs from `left` to `right`."""
    out: list[tuple[list[str], bool]] = []
    prev: Optional[Line] = None
    for line in lines:
        text = line.text.translate(BULLET_GLYPHS)
        if prev is not None and _continues(prev, line, text, left, right):
            parts = out[-1][0]
            if re.search(r"\w-$", parts[-1]) and text[:1].islower():
                parts[-1] = parts[-1][:-1] + text  # a hyphenated word
            else:
                parts.append(text)
        else:
            out.append(([text], line.bold))
        prev = line
    return [(" ".join(parts), bold) for parts, bold in out]


def _continues(prev: Line, line: Line, text: str, left: float, right: float) -> bool:
    height = max(1.0, statistics.median(w.height for w in prev.words))
    if line.top - prev.bottom > 0.9 * height:
        return False  # a blank line's worth of space: a new paragraph
    if MARKER_RE.match(text) or prev.bold != line.bold:
        return False
    if line.x0 - left > 1.5 * height and abs((line.x0 + line.x1) / 2 - (left + right) / 2) > 2 * height:
        return False  # an indented first line
    centered = prev.x0 - left > 1.5 * height and abs((prev.x0 + prev.x1) / 2 - (left + right) / 2) < height
    free = (right - prev.x1) + ((prev.x0 - left) if centered else 0)
    first = line.words[0]
    if free > (first.x1 - first.x0) + 1.2 * height:
        return False  # the next word would have fitted: the previous line ended on purpose
    if TERMINAL_RE.search(prev.text) and not text[:1].islower():
        return free <= 0.6 * height and not text[:1].isdigit()
    return True


def cell_grid(cells: list[Box], tol: float = 2.0) -> tuple[list[float], list[float], list[tuple[int, int, int, int, Box]]]:
    """Cell boxes -> column and row boundaries and, per cell, (row, col, rowspan, colspan, box)."""

    def bounds(values: list[float]) -> list[float]:
        out: list[float] = []
        for v in sorted(values):
            if not out or v - out[-1] > tol:
                out.append(v)
        return out

    xs = bounds([c[0] for c in cells] + [c[2] for c in cells])
    ys = bounds([c[1] for c in cells] + [c[3] for c in cells])

    def index(bs: list[float], v: float) -> int:
        return min(range(len(bs)), key=lambda i: abs(bs[i] - v))

    placed = []
    for c in cells:
        c0, c1 = index(xs, c[0]), index(xs, c[2])
        r0, r1 = index(ys, c[1]), index(ys, c[3])
        if c1 > c0 and r1 > r0:
            placed.append((r0, c0, r1 - r0, c1 - c0, c))
    return xs, ys, placed


def tables_from_edges(edges: list[dict]) -> list[list[Box]]:
    """Ruling segments (pdfplumber edge dicts) -> the cell boxes of each table, by pdfplumber's own
    snap/join -> intersections -> cells -> tables steps. Used where pdfplumber cannot find the edges
    itself: rulings seen in a scanned image, and pages turned by /Rotate."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    if not edges:
        return []
    edges = merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    return [[tuple(map(float, c)) for c in t] for t in cells_to_tables(cells) if len(t) >= 4]


@dataclass
class _TableRun:
    """A table being read, possibly over several pages."""

    xs: list[float]
    rows: Grid
    pages: list[Optional[int]]
    header: list[str]


class PageLayout:
    """Feeds pages, in order, to a DocBuilder as paragraphs and tables."""

    def __init__(self, out: DocBuilder, pages_total: int) -> None:
        self.out = out
        self.pages_total = pages_total
        self.table: Optional[_TableRun] = None
        self.running: Counter = Counter()

    def learn_running_lines(self, pages: list[Page]) -> None:
        """Text that recurs in the top or bottom band of many pages is a running header or footer; so is a
        small ruled box in the top band whose cells recur (a re-publisher's "title | Lần ban hành: 1" box)."""
        for page in pages:
            seen = set()
            for line in group_lines(page.words):
                if line.bottom < 0.09 * page.height or line.top > 0.91 * page.height:
                    seen.add(_running_key(line.text))
            for cells in page.tables:
                if _bbox(cells)[3] < 0.2 * page.height:
                    seen.update(_running_key(t) for t in _cell_texts(page, cells) if t)
            self.running.update(seen)

    def _recurs(self, text: str) -> bool:
        return self.pages_total >= 3 and self.running[_running_key(text)] >= max(3, self.pages_total // 2)

    def _is_running(self, line: Line, page: Page) -> bool:
        text = line.text.strip()
        numberlike = PAGE_NUMBER_RE.match(text) or (len(text) <= 4 and any(c.isdigit() for c in text))  # "1ã": OCR's 13
        if numberlike and (line.bottom < 0.12 * page.height or line.top > 0.88 * page.height):
            return True  # a page number, as far into the page as a scanner's margins put it
        if not (line.bottom < 0.09 * page.height or line.top > 0.91 * page.height):
            return False
        return self._recurs(line.text)

    def _is_running_box(self, cells: list[Box], page: Page) -> bool:
        if _bbox(cells)[3] >= 0.2 * page.height:
            return False
        texts = [t for t in _cell_texts(page, cells) if t]
        return bool(texts) and 2 * sum(self._recurs(t) for t in texts) >= len(texts)

    def add(self, page: Page) -> None:
        all_boxes = [_bbox(cells) for cells in page.tables]
        free_words = [w for w in page.words if not any(_inside(w, b) for b in all_boxes)]
        lines = [l for l in group_lines(free_words) if not self._is_running(l, page)]
        items: list[tuple[float, str, object]] = [(l.top, "line", l) for l in lines]
        items += [(b[1], "table", cells) for b, cells in zip(all_boxes, page.tables)
                  if not self._is_running_box(cells, page)]
        items.sort(key=lambda it: it[0])
        run: list[Line] = []
        for _, kind, obj in items:
            if kind == "line":
                run.append(obj)  # type: ignore[arg-type]
                continue
            self._text(run, page)
            run = []
            self._table(obj, page)  # type: ignore[arg-type]
        self._text(run, page)

    # --- running text ------------------------------------------------------------------

    def _text(self, lines: list[Line], page: Page, tables: bool = True) -> None:
        if not lines:
            return
        self.flush_table()
        self.out.page = page.number
        height = statistics.median(w.height for l in lines for w in l.words)
        if tables and self._aligned_table(lines, page, height):
            return
        left = min(l.x0 for l in lines)
        # the right margin: where most lines end (a stray mark in the margin must not move it)
        ends = sorted(l.x1 for l in lines)
        right = max(ends[int(0.9 * (len(ends) - 1))], left + 0.6 * page.width)
        mid = page.width / 2
        segmented = [split_segments(l, height) for l in lines]

        def keeps_to_halves(k: int) -> bool:
            return all(s.x1 < mid + height or s.x0 > mid - height for s in segmented[k])

        plain: list[Line] = []
        i = 0
        while i < len(lines):
            if len(segmented[i]) > 1 and keeps_to_halves(i):
                # a two-column region starts here and runs while lines keep to one half or the other
                j = i
                while j < len(lines) and keeps_to_halves(j):
                    j += 1
                self._emit(paragraphs(plain, left, right))
                plain = []
                self._columns([s for k in range(i, j) for s in segmented[k]], left, right, mid, height)
                i = j
            else:
                plain.append(lines[i])
                i += 1
        self._emit(paragraphs(plain, left, right))

    def _aligned_table(self, lines: list[Line], page: Page, height: float) -> bool:
        """A table with no rulings (a browser's print, a borderless Word table): a line of column labels spaced
        apart, and rows aligned under it. Read by columns.py from where the words stand; the text around it
        is read as text. False when the lines hold no such table."""
        if len(lines) < 2:
            return False
        words = [[(w.x0, w.x1, w.text) for w in line.words] for line in lines]
        unit = statistics.median((w.x1 - w.x0) / max(1, len(w.text)) for line in lines for w in line.words) or 5.0
        placed = place_words(words, unit, 0.5 * height)
        for i, line in enumerate(placed):
            if "   " not in line.raw.strip():
                continue
            found = read_column_table(placed, i, len(placed))
            if found is None:
                continue
            table, last = found
            self._text(lines[:i], page, tables=False)  # no table header stands before line i: read it as text
            grid = [[(h, 1) for h in table.header]] + [[(c.text, 1) for c in row] for row in table.rows]
            self.out.page = page.number
            self.out.grid(grid, layout="aligned", page_of_row=[page.number] * len(grid))
            self._text(lines[last + 1:], page)
            return True
        return False

    def _columns(self, segments: list[Line], left: float, right: float, mid: float, height: float) -> None:
        """A two-column region, read as the DOCX reader reads the table it was: left column, then right."""
        for side in (True, False):
            col = sorted((s for s in segments if (s.x1 < mid + height) == side), key=lambda s: s.top)
            if col:
                lo, hi = (left, mid) if side else (mid, right)
                self._emit(paragraphs(col, min(lo, min(s.x0 for s in col)), max(hi, max(s.x1 for s in col))))

    def _emit(self, paras: list[tuple[str, bool]]) -> None:
        for text, bold in paras:
            self.out.line(text, bold=bold)

    # --- tables ------------------------------------------------------------------------

    def _grid_of(self, cells: list[Box], page: Page) -> tuple[list[float], Grid]:
        xs, ys, placed = cell_grid(cells)
        words = page.words
        texts: dict[tuple[int, int], tuple[str, int]] = {}
        for r, c, rs, cs, box in placed:
            inner = _words_in(words, box)
            lines = group_lines(inner)
            h = statistics.median(w.height for w in inner) if inner else 10.0
            text = "\n".join(t for t, _ in paragraphs(lines, box[0] + 0.3 * h, box[2] - 0.3 * h))
            for k in range(rs):  # a vertical merge repeats the text in the rows it covers
                texts[(r + k, c)] = (text, cs)
        grid: Grid = []
        for r in range(len(ys) - 1):
            row = []
            c = 0
            while c < len(xs) - 1:
                text, cs = texts.get((r, c), ("", 1))
                row.append((text, cs))
                c += cs
            grid.append(row)
        return xs, grid

    def _table(self, cells: list[Box], page: Page) -> None:
        """A table opens a new run, unless it has the columns of the open one (which then continues). Scanned
        pages sit a little left or right of each other: the columns' widths must match, not their places."""
        xs, grid = self._grid_of(cells, page)
        run = self.table
        shift = xs[0] - run.xs[0] if run is not None and xs and run.xs else 0.0
        if run is not None and len(xs) == len(run.xs) and abs(shift) < 40 and all(abs(a - shift - b) < 4 for a, b in zip(xs, run.xs)):
            if grid and ([t.lower() for t, _ in grid[0]] == [h.lower() for h in run.header]
                         or (run.header and is_header_row([t for t, _ in grid[0]]))):
                grid = grid[1:]  # the header repeated on the new page (as OCR read it this time)
            if grid and run.rows and _is_split_row(grid[0], run):
                prev = run.rows[-1]
                run.rows[-1] = [(_glue(a, b), cs) for (a, cs), (b, _) in zip(prev, grid[0])]
                grid = grid[1:]
            run.rows += grid
            run.pages += [page.number] * len(grid)
            return
        self.flush_table()
        if not grid:
            return
        header = next(([t for t, _ in row] for row in grid[:3] if is_header_row([t for t, _ in row])), [])
        self.table = _TableRun(xs, grid, [page.number] * len(grid), header)

    def flush_table(self) -> None:
        if self.table is not None:
            self.out.grid(self.table.rows, layout="pdf", page_of_row=self.table.pages)
            self.table = None


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _cell_texts(page: Page, cells: list[Box]) -> list[str]:
    return [" ".join(w.text for w in sorted(_words_in(page.words, c), key=lambda w: (w.top, w.x0))) for c in cells]


def _bbox(cells: list[Box]) -> Box:
    return (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))


def _words_in(words: list[Word], box: Box) -> list[Word]:
    """The words whose centre is in the box (as _inside, for many words at once)."""
    left, top, right, bottom = box
    return [w for w in words if left <= (w.x0 + w.x1) / 2 <= right and top <= (w.top + w.bottom) / 2 <= bottom]


def _inside(w: Word, box: Box) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _is_split_row(row: list[tuple[str, int]], run: _TableRun) -> bool:
    """The first row on a new page is the rest of the last row when its number (STT) cell is empty."""
    if not run.header or not row:
        return False
    first = classify_header(run.header[0])
    return bool(first and first.type == "stt" and not row[0][0].strip() and any(t.strip() for t, _ in row[1:]))


def _glue(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    return a + (" " if b[:1].islower() or not TERMINAL_RE.search(a) and not MARKER_RE.match(b) else "\n") + b
