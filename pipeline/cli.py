"""vnplans command line: ingest, extract, list, show, agencies, metrics."""
from __future__ import annotations

import argparse
import codecs
import json
import os
import sqlite3
import sys
from pathlib import Path

from vnplans import __version__
from vnplans.extractors.errors import VnplansError

DEFAULT_DB = os.environ.get("VNPLANS_DB", "outputs/vnplans.db")
ESCAPED_BYTES = "vnplans-escaped-bytes"


def _escape_bytes(exc: UnicodeEncodeError) -> tuple[str, int]:
    """Bytes of a file name that are not UTF-8 (held as surrogates) print as \\xNN, as the store keeps them."""
    bad = exc.object[exc.start:exc.end]
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else f"\\u{ord(c):04x}" for c in bad), exc.end


codecs.register_error(ESCAPED_BYTES, _escape_bytes)
SKIP_SUFFIXES = {".json", ".py", ".db", ".sqlite", ".gitkeep", ".lock", ".db-wal", ".db-shm", ".db-journal"}


def iter_files(paths: list[str]):
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                # anything but a folder is listed, so that a FIFO or a device found inside is refused with a reason
                if not f.is_dir() and not f.name.startswith(".") and f.suffix.lower() not in SKIP_SUFFIXES:
                    yield f
        else:
            yield path


# Exit status of ingest and load: 0 every file stored, PARTIAL some failed (the rest stored), 1 none stored
# or an error, 2 a usage error.
PARTIAL = 3


def _status(summary) -> int:
    if not (summary.failed or summary.skipped):
        return 0
    return PARTIAL if summary.ok else 1


def cmd_ingest(args) -> int:
    from vnplans.pipeline.batch import ingest

    files = list(iter_files(args.paths))
    if not files:
        raise VnplansError("no files to ingest (folders are read recursively; hidden files, .json, .py and "
                           "databases are left out)", " ".join(args.paths))
    if args.executor != "local":
        from vnplans.pipeline.distributed import ingest_distributed

        summary = ingest_distributed(files, args.db, args.address, args.shards,
                                     out=sys.stdout, err=sys.stderr, retry_failed=args.retry_failed,
                                     load=not args.no_load)
    else:
        summary = ingest(files, args.db, out=sys.stdout, err=sys.stderr, workers=args.workers,
                         retry_failed=args.retry_failed, progress=False if args.no_progress else None,
                         limits=_limits(args))
    return _status(summary)


def _limits(args):
    from vnplans.pipeline.batch import Limits

    return Limits(memory_mb=args.max_memory, seconds=args.timeout)


def _add_limits(p) -> None:
    p.add_argument("--max-memory", type=int, default=3072, metavar="MB",
                   help="memory one document may take (default 3072 MB); past it the file is recorded as failed")
    p.add_argument("--timeout", type=int, default=600, metavar="S",
                   help="seconds one document may take (default 600); past it the file is recorded as failed")


def _add_data_formats(p) -> None:
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="the listing as a JSON list of objects")
    fmt.add_argument("--csv", action="store_true", help="the listing as CSV with a header row")


def cmd_load(args) -> int:
    from vnplans.pipeline.distributed import load_shards

    summary = load_shards(args.shards, args.db, out=sys.stdout, err=sys.stderr)
    return _status(summary)


def cmd_extract(args) -> int:
    from vnplans.pipeline.batch import extract_all

    (o,) = extract_all([(args.file, None)], 1, limits=_limits(args))
    if o.error is not None:
        raise VnplansError(o.error, args.file)
    ex = o.extraction
    if args.json:
        print(ex.to_json())
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
    from vnplans.pipeline.store import Store

    store = Store.existing(args.db)
    if args.failed:
        failures = store.failures()
        if _as_data(args, failures):
            return 0
        for f in failures:
            print(f"{f['at'][:19]}  {f['path']}: {f['reason']}")
        print(f"{len(failures)} failed file(s)" + (" (re-run ingest with --retry-failed to try them again)"
                                                  if failures else ""))
        return 0
    docs = store.documents()
    listing = [{**{k: v for k, v in d.items() if k != "body"},  # the text itself: vnplans export has it
                "warnings": json.loads(d["warnings"]) if args.json else d["warnings"]} for d in docs]
    if _as_data(args, listing):
        return 0
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
    from vnplans.pipeline.store import Store

    store = Store.existing(args.db)
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
    if d.get("province_code"):
        moved = (f" -> since the 2025 merger part of {d['province_successor']} ({d['province_successor_code']})"
                 if d["province_successor"] != d["province"] else " (kept its name in the 2025 merger)")
        print(f"{'province:':<11}{d['province']} ({d['province_code']}){moved}")
        if d.get("province_regime") == "uncertain":
            print(f"{'':<11}issued before or after the 2025 merger? not settled (no date; the text does not say)")
    print(f"counts:    {d['n_sections']} sections, {d['n_rows']} rows, {d['n_targets']} targets")
    for w in json.loads(d["warnings"]):
        print(f"warning:   {w}")
    _print_pages(store.pages(d["id"]))
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
    _print_agencies(store.document_agencies(d["id"]))
    if args.rows:
        print("\nrows (-> catalog link):")
        for r in store.rows(d["id"]):
            mark = "p" if r.get("origin") == "prose" else " "
            print(f"  {mark} {r['stt'] or '':<7} {r['text'][:70]:<70}  lead: {r['lead'] or '-'}  {r['deadline_raw'] or ''}")
            if r.get("metric_id"):
                code = f"DTI {r['indicator_code']}, " if r.get("indicator_code") else ""
                print(f"            -> {code}{r['metric_id']} ({r['link_method']} {r['link_score']:.2f})")
    if args.targets:
        print("\ntargets (printed metric -> canonical metric):")
        for t in store.targets(d["id"]):
            value = f"{t['comparator']} {t['value']:g}{'-' + format(t['value_max'], 'g') if t['value_max'] else ''}"
            scope = f" [{t['scope']}]" if t.get("scope") else ""
            print(f"  {t['metric'][:70]:<70} {value} {t['unit'] or ''} {t['year'] or ''}{scope}")
            link = (f"{t['metric_name']} [{t['metric_id']}, {t['link_method']} {t['link_score']:.2f}]"
                    if t["metric_id"] else "(unlinked)")
            print(f"      -> {link}")
    return 0


def _print_pages(pages: list[dict]) -> None:
    """One line per PDF page: text layer or OCR, and how Vietnamese its text reads (garbled pages flagged)."""
    if not pages:
        return
    print("\npages (read from; tokens that are no Vietnamese syllable; one-letter tokens; OCR confidence):")
    for q in pages:
        ocr = f"  OCR {q['confidence']:.0f}%" if q["confidence"] is not None else ""
        flag = "  <- check" if q["non_syllable"] > 0.25 or q["single_letter"] > 0.12 else ""
        print(f"  p{q['page']:<4} {q['source']:<5} non-syllable {q['non_syllable']:.0%}  one-letter "
              f"{q['single_letter']:.0%}{ocr}{flag}")


def _print_agencies(rows: list[dict]) -> None:
    """Printed agency -> canonical registry agency, unknown ones flagged."""
    if not rows:
        return
    print("\nagencies (printed -> canonical):")
    for a in rows:
        if not a["canonical_id"]:
            print(f"  ? {a['printed']}  (not in the registry; x{a['n']})")
            continue
        where = f", {a['agency_province']}" if a["agency_province"] else ""
        extra = f" ({a['qualifier']})" if a["qualifier"] else ""
        now = f"; today {a['current_name']}" if a["current_id"] != a["canonical_id"] else ""
        print(f"    {a['printed']} -> {a['canonical']}{extra} [{a['kind']}{where}; {a['link_method']}"
              f" {a['link_score']:.2f}{now}] x{a['n']}")


def cmd_agencies(args) -> int:
    from vnplans.extractors.normalize import agencies as registry
    from vnplans.pipeline.store import Store

    store = Store.existing(args.db)
    if args.unknown:
        rows = store.unknown_agencies()
        if _as_data(args, rows):
            return 0
        if not rows:
            print("every stored agency name resolves to the registry (extractors/data/agencies.yaml)")
        for r in rows:
            print(f"{r['n']:>5}  {r['agency']}  ({r['roles']}; {r['documents']} document(s), e.g. {r['example']})")
        if rows:
            print(f"\n{len(rows)} unknown name(s), {sum(r['n'] for r in rows)} assignment(s): add them as aliases in "
                  "extractors/data/agencies.yaml, then re-run ingest")
        return 0
    if args.name:
        link = registry.find(args.name)
        if link is None:
            print(f"error: {args.name!r} is not in the registry (see vnplans agencies for the list)", file=sys.stderr)
            return 1
        a = link.agency
        ids = registry.predecessors(a.id) if not args.no_predecessors else [a.id]
        rows = store.agency_assignments(ids, args.role, args.due)
        if _as_data(args, rows):
            return 0
        print(f"{a.name} [{a.id}; {a.kind}, {a.level or 'no level'}]")
        if a.successor:
            print(f"  merged into {registry.registry()[registry.current(a.id)].name} on {a.since}"
                  + (f" ({a.note})" if a.note else ""))
        if len(ids) > 1:
            print("  includes predecessors: " + ", ".join(registry.registry()[i].name for i in ids if i != a.id))
        for r in rows:
            due = r["deadline_raw"] or ""
            if args.due and r["due_from"] == "inherited":
                due = f"(inherited: {r['due_end']}, from {r['inherited_from'] or 'its section'})"
            print(f"  {r['role']:<10} {r['province'] or '?':<12} {r['doc_number'] or r['source']:<16} {r['stt'] or '':<7} "
                  f"{r['text'][:60]:<60} {due}")
        inherited = sum(r["due_from"] == "inherited" for r in rows)
        print(f"  {len(rows)} assignment(s)" + (f" due in {args.due} ({inherited} by the period of their table or "
                                                 f"section, no deadline printed on the item)" if args.due else ""))
        return 0
    reg = registry.registry()
    loads = store.agency_loads()
    if _as_data(args, loads):
        return 0
    for r in loads:
        merged = [reg[i].name for i in registry.predecessors(r["id"]) if i != r["id"]]
        pred = f"  (counting {'; '.join(merged)})" if merged else ""
        print(f"{r['id']:<24} {r['name'][:48]:<48} lead {r['lead']:>4}  coordinate {r['coordinate']:>4}  "
              f"monitor {r['monitor']:>3}  in {r['documents']} doc(s){pred}")
    return 0


def cmd_metrics(args) -> int:
    from vnplans.pipeline.store import Store

    store = Store.existing(args.db)
    if args.unlinked:
        rows = store.unlinked()
        if _as_data(args, rows):
            return 0
        for r in rows:
            unit = f" [{r['unit']}]" if r["unit"] else ""
            print(f"{r['n']:>4}  {r['item']:<13} {r['text'][:90]}{unit}  ({r['documents']} doc(s), e.g. {r['example']})")
        print(f"\n{len(rows)} unlinked wording(s): add aliases in extractors/data/metrics.yaml where a domain reader "
              "would call them a catalog metric")
        return 0
    usage = [m for m in store.metric_usage() if m["targets"] or args.all]
    if _as_data(args, usage):
        return 0
    for m in usage:
        national = json.loads(m["national"])
        nat = "; national " + ", ".join(f"{n['comparator']}{n['value']:g}{m['unit'] or ''} by {n['year']}"
                                        + (f" ({n['scope']})" if n.get("scope") else "") for n in national) if national else ""
        dti = f" DTI {m['dti_code']}" if m["dti_code"] else ""
        print(f"{m['id']:<26} {m['name'][:60]:<60} targets {m['targets']:>3}  rows {m['rows']:>3}  "
              f"provinces {m['provinces']:>2}{dti}{nat}")
    return 0


def _as_data(args, rows: list[dict]) -> bool:
    """A listing as --json (a list of objects) or --csv (a header and a row each); False: print it as text."""
    if getattr(args, "json", False):
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif getattr(args, "csv", False):
        _write_csv(rows)
    else:
        return False
    return True


def _write_csv(rows: list[dict], fields=None) -> None:
    import csv

    fields = list(fields or (rows[0] if rows else []))
    if not fields:  # an empty listing with no known columns: nothing to write
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def _emit(args, as_json, csv_rows, csv_fields, as_text) -> None:
    """Print a report as --json, --csv or text (each given as a callable, so only one is built)."""
    if args.json:
        print(json.dumps(as_json(), ensure_ascii=False, indent=1))
    elif getattr(args, "csv", False):
        _write_csv(csv_rows(), csv_fields)
    else:
        print(as_text())


def cmd_compare(args) -> int:
    from vnplans.pipeline import compare
    from vnplans.pipeline.store import Store

    store = Store.existing(args.db)
    if args.matrix:
        mx = compare.matrix(store, args.year, args.merged)
        _emit(args, mx.to_json, lambda: compare.matrix_csv_rows(mx), ["metric_id", "metric_name", *mx.provinces],
              lambda: compare.render_matrix(mx))
        return 0
    if not args.metric:
        print("error: give a METRIC (id, DTI code or wording) or --matrix", file=sys.stderr)
        return 2
    c = compare.compare(store, args.metric, args.merged, args.year)
    _emit(args, c.to_json, lambda: compare.csv_rows(c), compare.CSV_FIELDS, lambda: compare.render_text(c))
    return 0


def cmd_audit(args) -> int:
    from vnplans.pipeline import audit
    from vnplans.pipeline.store import Store

    report = audit.audit(Store.existing(args.db), args.province, args.doc, args.as_of)
    if args.html:
        from vnplans.pipeline import html

        html.write_audit(report, args.html)
        print(f"wrote {args.html}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    elif not args.html:
        print(audit.render_text(report))
    return 0


def cmd_export(args) -> int:
    from vnplans.pipeline.export import export
    from vnplans.pipeline.store import Store

    manifest = export(Store.existing(args.db), args.format, args.out, excel=args.excel)
    for table, t in manifest["tables"].items():
        print(f"{t['rows']:>7}  {table:<20} -> {Path(args.out) / t['file']}")
    print(f"exported {len(manifest['tables'])} tables as {args.format} to {args.out} (manifest.json lists them)")
    return 0


def cmd_serve(args) -> int:
    from vnplans.pipeline import serve

    if not serve.is_loopback(args.host) and not args.public:
        print(f"error: --host {args.host} would expose the database beyond this machine; add --public to mean it",
              file=sys.stderr)
        return 2
    print(f"serving {args.db} at http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr)
    serve.serve(args.db, args.host, args.port)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vnplans", description=__doc__)
    parser.add_argument("--version", action="version", version=f"vnplans {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files and folders (recursively) into the database")
    p.add_argument("paths", nargs="+")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite database (default {DEFAULT_DB})")
    p.add_argument("--workers", type=int, default=None,
                   help=f"extraction processes (default: the number of cores, {os.cpu_count()})")
    p.add_argument("--retry-failed", action="store_true",
                   help="also retry files that failed before and have not changed since")
    p.add_argument("--no-progress", action="store_true", help="log lines instead of a progress bar on a terminal")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local process pool (default), or a Dask distributed cluster (--address)")
    p.add_argument("--address", help="with --executor dask: the scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--shards", default="outputs/shards",
                   help="with --executor dask: directory the workers write JSON Lines shards into (shared storage)")
    p.add_argument("--no-load", action="store_true",
                   help="with --executor dask: only write the shards (load them later with vnplans load)")
    _add_limits(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("load", help="merge JSON Lines shards written by `ingest --executor dask` into the database")
    p.add_argument("shards", nargs="+", help="shard files or directories holding shard-*.jsonl")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("extract", help="print one document's extraction, touching no database")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the full extraction as JSON")
    _add_limits(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("list", help="list stored documents and failed files")
    p.add_argument("--failed", action="store_true", help="only the files that failed, with the reason")
    _add_data_formats(p)
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show one stored document: metadata, section tree, counts")
    p.add_argument("doc", help="document id prefix or file name")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--rows", action="store_true", help="also list the table rows and prose tasks (marked p)")
    p.add_argument("--all", action="store_true", help="include bullet items in the section tree")
    p.add_argument("--targets", action="store_true", help="also list the targets with their canonical metrics")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("agencies", help="canonical agencies and their load; --unknown lists names not in the registry")
    p.add_argument("name", nargs="?", help="an agency name (any alias): list its assignments, predecessors included")
    p.add_argument("--unknown", action="store_true", help="agency names that matched no registry entry, with counts")
    _add_data_formats(p)
    p.add_argument("--no-predecessors", action="store_true",
                   help="with NAME: leave out agencies merged into it in the 2025 reorganisation")
    p.add_argument("--role", choices=["lead", "coordinate", "monitor"], help="with NAME: only this role")
    p.add_argument("--due", type=int, metavar="YEAR",
                   help="with NAME: only items due in YEAR, by their printed deadline or, marked inherited, the "
                        "period of their table or section")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_agencies)

    p = sub.add_parser("metrics", help="canonical metrics committed to by targets; --unlinked lists the rest")
    p.add_argument("--unlinked", action="store_true", help="targets and indicator rows linked to no catalog entry")
    _add_data_formats(p)
    p.add_argument("--all", action="store_true",
                   help="also metrics that only indicator rows link to, and those nothing links to yet")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser("compare", help="one metric's targets across provinces, or --matrix of metrics x provinces")
    p.add_argument("metric", nargs="?", help="metric id (smartphone-adults), DTI code (3.1) or wording")
    p.add_argument("--matrix", action="store_true", help="every metric by every province: the latest commitment")
    p.add_argument("--year", type=int, help="only targets for this year")
    p.add_argument("--merged", action="store_true", help="group by the province since the 2025 merger")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("audit", help="who leads what by when: items with no lead or deadline, DTI gaps, agency load")
    p.add_argument("--province", help="only this province's plans (its name then, or since the 2025 merger)")
    p.add_argument("--doc", help="only this document (id prefix or file name)")
    p.add_argument("--as-of", help="date deadlines are checked against (YYYY-MM-DD; default today)")
    p.add_argument("--json", action="store_true", help="print the audit as JSON")
    p.add_argument("--html", metavar="FILE", help="write an HTML report with tables and charts (no network needed)")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("export", help="write the normalized tables (ids, canonical links, provenance) to files")
    p.add_argument("--format", required=True, choices=["csv", "json", "xlsx", "parquet"])
    p.add_argument("--out", required=True, help="directory to write into (created if missing)")
    p.add_argument("--excel", action="store_true",
                   help="with --format csv: a UTF-8 byte-order mark, and codes written so Excel keeps them as text")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="browse the database in Datasette (localhost), with facets and canned queries")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--public", action="store_true", help="allow a --host that is not a loopback address")
    p.add_argument("--db", default=DEFAULT_DB)
    p.set_defaults(func=cmd_serve)

    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # a file name whose bytes are not UTF-8 prints as the store shows it
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=ESCAPED_BYTES)
    try:
        return args.func(args)
    except VnplansError as exc:  # the project's own errors say what went wrong with which input
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # locked, read-only, disk full, not a database: one line naming the database
        print(f"error: {getattr(args, 'db', 'database')}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:  # the batch says how far it got; elsewhere there is nothing to finish
        print(str(exc) or "interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

