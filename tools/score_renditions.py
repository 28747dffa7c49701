#!/usr/bin/env python3
"""Score every rendition in corpus/renditions (docx, pdf, scan) against the answer key of its seed,
next to the plain-text seed's own score, so a reader regression shows up as a gap.

A rendition's stem is its seed's, with an optional "@variant" ("004_...@300" for a 300-dpi rescan).

usage: tools/score_renditions.py [--formats docx odt pdf pdf-rotated scan chromium chromium-borderless layout-text rescan]
                                  [--json]
"""
from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vnplans.pipeline.stages import process, to_extraction  # noqa: E402

GOLD = ROOT / "corpus" / "gold"
SEEDS = ROOT / "corpus" / "seeds"
RENDITIONS = ROOT / "corpus" / "renditions"
META_FIELDS = ("doc_number", "doc_type", "issuer", "province", "place", "issued_date", "signer", "signer_title", "title",
               "form", "period")


@functools.lru_cache(maxsize=1)
def _scorer():
    spec = importlib.util.spec_from_file_location("vnplans_score", ROOT / "tools" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def extract(path: Path) -> dict:
    return json.loads(to_extraction(process(path)).model_dump_json())


def score_file(path: Path, text_pred: dict | None = None) -> dict:
    """Scores of one rendition and of its text seed, and whether the document metadata is identical."""
    score = _scorer().score_doc
    stem = path.stem.split("@")[0]
    gold = json.loads((GOLD / f"{stem}.json").read_text("utf-8"))
    text_pred = text_pred or extract(SEEDS / f"{stem}.txt")
    pred = extract(path)
    s_text, s_rend = score(gold, text_pred), score(gold, pred)
    meta_diff = {k: (text_pred["document"][k], pred["document"][k]) for k in META_FIELDS
                 if text_pred["document"][k] != pred["document"][k]}
    return {
        "file": str(path.relative_to(ROOT)), "doc": stem,
        "rows_f1": _prf(s_rend["rows"]), "rows_f1_text": _prf(s_text["rows"]),
        **{f"{role}{which}": _share(s["rows"], role) for role in ("lead", "coordinate")
           for which, s in (("", s_rend), ("_text", s_text))},
        "targets_f1": _prf(s_rend["targets"]), "targets_f1_text": _prf(s_text["targets"]),
        "metadata_identical": not meta_diff, "metadata_diff": meta_diff,
        "pages": pred.get("pages"), "ocr_pages": len(pred.get("ocr_pages", [])),
        "ocr_confidence": [p["confidence"] for p in pred.get("ocr_pages", [])],
        "ocr_flagged": sum(1 for r in pred["rows"] + pred["targets"] if (r.get("provenance") or {}).get("ocr")),
        "pred": pred,
    }


def _share(rows: dict, field: str) -> float:
    """The share of matched rows whose `field` is right."""
    return round(rows["fields"][field] / rows["tp"], 3) if rows["tp"] else 0.0


def _prf(part: dict) -> float:
    return round(_scorer().prf(part["tp"], part["pred"], part["gold"])[2], 3)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--formats", nargs="*", default=["docx", "odt", "pdf", "pdf-rotated", "scan", "chromium",
                                                        "chromium-borderless", "layout-text", "rescan"])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    texts: dict[str, dict] = {}
    results = []
    for fmt in args.formats:
        for path in sorted((RENDITIONS / fmt).glob("*.*")):
            stem = path.stem.split("@")[0]
            if stem not in texts:
                texts[stem] = extract(SEEDS / f"{stem}.txt")
            r = score_file(path, texts[stem])
            r["format"] = fmt
            r.pop("pred")
            results.append(r)
            if not args.json:
                print(f"{fmt:5} {path.stem}: rows F1 {r['rows_f1']:.3f} (text {r['rows_f1_text']:.3f})  lead "
                      f"{r['lead']:.2f} coordinate {r['coordinate']:.2f}  targets F1 "
                      f"{r['targets_f1']:.3f} (text {r['targets_f1_text']:.3f})  metadata "
                      f"{'identical' if r['metadata_identical'] else r['metadata_diff']}"
                      + (f"  OCR {r['ocr_pages']}/{r['pages']} pages, confidence "
                         f"{min(r['ocr_confidence']):.0f}-{max(r['ocr_confidence']):.0f}" if r["ocr_pages"] else ""))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
