# PYTHON_ARGCOMPLETE_OK
"""vnplans command line: ingest, extract, list, show, agencies, metrics, compare, audit, export, serve."""
from __future__ import annotations

import argparse
import codecs
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Optional

from vnplans.extractors.errors import VnplansError
from vnplans.pipeline.files import atomic

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
    from vnplans.pipeline.ingest import ingest

    files = list(iter_files(args.paths))
    if not files:
        raise VnplansError("no files to ingest (folders are read recursively; hidden files, .json, .py and "
                           "databases are left out)", " ".join(args.paths))
    if args.executor != "local":
        from vnplans.pipeline.ingest.dask import ingest_distributed

        summary = ingest_distributed(files, args.db, args.address, args.shards,
                                     out=sys.stdout, err=sys.stderr, retry_failed=args.retry_failed,
                                     load=not args.no_load)
    else:
        summary = ingest(files, args.db, out=sys.stdout, err=sys.stderr, workers=args.workers,
                         retry_failed=args.retry_failed, progress=False if args.no_progress else None,
                         limits=_limits(args))
    return _status(summary)


def _limits(args):
    from vnplans.pipeline.ingest import Limits

    return Limits(memory_mb=args.max_memory, seconds=args.timeout)


def _add_limits(p) -> None:
    p.add_argument("--max-memory", type=int, default=3072, metavar="MB",
                   help="memory one document may take (default 3072 MB); past it the file is recorded as failed")
    p.add_argument("--timeout", type=int, default=600, metavar="S",
                   help="seconds one document may take (default 600); past it the file is recorded as failed")


def _add_db(p) -> None:
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE",
                   help=f"the SQLite database (default {DEFAULT_DB}; the VNPLANS_DB environment variable sets it)")


def _add_data_formats(p) -> None:
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="the listing as a JSON list of objects")
    fmt.add_argument("--csv", action="store_true", help="the listing as CSV with a header row")


def cmd_load(args) -> int:
    from vnplans.pipeline.ingest.dask import load_shards

    summary = load_shards(args.shards, args.db, out=sys.stdout, err=sys.stderr)
    return _status(summary)


def cmd_extract(args) -> int:
    """Extract each file (or standard input, `-`) and print or write it; a file that fails is named with its
    reason on stderr and the rest go on."""
    import tempfile

    from vnplans.pipeline.ingest import extract_all

    fmt = "json" if args.json else args.to
    out_dir = Path(args.out) if args.out else None
    with tempfile.TemporaryDirectory(prefix="vnplans-stdin-") as tmp:
        paths = [_stdin_file(Path(tmp)) if f == "-" else f for f in args.files]
        todo = [(p, None) for p in dict.fromkeys(map(str, paths))]  # a file given twice is read once
        workers = max(1, min(len(todo), args.workers or os.cpu_count() or 1))
        writer = _ExtractWriter(fmt, out_dir, many=len(todo) > 1)
        ok = failed = 0
        try:
            for o in _in_order(todo, extract_all(todo, workers, limits=_limits(args), markdown=fmt == "md")):
                name = "-" if Path(o.path).parent == Path(tmp) else o.path
                if o.error is not None:
                    print(f"error: {name}: {o.error}", file=sys.stderr)
                    failed += 1
                    continue
                ok += 1
                writer.write(o)
        except BaseException as exc:  # Ctrl-C or a full disk: no half-written extractions.jsonl is left
            writer.close(exc)
            raise
        writer.close()
    return 0 if not failed else (PARTIAL if ok else 1)


def _stdin_file(folder: Path) -> Path:
    """Standard input kept as a file the readers can sniff and, for PDFs, seek in."""
    path = folder / "stdin"
    with open(path, "wb") as f:
        while chunk := sys.stdin.buffer.read(1 << 20):
            f.write(chunk)
    return path


def _in_order(todo, outcomes):
    """The outcomes in the order the files were given (workers finish in any order)."""
    position = {path: i for i, (path, _) in enumerate(todo)}
    waiting, next_i = {}, 0
    for o in outcomes:
        waiting[position[o.path]] = o
        while next_i in waiting:
            yield waiting.pop(next_i)
            next_i += 1


class _ExtractWriter:
    """Prints extractions (text summary, JSON, JSON Lines, Markdown) or writes one file each into --out."""

    SUFFIX = {"text": ".txt", "json": ".json", "md": ".md"}

    def __init__(self, fmt: str, out_dir: Optional[Path], many: bool):
        self.fmt, self.out_dir, self.many = fmt, out_dir, many
        self.count = 0
        self.names: set[str] = set()
        self.jsonl = None
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            if fmt == "jsonl":
                self.jsonl = atomic(out_dir / "extractions.jsonl", "w", encoding="utf-8")
                self.jsonl_file = self.jsonl.__enter__()

    def render(self, o) -> str:
        ex = o.extraction
        if self.fmt == "json":
            return ex.to_json()
        if self.fmt == "jsonl":
            return json.dumps(ex.model_dump(mode="json"), ensure_ascii=False)
        if self.fmt == "md":
            return o.markdown.rstrip("\n")
        return _summary(ex.model_dump(mode="json"))

    def write(self, o) -> None:
        text = self.render(o)
        if self.jsonl is not None:
            self.jsonl_file.write(text + "\n")
        elif self.out_dir is not None:
            stem = Path(o.extraction.source).stem
            name = stem if stem not in self.names else Path(o.extraction.source).name  # plan.txt and plan.docx
            self.names.add(name)
            with atomic(self.out_dir / f"{name}{self.SUFFIX[self.fmt]}", "w", encoding="utf-8") as f:
                f.write(text + "\n")
        elif self.fmt == "json" and self.many:  # several documents: one JSON array
            print(("[\n" if not self.count else ",\n") + text, end="")
        elif self.fmt == "md" and self.count:
            print("\n---\n\n" + text)
        else:
            print(text)
        self.count += 1

    def close(self, failure: Optional[BaseException] = None) -> None:
        if self.jsonl is not None:
            self.jsonl.__exit__(type(failure) if failure else None, failure, None)
        if failure is not None:
            return
        if self.jsonl is None and self.out_dir is None and self.fmt == "json" and self.many:
            print("\n]" if self.count else "[]")
        if self.out_dir is not None:
            print(f"wrote {self.count} extraction(s) to {self.out_dir}", file=sys.stderr)


def _summary(ex: dict) -> str:
    d = ex["document"]
    lines = [f"{ex['source']}  {d['doc_type'] or '?'} {d['doc_number'] or d['doc_number_raw'] or '(no number)'}"
             f"  {d['province'] or '?'}  {d['issued_date'] or d['issued_month'] or '?'}",
             f"  {len(ex['sections'])} sections, {len(ex['rows'])} rows, {len(ex['targets'])} targets"]
    return "\n".join(lines + [f"  warning: {w}" for w in ex["warnings"]])


def cmd_list(args) -> int:
    from vnplans.pipeline import listings
    from vnplans.pipeline.store import Store

    store = Store.existing(args.db)
    failed = listings.failures(store)
    if args.failed:
        if not _as_data(args, failed):
            print(listings.render_failures(failed))
        return 0
    docs = listings.documents(store)
    listing = [{**{k: v for k, v in d.items() if k != "body"},  # the text itself: vnplans export has it
                "warnings": json.loads(d["warnings"]) if args.json else d["warnings"]} for d in docs]
    if not _as_data(args, listing):
        _print_text(listings.render_list(docs, failed, args.db))
    return 0


def cmd_show(args) -> int:
    from vnplans.pipeline import listings
    from vnplans.pipeline.store import Store

    shown = listings.show(Store.existing(args.db), args.doc, with_rows=args.rows or args.csv and not args.targets,
                          with_targets=args.targets)
    if shown is None:
        print(f"error: no single stored document matches {args.doc!r} (use an id prefix or file name; see vnplans list)",
              file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(shown.to_json(), ensure_ascii=False, indent=1))
    elif args.csv:
        _write_csv(shown.targets if args.targets else shown.rows)
    else:
        print(listings.render_show(shown, bullets=args.all))
    return 0


def cmd_agencies(args) -> int:
    from vnplans.pipeline import listings, lookups
    from vnplans.pipeline.store import Store

    store = Store.existing(args.db)
    if args.unknown:
        rows = listings.unknown_agencies(store)
        if not _as_data(args, rows):
            print(listings.render_unknown_agencies(rows))
        return 0
    if args.name:
        # the name as typed, normalized like a printed one; the rest is the store's
        found = lookups.agency(lookups.reference(), args.name)
        agency = listings.canonical_agency(store, found) if found else None
        if agency is None:
            print(f"error: {args.name!r} is not in the registry (see vnplans agencies for the list)", file=sys.stderr)
            return 1
        ids = [agency["id"]] if args.no_predecessors else [p["id"] for p in listings.predecessors(store, agency["id"])]
        rows = listings.agency_assignments(store, ids, args.role, args.due)
        if not _as_data(args, rows):
            print(listings.render_agency(store, agency, ids, rows, args.due))
        return 0
    loads = listings.agency_loads(store)
    if not _as_data(args, loads):
        _print_text(listings.render_loads(store, loads))
    return 0


def cmd_metrics(args) -> int:
    from vnplans.pipeline import listings
    from vnplans.pipeline.store import Store

    store = Store.existing(args.db)
    if args.unlinked:
        rows = listings.unlinked(store)
        if not _as_data(args, rows):
            print(listings.render_unlinked(rows))
        return 0
    usage = [m for m in listings.metric_usage(store) if m["targets"] or args.all]
    if not _as_data(args, usage):
        _print_text(listings.render_metrics(usage))
    return 0


def _print_text(text: str) -> None:
    if text:
        print(text)


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
    from vnplans.pipeline import compare, lookups
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
    metric, how = lookups.metric(lookups.reference(), args.metric)
    c = compare.compare(store, metric, args.merged, args.year, resolved_by=how)
    if args.html:
        from vnplans.pipeline import html

        html.write_compare(c, args.html)
        print(f"wrote {args.html}", file=sys.stderr)
        if not (args.json or args.csv):
            return 0
    _emit(args, c.to_json, lambda: compare.csv_rows(c), compare.CSV_FIELDS, lambda: compare.render_text(c))
    return 0


def cmd_audit(args) -> int:
    from vnplans.pipeline import audit, lookups
    from vnplans.pipeline.store import Store

    province = lookups.province(lookups.reference(), args.province) if args.province else None
    report = audit.audit(Store.existing(args.db), province, args.doc, args.as_of)
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
    parser = build_parser()
    import argcomplete  # shell completion: answers and exits when the shell asks (register-python-argcomplete)

    argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    return run(args)


class _Version(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata is slow to import)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        import vnplans

        print(f"vnplans {vnplans.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vnplans", description=__doc__)
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files and folders (recursively) into the database")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files and folders (folders are read recursively)")
    _add_db(p)
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
    _add_db(p)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("extract", help="extract documents (files, or - for standard input), touching no database")
    p.add_argument("files", nargs="+", metavar="FILE", help="a document, or - to read one from standard input")
    p.add_argument("--to", choices=["text", "json", "jsonl", "md"], default="text",
                   help="text: a summary (default); json: the full extraction (several files: a JSON array); "
                        "jsonl: one extraction per line; md: the document as Markdown, tables included, then "
                        "its targets")
    p.add_argument("--json", action="store_true", help="the same as --to json")
    p.add_argument("--out", metavar="DIR",
                   help="write one file per document into DIR (NAME.json, NAME.md, NAME.txt; jsonl: "
                        "extractions.jsonl) instead of printing")
    p.add_argument("--workers", type=int, default=None,
                   help=f"extraction processes for several files (default: the number of cores, {os.cpu_count()})")
    _add_limits(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("list", help="list stored documents and failed files")
    p.add_argument("--failed", action="store_true", help="only the files that failed, with the reason")
    _add_data_formats(p)
    _add_db(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show one stored document: metadata, section tree, counts")
    p.add_argument("doc", help="document id prefix or file name")
    _add_db(p)
    p.add_argument("--rows", action="store_true", help="also list the table rows and prose tasks (marked p)")
    p.add_argument("--all", action="store_true", help="include bullet items in the section tree")
    p.add_argument("--targets", action="store_true", help="also list the targets with their canonical metrics")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true",
                     help="the document, its pages, sections and agencies (and --rows, --targets) as JSON")
    fmt.add_argument("--csv", action="store_true", help="the document's rows as CSV (with --targets: its targets)")
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
    _add_db(p)
    p.set_defaults(func=cmd_agencies)

    p = sub.add_parser("metrics", help="canonical metrics committed to by targets; --unlinked lists the rest")
    p.add_argument("--unlinked", action="store_true", help="targets and indicator rows linked to no catalog entry")
    _add_data_formats(p)
    p.add_argument("--all", action="store_true",
                   help="also metrics that only indicator rows link to, and those nothing links to yet")
    _add_db(p)
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser("compare", help="one metric's targets across provinces, or --matrix of metrics x provinces")
    p.add_argument("metric", nargs="?", help="metric id (smartphone-adults), DTI code (3.1) or wording")
    p.add_argument("--matrix", action="store_true", help="every metric by every province: the latest commitment")
    p.add_argument("--year", type=int, help="only targets for this year")
    p.add_argument("--merged", action="store_true", help="group by the province since the 2025 merger")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="the comparison (or --matrix) as JSON")
    fmt.add_argument("--csv", action="store_true", help="one row per commitment (or per metric with --matrix) as CSV")
    p.add_argument("--html", metavar="FILE", help="with METRIC: write a page with charts (each province's latest "
                                                   "value against the national target and the median; trajectories "
                                                   "over the years) and every commitment; no network needed")
    _add_db(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("audit", help="who leads what by when: items with no lead or deadline, DTI gaps, agency load")
    p.add_argument("--province", help="only this province's plans (its name then, or since the 2025 merger)")
    p.add_argument("--doc", help="only this document (id prefix or file name)")
    p.add_argument("--as-of", help="date deadlines are checked against (YYYY-MM-DD; default today)")
    p.add_argument("--json", action="store_true", help="print the audit as JSON")
    p.add_argument("--html", metavar="FILE", help="write an HTML report with tables and charts (no network needed)")
    _add_db(p)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("export", help="write the normalized tables (ids, canonical links, provenance) to files")
    p.add_argument("--format", required=True, choices=["csv", "json", "xlsx", "parquet"], help="file format")
    p.add_argument("--out", required=True, help="directory to write into (created if missing)")
    p.add_argument("--excel", action="store_true",
                   help="with --format csv: a UTF-8 byte-order mark, and codes written so Excel keeps them as text")
    _add_db(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="browse the database in Datasette (localhost), with facets and canned queries")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8001, help="port to listen on (default 8001)")
    p.add_argument("--public", action="store_true", help="allow a --host that is not a loopback address")
    _add_db(p)
    p.set_defaults(func=cmd_serve)
    return parser


def run(args) -> int:
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
    except OSError as exc:  # an output folder that cannot be made or written (--out, --html): one line naming it
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

