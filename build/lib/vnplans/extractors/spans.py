"""Cutting text into pieces while keeping where each piece starts, so extracted values keep their spans."""
from __future__ import annotations

import re


def split_with_offsets(text: str, separators: re.Pattern) -> list[tuple[str, int]]:
    """The non-empty pieces between separator matches, stripped, each with its offset into `text`."""
    out, start = [], 0
    for m in list(separators.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        piece = text[start:end]
        if piece.strip():
            out.append((piece.strip(), start + len(piece) - len(piece.lstrip())))
        if m:
            start = m.end()
    return out
