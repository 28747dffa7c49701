"""Tesseract run in this process, through the C API of the library the `tesseract` command runs.

Each call of the command starts a process that loads the language model again (70 ms, as long as
OCR'ing a small table cell takes) and passes the image through a file. The C API keeps an engine
with its model loaded for as many pages as a process reads, and takes the pixels as they are. It is
the same library the command uses, so the words, boxes and confidences are the same, byte for byte
(a test holds the two to each other). tesserocr does the same, but its wheels bundle a Tesseract of
their own (5.5 where Debian has 5.3, reading the same pages differently), and building it against the
system's library takes a compiler and the development headers.

Engines are not thread-safe: each is lent to one thread at a time, and kept for the next page.
"""
from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import functools
import os
import threading
from contextlib import contextmanager
from typing import Iterator, Optional

import numpy as np

from vnplans.extractors.errors import ReadError

OEM_LSTM_ONLY, OEM_DEFAULT = 1, 3
PSM_AUTO, PSM_SINGLE_BLOCK, PSM_SINGLE_LINE = 3, 6, 7


class OcrError(Exception):
    """Tesseract could not read an image (or ran out of time)."""


@functools.lru_cache(maxsize=1)
def _library() -> ctypes.CDLL:
    # Tesseract's OpenMP threads make a page several times slower on a small machine, where vnplans runs an
    # engine a core; and a process forked after they started hangs in them. Read when the library loads.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        raise ReadError("scanned pages need OCR, but the Tesseract library is not installed "
                        "(apt-get install tesseract-ocr tesseract-ocr-vie)") from None
    handle, text = ctypes.c_void_p, ctypes.c_void_p  # text: freed with TessDeleteText, so not c_char_p
    for fn, args, result in [
        ("TessBaseAPICreate", [], handle),
        ("TessBaseAPIDelete", [handle], None),
        ("TessBaseAPIEnd", [handle], None),
        ("TessBaseAPIInit2", [handle, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
        ("TessBaseAPISetVariable", [handle, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
        ("TessBaseAPISetPageSegMode", [handle, ctypes.c_int], None),
        ("TessBaseAPISetImage", [handle, ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int], None),
        ("TessBaseAPIRecognize", [handle, ctypes.c_void_p], ctypes.c_int),
        ("TessBaseAPIGetTsvText", [handle, ctypes.c_int], text),
        ("TessBaseAPIGetUTF8Text", [handle], text),
        ("TessBaseAPIClear", [handle], None),
        ("TessDeleteText", [text], None),
        ("TessMonitorCreate", [], handle),
        ("TessMonitorDelete", [handle], None),
        ("TessMonitorSetDeadlineMSecs", [handle, ctypes.c_int], None),
    ]:
        f = getattr(lib, fn)
        f.argtypes, f.restype = args, result
    return lib


class Engine:
    """One Tesseract engine with its language model loaded."""

    def __init__(self, lang: str, oem: int) -> None:
        self.lib = _library()
        self.handle = self.lib.TessBaseAPICreate()
        # what the command prints to stderr ("Estimating resolution as 317") goes nowhere, as the command's did
        self.lib.TessBaseAPISetVariable(self.handle, b"debug_file", os.devnull.encode())
        if self.lib.TessBaseAPIInit2(self.handle, None, lang.encode(), oem) != 0:
            self.close()
            raise ReadError(f"Tesseract has no '{lang}' language data (apt-get install tesseract-ocr-{lang})")

    def close(self) -> None:
        if self.handle:
            self.lib.TessBaseAPIEnd(self.handle)
            self.lib.TessBaseAPIDelete(self.handle)
            self.handle = None

    def _recognize(self, image: np.ndarray, psm: int, timeout: float) -> None:
        """`image`: 8-bit grey (h, w) or RGB (h, w, 3) pixels."""
        image = np.ascontiguousarray(image, dtype=np.uint8)
        depth = 1 if image.ndim == 2 else image.shape[2]
        self.lib.TessBaseAPISetPageSegMode(self.handle, psm)
        self.lib.TessBaseAPISetImage(self.handle, image.ctypes.data, image.shape[1], image.shape[0], depth,
                                     image.strides[0])
        monitor = self.lib.TessMonitorCreate()
        try:
            self.lib.TessMonitorSetDeadlineMSecs(monitor, int(timeout * 1000))
            if self.lib.TessBaseAPIRecognize(self.handle, monitor) != 0:
                raise OcrError(f"Tesseract gave up (or took over {timeout:g} s)")
        finally:
            self.lib.TessMonitorDelete(monitor)

    def _text(self, pointer: Optional[int]) -> str:
        if not pointer:
            raise OcrError("Tesseract returned no text")
        try:
            return ctypes.string_at(pointer).decode("utf-8", "replace")
        finally:
            self.lib.TessDeleteText(pointer)

    def _read(self, image: np.ndarray, psm: int, timeout: float, output) -> str:
        """Recognize `image`, then the text `output` (one of the library's getters) gives; the image let go."""
        try:
            self._recognize(image, psm, timeout)
            return self._text(output(self.handle))
        finally:
            self.lib.TessBaseAPIClear(self.handle)

    def data(self, image: np.ndarray, psm: int = PSM_AUTO, timeout: float = 300) -> dict[str, list]:
        """Words with their boxes and confidences, as `tesseract … tsv` prints them and pytesseract's
        image_to_data(output_type=DICT) reads them (numbers as whole numbers, the text as printed)."""
        return _tsv_columns(self._read(image, psm, timeout, lambda h: self.lib.TessBaseAPIGetTsvText(h, 0)))

    def text(self, image: np.ndarray, psm: int = PSM_SINGLE_BLOCK, timeout: float = 60) -> str:
        """The text, as `tesseract … txt` prints it."""
        return self._read(image, psm, timeout, self.lib.TessBaseAPIGetUTF8Text)


TSV_HEADER = ["level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width", "height",
              "conf", "text"]


def _tsv_columns(tsv: str) -> dict[str, list]:
    rows = [row.split("\t") for row in tsv.strip().split("\n")] if tsv.strip() else []
    if rows and len(rows[-1]) < len(TSV_HEADER):
        rows[-1].append("")  # the last word's text empty: the line lost its last cell
    out: dict[str, list] = {}
    for i, name in enumerate(TSV_HEADER):
        column = out[name] = []
        for row in rows:
            if len(row) <= i:
                continue
            if name == "text":
                column.append(row[i])
                continue
            try:
                column.append(int(float(row[i])))
            except ValueError:
                column.append(row[i])
    return out


class _Engines:
    """Engines kept for the life of the process, one lent to each thread that asks (loading the model costs
    as much as reading a page); freed at exit, before the library's own teardown complains of them."""

    def __init__(self) -> None:
        self._forget()
        atexit.register(self.close)
        # a forked child starts with none: the parent's may be in use by a thread the child does not have
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self.lock = threading.Lock()
        self.free: dict[tuple[str, int], list[Engine]] = {}
        self.every: list[Engine] = []

    @contextmanager
    def lend(self, lang: str, oem: int) -> Iterator[Engine]:
        with self.lock:
            idle = self.free.setdefault((lang, oem), [])
            engine = idle.pop() if idle else None
        if engine is None:
            engine = Engine(lang, oem)
            with self.lock:
                self.every.append(engine)
        try:
            yield engine
        finally:
            with self.lock:
                self.free[(lang, oem)].append(engine)

    def close(self) -> None:
        with self.lock:
            for engine in self.every:
                engine.close()
            self.every.clear()
            self.free.clear()


ENGINES = _Engines()
