"""How much a page's text reads as Vietnamese: the per-page measure that tells a usable text layer from a
garbled one (a legacy font without a Unicode map, a producer that splits words at every accented letter),
and that is stored with every page so a reader of the database knows which pages to double-check.

Vietnamese is written one syllable per word, and its syllables have a fixed shape: an optional onset, a
vowel nucleus, an optional coda, and at most one tone mark. Two shares are measured over a page's
alphabetic tokens: those that are no Vietnamese syllable, and those of a single letter (which only
"K ế ho ạ ch" and its like produce in bulk).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
SYLLABLE_RE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnpqrstvx])?"
    r"(?:[aăâeêioôơuưy]{1,3})"
    r"(?:ch|ng|nh|[cmnpt])?$")
TOKEN_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
GARBLED_NON_SYLLABLE = 0.4
GARBLED_SINGLE_LETTER = 0.18


@dataclass(frozen=True)
class TextQuality:
    non_syllable: float  # share of alphabetic tokens that are no Vietnamese syllable
    single_letter: float  # share of alphabetic tokens one letter long
    tokens: int

    @property
    def garbled(self) -> bool:
        return self.tokens >= 20 and (self.non_syllable > GARBLED_NON_SYLLABLE or self.single_letter > GARBLED_SINGLE_LETTER)


def is_syllable(token: str) -> bool:
    """A Vietnamese syllable, whatever its tone mark: "hoạch", "Nghị", "đổi"; not "ạ" alone? yes, "ạ" is one."""
    bare = "".join(c for c in unicodedata.normalize("NFD", token.lower()) if c not in TONE_MARKS)
    return bool(SYLLABLE_RE.match(unicodedata.normalize("NFC", bare)))


def measure(text: str) -> TextQuality:
    tokens = [t for t in TOKEN_RE.findall(text) if not (t.isupper() and len(t) > 1)]  # UBND, CNTT: abbreviations
    if not tokens:
        return TextQuality(0.0, 0.0, 0)
    odd = sum(not is_syllable(t) for t in tokens)
    single = sum(len(t) == 1 for t in tokens)
    return TextQuality(round(odd / len(tokens), 3), round(single / len(tokens), 3), len(tokens))
