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
from typing import Iterator, NamedTuple, Optional

import numpy as np

from vnplans.extractors.errors import ReadError

OEM_LSTM_ONLY, OEM_DEFAULT = 1, 3
PSM_AUTO, PSM_SINGLE_BLOCK, PSM_SINGLE_LINE = 3, 6, 7
RIL_BLOCK, RIL_PARA, RIL_TEXTLINE, RIL_WORD = 0, 1, 2, 3  # the levels of Tesseract's page iterator


class OcrWord(NamedTuple):
    """A word as `tesseract … tsv` prints it: its block, paragraph and line numbers (from 1), its box in pixels,
    its confidence as the whole number the printed one reads as, and its text."""
    block: int
    paragraph: int
    line: int
    left: int
    top: int
    width: int
    height: int
    conf: int
    text: str


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
        ("TessBaseAPIGetUTF8Text", [handle], text),
        ("TessBaseAPIGetIterator", [handle], handle),
        ("TessResultIteratorGetPageIterator", [handle], handle),
        ("TessResultIteratorDelete", [handle], None),
        ("TessResultIteratorNext", [handle, ctypes.c_int], ctypes.c_int),
        ("TessResultIteratorGetUTF8Text", [handle, ctypes.c_int], text),
        ("TessResultIteratorConfidence", [handle, ctypes.c_int], ctypes.c_float),
        ("TessPageIteratorIsAtBeginningOf", [handle, ctypes.c_int], ctypes.c_int),
        ("TessPageIteratorBoundingBox", [handle, ctypes.c_int] + [ctypes.POINTER(ctypes.c_int)] * 4, ctypes.c_int),
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

    def _read(self, image: np.ndarray, psm: int, timeout: float, output):
        """Recognize `image`, then what `output` makes of the result; the image let go."""
        try:
            self._recognize(image, psm, timeout)
            return output()
        finally:
            self.lib.TessBaseAPIClear(self.handle)

    def words(self, image: np.ndarray, psm: int = PSM_AUTO, timeout: float = 300) -> list[OcrWord]:
        """The words, boxes and confidences `tesseract … tsv` prints (pytesseract's image_to_data)."""
        return self._read(image, psm, timeout, self._words)

    def text(self, image: np.ndarray, psm: int = PSM_SINGLE_BLOCK, timeout: float = 60) -> str:
        """The text, as `tesseract … txt` prints it."""
        return self._read(image, psm, timeout, lambda: self._text(self.lib.TessBaseAPIGetUTF8Text(self.handle)))

    def _words(self) -> list[OcrWord]:
        """The recognized words, walked with the library's result iterator as its TSV output walks them, a word
        at a time: the TSV output itself spells each word out a symbol at a time, which took twice as long as
        the walk, and then had to be parsed back."""
        lib = self.lib
        results = lib.TessBaseAPIGetIterator(self.handle)
        if not results:
            return []
        layout = lib.TessResultIteratorGetPageIterator(results)
        begins, bounding_box = lib.TessPageIteratorIsAtBeginningOf, lib.TessPageIteratorBoundingBox
        box = [ctypes.c_int() for _ in range(4)]
        box_refs = [ctypes.byref(c) for c in box]
        words: list[OcrWord] = []
        block = paragraph = line = 0
        try:
            while True:
                pointer = lib.TessResultIteratorGetUTF8Text(results, RIL_WORD)  # None past the last word
                if pointer:
                    # a block starts with a paragraph, which starts with a line: asking is costly, so ask downwards
                    if begins(layout, RIL_TEXTLINE):
                        if begins(layout, RIL_PARA):
                            if begins(layout, RIL_BLOCK):
                                block, paragraph = block + 1, 0
                            paragraph, line = paragraph + 1, 0
                        line += 1
                    bounding_box(layout, RIL_WORD, *box_refs)
                    left, top, right, bottom = (c.value for c in box)
                    # the TSV prints the confidence with six decimals, read back as a whole number
                    conf = int(float(f"{lib.TessResultIteratorConfidence(results, RIL_WORD):.6f}"))
                    words.append(OcrWord(block, paragraph, line, left, top, right - left, bottom - top, conf,
                                         self._text(pointer)))
                if not lib.TessResultIteratorNext(results, RIL_WORD):
                    return words
        finally:
            lib.TessResultIteratorDelete(results)


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
