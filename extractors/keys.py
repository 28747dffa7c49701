"""Match keys: two spellings of the same name get the same key.

Vietnamese text has two accepted tone placements ("hoá"/"hóa", "uỷ"/"ủy"), several dashes
and free punctuation; none of that distinguishes one agency or metric from another.
"""
from __future__ import annotations

import re
import unicodedata

_TONED = {"a": "áàảãạ", "e": "éèẻẽẹ", "y": "ýỳỷỹỵ"}
_BASE = {"o": "óòỏõọ", "u": "úùủũụ"}
# "oá" at the end of a syllable -> "óa" (the newer placement); "oạch" keeps its tone where it is.
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}
_MOVE: dict[str, str] = {}
for first, second in _PAIRS:
    for i, toned in enumerate(_TONED[second]):
        _MOVE[first + toned] = _BASE[first][i] + second
_MOVE_RE = re.compile("(" + "|".join(_MOVE) + r")(?!\w)")


_NOT_WORD = re.compile(r"[^\w%]+")
_SPACES = re.compile(r"\s+")


def fold_tones(text: str) -> str:
    return _MOVE_RE.sub(lambda m: _MOVE[m.group(1)], text)


def key(text: str) -> str:
    """Lower case, NFC, one tone placement, words only (dashes and punctuation become spaces)."""
    t = unicodedata.normalize("NFC", text).casefold().replace("tỉ ", "tỷ ")
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", fold_tones(t))).strip()


def fold(text: str) -> str:
    """The key with every diacritic dropped and đ as d: how people type a name without Vietnamese input
    ("So Tai chinh", "Binh Duong"). For looking up what a user typed, never for reading documents."""
    return unicodedata.normalize("NFD", key(text).replace("đ", "d")).translate(_WITHOUT_MARKS)


class _WithoutMarks(dict):
    """A str.translate table that drops combining marks, filled in as characters are met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()
