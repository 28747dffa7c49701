#!/usr/bin/env python3
"""Benchmark the paged readers on corpus/renditions: pages per second for born-digital PDF (reader alone and
the whole pipeline), for OCR of the scan, documents per second for DOCX, and peak memory; then a folder of
born-digital PDFs ingested with 1 and 2 workers (documents/s and pages/s, start-up included).

usage: tools/bench.py [--repeat N] [--json FILE]
The first measurements run in this one process, one document at a time (no parallelism; a scan's pages are
OCR'd in parallel inside it), after one warm-up document so that imports and the tagger's first call are not
counted.
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


def _pdf_batch(files: list[Path], workers: int) -> dict:
    """A folder of PDFs through `vnplans ingest` (worker processes, one writer) into a fresh database."""
    import io
    import sqlite3
    import tempfile

    from vnplans.pipeline.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        start = time.perf_counter()
        summary = ingest(files, str(db), out=io.StringIO(), err=io.StringIO(), workers=workers, progress=False)
        seconds = time.perf_counter() - start
        pages = sqlite3.connect(db).execute("SELECT sum(pages) FROM documents").fetchone()[0] or 0
    return {"what": f"folder of PDFs, ingest, {workers} worker(s)", "files": len(summary.ingested), "pages": pages,
            "seconds": round(seconds, 2), "pages_per_s": round(pages / seconds, 2),
            "docs_per_s": round(len(summary.ingested) / seconds, 2)}


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
    folder = [f for d in ("pdf", "chromium", "chromium-borderless") for f in sorted((RENDITIONS / d).glob("*.pdf"))]
    for workers in (1, 2):
        rows.append(_pdf_batch(folder, workers))
    result = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "results": rows,
        "peak_rss_mb": round(_rss_mb(resource.RUSAGE_SELF), 1),
    }
    for r in rows:
        unit = "pages" if "pages" in r else "docs"
        docs = f"  ({r['files']} docs, {r['docs_per_s']:.2f} docs/s)" if unit == "pages" and "docs_per_s" in r else ""
        print(f"{r['what']:36} {r[unit]:5} {unit:5} {r['seconds']:7.2f} s  {r[unit + '_per_s']:7.2f} {unit}/s{docs}")
    print(f"peak memory (resident, this process): {result['peak_rss_mb']} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), "utf-8")


if __name__ == "__main__":
    main()
