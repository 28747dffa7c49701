#!/usr/bin/env python3
"""Born-digital PDFs side by side: vnplans's whole pipeline against pdfium's raw text (the practical
ceiling for text), pdfplumber's own words + ruled tables (the floor a user could write in ten lines) and,
when given an interpreter that has it, Unstructured's `partition_pdf(strategy="fast")`; then start-up time,
OCR on one core against plain Tesseract, and the peak memory of one 200-page PDF.

usage: tools/bench_pdf.py [--repeat N] [--unstructured PYTHON] [--json FILE]
The tools run in this process (Unstructured in its own interpreter), interleaved, each over every file,
`--repeat` rounds; a tool's time is its best round. The files are the corpus renditions and realdocs
PDFs that have a text layer (../shared/realdocs too when present). Unstructured needs its own
environment (`unstructured`, `unstructured-inference`, `pikepdf`, …) and a spaCy English model it
downloads on first use; `--unstructured` or VNPLANS_BENCH_UNSTRUCTURED names that environment's python.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from bench_batch import PeakMemory  # noqa: E402  (one sampler of a process tree's memory, both benchmarks)

UNSTRUCTURED_SCRIPT = r"""
import json, os, sys, time
os.environ.setdefault("UNSTRUCTURED_DISABLE_NOTICE", "1")
from unstructured.partition.pdf import partition_pdf
files = sys.argv[1:]
partition_pdf(filename=files[0], strategy="fast", languages=["vie"])  # warm-up
start = time.perf_counter()
elements = sum(len(partition_pdf(filename=f, strategy="fast", languages=["vie"])) for f in files)
print(json.dumps({"seconds": time.perf_counter() - start, "elements": elements}))
"""


def bench_files() -> list[Path]:
    import pypdfium2 as pdfium

    folders = [ROOT / "corpus" / "renditions" / d for d in ("pdf", "chromium", "chromium-borderless", "pdf-rotated")]
    folders += [ROOT / "corpus" / "realdocs" / "docs", ROOT.parent / "shared" / "realdocs" / "docs"]
    seen, out = set(), []
    for f in (f for d in folders if d.is_dir() for f in sorted(d.glob("*.pdf"))):
        data = f.read_bytes()
        if data in seen:
            continue
        seen.add(data)
        pdf = pdfium.PdfDocument(data)
        letters = sum(len(pdf[k].get_textpage().get_text_range().strip()) for k in range(len(pdf)))
        if letters > 200 * len(pdf):  # a text layer, not a scan
            out.append(f)
        pdf.close()
    return out


def pdfium_text(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    for k in range(len(pdf)):
        page = pdf[k]
        page.get_textpage().get_text_range()
        page.close()
    return len(pdf)


def pdfplumber_floor(path: Path) -> int:
    import pdfplumber

    settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.find_tables(settings)
            page.close()
        return len(pdf.pages)


def vnplans_pipeline(path: Path) -> int:
    from vnplans.pipeline.stages import process

    return process(path).source.pages


def _round(fn, files: list[Path]) -> tuple[float, int]:
    start = time.perf_counter()
    pages = sum(fn(f) for f in files)
    return time.perf_counter() - start, pages


def unstructured(python: str, files: list[Path]) -> dict:
    try:
        run = subprocess.run([python, "-c", UNSTRUCTURED_SCRIPT, *map(str, files)], capture_output=True,
                             text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"error": f"{exc.__class__.__name__}: {exc}"}
    if run.returncode != 0:
        return {"error": (run.stderr.strip().splitlines() or ["exit status %d" % run.returncode])[-1]}
    result = json.loads(run.stdout.strip().splitlines()[-1])
    if not result["elements"]:
        return {"error": "it returned no elements (its text extraction failed: see its log)"}
    return result


def startup(repeat: int) -> float:
    """Median wall time of `vnplans extract` on a one-line plan, a new process each time."""
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text("Kế hoạch số 12/KH-UBND: tỷ lệ hồ sơ trực tuyến đạt 80% năm 2025.\n", "utf-8")
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "vnplans", "extract", str(small), "--to", "json"],
                           check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


OCR_ONE_CORE = r"""
import sys, time
from vnplans.extractors.readers import read_file
read_file(sys.argv[1])  # warm-up: imports, Tesseract's first start
start = time.perf_counter()
pages = read_file(sys.argv[1]).pages
print(pages / (time.perf_counter() - start))
"""


def ocr_on_one_core() -> dict:
    """A scan OCR'd on one core (taskset, one OpenMP thread) by vnplans's reader and by plain Tesseract on the
    same page images (rendered at the scan's 200 dpi), one page after another."""
    import shutil

    import pypdfium2 as pdfium

    if not shutil.which("taskset") or not shutil.which("tesseract"):
        return {"error": "needs taskset and tesseract"}
    scan = ROOT / "corpus" / "renditions" / "scan" / "004_c147d9c3ca0a32b7.pdf"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        pdf = pdfium.PdfDocument(scan.read_bytes())
        images = []
        for k in range(len(pdf)):
            images.append(Path(tmp) / f"p{k:02d}.png")
            pdf[k].render(scale=200 / 72, grayscale=True).to_pil().convert("L").save(images[-1])
        start = time.perf_counter()
        for image in images:
            subprocess.run(["taskset", "-c", "0", "tesseract", str(image), "-", "-l", "vie", "--oem", "1", "--psm",
                            "3", "tsv"], env=env, check=True, capture_output=True)
        plain = len(images) / (time.perf_counter() - start)
    ours = float(subprocess.run(["taskset", "-c", "0", sys.executable, "-c", OCR_ONE_CORE, str(scan)], env=env,
                                check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    return {"pages": len(images), "tesseract_pages_per_s": round(plain, 2), "vnplans_pages_per_s": round(ours, 2),
            "ratio": round(ours / plain, 2)}


def peak_memory_200_pages() -> dict:
    """`vnplans extract` on a 200-page PDF (corpus rendition pages over and over), its processes sampled
    every 20 ms: the extracting worker's peak and the whole tree's."""
    import psutil
    from pypdf import PdfReader, PdfWriter

    writer, pages = PdfWriter(), 0
    sources = sorted((ROOT / "corpus" / "renditions" / "pdf").glob("*.pdf"))
    while pages < 200:
        for page in (p for f in sources for p in PdfReader(f).pages):
            if pages == 200:
                break
            writer.add_page(page)
            pages += 1
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "200pages.pdf"
        writer.write(big)
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "vnplans", "extract", str(big), "--to", "json"],
                                stdout=subprocess.DEVNULL)
        with PeakMemory(psutil.Process(proc.pid), every=0.02) as memory:
            proc.wait()
        seconds = time.perf_counter() - start
    return {"pages": pages, "seconds": round(seconds, 2), "largest_process_mb": round(memory.largest / 1e6),
            "all_processes_mb": round(memory.peak / 1e6)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2, help="rounds per tool; the best counts (default 2)")
    ap.add_argument("--unstructured", default=os.environ.get("VNPLANS_BENCH_UNSTRUCTURED"),
                    help="a python that has Unstructured installed")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    files = bench_files()
    vnplans_pipeline(files[0])  # warm-up: imports, reference data, the tagger's first call
    tools = {"pdfium raw text": pdfium_text, "pdfplumber words + tables": pdfplumber_floor,
             "vnplans, whole pipeline": vnplans_pipeline}
    best: dict[str, float] = {}
    pages = 0
    for round_ in range(args.repeat):
        order = list(tools)[round_ % len(tools):] + list(tools)[:round_ % len(tools)]
        for name in order:
            seconds, pages = _round(tools[name], files)
            best[name] = min(best.get(name, seconds), seconds)
    rows = [{"tool": name, "seconds": round(s, 2), "pages_per_s": round(pages / s, 1)} for name, s in best.items()]
    if args.unstructured:
        got = unstructured(args.unstructured, files)
        rows.append({"tool": "Unstructured fast", **({"seconds": round(got["seconds"], 2),
                                                       "pages_per_s": round(pages / got["seconds"], 1)}
                                                      if "seconds" in got else {"not_measured": got["error"]})})
    else:
        rows.append({"tool": "Unstructured fast", "not_measured": "no interpreter with Unstructured given "
                     "(--unstructured); pdfplumber words + tables stands as the floor"})
    ours = best["vnplans, whole pipeline"]
    print(f"{len(files)} born-digital PDFs, {pages} pages; best of {args.repeat} rounds")
    for r in rows:
        if "seconds" in r:
            ratio = ours / r["seconds"]
            print(f"  {r['tool']:28} {r['seconds']:7.2f} s {r['pages_per_s']:8.1f} pages/s   "
                  f"vnplans is {1 / ratio:.2f}x its speed")
        else:
            print(f"  {r['tool']:28} not measured: {r['not_measured']}")
    start = startup(5)
    print(f"start-up: `vnplans extract` on a one-line file, median of 5: {start:.2f} s")
    ocr = ocr_on_one_core()
    if "error" in ocr:
        print(f"OCR on one core: not measured ({ocr['error']})")
    else:
        print(f"OCR on one core, {ocr['pages']}-page scan: vnplans {ocr['vnplans_pages_per_s']} pages/s, plain "
              f"Tesseract on the same images {ocr['tesseract_pages_per_s']} pages/s ({ocr['ratio']}x)")
    memory = peak_memory_200_pages()
    print(f"200-page PDF through `vnplans extract`: {memory['seconds']} s, largest process "
          f"{memory['largest_process_mb']} MB, all processes {memory['all_processes_mb']} MB")
    if args.json:
        Path(args.json).write_text(json.dumps({"files": [str(f.relative_to(ROOT.parent)) for f in files],
                                               "pages": pages, "rows": rows, "startup_s": round(start, 3), "ocr_one_core": ocr,
                                               "memory_200_pages": memory}, indent=1), "utf-8")


if __name__ == "__main__":
    main()
