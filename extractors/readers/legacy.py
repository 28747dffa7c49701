"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI-Windows) to Unicode.

Older provincial documents were typed in .VnTime (TCVN3) or VNI-Times (VNI) fonts: the bytes are
Latin-1 / Windows-1252 characters that only the font draws as Vietnamese ("Céng hoµ x· héi",
"Coäng hoøa xaõ hoäi"). Whether text is in one of them is decided on the whole text: converted, it
must carry far more Vietnamese letters than it did, and Unicode Vietnamese (which has letters like
ạ ế ộ that neither encoding can produce) is never converted. Tables: extractors/data/legacy_encodings.yaml.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from typing import Optional

from vnplans.extractors import vocabulary

ENCODINGS = ("tcvn3", "vni")
# letters only Vietnamese has (the ranges neither legacy encoding can produce as single characters)
_VIETNAMESE = re.compile(r"[\u1ea0-\u1ef9ăđơưĩũĂĐƠƯĨŨ]")
_LETTER = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=1)
def tables() -> dict[str, dict[str, str]]:
    data = vocabulary.load("legacy_encodings.yaml")
    return {"tcvn3": data["tcvn3"], "vni": data["vni"]}


@functools.lru_cache(maxsize=None)
def _pattern(encoding: str) -> re.Pattern:
    """Any code of the table, the longest that matches at a place (a base letter and its mark before the lone
    mark). Branched on the first character, then its marks as one character class: the plain alternation of
    the 136 VNI codes tried them one by one at every vowel, and cost as much as the rest of the reading."""
    by_first: dict[str, list[str]] = {}
    for code in tables()[encoding]:
        by_first.setdefault(code[0], []).append(code[1:])
    parts = []
    for first, rests in by_first.items():
        longer = sorted((r for r in rests if len(r) > 1), key=len, reverse=True)
        marks = "".join(re.escape(r) for r in rests if len(r) == 1)
        after = "|".join([*map(re.escape, longer), *([f"[{marks}]"] if marks else [])])
        optional = "?" if "" in rests else ""
        parts.append(re.escape(first) + (f"(?:{after}){optional}" if after else ""))
    return re.compile("(" + "|".join(parts) + ")")


@functools.lru_cache(maxsize=None)
def _single_characters(encoding: str) -> Optional[dict[int, str]]:
    """The table as a str.translate map when each legacy code is one character (TCVN3: one byte a letter);
    None when some take two (VNI: a letter then its mark), which the pattern has to find."""
    table = tables()[encoding]
    return {ord(k): v for k, v in table.items()} if all(len(k) == 1 for k in table) else None


def convert(text: str, encoding: str, upper: bool = False) -> str:
    """Text typed in a legacy font, read as Latin-1/Windows-1252 characters, as Unicode.

    `upper`: typed in an uppercase font (.VnTimeH), whose lowercase codes draw capitals.
    """
    out = _letters(text, encoding)
    if upper:
        return out.upper()
    if encoding == "tcvn3":
        out = _recase(out)
    return unicodedata.normalize("NFC", out)


def _letters(text: str, encoding: str) -> str:
    """Each legacy code as its letter, case as typed."""
    single = _single_characters(encoding)
    if single is not None:
        return text.translate(single)
    table = tables()[encoding]
    parts = _pattern(encoding).split(text)  # text, code, text, code ... text: one lookup a code, no call
    parts[1::2] = [table[code] for code in parts[1::2]]
    return "".join(parts)


_TWO_CAPITALS = re.compile(r"[A-Z]\w*[A-Z]")


def _recase(after: str) -> str:
    """TCVN3 has no capitals with tone marks: a heading typed in .VnTimeH comes back as "CéNG" -> "CộNG".
    A converted word whose two or more plain letters are all capitals is made all capitals; then, on a
    line where that happened, so is a converted word with one plain capital ("TP. Hå CHÝ MINH")."""
    def caps(w: str, least: int) -> bool:
        if w.isascii() or w.isupper() or w.islower():  # nothing converted, or nothing to raise
            return False
        plain = [c for c in w if c.isascii() and c.isalpha()]
        return len(plain) >= least and all(c.isupper() for c in plain) and not w.isupper()

    def line(text: str) -> str:
        if text.isascii() or not _TWO_CAPITALS.search(text):  # no word with two plain capitals: nothing to raise
            return text
        words = re.findall(r"\w+", text)
        if not any(caps(w, 2) for w in words):
            return text
        return re.sub(r"\w+", lambda m: m.group(0).upper() if caps(m.group(0), 1) else m.group(0), text)

    return "\n".join(line(t) for t in after.split("\n"))


# precomposed letters carrying a tone mark (grave, acute, tilde, hook, dot below)
_TONED = re.compile("[" + "".join(
    ch for ch in map(chr, range(0xC0, 0x1EFA))
    if ch.isalpha() and any(m in unicodedata.normalize("NFD", ch) for m in "\u0300\u0301\u0303\u0309\u0323")) + "]")


def syllable_score(text: str) -> float:
    """Words that read as Vietnamese syllables (a Vietnamese letter, one tone mark at most) less the
    impossible ones (two tone marks), per word: tells VNI from TCVN3 when both yield Vietnamese letters."""
    words = Counter(re.findall(r"[^\W\d_]+", text[:JUDGED]))  # syllables repeat: each spelling is judged once
    if not words:
        return 0.0
    good = bad = 0
    for w, count in words.items():
        tones = len(_TONED.findall(w)) if not w.isascii() else 0
        if tones > 1:
            bad += count
        elif _VIETNAMESE.search(w):
            good += count
    return (good - 3 * bad) / words.total()


SAMPLE = 50000  # characters looked at to tell Unicode Vietnamese at once: the cost of a long text stays bounded
JUDGED = 10000  # characters converted both ways to tell the encodings apart: some 2,000 words, plenty to tell


def judged(text: str) -> tuple[Optional[str], float]:
    """(the legacy encoding `text` reads best in, its syllable score over the first JUDGED characters);
    (None, 0) when it is Unicode already."""
    sample = text[:SAMPLE]
    # letters only Vietnamese has: around a fifth of the letters in Vietnamese text, near none in anything else
    # (past 1% of all characters, they are past 1% of the letters: no need to count those)
    vietnamese = len(_VIETNAMESE.findall(sample))
    # (none at all, as in any legacy text, and there is nothing to count)
    if vietnamese and (vietnamese > 0.01 * len(sample) or vietnamese > 0.01 * len(_LETTER.findall(sample))):
        return None, 0.0
    found, found_score = None, 0.05
    for encoding in ENCODINGS:
        # case does not change a word's score: TCVN3's recasing waits until the encoding is chosen
        score = syllable_score(unicodedata.normalize("NFC", _letters(text[:JUDGED], encoding)))
        if score > found_score:
            found, found_score = encoding, score
    return found, (found_score if found else 0.0)


def repair(text: str) -> tuple[str, Optional[str]]:
    """(Unicode text, the legacy encoding it was in or None)."""
    encoding, _ = judged(text)
    if encoding is None:
        return text, None
    return convert(text, encoding), encoding


def font_encoding(font: Optional[str]) -> Optional[tuple[str, bool]]:
    """The legacy encoding a font name implies, and whether it is an uppercase font: .VnTimeH -> (tcvn3, True)."""
    if not font:
        return None
    f = font.strip().lower()
    if f.startswith(".vn"):
        return "tcvn3", f.endswith("h")
    if f.startswith(("vni-", "vni ")):
        return "vni", False
    return None


@functools.lru_cache(maxsize=None)
def _encoder(encoding: str) -> dict[str, str]:
    # the shortest spelling of each letter (VNI has two for ỵ)
    out: dict[str, str] = {}
    for code, letter in sorted(tables()[encoding].items(), key=lambda kv: len(kv[0]), reverse=True):
        out[letter] = code
    return out


def encode(text: str, encoding: str) -> str:
    """Unicode -> the legacy font's characters (for tests and the benchmark's legacy-encoded plans).
    TCVN3 writes capitals with tone marks as their lowercase code, as the uppercase font would."""
    enc = _encoder(encoding)
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in enc:
            out.append(enc[ch])
        elif ch.lower() in enc and encoding == "tcvn3":
            out.append(enc[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)
