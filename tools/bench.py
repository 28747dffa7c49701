#!/usr/bin/env python3
"""Benchmark the paged readers on corpus/renditions: pages per second for born-digital PDF (reader alone and
the whole pipeline), for OCR of the scan, documents per second for DOCX, and peak memory.

usage: tools/bench.py [--repeat N] [--json FILE]
Each measurement runs in this one process, one document at a time (no parallelism), after one warm-up
document so that imports and the tagger's first call are not counted.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vnplans.extractors.readers import read_file  # noqa: E402
from vnplans.pipeline.stages import process  # noqa: E402

RENDITIONS = ROOT / "corpus" / "renditions"


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _time(fn, files: list[Path], repeat: int) -> tuple[float, int]:
    pages = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for f in files:
            doc = fn(f)
            src = doc.source if hasattr(doc, "source") else doc
            pages += src.pages or 1
    return time.perf_counter() - start, pages


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    pdfs = sorted((RENDITIONS / "pdf").glob("*.pdf"))
    docxs = sorted((RENDITIONS / "docx").glob("*.docx"))
    scans = sorted((RENDITIONS / "scan").glob("*.pdf"))
    process(docxs[0])  # warm-up: imports, reference data, the POS tagger's first call

    rows = []
    for label, fn, files, unit in [
        ("born-digital PDF, reader", read_file, pdfs, "pages"),
        ("born-digital PDF, whole pipeline", process, pdfs, "pages"),
        ("DOCX, whole pipeline", process, docxs, "docs"),
        ("scanned PDF (OCR), whole pipeline", process, scans, "pages"),
    ]:
        seconds, pages = _time(fn, files, args.repeat)
        count = pages if unit == "pages" else len(files) * args.repeat
        rows.append({"what": label, "files": len(files) * args.repeat, unit: count, "seconds": round(seconds, 2),
                     f"{unit}_per_s": round(count / seconds, 2)})
    result = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "results": rows,
        "peak_rss_mb": round(_rss_mb(resource.RUSAGE_SELF), 1),
    }
    for r in rows:
        unit = "pages" if "pages" in r else "docs"
        print(f"{r['what']:36} {r[unit]:5} {unit:5} {r['seconds']:7.2f} s  {r[unit + '_per_s']:7.2f} {unit}/s")
    print(f"peak memory (resident, this process): {result['peak_rss_mb']} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), "utf-8")


if __name__ == "__main__":
    main()
