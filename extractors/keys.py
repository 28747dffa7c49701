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


# a run of anything but letters, digits and "%", spaces included: one space (so no run of spaces is left). A lone
# space, the run between most words, is one already: left unmatched, it costs no replacement.
_NOT_WORD = re.compile(r"[^\w%]{2,}|[^\w% ]")


def fold_tones(text: str) -> str:
    return _MOVE_RE.sub(lambda m: _MOVE[m.group(1)], text)


def _lower(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _words(lower: str) -> str:
    """Words only: dashes and punctuation become spaces."""
    return _NOT_WORD.sub(" ", lower.replace("tỉ ", "tỷ ")).strip()


def key(text: str) -> str:
    """Lower case, NFC, one tone placement, words only (dashes and punctuation become spaces)."""
    return _words(fold_tones(_lower(text)))


def fold(text: str) -> str:
    """The key with every diacritic dropped and đ as d: how people type a name without Vietnamese input
    ("So Tai chinh", "Binh Duong"). For looking up what a user typed, never for reading documents. (Where the
    tone sits does not matter once it is dropped, so the key's tone placement is skipped.)"""
    apart = unicodedata.normalize("NFD", _words(_lower(text)).replace("đ", "d"))
    if _NEITHER_ASCII_NOR_MARK.search(apart) is None:  # Vietnamese: ASCII letters and their marks, dropped at once
        return apart.encode("ascii", "ignore").decode("ascii")
    return apart.translate(_WITHOUT_MARKS)


# what is left of a Vietnamese word taken apart (NFD) is ASCII and combining diacritics (U+0300-U+036F but
# U+034F, the one mark there that does not combine): anything else takes the slower, general way
_NEITHER_ASCII_NOR_MARK = re.compile(r"[^\x00-\x7f\u0300-\u034e\u0350-\u036f]")


class _WithoutMarks(dict):
    """A str.translate table that drops combining marks, filled in as characters are met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()
