"""Format readers: detect a file's format from its bytes and turn it into a SourceDocument.

Adding a reader: write `read_<fmt>(path, sha256, data) -> SourceDocument` producing
the model in schemas/document.py, teach `sniff` to recognise the format, and add it
to READERS.
"""
from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Callable

from vnplans.extractors.errors import ReadError
from vnplans.schemas.document import SourceDocument

LEGACY_LABELS = {"tcvn3": "TCVN3 (ABC, .VnTime)", "vni": "VNI-Windows"}
MAX_BYTES = 100 * 1024 * 1024  # larger files are refused up front: plans are far smaller


def sniff(data: bytes) -> str:
    """The format of a file from its content: pdf, docx, odt, doc, html, text."""
    head = data[:4096]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                names = z.namelist()
                mime = z.open("mimetype").read(100) if "mimetype" in names else b""  # ODF's own first entry
        except zipfile.BadZipFile:
            raise ReadError("corrupt ZIP container (not a readable DOCX)") from None
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            if mime.strip().startswith(b"application/vnd.oasis.opendocument.text"):
                return "odt"
            raise ReadError("OpenDocument file that is not a text document (a spreadsheet or a presentation)")
        if "xl/workbook.xml" in names:
            raise ReadError("Excel workbook, not a plan document: save the plan as .docx, .odt or PDF")
        raise ReadError("ZIP archive that is not a Word or OpenDocument text document")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # an OLE container: old Word, or a password-protected DOCX/XLSX (encrypted OOXML package)
        if "EncryptedPackage".encode("utf-16-le") in data[:1 << 20]:
            return "encrypted-office"
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            probe = head.decode("utf-16")[:1000].lstrip().lower().encode()
        except UnicodeDecodeError:
            pass
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        probe.startswith(b"<") and any(t in probe for t in (b"<body", b"<div", b"<p>", b"<p ", b"<table", b"<head"))
    ):
        return "html"
    return "text"


def _read_textual(path: str, sha: str, data: bytes) -> SourceDocument:
    from vnplans.extractors.readers.encoding import decode
    from vnplans.extractors.readers.text import read_text

    notes: list[str] = []
    text, enc = decode(data, notes)
    doc = read_text(path, sha, text, enc)
    doc.warnings.extend(notes)
    return doc


def _read_html(path: str, sha: str, data: bytes) -> SourceDocument:
    from vnplans.extractors.readers.html import read_html

    return read_html(path, sha, data)


MAX_PART_BYTES = 256 * 1024 * 1024  # one part of a DOCX/ODT once inflated; the largest real plans hold a few MB
MAX_INFLATED_BYTES = 512 * 1024 * 1024


def check_zip(data: bytes, kind: str) -> None:
    """Refuse a ZIP container whose parts would inflate past the limits (a zip bomb), before inflating any."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError):
        return  # the reader says what is wrong with it
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES or total > MAX_INFLATED_BYTES:
            raise ReadError(f"{kind} part {info.filename} inflates to {info.file_size // (1024 * 1024)} MB (the limit "
                            f"is {MAX_PART_BYTES // (1024 * 1024)} MB a part, {MAX_INFLATED_BYTES // (1024 * 1024)} MB "
                            "in all): refused as a zip bomb")


def _read_docx(path: str, sha: str, data: bytes) -> SourceDocument:
    from vnplans.extractors.readers.word import read_docx

    check_zip(data, "DOCX")
    return read_docx(path, sha, data)


def _read_odt(path: str, sha: str, data: bytes) -> SourceDocument:
    from vnplans.extractors.readers.odt import read_odt

    check_zip(data, "ODT")
    return read_odt(path, sha, data)


def _read_pdf(path: str, sha: str, data: bytes) -> SourceDocument:
    from vnplans.extractors.readers.pdf import read_pdf

    return read_pdf(path, sha, data)


def _unsupported(reason: str) -> Callable[[str, str, bytes], SourceDocument]:
    def reader(path: str, sha: str, data: bytes) -> SourceDocument:
        raise ReadError(reason)

    return reader


READERS: dict[str, Callable[[str, str, bytes], SourceDocument]] = {
    "text": _read_textual,
    "html": _read_html,
    "docx": _read_docx,
    "odt": _read_odt,
    "pdf": _read_pdf,
    "encrypted-office": _unsupported("password-protected Office document: remove the password and save it again"),
    "doc": _unsupported("legacy Word .doc format is not supported: save it as .docx or PDF"),
    "rtf": _unsupported("RTF is not supported: save it as .docx or PDF"),
}


def register(fmt: str, reader: Callable[[str, str, bytes], SourceDocument]) -> None:
    READERS[fmt] = reader


def read_bytes(path: str, data: bytes) -> SourceDocument:
    if not data or not data.strip():
        raise ReadError("empty file", path)
    sha = hashlib.sha256(data).hexdigest()
    try:
        fmt = sniff(data)
        reader = READERS.get(fmt)
        if reader is None:
            raise ReadError(f"no reader for {fmt.upper()} files in this installation")
        doc = reader(path, sha, data)
    except ReadError as exc:
        exc.path = path
        exc.args = (f"{path}: {exc.reason}",)
        raise
    if not doc.blocks:
        raise ReadError("no text found in the file", path)
    for name, label in LEGACY_LABELS.items():
        if doc.encoding and name in doc.encoding.split("/"):
            doc.warnings.append(f"text typed in the legacy {label} font encoding: converted to Unicode")
    return doc


NOT_REGULAR = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
               stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


def check_file(path: str | os.PathLike) -> int:
    """The size of a file that may be read, else ReadError naming why not: missing, not a regular file (a FIFO
    would block forever, /dev/zero never ends), or larger than the limit. Checked before any byte is read."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror}", str(path)) from None
    if not stat.S_ISREG(st.st_mode):
        kind = NOT_REGULAR.get(stat.S_IFMT(st.st_mode), "not a regular file")
        raise ReadError(f"{kind}, not a regular file: only files are read", str(path))
    if st.st_size > MAX_BYTES:
        raise ReadError(f"file too large ({st.st_size // (1024 * 1024)} MB; the limit is "
                        f"{MAX_BYTES // (1024 * 1024)} MB)", str(path))
    return st.st_size


def read_file(path: str | os.PathLike) -> SourceDocument:
    p = Path(path)
    check_file(p)
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # a file that grew since the check is still read only so far
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror}", str(p)) from None
    if len(data) > MAX_BYTES:
        raise ReadError(f"file too large (it grew past {MAX_BYTES // (1024 * 1024)} MB while being read)", str(p))
    return read_bytes(str(p), data)


def content_id(path: str | os.PathLike) -> str:
    """SHA-256 of the raw bytes: the document id, computed without parsing (after check_file)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
