"""Bytes to text: BOMs, UTF-8, UTF-16, Windows-1258 and the legacy TCVN3/VNI font encodings,
normalised to NFC at the boundary."""
from __future__ import annotations

import codecs
import re
import unicodedata

from vnplans.extractors.errors import ReadError
from vnplans.extractors.readers import legacy
from vnplans.extractors.readers.alphabet import MARKED

# Vietnamese letters with diacritics: a decode that yields many of them is a plausible one.
_VI_MARKS = set(MARKED)


_CONTROL_TEXT = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    return len(_CONTROL_TEXT.findall(sample)) / len(sample) > 0.02


STRAY_BYTES_MAX = 10  # invalid bytes in otherwise good UTF-8 that are replaced rather than refused


def decode(data: bytes, notes: list[str] | None = None) -> tuple[str, str]:
    """Return (text, encoding name). Raises ReadError when no encoding gives sensible text. UTF-8 with a few
    stray bytes (a Windows quote pasted into the plan) is decoded with replacement; `notes` hears where."""
    if data.startswith(codecs.BOM_UTF8):
        text, enc = data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            text, enc = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError(f"broken UTF-16 text ({exc.reason})") from None
    elif _utf16_without_bom(data):
        sample = data[:4000]
        enc = "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            raise ReadError(f"broken UTF-16 text ({exc.reason})") from None
    else:
        if _binary_bytes(data):
            raise ReadError("binary data, not text")
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            stray = _stray_bytes(data)
            if stray is None:
                text, enc = _decode_legacy(data)
            else:
                text, enc = data.decode("utf-8", errors="replace"), "utf-8"
                if notes is not None:
                    notes.append(f"{len(stray)} byte(s) that are not UTF-8 replaced by U+FFFD, at byte offset(s) "
                                 + ", ".join(map(str, stray)))
    if _looks_binary(text):
        raise ReadError("binary data, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if enc.startswith("utf"):  # Unicode bytes can still hold text typed in a legacy font
        text, legacy_enc = legacy.repair(text)
        enc = f"{enc}/{legacy_enc}" if legacy_enc else enc
    return nfc(text), enc


def _stray_bytes(data: bytes) -> list[int] | None:
    """Offsets of the bytes UTF-8 cannot decode, when they are a handful in text that is otherwise UTF-8
    with Vietnamese in it (ten valid multi-byte letters per stray byte at least); None when the file is in
    another encoding altogether."""
    stray: list[int] = []
    pos = 0
    while pos < len(data):
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            stray.append(pos + exc.start)
            if len(stray) > STRAY_BYTES_MAX:
                return None
            pos += exc.end
    multibyte = sum(1 for b in data if 0xC2 <= b <= 0xF4)  # lead bytes of multi-byte sequences
    return stray if multibyte >= 10 * len(stray) else None


def _binary_bytes(data: bytes) -> bool:
    sample = data[:20000]
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control / max(1, len(sample)) > 0.02


def _utf16_without_bom(data: bytes) -> bool:
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even_nul = sample[1::2].count(0) / (len(sample) // 2)
    odd_nul = sample[0::2].count(0) / (len(sample) // 2)
    return even_nul > 0.3 or odd_nul > 0.3


def _latin1_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    return err.object[err.start:err.end].decode("latin-1"), err.end


codecs.register_error("vnplans-latin1", _latin1_fallback)


def _windows_1252(data: bytes) -> str:
    """Bytes as a Windows editor showed them (curly quotes, dashes); the five undefined bytes as Latin-1."""
    return data.decode("cp1252", errors="vnplans-latin1")


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Windows-1258 (combining tone marks, composed by NFC afterwards) or a legacy font encoding
    (TCVN3 or VNI, whose bytes only the font draws as Vietnamese): whichever reads as Vietnamese."""
    candidates: dict[str, str] = {}
    try:
        candidates["cp1258"] = data.decode("cp1258")
    except UnicodeDecodeError:
        pass
    text_1252 = _windows_1252(data)
    encoding, score = legacy.judged(text_1252)
    scores = {enc: legacy.syllable_score(nfc(text[:legacy.JUDGED])) for enc, text in candidates.items()}
    if encoding:
        scores[encoding] = score
    if not scores:
        raise ReadError("unreadable encoding: neither UTF-8, UTF-16, Windows-1258, TCVN3 nor VNI")
    best = max(scores, key=scores.get)
    if best == "cp1258":
        text = candidates["cp1258"]
        composed = nfc(text)
        letters = [c for c in composed.lower() if c.isalpha()]
        if letters and sum(c in _VI_MARKS for c in letters) / len(letters) < 0.01 and any(b >= 0x80 for b in data):
            # high bytes that compose into no Vietnamese letters: some other legacy code page
            raise ReadError("unreadable encoding: bytes are not UTF-8 and read as Vietnamese in none of "
                            "Windows-1258, TCVN3 or VNI")
        return text, "cp1258"
    return legacy.convert(text_1252, best), best
