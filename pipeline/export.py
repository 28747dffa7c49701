"""Export the store's normalized tables for use outside vnplans: CSV, JSON, Excel, Parquet.

Every table keeps its ids (document ids, canonical agency and metric ids) and provenance columns
(line, page, start, end into documents' text), so an exported value can be traced back. The three
read-side views (commitments, items, agency_items) come along as flat tables for spreadsheet users.
Files are written under temporary names and renamed, so a crash never leaves half a table behind.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from vnplans.extractors.errors import VnplansError
from vnplans.pipeline.store import Store

FORMATS = ("csv", "json", "xlsx", "parquet")
TABLES = ("documents", "sources", "sections", "rows", "targets", "assignments", "agencies", "ocr_pages", "failures",
          "canonical_agencies", "metrics", "dti_indicators", "dti_correspondence", "provinces", "commitments", "items", "agency_items")
# documents.body is the text every span (start, end) points into; an Excel cell holds at most 32,767
# characters, so the workbook leaves it out (the other formats keep it)
LEAVE_OUT = {"xlsx": {"documents": {"body"}}}
BATCH = 2000
XLSX_CELL_MAX = 32767


class ExportError(VnplansError):
    pass


def _columns(store: Store, table: str, fmt: str) -> list[str]:
    cols = [r["name"] for r in store.query(f"PRAGMA table_info({table})")]
    return [c for c in cols if c not in LEAVE_OUT.get(fmt, {}).get(table, set())]


def _select(cols: list[str], table: str) -> str:
    return f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} FROM {table}"


def _batches(store: Store, table: str, cols: list[str]) -> Iterator[list[tuple]]:
    cur = store.conn.execute(_select(cols, table))
    while True:
        rows = cur.fetchmany(BATCH)
        if not rows:
            return
        yield rows


@contextmanager
def _atomic(path: Path, mode: str = "w", **kw):
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if "b" in mode:
            yield tmp
        else:
            with open(tmp, mode, **kw) as f:
                yield f
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _csv(store: Store, table: str, cols: list[str], out: Path) -> Path:
    path = out / f"{table}.csv"
    with _atomic(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for rows in _batches(store, table, cols):
            w.writerows(rows)
    return path


def _json(store: Store, table: str, cols: list[str], out: Path) -> Path:
    path = out / f"{table}.json"
    with _atomic(path, "w", encoding="utf-8") as f:
        f.write("[")
        first = True
        for rows in _batches(store, table, cols):
            for r in rows:
                f.write(("\n" if first else ",\n") + json.dumps(dict(zip(cols, r)), ensure_ascii=False))
                first = False
        f.write("\n]\n")
    return path


def _arrow_schema(store: Store, table: str, cols: list[str]):
    """Column types from the values SQLite holds: integer, real (ints and reals mixed: real), else text;
    a column holding only nulls takes its declared type. One pass over the table for all columns."""
    import pyarrow as pa

    declared = {r["name"]: (r["type"] or "").upper() for r in store.query(f"PRAGMA table_info({table})")}
    probes = ", ".join(f'max(typeof("{c}") = \'{kind}\')' for c in cols for kind in ("integer", "real", "text", "blob"))
    seen = store.conn.execute(f"SELECT {probes} FROM {table}").fetchone()
    fields = []
    for n, c in enumerate(cols):
        integer, real, text, blob = (bool(x) for x in seen[4 * n:4 * n + 4])
        if not (integer or real or text or blob):
            integer, real = "INT" in declared.get(c, ""), "REAL" in declared.get(c, "")
        kind = pa.string() if text or blob else pa.float64() if real else pa.int64() if integer else pa.string()
        fields.append(pa.field(c, kind))
    return pa.schema(fields)


def _parquet(store: Store, table: str, cols: list[str], out: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(store, table, cols)
    path = out / f"{table}.parquet"
    with _atomic(path, "wb") as tmp:
        with pq.ParquetWriter(tmp, schema) as writer:
            written = False
            for rows in _batches(store, table, cols):
                written = True
                columns = list(zip(*rows))
                arrays = [pa.array([None if v is None else (str(v) if f.type == pa.string() else v) for v in col],
                                   type=f.type) for col, f in zip(columns, schema)]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            if not written:  # an empty table still gets its columns
                writer.write_table(schema.empty_table())
    return path


def _xlsx(store: Store, tables: list[tuple[str, list[str]]], out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(v):
        if isinstance(v, str):
            v = ILLEGAL_CHARACTERS_RE.sub("", v)
            return v if len(v) <= XLSX_CELL_MAX else v[: XLSX_CELL_MAX - 1] + "…"
        return v

    wb = Workbook(write_only=True)
    for table, cols in tables:
        ws = wb.create_sheet(table[:31])
        ws.append(cols)
        for rows in _batches(store, table, cols):
            for r in rows:
                ws.append([clean(v) for v in r])
    path = out / "vnplans.xlsx"
    with _atomic(path, "wb") as tmp:
        wb.save(tmp)
    return path


def export(store: Store, fmt: str, out: str | Path, tables: tuple[str, ...] = TABLES) -> dict:
    """Write every table in `fmt` under `out`, with a manifest.json listing files and row counts."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {out}: {exc.strerror}") from None
    plan = [(t, _columns(store, t, fmt)) for t in tables]
    counts = {t: store.query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t, _ in plan}
    files: dict[str, str] = {}
    if fmt == "xlsx":
        path = _xlsx(store, plan, out)
        files = {t: f"{path.name}#{t[:31]}" for t, _ in plan}
    else:
        write = {"csv": _csv, "json": _json, "parquet": _parquet}[fmt]
        for t, cols in plan:
            files[t] = write(store, t, cols, out).name
    manifest = {
        "exported_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "database": str(store.path), "format": fmt,
        "schema_version": store.conn.execute("PRAGMA user_version").fetchone()[0],
        "tables": {t: {"file": files[t], "rows": counts[t], "columns": cols} for t, cols in plan},
    }
    with _atomic(out / "manifest.json", "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    return manifest
