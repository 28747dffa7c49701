"""Tesseract through its C API reads as the `tesseract` command does: the same words, boxes and confidences."""
import shutil
import subprocess

import numpy as np
import pytest

from conftest import CORPUS
from vnplans.extractors.errors import ReadError
from vnplans.extractors.readers.tesseract import OEM_LSTM_ONLY, PSM_AUTO, PSM_SINGLE_LINE, Engine, OcrError, \
    _tsv_columns

SCAN = CORPUS / "renditions" / "scan" / "004_c147d9c3ca0a32b7.pdf"
needs_the_command = pytest.mark.skipif(not shutil.which("tesseract"), reason="the tesseract command is not installed")


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(SCAN.read_bytes())
    try:
        return np.asarray(pdf[1].render(scale=200 / 72, grayscale=True).to_pil().convert("L"))
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def engine():
    e = Engine("vie", OEM_LSTM_ONLY)
    yield e
    e.close()


def _command(image: np.ndarray, tmp_path, *args: str) -> str:
    from PIL import Image

    path = tmp_path / "page.pgm"
    Image.fromarray(image).save(path)
    return subprocess.run(["tesseract", str(path), "-", "-l", "vie", "--oem", "1", *args], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.slow
@needs_the_command
def test_a_scanned_page_reads_as_the_command_reads_it(page, engine, tmp_path):
    printed = _command(page, tmp_path, "--psm", "3", "tsv")
    words = engine.data(page, PSM_AUTO)
    assert len([w for w in words["text"] if w.strip()]) > 300
    assert words == _tsv_columns(printed.split("\n", 1)[1])  # the command prints a header line first


@pytest.mark.slow
@needs_the_command
def test_a_line_reads_as_the_command_reads_it(page, engine, tmp_path):
    rows = np.flatnonzero((page < 140).sum(axis=1) > 20)
    line = page[max(0, rows[0] - 8):rows[0] + 40]  # the first line of ink on the page
    assert engine.text(line, PSM_SINGLE_LINE).strip()
    assert engine.text(line, PSM_SINGLE_LINE) == _command(line, tmp_path, "--psm", "7")


@pytest.mark.slow
def test_a_page_past_its_deadline_fails_and_the_engine_reads_on(page, engine):
    with pytest.raises(OcrError, match="took over 0.05 s"):
        engine.data(page, PSM_AUTO, timeout=0.05)
    assert len(engine.data(page[:400], PSM_AUTO)["text"]) > 10


def test_missing_language_data_is_named():
    with pytest.raises(ReadError, match="apt-get install tesseract-ocr-xyz"):
        Engine("xyz", OEM_LSTM_ONLY)


def test_tsv_columns_read_as_pytesseract_read_them():
    tsv = "1\t1\t0\t0\t0\t0\t0\t0\t100\t50\t-1\t\n5\t1\t1\t1\t1\t1\t10\t12\t30\t9\t91.5\tSở\n5\t1\t1\t1\t1\t2\t45\t12\t30\t9\t88"
    columns = _tsv_columns(tsv)
    assert columns["text"] == ["", "Sở", ""]
    assert columns["conf"] == [-1, 91, 88]
    assert columns["left"] == [0, 10, 45]


@pytest.mark.slow
def test_a_forked_child_makes_its_own_engines(page):
    import os

    from vnplans.extractors.readers.tesseract import ENGINES

    with ENGINES.lend("vie", OEM_LSTM_ONLY):
        pass
    assert ENGINES.every
    pid = os.fork()
    if pid == 0:  # the child: no engine of the parent's, and a new one reads
        try:
            ok = not ENGINES.every
            with ENGINES.lend("vie", OEM_LSTM_ONLY) as engine:
                ok = ok and len(engine.data(page[:400], PSM_AUTO)["text"]) > 10
        finally:
            os._exit(0 if ok else 1)
    assert os.waitpid(pid, 0)[1] == 0
