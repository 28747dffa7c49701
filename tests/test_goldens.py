"""Golden files per layout (tests/data/<layout>/): what the reader makes of a real source of that layout and what
is extracted from it, checked whole. A change meant to alter them is regenerated with `make goldens` and its diff
reviewed; any other change to them is a regression."""
import json
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import make_goldens  # noqa: E402

LAYOUTS = sorted(p for p in make_goldens.DATA.iterdir() if p.is_dir())
SLOW = {"pdf-chromium-borderless"}  # pdfplumber over a whole document: the LibreOffice PDF stays in the edit loop


@pytest.mark.parametrize("folder", [pytest.param(f, id=f.name, marks=[pytest.mark.slow] if f.name in SLOW else [])
                                    for f in LAYOUTS])
def test_the_reader_and_the_extraction_match_the_golden_files(folder):
    document, extraction = make_goldens.expected(folder)
    want_document = json.loads((folder / "document.json").read_text("utf-8"))
    want_extraction = json.loads((folder / "extraction.json").read_text("utf-8"))
    for got, want in ((document["blocks"], want_document["blocks"]), (extraction["rows"], want_extraction["rows"]),
                      (extraction["targets"], want_extraction["targets"])):
        # the first difference, not a wall of JSON
        diff = next(((i, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w), None)
        assert diff is None, f"{folder.name}: item {diff[0]} differs: {diff[1]} != {diff[2]}"
        assert len(got) == len(want), folder.name
    assert document == want_document and extraction == want_extraction


def test_every_layout_has_its_source_and_goldens():
    assert len(LAYOUTS) >= 8
    for folder in LAYOUTS:
        assert make_goldens.source_of(folder).stat().st_size > 0
        assert (folder / "document.json").is_file() and (folder / "extraction.json").is_file()
