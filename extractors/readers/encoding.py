"""Bytes to text: BOMs, UTF-8, UTF-16 and Windows-1258, normalised to NFC at the boundary."""
from __future__ import annotations

import codecs
import unicodedata

from extractors.errors import ReadError

# Vietnamese letters with diacritics: a decode that yields many of them is a plausible one.
_VI_MARKS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return bad / len(sample) > 0.02


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises ReadError when no encoding gives sensible text."""
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
            text, enc = _decode_legacy(data)
    if _looks_binary(text):
        raise ReadError("binary data, not text")
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n")), enc


def _binary_bytes(data: bytes) -> bool:
    sample = data[:20000]
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control / max(1, len(sample)) > 0.02


def _utf16_without_bom(data: bytes) -> bool:
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even_nul = sample[1::2].count(0) / (len(sample) // 2)
    odd_nul = sample[0::2].count(0) / (len(sample) // 2)
    return even_nul > 0.3 or odd_nul > 0.3


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Windows-1258 (combining tone marks, composed by NFC afterwards)."""
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise ReadError("unreadable encoding: neither UTF-8, UTF-16 nor Windows-1258") from None
    composed = nfc(text)
    letters = [c for c in composed.lower() if c.isalpha()]
    if letters and sum(c in _VI_MARKS for c in letters) / len(letters) < 0.01 and any(b >= 0x80 for b in data):
        # High bytes that compose into no Vietnamese letters: some other legacy code page.
        raise ReadError("unreadable encoding: bytes are not UTF-8 and do not decode to Vietnamese in Windows-1258")
    return text, "cp1258"
