"""vnplans command line: ingest, extract, list, show."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from extractors.errors import VnplansError

DEFAULT_DB = os.environ.get("VNPLANS_DB", "outputs/vnplans.db")
SKIP_SUFFIXES = {".json", ".md", ".py", ".db", ".sqlite", ".gitkeep"}


def iter_files(paths: list[str]):
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and not f.name.startswith(".") and f.suffix.lower() not in SKIP_SUFFIXES:
                    yield f
        else:
            yield path


def cmd_ingest(args) -> int:
    from pipeline.batch import ingest

    summary = ingest(list(iter_files(args.paths)), args.db, out=sys.stdout, err=sys.stderr)
    return 0 if summary.ok or not summary.failed else 1


def cmd_extract(args) -> int:
    from pipeline.stages import process, to_extraction

    try:
        ex = to_extraction(process(args.file))
    except VnplansError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(ex.model_dump(mode="json"), ensure_ascii=False, indent=1))
    else:
        _print_summary(ex.model_dump(mode="json"))
    return 0


def _print_summary(ex: dict) -> None:
    d = ex["document"]
    print(f"{ex['source']}  {d['doc_type'] or '?'} {d['doc_number'] or d['doc_number_raw'] or '(no number)'}"
          f"  {d['province'] or '?'}  {d['issued_date'] or d['issued_month'] or '?'}")
    print(f"  {len(ex['sections'])} sections, {len(ex['rows'])} rows, {len(ex['targets'])} targets")
    for w in ex["warnings"]:
        print(f"  warning: {w}")


def cmd_list(args) -> int:
    from pipeline.store import Store

    store = Store(args.db)
    docs = store.documents()
    if not docs and not store.failures():
        print(f"{args.db}: no documents yet (run: vnplans ingest PATH)")
    for d in docs:
        warn = json.loads(d["warnings"])
        print(f"{d['id'][:12]}  {d['doc_type'] or '?':<10} {d['doc_number'] or d['doc_number_raw'] or '-':<18} "
              f"{d['province'] or '?':<12} {d['issued_date'] or d['issued_month'] or '?':<10}  "
              f"{d['n_sections']:>3} sections {d['n_rows']:>4} rows {d['n_targets']:>3} targets  {d['source']}")
        for w in warn:
            print(f"              warning: {w}")
    for f in store.failures():
        print(f"FAILED        {f['path']}: {f['reason']}")
    return 0


def cmd_show(args) -> int:
    from pipeline.store import Store

    store = Store(args.db)
    d = store.find(args.doc)
    if d is None:
        print(f"error: no single stored document matches {args.doc!r} (use an id prefix or file name; see vnplans list)",
              file=sys.stderr)
        return 1
    print(f"id:        {d['id']}")
    for key in ("source", "paths", "format", "doc_type", "doc_number", "doc_number_raw", "issuer", "province", "place",
                "issued_date", "issued_month", "signer", "signer_title", "title", "form"):
        if d.get(key) is not None:
            print(f"{key + ':':<11}{d[key]}")
    if d.get("period_start"):
        print(f"period:    {d['period_start']}-{d['period_end']}")
    print(f"counts:    {d['n_sections']} sections, {d['n_rows']} rows, {d['n_targets']} targets")
    for w in json.loads(d["warnings"]):
        print(f"warning:   {w}")
    print("\nsections:")
    secs = store.sections(d["id"])
    depth: dict[int, int] = {}
    for s in secs:
        depth[s["id"]] = depth.get(s["parent"], -1) + 1 if s["parent"] is not None else 0
        if s["kind"] == "bullet" and not args.all:
            continue
        label = f"{s['label']} " if s["label"] else ""
        heading = (s["heading"] or "")[:90]
        print(f"  {'  ' * depth[s['id']]}[{s['kind']}] {label}{heading}  (line {s['line']})")
    if args.rows:
        print("\nrows:")
        for r in store.rows(d["id"]):
            mark = "p" if r.get("origin") == "prose" else " "
            print(f"  {mark} {r['stt'] or '':<7} {r['text'][:70]:<70}  lead: {r['lead'] or '-'}  {r['deadline_raw'] or ''}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vnplans", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files and folders (recursively) into the database")
    p.add_argument("paths", nargs="+")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite database (default {DEFAULT_DB})")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("extract", help="print one document's extraction, touching no database")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the full extraction as JSON")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("list", help="list stored documents and failed files")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show one stored document: metadata, section tree, counts")
    p.add_argument("doc", help="document id prefix or file name")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--rows", action="store_true", help="also list the table rows and prose tasks (marked p)")
    p.add_argument("--all", action="store_true", help="include bullet items in the section tree")
    p.set_defaults(func=cmd_show)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
