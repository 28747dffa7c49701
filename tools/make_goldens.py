"""Write the golden files of tests/data/<layout>/: for each layout's source, what the reader made of it
(document.json, `SourceDocument.outline()`) and the extraction (extraction.json, as `extract --json` prints it).

usage: python tools/make_goldens.py [LAYOUT ...]      (make goldens)
Run it after a change that is meant to change what is read or extracted, and review the diff before committing.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def source_of(folder: Path) -> Path:
    (source,) = [p for p in folder.iterdir() if p.name.startswith("source.")]
    return source


def expected(folder: Path) -> tuple[dict, dict]:
    """(document outline, extraction) of one layout's source, as the goldens hold them."""
    from vnplans.extractors.readers import read_file
    from vnplans.pipeline.stages import process_document, to_extraction

    source = source_of(folder)
    doc = read_file(source)
    extraction = to_extraction(process_document(doc)).model_dump(mode="json")
    extraction["source"] = source.name  # the golden names its own file, wherever it is checked out
    return doc.outline(), extraction


def write(folder: Path) -> None:
    document, extraction = expected(folder)
    for name, data in (("document.json", document), ("extraction.json", extraction)):
        (folder / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{folder.relative_to(ROOT)}: {len(document['blocks'])} blocks, {len(extraction['rows'])} rows, "
          f"{len(extraction['targets'])} targets")


if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        if not wanted or folder.name in wanted:
            write(folder)
