"""Tesseract through its C API reads as the `tesseract` command does: the same words, boxes and confidences."""
import shutil
import subprocess

import numpy as np
import pytest

from conftest import CORPUS
from vnplans.extractors.errors import ReadError
from vnplans.extractors.readers.tesseract import OEM_LSTM_ONLY, PSM_AUTO, PSM_SINGLE_LINE, Engine, OcrError, OcrWord

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


def _printed_words(tsv: str) -> list[OcrWord]:
    """The word rows (level 5) of the command's TSV, read as pytesseract reads them: numbers as whole numbers
    (a confidence of 91.5 as 91), the text as printed (a last word whose text is empty loses its tab)."""
    words = []
    for row in tsv.split("\n")[1:]:  # a header line first
        cells = row.split("\t")
        if cells[0] == "5":
            numbers = [int(float(c)) for c in cells[2:5] + cells[6:11]]
            words.append(OcrWord(*numbers, cells[11] if len(cells) > 11 else ""))
    return words


def test_printed_words_read_as_pytesseract_reads_them():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t100\t50\t-1\t\n5\t1\t1\t1\t1\t1\t10\t12\t30\t9\t91.5\tSở\n"
           "5\t1\t1\t1\t2\t1\t45\t12\t30\t9\t88")
    assert _printed_words(tsv) == [OcrWord(1, 1, 1, 10, 12, 30, 9, 91, "Sở"), OcrWord(1, 1, 2, 45, 12, 30, 9, 88, "")]


@pytest.mark.slow
@needs_the_command
def test_a_scanned_page_reads_as_the_command_reads_it(page, engine, tmp_path):
    printed = _command(page, tmp_path, "--psm", "3", "tsv")
    words = engine.words(page, PSM_AUTO)
    assert len([w for w in words if w.text.strip()]) > 300
    assert len({(w.block, w.paragraph, w.line) for w in words}) > 30
    assert words == _printed_words(printed)


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
        engine.words(page, PSM_AUTO, timeout=0.05)
    assert len(engine.words(page[:400], PSM_AUTO)) > 10


def test_missing_language_data_is_named():
    with pytest.raises(ReadError, match="apt-get install tesseract-ocr-xyz"):
        Engine("xyz", OEM_LSTM_ONLY)


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
                ok = ok and len(engine.words(page[:400], PSM_AUTO)) > 10
        finally:
            os._exit(0 if ok else 1)
    assert os.waitpid(pid, 0)[1] == 0
