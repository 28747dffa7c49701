"""The pdfium text layer against pdfplumber's own reading of the same real pages: glyph boxes, words and
ruled tables must come out as pdfplumber (pdfminer) makes them, since the layout and table logic
downstream were built on those."""
import unicodedata
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from pdfplumber.utils import extract_words

from conftest import CORPUS
from vnplans.extractors.readers.pdf import TABLE_SETTINGS
from vnplans.extractors.readers.pdf_layer import LayerPage, find_tables, font_metrics

RENDITIONS = CORPUS / "renditions"
LIBREOFFICE = RENDITIONS / "pdf" / "003_17e739ba34981291.pdf"  # subset fonts, DejaVu superscripts "⁽²⁰⁾"
CHROMIUM = RENDITIONS / "chromium-borderless" / "004_c147d9c3ca0a32b7.pdf"  # fractional /W advances
SIGNED = CORPUS / "realdocs" / "docs" / "r21.pdf"  # Type0 Times New Roman: "ỷ" comes from pdfium in pieces
JUSTIFIED = Path(__file__).parent / "data" / "r30-page8.pdf"  # Word: each space a text object of its own
WORDS = dict(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)


def _pages(path: Path, numbers: list[int]):
    data = path.read_bytes()
    fonts = font_metrics(data)
    ours = pdfium.PdfDocument(data)
    with pdfplumber.open(path) as theirs:
        for n in numbers:
            page = LayerPage(ours[n], fonts)
            try:
                yield page, theirs.pages[n]
            finally:
                page.close()
    ours.close()


def _page(path: Path, number: int) -> LayerPage:
    data = path.read_bytes()
    return LayerPage(pdfium.PdfDocument(data)[number], font_metrics(data))


def _boxes(chars: list[dict]) -> list[tuple]:
    """Visible glyphs in reading order (lines to the tenth of a point), each with its box."""
    return sorted(((round(c["top"], 1), round(c["x0"], 1)), c["text"], (c["x0"], c["x1"], c["top"], c["bottom"]))
                  for c in chars if c["text"].strip())


def _same_boxes(ours: list[dict], theirs: list[dict]) -> bool:
    """The same glyphs in boxes equal to 0.02 pt (pdfium keeps positions in single precision)."""
    a, b = _boxes(ours), _boxes(theirs)
    return len(a) == len(b) and all(x[1] == y[1] and all(abs(p - q) <= 0.02 for p, q in zip(x[2], y[2]))
                                    for x, y in zip(a, b))


@pytest.mark.parametrize("path", [LIBREOFFICE, CHROMIUM], ids=["libreoffice", "chromium"])
def test_glyph_boxes_are_pdfminers(path):
    """Every visible glyph of page 1 in the same box, to the hundredth of a point: the advance from the
    font's widths with pdfium's whole-thousandth rounding added back (Chromium's widths have fractions), the
    descent from the font descriptor, matched by name across the subset tag pdfium drops."""
    for ours, theirs in _pages(path, [0]):
        assert _same_boxes(ours.chars(), theirs.chars)


@pytest.mark.parametrize("path,pages", [(LIBREOFFICE, [0, 1, 2]), (CHROMIUM, [0, 1]), (SIGNED, [0, 1, 2]),
                                        (JUSTIFIED, [0])], ids=["libreoffice", "chromium", "signed", "justified"])
def test_words_are_pdfplumbers(path, pages):
    for ours, theirs in _pages(path, pages):
        # pdfminer passes on what a font's ToUnicode map says ("y" + hook); put together here, the glyph is NFC
        assert [w["text"] for w in extract_words(ours.chars(), **WORDS)] == \
            [unicodedata.normalize("NFC", w["text"]) for w in theirs.extract_words(**WORDS)]


def test_a_glyph_handed_out_in_pieces_is_one_glyph_with_one_advance():
    """pdfium gives "ỷ" as "y" and a combining hook at one origin, and the hook's width reaches into the
    next word: put together, it is one glyph as wide as the font says, and "tỷ đồng" stays two words."""
    chars = _page(SIGNED, 1).chars()
    assert "\u0309" not in "".join(c["text"] for c in chars)
    glyph = next(c for c in chars if c["text"] == "ỷ")
    assert glyph["x1"] - glyph["x0"] == pytest.approx(0.5 * 14.04, abs=0.01)  # Times New Roman: 500/1000 em
    words = [w["text"] for w in extract_words(chars, **WORDS)]
    assert ["18.000", "tỷ", "đồng."] == words[words.index("18.000"):][:3]


def test_spaces_drawn_as_text_objects_of_their_own_still_part_words():
    """pdfium skips a text object with no extent, which is what a lone space is; left out, "Tệp tin" and
    the words after it would run together, the gap being under pdfplumber's tolerance."""
    words = [w["text"] for w in extract_words(_page(JUSTIFIED, 0).chars(), **WORDS)]
    assert "Tệptin/etc/nova/rootwrap.confđượcgánquyềntruy" not in words
    at = words.index("/etc/nova/rootwrap.conf")
    assert words[at - 2:at + 4] == ["Tệp", "tin", "/etc/nova/rootwrap.conf", "được", "gán", "quyền"]


@pytest.mark.parametrize("path", [LIBREOFFICE, CHROMIUM, RENDITIONS / "chromium" / "004_c147d9c3ca0a32b7.pdf"],
                         ids=["libreoffice", "chromium-borderless", "chromium"])
def test_ruled_tables_are_pdfplumbers(path):
    """Rulings read from pdfium's path objects, spelled as pdfminer spells them, give pdfplumber's table
    finder the same cells."""
    with pdfplumber.open(path) as pdf:
        numbers = list(range(len(pdf.pages)))
    found = 0
    for ours, theirs in _pages(path, numbers):
        mine = find_tables(ours.edges(), ours.width, ours.height, TABLE_SETTINGS)
        expected = [t.cells for t in theirs.find_tables(TABLE_SETTINGS)]
        assert [[tuple(round(v, 1) for v in c) for c in t] for t in mine] == \
            [[tuple(round(v, 1) for v in c) for c in t] for t in expected]
        found += len(expected)
    assert found or path.parent.name == "chromium-borderless"
