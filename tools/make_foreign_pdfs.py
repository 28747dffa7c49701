#!/usr/bin/env python3
"""Build renditions of the seed plans by producers other than our LibreOffice path, in corpus/renditions/:

- chromium/   the plan as an HTML page (tables with a <thead> repeated over pages, a landscape @page for wide
              appendices) printed by Chromium's --print-to-pdf: other fonts, other table geometry, no rulings
              but CSS borders;
- chromium-borderless/ the same page with no cell borders at all (a borderless Word table saved as a web page):
              columns only where the words stand;
- layout-text/ the LibreOffice PDF dumped by `pdftotext -layout`: borderless tables made of spaces;
- rescan/     the LibreOffice PDF of 004 rasterised by `pdftoppm` (150 and 300 dpi), turned 0.5-2 degrees, noised
              and JPEG-compressed (quality 40-60) by ImageMagick, and wrapped by img2pdf: a scan from a tool
              chain that is not ours (its letterhead, target and appendix pages, to keep the files small).

Needs Debian's chromium, poppler-utils and imagemagick, and img2pdf from PyPI (this script only; the outputs
are committed, so tests need none of them).

usage: tools/make_foreign_pdfs.py [--only 000 004 ...] [--kinds chromium chromium-borderless layout-text rescan]
"""
from __future__ import annotations

import argparse
import html
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vnplans.extractors.readers import read_file  # noqa: E402

SEEDS = ROOT / "corpus" / "seeds"
OUT = ROOT / "corpus" / "renditions"
RESCAN_PAGES = (1, 2, 12, 13, 14)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer"]
CSS = """
@page { size: A4; margin: 2cm 1.5cm; }
@page wide { size: A4 landscape; }
body { font-family: 'DejaVu Serif', serif; font-size: 12pt; }
p { margin: 0 0 4pt 0; text-align: justify; }
.wide { page: wide; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 0.6pt solid #000; padding: 2pt 3pt; vertical-align: top; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
"""


def seed_html(seed: Path, borders: bool = True) -> str:
    """The seed as a web page: paragraphs, and each table with its header row in <thead>."""
    doc = read_file(str(seed))
    parts = []
    for block in doc.blocks:
        if block.kind != "table" or block.table is None:
            parts.append(f"<p>{html.escape(block.text)}</p>")
            continue
        table = block.table
        ncols = max((sum(c.colspan for c in row) for row in table.rows), default=len(table.header))
        wide = ncols >= 5
        head = "".join(f"<th>{_lines(h)}</th>" for h in table.header)
        body = "".join(
            "<tr>" + "".join(f"<td colspan='{c.colspan}'>{_lines(c.text)}</td>" if c.colspan > 1
                             else f"<td>{_lines(c.text)}</td>" for c in row) + "</tr>"
            for row in table.rows)
        parts.append(f"<div class='{'wide' if wide else ''}'><table><thead><tr>{head}</tr></thead>"
                     f"<tbody>{body}</tbody></table></div>")
    css = CSS if borders else CSS.replace("border: 0.6pt solid #000;", "border: none;")
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body>{''.join(parts)}</body></html>"


def _lines(text: str) -> str:
    """A cell's lines kept as lines, as a word processor's HTML keeps its paragraphs."""
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def chromium_pdf(seed: Path, out: Path, borders: bool = True) -> None:
    chromium = shutil.which("chromium") or sys.exit("chromium is not installed: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "plan.html"
        page.write_text(seed_html(seed, borders), "utf-8")
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}",
                        page.as_uri()], check=True, capture_output=True, timeout=120)


def layout_text(pdf: Path, out: Path) -> None:
    pdftotext = shutil.which("pdftotext") or sys.exit("pdftotext is not installed: apt-get install poppler-utils")
    subprocess.run([pdftotext, "-layout", "-enc", "UTF-8", str(pdf), str(out)], check=True, timeout=120)


def _imagemagick() -> str:
    """The first `magick` or `convert` on PATH (or in /usr/bin) that is ImageMagick."""
    import os

    for name in ("magick", "convert"):
        for folder in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/bin"]:
            exe = shutil.which(name, path=folder)
            if exe and b"ImageMagick" in subprocess.run([exe, "-version"], capture_output=True).stdout:
                return exe
    sys.exit("ImageMagick is not installed: apt-get install imagemagick")


def rescan(pdf: Path, out: Path, dpi: int, seed: int, keep: tuple[int, ...] = ()) -> None:
    """pdftoppm -> ImageMagick (turn, noise, JPEG) -> img2pdf; only the pages in `keep` when given."""
    import img2pdf

    pdftoppm = shutil.which("pdftoppm") or sys.exit("pdftoppm is not installed: apt-get install poppler-utils")
    convert = _imagemagick()
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([pdftoppm, "-r", str(dpi), "-gray", str(pdf), f"{tmp}/p"], check=True, timeout=300)
        images = []
        for page in sorted(Path(tmp).glob("p-*.pgm")):
            if keep and int(page.stem.split("-")[1]) not in keep:
                continue
            angle = rng.choice((-1, 1)) * rng.uniform(0.5, 2.0)
            jpg = page.with_suffix(".jpg")
            subprocess.run([convert, str(page), "-background", "white", "-rotate", f"{angle:.2f}",
                            "-attenuate", "0.03", "+noise", "Gaussian", "-quality", str(rng.randint(40, 60)),
                            "-units", "PixelsPerInch", "-density", str(dpi), str(jpg)], check=True, timeout=120)
            images.append(str(jpg))
        out.write_bytes(img2pdf.convert(images))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="seed prefixes")
    ap.add_argument("--kinds", nargs="*", default=["chromium", "chromium-borderless", "layout-text", "rescan"])
    args = ap.parse_args(argv)
    for seed in sorted(SEEDS.glob("*.txt")):
        if args.only and not any(seed.name.startswith(p) for p in args.only):
            continue
        pdf = OUT / "pdf" / (seed.stem + ".pdf")
        if "chromium" in args.kinds:
            (OUT / "chromium").mkdir(parents=True, exist_ok=True)
            chromium_pdf(seed, OUT / "chromium" / (seed.stem + ".pdf"))
        if "chromium-borderless" in args.kinds:
            (OUT / "chromium-borderless").mkdir(parents=True, exist_ok=True)
            chromium_pdf(seed, OUT / "chromium-borderless" / (seed.stem + ".pdf"), borders=False)
        if not pdf.exists():
            continue  # no LibreOffice rendition of this seed (002 is a news summary)
        if "layout-text" in args.kinds:
            (OUT / "layout-text").mkdir(parents=True, exist_ok=True)
            layout_text(pdf, OUT / "layout-text" / (seed.stem + ".txt"))
        if "rescan" in args.kinds and seed.name.startswith("004"):
            (OUT / "rescan").mkdir(parents=True, exist_ok=True)
            for dpi in (150, 300):  # the letterhead, the targets and the appendix's three pages: small files
                rescan(pdf, OUT / "rescan" / f"{seed.stem}@{dpi}.pdf", dpi, seed=dpi, keep=RESCAN_PAGES)
        print(seed.name, "done")


if __name__ == "__main__":
    main()
