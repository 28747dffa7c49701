#!/usr/bin/env python3
"""A synthetic corpus for the batch benchmark: the bundled plans, perturbed.

Each document takes one corpus plan and changes its province (every spelling of the name), its
document number, its date of issue, its target values, and its layout or encoding: UTF-8 text,
CRLF line endings, decomposed (NFD) diacritics, the legacy TCVN3 or VNI font encodings, or an HTML
page with site navigation around it. Every document is distinct content (its own id).
usage: tools/synth.py OUT_DIR [--count 1000] [--seed 1]
"""
from __future__ import annotations

import argparse
import html
import random
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vnplans.extractors.provinces import Provinces  # noqa: E402
from vnplans.extractors.readers import legacy  # noqa: E402

PLANS = sorted((ROOT / "corpus" / "seeds").glob("*.txt")) + sorted((ROOT / "corpus" / "heldout" / "seeds").glob("*.txt"))
LAYOUTS = ("utf-8", "utf-8", "utf-8", "crlf", "nfd", "tcvn3", "vni", "html")
NUMBER = re.compile(r"\b(\d{1,5})/(KH|QĐ|NQ)-([A-ZĐ]+)")
DATE = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (20\d\d)")
PERCENT = re.compile(r"\b(\d{1,2})(?=\s?%)")


def perturb(text: str, rng: random.Random, province: str, new: str) -> str:
    if province:
        text = text.replace(province, new).replace(province.upper(), new.upper())
    number = str(rng.randint(10, 9999))
    text = NUMBER.sub(lambda m: f"{number}/{m.group(2)}-{m.group(3)}", text)
    year = rng.randint(2021, 2025)
    text = DATE.sub(lambda m: f"ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {year}", text)
    return PERCENT.sub(lambda m: str(min(99, max(1, int(m.group(1)) + rng.randint(-5, 5)))), text)


def render(text: str, layout: str, title: str) -> tuple[bytes, str]:
    """(bytes, suffix) of the plan in one layout or encoding."""
    if layout == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8"), ".txt"
    if layout == "nfd":
        return unicodedata.normalize("NFD", text).encode("utf-8"), ".txt"
    if layout in ("tcvn3", "vni"):
        return legacy.encode(text, layout).encode("cp1252", errors="replace"), ".txt"
    if layout == "html":
        body = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
        page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
                "<nav class='menu'><a href='/'>Trang chủ</a><a href='/van-ban'>Văn bản</a></nav>"
                f"<div class='content'>{body}</div><footer>Cổng thông tin điện tử</footer></body></html>")
        return page.encode("utf-8"), ".html"
    return text.encode("utf-8"), ".txt"


def build(out: Path, count: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in Provinces.load().all]
    sources = [(p, p.read_text("utf-8")) for p in PLANS]
    files = []
    for i in range(count):
        src, text = sources[i % len(sources)]
        province = next((n for n in names if n in text[:3000]), "")
        new = rng.choice(names)
        layout = rng.choice(LAYOUTS)
        data, suffix = render(perturb(text, rng, province, new) + f"\n\n(bản số {i})\n", layout, src.stem)
        f = out / f"{i:05d}_{src.stem}_{layout}{suffix}"
        f.write_bytes(data)
        files.append(f)
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    files = build(Path(args.out), args.count, args.seed)
    print(f"{len(files)} documents, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
