"""Plain-text reader: decoded text -> paragraphs and tables, whatever layout the text came in.

Handles the text renditions plans arrive in: blank-line paragraphs, hard-wrapped
lines (joined back), markdown-ish `**bold**`, and tables laid out as tab-separated
rows (header repeated after page breaks), `|`-terminated cells of a web scrape,
one paragraph per cell, or columns of spaces (columns.py). Site chrome of scraped pages is cut off (see chrome.py).
"""
from __future__ import annotations

import re

from vnplans.extractors.readers.alphabet import SYMBOL_BULLETS, SYMBOL_FONT_BULLETS
from vnplans.extractors.readers.chrome import find_chrome
from vnplans.extractors.readers.text_tables import (LOWER_START_RE, MARKER_RE, PIPE_RE, TERMINAL_RE, Line, TextTables,
                                                    clean_markup)
from vnplans.schemas.document import Block, SourceDocument, Span


def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for i, raw in enumerate(text.split("\n")):
        out.append(Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


class TextLayout:
    """Reads the body lines of one document into blocks."""

    def __init__(self, lines: list[Line], start: int, end: int):
        self.lines = lines
        self.start, self.end = start, end
        # hard-wrapped text: most lines of prose are directly followed by another one. The cells of a scrape's
        # tables (a line between `|` lines) are not prose: a document of long tables would never seem wrapped.
        pipe = [False] + [bool(PIPE_RE.match(l.text)) for l in lines[start:end]] + [False]  # pipe[i + 1 - start]
        prose = [not lines[i].blank and not any(pipe[i - start:i - start + 3]) for i in range(start, end)]
        body = [k for k, p in enumerate(prose) if p]
        followed = sum(1 for k in body if k + 1 < len(prose) and prose[k + 1])
        self.hard_wrapped = len(body) > 20 and followed > 0.6 * len(body)
        self.tables = TextTables(lines, end, blank_separated=not self.hard_wrapped)

    # --- paragraphs ---------------------------------------------------------------------

    def continues(self, prev: list[Line], line: Line, gap: bool) -> bool:
        """Does `line` continue the paragraph made of `prev` (a hard wrap), rather than start a new one?"""
        t, p = line.text, prev[-1].text
        if MARKER_RE.match(t):
            return False
        joined = " ".join(l.text for l in prev)
        if joined.count("**") % 2 == 1 and not gap:
            return True  # inside an open **bold** run
        if LOWER_START_RE.match(t) and not TERMINAL_RE.search(p):
            return True
        if gap or not self.hard_wrapped:
            return False
        if TERMINAL_RE.search(p):
            return False
        if is_all_caps(p) != is_all_caps(t) and len(t.split()) > 1:
            return False
        if re.match(r"^(KẾ HOẠCH|QUYẾT ĐỊNH|NGHỊ QUYẾT|CÔNG VĂN|CHỈ THỊ|THÔNG BÁO|BÁO CÁO)$", p):
            return False
        return True

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        para: list[Line] = []
        gap = False

        def flush():
            nonlocal para
            if para:
                text, bold = clean_markup(" ".join(l.text for l in para))
                if text:
                    span = Span(para[0].start, para[-1].end, para[0].idx + 1)
                    out.append(Block("line", text, span, bold=bold))
            para = []

        i = self.start
        while i < self.end:
            line = self.lines[i]
            if PIPE_RE.match(line.text):
                flush()
                gap = True
                i += 1
                continue
            if line.blank:
                gap = True
                i += 1
                continue
            found = self.tables.at(i)
            if found:
                flush()
                block, i = found
                out.append(block)
                gap = True
                continue
            if para and self.continues(para, line, gap):
                para.append(line)
            else:
                flush()
                para = [line]
            gap = False
            i += 1
        flush()
        return out


def read_text(path: str, sha256: str, text: str, encoding: str | None, fmt: str = "text") -> SourceDocument:
    # one character for one, so that offsets stay the text's; looked for first, as translating costs a millisecond
    bullets = any(glyph in text for glyph in SYMBOL_FONT_BULLETS)
    lines = split_lines(text.translate(SYMBOL_BULLETS) if bullets else text)
    chrome = find_chrome([l.raw for l in lines])
    lines = [Line(l.idx, l.start, l.start, "") if l.idx in chrome.dropped else l for l in lines]
    layout = TextLayout(lines, chrome.body_start, chrome.body_end)
    doc = SourceDocument(
        path=path, sha256=sha256, format=fmt, text=text, blocks=layout.blocks(), encoding=encoding,
        site_meta=chrome.site_meta, site_title=chrome.site_title,
    )
    return doc
