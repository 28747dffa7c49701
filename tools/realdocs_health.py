#!/usr/bin/env python3
"""Table health of a folder of documents: how many table rows each one shows, and how many became rows.

usage: realdocs_health.py FOLDER [--manifest FILE]

For every file: the table blocks the reader found, their numbered data rows (a row whose first cell
is a row number: what a person counting the tables would count), the rows extracted from tables,
and any warning that a table was seen but not read. With a manifest (realdocs' manifest.json,
found next to FOLDER when not given), its `countable_table_rows` is printed alongside.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vnplans.extractors.errors import ReadError  # noqa: E402
from vnplans.extractors.readers.tables import looks_like_stt, normalize_label  # noqa: E402
from vnplans.pipeline.stages import process  # noqa: E402


def numbered_rows(source) -> int:
    return sum(1 for b in source.tables() for row in b.table.rows
               if row and looks_like_stt(normalize_label(row[0].text)) and not row[0].text.strip().isupper())


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--manifest")
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    manifest_path = Path(args.manifest) if args.manifest else folder.parent / "manifest.json"
    expected = {}
    if manifest_path.exists():
        expected = {d["file"]: d.get("countable_table_rows") for d in json.loads(manifest_path.read_text())["documents"]}
    print(f"{'file':<34} {'tables':>6} {'numbered':>8} {'rows':>5} {'manifest':>8}  warnings")
    totals = [0, 0, 0]
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            p = process(path)
        except ReadError as exc:
            print(f"{path.name:<34} error: {exc.reason}")
            continue
        rows = sum(1 for r in p.rows if r.origin == "table")
        counted = numbered_rows(p.source)
        totals = [totals[0] + len(p.source.tables()), totals[1] + counted, totals[2] + rows]
        unread = [w for w in p.warnings if "no rows were read" in w]
        exp = expected.get(path.name)
        print(f"{path.name:<34} {len(p.source.tables()):>6} {counted:>8} {rows:>5} {'' if exp is None else exp:>8}  "
              + "; ".join(unread))
    print(f"{'total':<34} {totals[0]:>6} {totals[1]:>8} {totals[2]:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
