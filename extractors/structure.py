"""The legal structure of a plan: Phần/Chương/Mục/Điều/Khoản/Điểm, Roman-numeral sections,
numbered and lettered items, bullets, appendices, recipients and signature, as a tree.

Each heading opens a section that runs until the next heading of the same or an
outer level; plain paragraphs and tables belong to the innermost open section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from vnplans.extractors.header import NAME_RE, SIGN_TITLE_RE
from vnplans.schemas.document import Block, SourceDocument, Span

ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"

# kind, regex (label group 1, heading group 2), level (smaller = outer)
PATTERNS: list[tuple[str, re.Pattern, float]] = [
    ("appendix", re.compile(r"^(PHỤ LỤC(?:\s+(?:[IVXLC]+|\d+|[A-Z]))?|Phụ lục(?:\s+(?:[IVXLC]+|\d+|[A-Z]))?)\s*[:.\-–]?\s*(.*)$"), 0),
    ("recipients", re.compile(r"^(Nơi nhận)\s*:?\s*(.*)$"), 0),
    ("part", re.compile(r"^((?:Phần|PHẦN)\s+(?:thứ\s+\w+|[IVXLC]+|\d+))\s*[.:\-–]?\s*(.*)$", re.IGNORECASE), 1),
    ("chapter", re.compile(r"^((?:Chương|CHƯƠNG)\s+(?:[IVXLC]+|\d+))\s*[.:\-–]?\s*(.*)$"), 2),
    ("section", re.compile(r"^((?:Mục|MỤC)\s+(?:[IVXLC]+|\d+))\s*[.:\-–]?\s*(.*)$"), 3),
    ("article", re.compile(r"^((?:Điều|ĐIỀU)\s+\d+[a-z]?)\s*[.:]\s*(.*)$"), 4),
    ("clause", re.compile(r"^((?:Khoản)\s+\d+)\s*[.:]\s*(.*)$"), 7),
    ("point", re.compile(r"^((?:Điểm)\s+[a-zđ])\s*[.:)]\s*(.*)$"), 9),
    ("roman", re.compile(rf"^({ROMAN})[.)]\s+(.*)$"), 5),
    ("group", re.compile(r"^([A-H])[.)]\s+(.*)$"), 4.5),
    ("numbered", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})[.)]\s*(.*)$"), 6),
    ("numbered", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\s+(.*)$"), 6),
    ("ordinal", re.compile(r"^(Thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười))\s*[:.,]\s*(.*)$", re.IGNORECASE), 6),
    ("lettered", re.compile(r"^(?:[-–]\s*)?([a-zđ])\)\s*(.*)$"), 10),
    ("bullet", re.compile(r"^([-–•∙●○▪*])\s*(.*)$"), 11),
    # "+" items sit under "-" items in Vietnamese administrative writing ("- Giai đoạn 2025-2027" / "+ 100% ...")
    ("bullet", re.compile(r"^([+])\s*(.*)$"), 11.5),
]


# every pattern at once: most lines open no section, and one match in C says so (the same patterns, so a line
# this does not match, no pattern matches)
ANY_HEADING_RE = re.compile("|".join(f"(?{'i' if rx.flags & re.IGNORECASE else ''}:{rx.pattern})" for _, rx, _ in PATTERNS))


@dataclass
class Section:
    id: int
    parent: Optional[int]
    kind: str
    label: str
    heading: str
    level: float
    span: Span
    end: int  # character offset where the section's content ends
    end_line: int
    blocks: list[int] = field(default_factory=list)  # indices of the blocks inside (the heading block first)

    def as_dict(self) -> dict:
        return {"id": self.id, "parent": self.parent, "kind": self.kind, "label": self.label, "heading": self.heading,
                "line": self.span.line, "end_line": self.end_line, "start": self.span.start, "end": self.end,
                "page": self.span.page}


def classify(block: Block) -> Optional[tuple[str, str, str, float]]:
    """(kind, label, heading, level) when the block opens a section, else None."""
    t = block.text.strip()
    if not t or not ANY_HEADING_RE.match(t):
        return None
    for kind, rx, level in PATTERNS:
        m = rx.match(t)
        if not m:
            continue
        label, heading = m.group(1), m.group(2).strip()
        if kind == "roman" and not label:
            continue
        if kind == "numbered":
            depth = label.count(".") + (0 if label.endswith(".") else 0)
            level = 6 + 0.5 * depth
            if not heading:
                continue
        if kind == "group" and not (heading and heading[:1].isupper()):
            continue
        return kind, label, heading, level
    return None


def segment(doc: SourceDocument) -> list[Section]:
    """The section tree of a document: header, Phần/Chương/Mục/Điều/Khoản/Điểm, Roman and numbered items,
    bullets, Phụ lục, signature, Nơi nhận; every block belongs to the innermost section open above it."""
    return _Segmenter(doc).run()


def _signer_title(text: str) -> bool:
    """"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH": the line that opens a signature block."""
    return bool(SIGN_TITLE_RE.match(text)) and text.replace(".", "").isupper()


class _Segmenter:
    """Reads blocks in order with a stack of open sections; a heading closes those at its level or deeper."""

    def __init__(self, doc: SourceDocument):
        self.doc = doc
        self.sections: list[Section] = []
        self.stack: list[Section] = []
        self.in_signature = False

    def run(self) -> list[Section]:
        blocks = self.doc.blocks
        first_heading = next((i for i, b in enumerate(blocks) if b.kind == "line" and classify(b) and classify(b)[0]
                              in ("roman", "part", "chapter", "article", "numbered", "appendix")), None)
        for idx, block in enumerate(blocks):
            if block.kind == "line" and first_heading is not None and idx < first_heading and not self.sections:
                self.open("header", "", "", -1, block, idx)
                continue
            signer_title = block.kind == "line" and _signer_title(block.text)
            if block.kind == "line" and self.signature_line(block, idx, signer_title):
                continue
            got = classify(block) if block.kind == "line" else None
            if got:
                self.heading(got, block, idx, signer_title)
            else:
                self.body(block, idx)
        # a section runs to the end of its last descendant
        for sec in reversed(self.sections):
            if sec.parent is not None:
                par = self.sections[sec.parent]
                if sec.end > par.end:
                    par.end, par.end_line = sec.end, sec.end_line
        return self.sections

    def open(self, kind: str, label: str, heading: str, level: float, block: Block, idx: int) -> Section:
        stack = self.stack
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1].id if stack else None
        sec = Section(len(self.sections), parent, kind, label, heading, level, block.span, block.span.end,
                      block.span.line, [idx])
        self.sections.append(sec)
        stack.append(sec)
        return sec

    def signature_line(self, block: Block, idx: int, signer_title: bool) -> bool:
        """The signer's title opens the signature block and the signer's name closes it; True when the line
        was taken so."""
        text = block.text
        if self.in_signature and NAME_RE.match(text.strip()) and not text.isupper():
            self.stack[-1].blocks.append(idx)
            _extend(self.stack, block)
            self.stack.clear()  # the signer's name closes the signature block
            self.in_signature = False
            return True
        if signer_title:
            if not self.in_signature:
                self.stack.clear()
                self.open("signature", "", text, 0, block, idx)
                self.in_signature = True
                return True
        return False

    def heading(self, got: tuple, block: Block, idx: int, signer_title: bool) -> None:
        kind, label, heading, level = got
        stack = self.stack
        if kind != "bullet" and not signer_title:
            self.in_signature = False
        if kind == "appendix":
            stack.clear()
            self.in_signature = False
        if stack and stack[-1].kind in ("recipients",) and kind == "bullet":
            level = 11
        elif kind != "bullet" and any(sec.kind == "recipients" for sec in stack):
            # a recipient list holds recipients: a numbered heading after it belongs to what follows (the plan
            # a decision issues, when the signer's title that would have closed the list stands beside it)
            stack.clear()
        if stack and stack[0].kind in ("header", "preamble") and len(stack) == 1 and level > 0:
            stack.clear()
        self.open(kind, label, heading, level, block, idx)

    def body(self, block: Block, idx: int) -> None:
        stack = self.stack
        if stack:
            stack[-1].blocks.append(idx)
        else:
            self.open("preamble", "", "", -1, block, idx)
        _extend(stack, block)
        if stack and stack[-1].kind == "appendix" and block.kind == "line" and not stack[-1].heading \
                and len(stack[-1].blocks) <= 3:
            stack[-1].heading = block.text  # the appendix caption is the line right after "PHỤ LỤC"


def _extend(stack: list[Section], block: Block) -> None:
    for sec in stack:
        if block.span.end > sec.end:
            sec.end = block.span.end
            sec.end_line = block.span.line


def section_path(sections: list[Section], sec_id: Optional[int]) -> list[Section]:
    out = []
    while sec_id is not None:
        sec = sections[sec_id]
        out.append(sec)
        sec_id = sec.parent
    return list(reversed(out))


def section_of_block(sections: list[Section]) -> dict[int, int]:
    """Block index -> id of the innermost section it belongs to."""
    out: dict[int, int] = {}
    for sec in sections:
        for b in sec.blocks:
            out[b] = sec.id
    return out
