"""The tables of a plain-text document, whatever layout the text came in: tab-separated rows (header repeated
after page breaks), markdown pipe tables, `|`-terminated cells of a web scrape, one paragraph per cell, or
columns of spaces (columns.py). `TextTables.at(i)` says whether a table starts at line i, and where it ends.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections import Counter
from typing import Iterable, Iterator, Optional

from vnplans.extractors.readers.columns import read_column_table
from vnplans.extractors.readers.tables import (Token, align_rows, align_stream, classify_header, column_types, fold_subheader,
                                               find_header, is_column_number_row, is_empty, is_header_row,
                                               is_numbered_header, is_subheader_row, looks_like_stt, normalize_label,
                                               repeats_header)
from vnplans.schemas.document import Block, Cell, Span, Table
from vnplans.extractors.readers.alphabet import LOWER


@dataclass(slots=True)  # one per line of every text document
class Line:
    idx: int  # 0-based index in the file
    start: int
    end: int
    raw: str

    # asked for again and again while tables are looked for: worked out once
    text: str = field(init=False, repr=False)
    blank: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.text = text = self.raw.replace("\u00a0", " ").strip()
        self.blank = not text or (text[0] in SEPARATOR_CHARS and bool(SEPARATOR_RE.match(text)))

    def span(self) -> Span:
        return Span(self.start, self.end, self.idx + 1)


SEPARATOR_CHARS = "-_=–—~.*"
SEPARATOR_RE = re.compile(rf"^[{re.escape(SEPARATOR_CHARS)}]{{3,}}$")
PIPE_RE = re.compile(r"^\|+$")
MARKER_RE = re.compile(
    r"^(\*\*)?\s*("
    r"[-–+•∙●○▪]\s*\S|\*\s|"
    r"\d{1,2}(\.\d{1,2}){0,3}[.)]\s|\d{1,2}(\.\d{1,2}){1,3}\s|"
    r"[IVXLC]{1,6}[.)]\s|[a-zđ]\)\s|[A-Z]\.\s|"
    r"(Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|Khoản|Điểm)\s+[\dIVXLCa-z]+|"
    r"PHỤ LỤC|Phụ lục\b|Nơi nhận|TM\.|KT\.|Q\.|TL\.|TUQ\.|Thứ (nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\b"
    r")"
)
APPENDIX_RE = re.compile(r"^(\*\*)?\s*(PHỤ LỤC|Phụ lục)\b")
TERMINAL_RE = re.compile(r"[.;:!?…]\**$|\./\.$")
LOWER_START_RE = re.compile(rf"^[\(\[“\"'*]*[{LOWER}]")


FORMULA_TERM_RE = re.compile(r"^[a-z]\s*=")  # "a = số hồ sơ ...": a formula's terms, one per line
GFM_RULE_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?$")
GFM_BREAK_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)


def gfm_cells(line: "Line") -> list[Cell]:
    """The cells of a markdown pipe-table row, each with its span; `\\|` is a literal bar, `<br>` a line break."""
    raw = line.raw
    bars = [k for k, ch in enumerate(raw) if ch == "|" and (k == 0 or raw[k - 1] != "\\")]
    if not bars or raw[: bars[0]].strip():
        bars = [-1] + bars  # no leading bar: the first cell starts the line
    if raw[bars[-1] + 1 :].strip():
        bars.append(len(raw))  # no closing bar
    cells = []
    for a, b in zip(bars, bars[1:]):
        piece = GFM_BREAK_RE.sub("\n", raw[a + 1 : b].replace("\\|", "|"))
        text = "\n".join(t for t in (clean_markup(p)[0] for p in piece.split("\n")) if t)
        cells.append(Cell(text, Span(line.start + a + 1, line.start + b, line.idx + 1)))
    return cells


STAR_IN_PARENS_RE = re.compile(r"(?<=\()\*|\*(?=\))")
STAR_AT_EDGE_RE = re.compile(r"^\*(?=[(\w])|(?<=[)\w.])\*$")
STAR_AT_WORD_RE = re.compile(r"(?<=\s)\*(?=\S)|(?<=\S)\*(?=\s)")
BLANKS_RE = re.compile(r"[ \t\u00a0]+")


def clean_markup(text: str) -> tuple[str, bool]:
    """Strip markdown emphasis; say whether the whole text was bold. (Called for every line and cell: the
    emphasis rules run only on a text that still has a '*'.)"""
    bold = text.startswith("**") and text.rstrip().endswith("**")
    t = text.replace("**", "")
    if "*" in t:
        t = STAR_AT_EDGE_RE.sub("", STAR_IN_PARENS_RE.sub("", t))
        t = STAR_AT_WORD_RE.sub("", t) if "*" in t and not t.lstrip().startswith("* ") else t
    return BLANKS_RE.sub(" ", t).strip(), bold


class TextTables:
    """The table recognizers over the body lines [start, end) of one document."""

    def __init__(self, lines: list[Line], end: int, blank_separated: bool):
        self.lines = lines
        self.end = end
        self.blank_separated = blank_separated

    def at(self, i: int) -> tuple[Block, int] | None:
        line = self.lines[i]
        if line.raw.count("\t") >= 2:
            return self._tsv_table(i)
        if line.text.startswith("|") and line.text.count("|") >= 3 and i + 1 < self.end and GFM_RULE_RE.match(self.lines[i + 1].text):
            return self._markdown_table(i)
        if i + 1 < self.end and PIPE_RE.match(self.lines[i + 1].text) and classify_header(line.text):
            return self._pipe_table(i)
        found = self._column_table(i) if "   " in line.text else None
        if found:
            return found
        if self.blank_separated and classify_header(line.text):
            return self._paragraph_table(i)
        return None

    def _column_table(self, i: int) -> tuple[Block, int] | None:
        """A table laid out with spaces (a `pdftotext -layout` dump): see columns.py."""
        found = read_column_table(self.lines, i, self.end)
        if found is None:
            return None
        table, last = found
        return Block("table", "", Span(self.lines[i].start, self.lines[last].end, i + 1), table=table), last + 1

    def _markdown_table(self, i: int) -> tuple[Block, int] | None:
        """A markdown pipe table: a `| a | b |` row, a `|---|---|` rule, then one row per line."""
        lines = [self.lines[i]]
        j = i + 2
        while j < self.end and self.lines[j].text.startswith("|"):
            if not GFM_RULE_RE.match(self.lines[j].text):
                lines.append(self.lines[j])
            j += 1
        rows = [gfm_cells(l) for l in lines]
        found = find_header([[(c.text, 1) for c in row] for row in rows])
        if found is None:
            return None
        header, first = found
        ncol = len(header)
        heads = [[normalize_label(c.text) for c in r] for r in rows[:first]]
        data = [r[:ncol] + [Cell("") for _ in range(ncol - len(r))] for r in rows[first:]
                if any(not is_empty(c.text) for c in r) and not repeats_header([c.text for c in r], heads)]
        if not data:
            return None
        table = Table(rows=data, header=header, layout="markdown")
        return Block("table", "", Span(self.lines[i].start, self.lines[j - 1].end, i + 1), table=table), j

    def _tsv_table(self, i: int) -> tuple[Block, int] | None:
        header_cells = [c.strip() for c in self.lines[i].raw.split("\t")]
        has_header = is_header_row(header_cells, min_known=2)
        rows: list[list[Cell]] = []
        j = i + (1 if has_header else 0)
        last = i
        ncol = len(header_cells)
        while j < self.end:
            line = self.lines[j]
            if line.blank:
                k = j
                while k < self.end and self.lines[k].blank:
                    k += 1
                if k < self.end and self.lines[k].raw.count("\t") >= 1:
                    j = k
                    continue
                break
            if "\t" not in line.raw:
                if rows and not MARKER_RE.match(line.text) and LOWER_START_RE.match(line.text):
                    self._append_to_row(rows[-1], [Cell(line.text, line.span())], anywhere=True)
                    last = j
                    j += 1
                    continue
                break
            parts = line.raw.split("\t")
            cells = []
            pos = line.start
            for part in parts:
                cells.append(Cell(part.strip().replace("\u00a0", " ").strip(), Span(pos, pos + len(part), line.idx + 1)))
                pos += len(part) + 1
            texts = [c.text for c in cells]
            if has_header and [t.lower() for t in texts[: len(header_cells)]] == [h.lower() for h in header_cells]:
                j += 1
                last = j - 1
                continue  # header repeated after a page break
            ncol = max(ncol, len(cells))
            if rows and is_empty(texts[0]) and self._is_continuation(texts):
                self._append_to_row(rows[-1], cells)
            else:
                rows.append(cells)
            last = j
            j += 1
        if not rows:
            return None
        for r in rows:
            r.extend(Cell("") for _ in range(ncol - len(r)))
        header = header_cells + [""] * (ncol - len(header_cells)) if has_header else []
        table = Table(rows=rows, header=header, layout="tsv")
        span = Span(self.lines[i].start, self.lines[last].end, i + 1)
        return Block("table", "", span, table=table), last + 1

    @staticmethod
    def _is_continuation(texts: list[str]) -> bool:
        filled = [t for t in texts if not is_empty(t)]
        return bool(filled) and all(LOWER_START_RE.match(t) for t in filled)

    @staticmethod
    def _append_to_row(row: list[Cell], cells: list[Cell], anywhere: bool = False) -> None:
        if anywhere:
            target = max((k for k, c in enumerate(row) if not is_empty(c.text)), default=0)
            row[target].text = (row[target].text + " " + cells[0].text).strip()
            return
        for k, cell in enumerate(cells):
            if is_empty(cell.text) or k >= len(row):
                continue
            row[k].text = (row[k].text + " " + cell.text).strip()

    def _pipe_tokens(self, i: int) -> list[tuple[Token, int, int]]:
        """Cells of a `|`-separated scrape from line i: (token, first line, last line)."""
        out: list[tuple[Token, int, int]] = []
        cur: list[Line] = []
        j = i
        while j < self.end:
            line = self.lines[j]
            if PIPE_RE.match(line.text):
                out.append((self._cell_token(cur), cur[0].idx if cur else j, j))
                cur = []
            else:
                if APPENDIX_RE.match(line.text) and (cur or out):
                    break  # the next appendix starts: this table is over
                if not line.blank:
                    cur.append(line)
            j += 1
        if cur:
            out.append((self._cell_token(cur), cur[0].idx, cur[-1].idx))
        return out

    @staticmethod
    def _cell_token(lines: list[Line]) -> Token:
        if not lines:
            return Token("")
        parts: list[str] = []
        for line in lines:
            t = line.text
            if parts and not MARKER_RE.match(t) and not FORMULA_TERM_RE.match(t):
                parts[-1] += " " + t
            else:
                parts.append(t)
        text = "\n".join(clean_markup(p)[0] for p in parts)
        return Token(text, Span(lines[0].start, lines[-1].end, lines[0].idx + 1))

    def _pipe_table(self, i: int) -> tuple[Block, int] | None:
        """A scrape where each cell sits between `|` lines and a row ends with an empty cell (`|` `|`)."""
        toks = self._pipe_tokens(i)
        texts = [t.text.replace("\n", " ") for t, _, _ in toks]
        head = _until_empty(texts, 0)
        # Where every row ends with an empty cell, the header is the first row and holds no row number;
        # otherwise the first empty cell is just an empty cell of some data row.
        if len(head) >= len(texts) or any(looks_like_stt(t) for t in head):
            return self._unterminated_pipe_table(i, toks)
        first = 0
        if i > 0 and not PIPE_RE.match(self.lines[i - 1].text) and len(head) > 3 and is_header_row(head[1:]):
            first, head = 1, head[1:]  # a caption line right above the table's opening `|`
        after = first + len(head) + 1
        if len(head) < 3 or not (is_header_row(head) or is_numbered_header(head, _first_of_data(texts, after))):
            return None
        header, k = head, after
        sub = _until_empty(texts, k)
        if sub and is_subheader_row(sub) and not is_column_number_row(sub):
            header, k = fold_subheader(header, sub, _row_width(texts, k + len(sub) + 1)), k + len(sub) + 1
        blank_first = k < len(texts) and is_empty(texts[k])  # "| | (1) | (2) …": the STT column left unnumbered
        numbers = _until_empty(texts, k + blank_first)
        if is_column_number_row(numbers):
            k += blank_first + len(numbers) + 1
        data = _drop_repeated_headers(toks[k:], texts[k:], header)
        rows, used = align_rows([t for t, _, _ in data], column_types(header))
        if not rows:
            return None
        last_line = data[used - 1][2] if used else toks[min(k, len(toks)) - 1][2]
        table = Table(rows=rows, header=header, layout="pipe")
        span = Span(self.lines[i].start, self.lines[last_line].end, i + 1)
        return Block("table", "", span, table=table), last_line + 1

    def _unterminated_pipe_table(self, i: int, toks: list[tuple[Token, int, int]]) -> tuple[Block, int] | None:
        """A scrape with one `|` after every cell and nothing marking where a row ends."""
        return self._aligned_table(i, toks, "pipe", allow_span=True)

    def _aligned_table(self, i: int, tokens: Iterable[tuple[Token, int, int]], layout: str,
                       **align) -> tuple[Block, int] | None:
        """A table flattened into one token stream: its header is the leading run of known column labels,
        its rows are cut from the rest by `align_stream`. The stream is read past the header only when there is
        one: most lines that name a column open no table, and the stream runs to the end of the document."""
        stream = iter(tokens)
        toks: list[tuple[Token, int, int]] = []
        header: list[str] = []
        for item in stream:
            toks.append(item)
            tok = item[0]
            if is_empty(tok.text) or not classify_header(tok.text):
                break
            header.append(tok.text.replace("\n", " "))
        if len(header) < 3 or not is_header_row(header):
            return None
        toks += stream
        data = toks[len(header) :]
        rows, used = align_stream([t for t, _, _ in data], column_types(header), **align)
        if not rows:
            return None
        last_line = data[used - 1][2] if used else toks[len(header) - 1][2]
        table = Table(rows=rows, header=header, layout=layout)
        span = Span(self.lines[i].start, self.lines[last_line].end, i + 1)
        return Block("table", "", span, table=table), last_line + 1

    def _paragraph_table(self, i: int) -> tuple[Block, int] | None:
        return self._aligned_table(i, self._paragraphs(i), "cell-per-line", max_cell_tokens=8)

    def _paragraphs(self, i: int) -> Iterator[tuple[Token, int, int]]:
        """The paragraphs from line i on, as cells (token, first line, last line), up to the next appendix."""
        j = i
        cur: list[Line] = []
        found = False
        while j < self.end:
            line = self.lines[j]
            if not line.raw.strip(" \t\r"):  # only a truly empty line separates cells; a nbsp line is an empty cell
                if cur:
                    yield self._para_token(cur), cur[0].idx, cur[-1].idx
                    found = True
                    cur = []
            else:
                if APPENDIX_RE.match(line.text) and found:
                    return
                cur.append(line)
            j += 1
        if cur:
            yield self._para_token(cur), cur[0].idx, cur[-1].idx

    @staticmethod
    def _para_token(lines: list[Line]) -> Token:
        text = "\n".join(l.raw.replace("\u00a0", " ").strip() for l in lines).strip()
        return Token(text, Span(lines[0].start, lines[-1].end, lines[0].idx + 1))



def _until_empty(texts: list[str], k: int) -> list[str]:
    """The cells of the row starting at token k: up to the next empty token."""
    out = []
    while k < len(texts) and not is_empty(texts[k]):
        out.append(texts[k])
        k += 1
    return out


def _row_width(texts: list[str], k: int) -> Optional[int]:
    """How many cells the rows from token k have: the most frequent length of a run up to an empty token (a row
    with an empty cell breaks into shorter runs; a full row is the whole row), None below three."""
    lengths: Counter[int] = Counter()
    while k < len(texts):
        row = _until_empty(texts, k)
        if len(row) >= 3:
            lengths[len(row)] += 1
        k += len(row) + 1
    return max(lengths, key=lambda n: (lengths[n], n)) if lengths else None


def _first_of_data(texts: list[str], k: int) -> str:
    """The first cell of the first data row after a header: past a second header row and column numbers."""
    for _ in range(3):
        row = _until_empty(texts, k)
        if row and (is_subheader_row(row) or is_column_number_row(row)):
            k += len(row) + 1
            continue
        return row[0] if row else ""
    return ""


def _drop_repeated_headers(toks: list, texts: list[str], header: list[str]) -> list:
    """The data tokens of one table: a repeated header row is left out, another table's header ends it."""
    out, k = [], 0
    wanted = [normalize_label(h) for h in header]
    while k < len(toks):
        if k == 0 or is_empty(texts[k - 1]):
            row = _until_empty(texts, k)
            if len(row) >= 3 and is_header_row(row):
                if [normalize_label(t) for t in row] != wanted[: len(row)]:
                    break
                k += len(row) + 1
                continue
        n = len(wanted)
        if out and n >= 3 and [normalize_label(t) for t in texts[k:k + n]] == wanted \
                and (k + n == len(texts) or is_empty(texts[k + n])):
            # the header repeated after a caption cell ("2. Các nhiệm vụ quá hạn | STT | Nhiệm vụ | …"), which the
            # scrape may glue to the last row before it: the caption is a row of its own
            caption = out.pop()
            gap = (Token(""), caption[1], caption[1])
            if k >= 2 and not is_empty(texts[k - 2]):
                out.append(gap)
            out += [caption, gap]
            k += n + 1
            continue
        out.append(toks[k])
        k += 1
    return out
