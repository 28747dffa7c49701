"""Table reconstruction shared by every reader: header vocabulary and flattened-stream alignment.

Text renditions of plan tables lose their grid. A web scrape leaves one cell per
`|`-terminated chunk with merged cells silently spanning several columns; a copy
from a browser leaves one paragraph per cell, with multi-paragraph cells and
non-breaking spaces for empty cells. Both become a flat stream of tokens, and
cutting that stream back into rows is a sequence-alignment problem: each column
has a type known from its header label (STT, number, agency, deadline, free
text), and the best split is the one whose cells fit their columns' types at
the lowest total cost. `align_stream` solves it by dynamic programming, so one
odd cell cannot derail every row after it.
"""
from __future__ import annotations

import functools
import re
from itertools import accumulate, islice
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from vnplans.extractors import vocabulary
from vnplans.schemas.document import Cell, Span


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    type: str
    patterns: tuple[re.Pattern, ...]
    weak: bool = False  # the label may also name the description column ("Đơn vị")


DESCRIPTION = ColumnSpec("text", "text", ())


@functools.lru_cache(maxsize=1)
def column_vocabulary() -> tuple[ColumnSpec, ...]:
    raw = vocabulary.table_columns()
    return tuple(
        ColumnSpec(f["field"], f["type"], tuple(re.compile(p, re.IGNORECASE) for p in f["labels"]), bool(f.get("weak")))
        for f in raw["fields"]
    )


def normalize_label(label: str) -> str:
    return " ".join(label.replace("*", "").split()).lower()


def column_specs(header: list[str]) -> list[Optional[ColumnSpec]]:
    """Each column's spec from its label. A table whose labels name no description column
    ("Thứ hạng | Đơn vị | Điểm ...", "STT | Đơn vị được kiểm tra | Thời gian") takes the first
    unlabelled (or weakly labelled) column after STT as its description, else a product or result column
    right after STT."""
    specs = [classify_header(h) for h in header]
    seen: set[str] = set()
    for k, spec in enumerate(specs):
        # a province's sub-columns ("Điểm số | Chỉ số | Thứ hạng" under "Lâm Đồng"): a second number column, or a
        # description label after a figure column, holds values, not the row's number or description
        if spec and (spec.field == "stt" and "stt" in seen or spec.field == "text" and seen & {"score", "max_score"}):
            specs[k] = None
        elif spec:
            seen.add(spec.field)
    if any(s and s.field == "text" for s in specs):
        return specs
    first = next((k + 1 for k, s in enumerate(specs) if s and s.field == "stt"), 0)
    for k in range(first, len(specs)):
        if not is_empty(header[k]) and (specs[k] is None or specs[k].weak):
            specs[k] = DESCRIPTION
            return specs
    # else a product column names what each row is about ("TT | Sản phẩm | Kế hoạch 2026 | …")
    if first < len(specs) and specs[first] and specs[first].field == "hint":
        specs[first] = DESCRIPTION
    return specs


def column_fields(header: list[str]) -> list[Optional[str]]:
    return [s.field if s else None for s in column_specs(header)]


@functools.lru_cache(maxsize=8192)
def classify_header(label: str) -> Optional[ColumnSpec]:
    """The column spec a header label names, or None when the label is not in the vocabulary. (Asked of most lines
    twice, by the table readers and by the unread-table check, and of every repeated header cell: remembered.)"""
    norm = normalize_label(label)
    if not norm or len(norm) > 80:
        return None
    specs, labels = _label_matcher()
    m = labels.match(norm)
    return specs[int(m.lastgroup[1:])] if m else None


@functools.lru_cache(maxsize=1)
def _label_matcher() -> tuple[tuple[ColumnSpec, ...], re.Pattern]:
    """Every spec's labels in one pattern, the specs in order: the first spec one of whose labels matches wins, as
    trying them one by one would (asked of every line of a text that might open a table)."""
    specs = column_vocabulary()
    joined = "|".join(f"(?P<s{i}>" + "|".join(f"(?:{p.pattern})" for p in spec.patterns) + ")"
                      for i, spec in enumerate(specs))
    return specs, re.compile(joined, re.IGNORECASE)


def column_types(header: list[str]) -> list[str]:
    return [spec.type if spec else "free" for spec in column_specs(header)]


# --- what a cell looks like -------------------------------------------------------------

STT_RE = re.compile(r"^(\d{1,3}(\.\d{1,3}){0,3}\.?|[IVXL]{1,6}(\.\d{1,3}){0,3}\.?|[A-Z]\.?|[a-zđ]\)?|[a-zđ]\.|\*)$")
NUMBER_RE = re.compile(r"^-?\d{1,4}([.,]\d{1,3})?$")
DEADLINE_RE = re.compile(
    r"^(tháng|quý|năm|hàng năm|hằng năm|định kỳ|thường xuyên|trước|từ|đến|giai đoạn|theo (kế hoạch|niên độ|lộ trình|tiến độ)|"
    r"\d{1,2}/\d{4}|\d{4}(\s*[-–]\s*\d{4})?$|\d{1,2}/\d{1,2}/\d{4}|liên tục|hoàn thành)",
    re.IGNORECASE,
)
VERBISH_RE = re.compile(
    r"\b(thực hiện|triển khai|phối hợp|tổng hợp:|tuyên truyền|đảm bảo|sẽ|gửi|nâng cao|tạo điều kiện|"
    r"đề xuất|thúc đẩy|chỉ định|thống kê:)",
    re.IGNORECASE,
)


def is_empty(text: str) -> bool:
    """Blank, including markdown emphasis around nothing ("** **")."""
    return not text.replace("\u00a0", " ").replace("*", "").strip()


def looks_like_stt(text: str) -> bool:
    return bool(STT_RE.match(text.strip()))


def looks_like_number(text: str) -> bool:
    return bool(NUMBER_RE.match(text.strip()))


def looks_like_deadline(text: str) -> bool:
    t = text.strip()
    return bool(DEADLINE_RE.match(t)) and len(t) < 80


@functools.lru_cache(maxsize=1)
def _agency_head_re() -> re.Pattern:
    return re.compile(vocabulary.agency_head(), re.IGNORECASE)


BULLET_RE = re.compile(r"^\s*[-–+•*]\s*")


def looks_like_agency(text: str) -> bool:
    t = text.strip()
    if not _agency_head_re().match(BULLET_RE.sub("", t)) or len(t) > 160:
        return False
    body = t.rstrip(":;,. ")
    if ":" in body or len(body.split()) > 18:
        return False
    return not VERBISH_RE.search(body)


_EMPTY_FIT = {"stt": 0.4, "text": 1.2, "number": 0.3, "agency": 0.3, "deadline": 0.3, "free": 0.1}


class _Looks:
    """What a cell's text looks like (a row number, a figure, a deadline, an agency), each asked once: a table's
    columns ask it of every distinct cell text."""

    __slots__ = ("text", "_asked")

    def __init__(self, text: str) -> None:
        self.text = text
        self._asked: dict[Callable[[str], bool], bool] = {}

    def __call__(self, looks_like: Callable[[str], bool]) -> bool:
        known = self._asked.get(looks_like)
        if known is None:
            known = self._asked[looks_like] = looks_like(self.text)
        return known


def cell_fits(text: str, col_types: Iterable[str]) -> tuple[float, ...]:
    """Cost of putting `text` in a column of each type: 0 is a perfect fit. What the text looks like is asked
    once, however many columns ask it."""
    if is_empty(text):
        return tuple(_EMPTY_FIT[col_type] for col_type in col_types)
    looks = _Looks(text.strip())
    return tuple(_fit(col_type, looks) for col_type in col_types)


# what numbers a sub-row in the STT column: "1 | Cà phê" then "- | Diện tích" and "- | Sản lượng"
SUB_ROW_MARK_RE = re.compile(r"^[-–+•]$")


def _fit(col_type: str, looks: _Looks) -> float:
    if col_type == "stt":
        return 0.0 if looks(looks_like_stt) else 0.3 if SUB_ROW_MARK_RE.match(looks.text) else 12.0
    if col_type == "number":
        return 0.0 if looks(looks_like_number) else 9.0
    if col_type == "deadline":
        if looks(looks_like_deadline):
            return 0.0
        return 3.0 if len(looks.text) < 60 and not looks(looks_like_agency) else 6.0
    if col_type == "agency":
        if looks(looks_like_agency):
            return 0.0
        return 6.0 if looks(looks_like_number) or looks(looks_like_stt) else 2.5
    if col_type == "text":
        if looks(looks_like_number):
            return 2.0
        return 0.3 if looks(looks_like_stt) else 0.0
    # free text
    if looks(looks_like_stt):
        return 1.5
    return 1.2 if looks(looks_like_agency) else 0.2


@dataclass
class Token:
    text: str
    span: Optional[Span] = None


def _join_cell(tokens: list[Token], sep: str) -> Cell:
    texts = [t.text.strip() for t in tokens if not is_empty(t.text)]
    spans = [t.span for t in tokens if t.span is not None]
    span = None
    if spans:
        span = Span(spans[0].start, spans[-1].end, spans[0].line, spans[0].page)
    return Cell(sep.join(texts), span)


def align_stream(
    tokens: list[Token],
    types: list[str],
    max_cell_tokens: int = 1,
    allow_span: bool = False,
    drop_cost: float = 2.5,
) -> tuple[list[list[Cell]], int]:
    """Cut a flat token stream into rows of len(types) columns.

    Returns (rows, consumed): rows of cells and how many tokens were used; tokens
    after `consumed` did not fit the table (they are what follows it). A cell takes
    1..max_cell_tokens tokens (multi-paragraph cells), or with allow_span one token
    covering several columns (a merged cell in a scrape).
    """
    n, ncol = len(tokens), len(types)
    if n == 0 or ncol == 0:
        return [], 0
    best, back = _stream_costs(tokens, types, max_cell_tokens, allow_span)
    # choose where the table ends: at a row boundary, or inside the last row (missing cells)
    end_i, end_c = _cheapest_end(best, {c: 0 if c == 0 else (ncol - c) * 0.8 for c in range(ncol)}, drop_cost)
    # walk back
    cells_rev: list[tuple[int, int, int, int]] = []  # (i_start, i_end, col, span)
    i, c = end_i, end_c
    while i > 0:
        prev = back[i][c]
        if prev is None:
            break
        pi, pc, s = prev
        cells_rev.append((pi, i, pc, s))
        i, c = pi, pc
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    for start, stop, col, span in reversed(cells_rev):
        if col == 0 and current:
            rows.append(current)
            current = []
        cell = _join_cell(tokens[start:stop], "\n")
        cell.colspan = span
        current.append(cell)
    if current:
        filled = sum(cell.colspan for cell in current)
        current.extend(Cell("") for _ in range(ncol - filled))
        rows.append(current)
    return rows, end_i


def _stream_costs(tokens: list[Token], types: list[str], max_cell_tokens: int, allow_span: bool):
    """The cheapest cost of cutting the first i tokens so that the next one starts column c (best[i][c]), and
    the cell that got there (back[i][c]: first token, its column, columns spanned)."""
    n, ncol = len(tokens), len(types)
    fits = _fits(tokens, types)
    empty = [is_empty(tok.text) for tok in tokens]  # the inner loops ask these again and again
    colon = [tok.text.rstrip().endswith(":") for tok in tokens]
    multi = [types[c] not in ("stt", "number", "deadline") for c in range(ncol)]
    INF = float("inf")
    best = [[INF] * ncol for _ in range(n + 1)]
    back: list[list[Optional[tuple[int, int, int]]]] = [[None] * ncol for _ in range(n + 1)]
    best[0][0] = 0.0
    # the same loops as written plainly, with what they look up hoisted out: this runs for every text table
    # a span of s >= 2 columns from column c: (s, where the next cell starts, its extra cost)
    spans_from = [[(s, (c + s) % ncol, 0.6 * (s - 2)) for s in range(2, ncol - c + 1)] for c in range(ncol)]
    by_token = list(zip(*fits)) if allow_span else []  # token i's fit in each column
    for i in range(n):
        row = best[i]
        after_colon = 1.5 if i > 0 and colon[i - 1] else 0.0
        single = empty[i] or max_cell_tokens == 1
        best_1, back_1 = best[i + 1], back[i + 1]
        spanning = allow_span and not empty[i]
        if spanning:
            fit_i = by_token[i]
        for c in range(ncol):
            base = row[c]
            if base == INF:
                continue
            # one cell of k tokens in column c; a cell rarely starts right after a line ending in ':'
            nxt = c + 1 if c + 1 < ncol else 0
            fit = fits[c]
            acc = after_colon + fit[i]
            cost = base + acc
            if cost < best_1[nxt]:
                best_1[nxt] = cost
                back_1[nxt] = (i, c, 1)
            if not single and multi[c]:
                for j in range(i + 1, min(n, i + max_cell_tokens)):
                    if empty[j]:
                        break
                    acc += 0.0 if colon[j - 1] else 0.9
                    acc += fit[j]
                    cost = base + acc
                    k = j - i + 1
                    if cost < best[i + k][nxt]:
                        best[i + k][nxt] = cost
                        back[i + k][nxt] = (i, c, 1)
            # one token spanning several columns (merged cell), at the cost of its cheapest column
            if spanning:
                for (s, nxt_s, extra), least in zip(spans_from[c], islice(accumulate(fit_i[c:], min), 1, None)):
                    cost = base + least + 1.2 + extra
                    if cost < best_1[nxt_s]:
                        best_1[nxt_s] = cost
                        back_1[nxt_s] = (i, c, s)
    return best, back


def _fits(tokens: list[Token], types: list[str]) -> list[list[float]]:
    """How well each token fits each column: computed once per distinct column type (a table repeats them)
    and distinct text (empty cells and repeated values are half the tokens)."""
    kinds = list(dict.fromkeys(types))
    known: dict[str, tuple[float, ...]] = {}
    for tok in tokens:
        if tok.text not in known:
            known[tok.text] = cell_fits(tok.text, kinds)
    by_type = {t: [known[tok.text][k] for tok in tokens] for k, t in enumerate(kinds)}
    return [by_type[t] for t in types]


def _cheapest_end(best: list[list[float]], missing: dict[int, float], drop_cost: float) -> tuple[int, int]:
    """Where a table ends (token i, column c of `missing`): the least cost plus what ending there leaves out,
    `missing[c]` (cells missing) + (n - i) * drop_cost (tokens left over); the later end on a tie."""
    inf = float("inf")
    n = len(best) - 1
    end_i, end_c, end_cost = 0, 0, inf
    for i, row in enumerate(best):
        left_over = (n - i) * drop_cost
        for c, cells in missing.items():
            if row[c] == inf:
                continue
            cost = row[c] + (cells + left_over)
            if cost < end_cost - 1e-9 or (abs(cost - end_cost) < 1e-9 and i > end_i):
                end_i, end_c, end_cost = i, c, cost
    return end_i, end_c


SKIP_COST = {"stt": float("inf"), "text": 3.0, "number": 0.9, "agency": 0.9, "deadline": 0.9, "free": 0.9}


def align_rows(tokens: list[Token], types: list[str], drop_cost: float = 2.5,
               missing_terminator: float = 2.0) -> tuple[list[list[Cell]], int]:
    """Cut a stream whose rows end with an empty token (a web scrape where cells are separated by
    one `|` line and rows by two) into rows of len(types) columns.

    Empty tokens are ambiguous: an empty cell or the end of a row. The split chosen is the one whose
    cells fit their columns' types best, where a row may also print fewer cells than the header:
    a cell merged across columns (one token spanning several) or down from the row above (no token;
    the cell is returned with rowspan 0 and the text of the cell above it). Returns (rows, consumed).
    """
    n, ncol = len(tokens), len(types)
    if n == 0 or ncol == 0:
        return [], 0
    best, back = _row_costs(tokens, types, drop_cost, missing_terminator)
    end_i, end_c = _cheapest_end(best, {0: 0.0, ncol: missing_terminator}, drop_cost)
    steps = _row_steps(back, end_i, end_c, ncol)
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    for kind, ti, col, s in reversed(steps):
        if kind == "cell":
            cell = _join_cell([tokens[ti]], "\n")
            cell.colspan = s
            current.append(cell)
        elif kind == "skip":
            above = _cell_at(rows[-1], col) if rows else None
            above = above if above is not None and above.colspan == 1 else None  # a group title is not carried down
            current.append(Cell(above.text if above else "", above.span if above else None, rowspan=0))
        elif kind == "end" and current:
            rows.append(current)
            current = []
    if current:
        rows.append(current)
    return rows, end_i


def _row_costs(tokens: list[Token], types: list[str], drop_cost: float, missing_terminator: float):
    """best[i][c]: the cheapest cut of the first i tokens ending at column c (ncol: the row's cells are all
    there), and back[i][c]: the step that got there (a cell, a skipped merged-down cell, a row end, a drop)."""
    n, ncol = len(tokens), len(types)
    INF = float("inf")
    fits = _fits(tokens, types)
    empty = [is_empty(tok.text) for tok in tokens]
    best = [[INF] * (ncol + 1) for _ in range(n + 1)]
    back: list[list[Optional[tuple[str, int, int, int]]]] = [[None] * (ncol + 1) for _ in range(n + 1)]

    def relax(i: int, c: int, cost: float, how: tuple[str, int, int, int]) -> None:
        if cost < best[i][c]:
            best[i][c], back[i][c] = cost, how

    best[0][0] = 0.0
    for i in range(n + 1):
        row = best[i]
        for c in range(1, ncol):  # a cell merged down from the row above prints nothing
            if row[c] < INF:
                # on a tie the left column is the merged one: merges run down the lead, not the last columns
                relax(i, c + 1, row[c] + SKIP_COST[types[c]] + 0.01 * c, ("skip", i, c, 1))
        if row[ncol] < INF:
            if i < n and empty[i]:
                relax(i + 1, 0, row[ncol], ("end", i, ncol, 1))
            relax(i, 0, row[ncol] + missing_terminator, ("end", i, ncol, 0))
        if i == n:
            break
        for c in range(ncol):
            base = row[c]
            if base == INF:
                continue
            relax(i + 1, c + 1, base + fits[c][i], ("cell", i, c, 1))
            if not empty[i]:
                least = fits[c][i]
                for s in range(2, ncol - c + 1):
                    least = min(least, fits[c + s - 1][i])
                    relax(i + 1, c + s, base + least + 1.2 + 0.3 * (s - 2), ("cell", i, c, s))
        if row[0] < INF:
            relax(i + 1, 0, row[0] + drop_cost, ("drop", i, 0, 1))
    return best, back


def _row_steps(back, end_i: int, end_c: int, ncol: int) -> list[tuple[str, int, int, int]]:
    """The steps of the cheapest cut, last first."""
    steps: list[tuple[str, int, int, int]] = []
    i, c = end_i, end_c
    while (i, c) != (0, 0) and back[i][c] is not None:
        how = back[i][c]
        steps.append(how)
        kind, ti, col, s = how
        if kind == "skip":
            i, c = ti, col
        elif kind == "end":
            i, c = ti, ncol
        elif kind == "cell":
            i, c = ti, col
        else:  # drop
            i, c = ti, 0
    return steps


def _cell_at(row: list[Cell], col: int) -> Optional[Cell]:
    c = 0
    for cell in row:
        if c <= col < c + cell.colspan:
            return cell
        c += cell.colspan
    return None


def is_header_row(cells: list[str], min_known: int = 3) -> bool:
    """A row is a header when most cells are known column labels, among them a text or STT column;
    an STT label with one more known label is enough ("STT | Đơn vị được kiểm tra | Thời gian")."""
    specs = [classify_header(c) for c in cells if not is_empty(c)]
    known = [s for s in specs if s]
    fields = {s.field for s in known}
    enough = len(known) >= min_known or ("stt" in fields and len([s for s in known if not s.weak]) >= 2)
    if not enough or len(known) < 0.6 * len(specs):
        return False
    return bool(fields & {"stt", "text"})


def is_numbered_header(cells: list[str], first_below: str) -> bool:
    """A header the vocabulary does not know, read from the table's shape: an STT label first, short
    labels after it, and a row number ("1", "I", "1.1") opening the row below."""
    texts = [c for c in cells if not is_empty(c)]
    if len(texts) < 3 or not texts[0].strip() or not (s := classify_header(texts[0])) or s.field != "stt":
        return False
    if any(len(t) > 90 or looks_like_stt(normalize_label(t)) or looks_like_number(t) for t in texts[1:]):
        return False
    return looks_like_stt(normalize_label(first_below))


NUMBER_LABEL_RE = re.compile(r"^\(?\s*(\d{1,2}|[A-Za-z])\s*\)?$")


def is_column_number_row(cells: list[str]) -> bool:
    """The row under a header that numbers its columns: "(1) (2) (3) ..." or "1 2 3 ..."."""
    texts = [normalize_label(c) for c in cells if not is_empty(c)]
    if len(texts) < 3 or not all(NUMBER_LABEL_RE.match(t) for t in texts):
        return False
    digits = [int(re.sub(r"\D", "", t)) for t in texts if re.search(r"\d", t)]
    return len(digits) >= 2 and digits[1] == digits[0] + 1


YEAR_LABEL_RE = re.compile(r"^(?:năm\s+)?(?:19|20)\d{2}$")


def is_subheader_row(cells: list[str]) -> bool:
    """A second header row: short labels only, no row number, no figure ("Chủ trì | Phối hợp"); or the years a
    period's columns are split into ("Năm 2026 | Năm 2027 | …" under "Giai đoạn 2026 - 2030"), where a year in
    a row among other cells is a data row's deadline."""
    texts = [c for c in cells if not is_empty(c)]
    if not texts or any(len(t) > 90 or looks_like_stt(normalize_label(t)) or looks_like_number(t) for t in texts):
        return False
    if len(texts) >= 2 and all(YEAR_LABEL_RE.match(normalize_label(t)) for t in texts):
        return True
    return not any(DEADLINE_RE.match(t.strip()) and re.search(r"\d{4}", t) for t in texts)


def merge_header_rows(parent: list[str], child: list[str]) -> list[str]:
    """One label per column from a two-level header: the child's label where it has its own
    meaning ("Chủ trì" under "Cơ quan thực hiện"), else the parent's followed by the child's
    ("Điểm số" over "Năm 2024 (tự đánh giá)")."""
    out = []
    for p, c in zip(parent, child):
        if is_empty(c) or normalize_label(c) == normalize_label(p):
            out.append(p)
        elif classify_header(c):
            out.append(c)
        else:
            out.append(f"{p} {c}".strip())
    return out


def repeats_header(cells: list[str], header_rows: list[list[str]]) -> bool:
    """A row that repeats one of the header's rows after a page break, or its column numbers."""
    return [normalize_label(c) for c in cells] in header_rows or is_column_number_row(cells)


def fold_subheader(parent: list[str], child: list[str], width: Optional[int] = None) -> list[str]:
    """A two-level header printed without spans (one label per printed cell): the child labels sit under one
    parent cell, or, when the rows are `width` cells wide, under as many as that leaves ("Kế hoạch 2026 |
    Kế hoạch 2027" over "Lượng | Giá trị | Lượng | Giá trị": 2 parents of 2 children each). The parents chosen
    are a run of labels alike but for their numbers, else the run that gives the most columns a known meaning,
    the rightmost on a tie."""
    spanning = len(parent) - width + len(child) if width else 1
    if not 1 <= spanning <= len(parent) or len(child) % spanning:
        spanning = 1
    each = len(child) // spanning
    best, best_score = parent, (-1, -1)
    for p in range(len(parent) - spanning + 1):
        under = [parent[p + j // each] for j in range(len(child))]
        labels = parent[:p] + merge_header_rows(under, child) + parent[p + spanning:]
        known = [f for f in column_fields(labels) if f]
        # several spanning parents are alike: one label a year ("Kế hoạch 2026", "Kế hoạch 2027", …)
        alike = spanning > 1 and len({normalize_label(re.sub(r"\d", "", h)) for h in parent[p:p + spanning]}) == 1
        score = (int(alike), len(set(known)))
        if score >= best_score:
            best, best_score = labels, score
    return best


def find_header(rows: list[list[tuple[str, int]]], limit: int = 3) -> Optional[tuple[list[str], int]]:
    """The header of a grid (rows of (text, colspan)): one label per grid column, with a second
    header row folded in and a column-number row skipped; and the index of the first data row."""
    for h, row in enumerate(rows[:limit]):
        below = next((r[0][0] for r in rows[h + 1 : h + 4] if r and not is_column_number_row([t for t, _ in r])
                      and not is_subheader_row([t for t, _ in r])), "")
        if not is_header_row([t for t, _ in row]) and not is_numbered_header([t for t, _ in row], below):
            continue
        labels = _per_column(row)
        k = h + 1
        spans = any(cs > 1 for _, cs in row)
        if k < len(rows) and spans and is_subheader_row([t for t, _ in rows[k]]):
            labels = merge_header_rows(labels, _per_column(rows[k]) + [""] * (len(labels) - len(_per_column(rows[k]))))
            k += 1
        if k < len(rows) and is_column_number_row([t for t, _ in rows[k]]):
            k += 1
        return labels, k
    return None


def _per_column(row: list[tuple[str, int]]) -> list[str]:
    out = []
    for text, colspan in row:
        out.extend([" ".join(text.split())] * max(1, colspan))
    return out
