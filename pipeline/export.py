"""Export the store's normalized tables for use outside vnplans: CSV, JSON, Excel, Parquet.

Every table keeps its ids (document ids, canonical agency and metric ids) and provenance columns
(line, page, start, end into documents' text), so an exported value can be traced back. The three
read-side views (commitments, items, agency_items, commitment_matrix) come along as flat tables for
spreadsheet users. Files are written under temporary names and renamed, so a crash never leaves half a
table behind.

Every export carries a Frictionless `datapackage.json` declaring each column's type, so that a reader does
not guess: codes ("5.10", "01") are strings, years integers, ISO dates dates. Text a spreadsheet would run as
a formula (a cell starting with = + - @, a tab or a carriage return) is neutralised as OWASP recommends: in
CSV with a leading apostrophe, in the workbook as a text cell.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Iterator

from vnplans.extractors.errors import VnplansError
from vnplans.pipeline.files import atomic
from vnplans.pipeline.store import Store

FORMATS = ("csv", "json", "xlsx", "parquet")
TABLES = ("documents", "sources", "sections", "rows", "targets", "assignments", "agencies", "ocr_pages", "failures",
          "canonical_agencies", "metrics", "dti_indicators", "dti_correspondence", "provinces", "commitments", "items",
          "agency_items", "commitment_matrix")
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


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CODE_RE = re.compile(r"^[0-9A-Za-z.\-/]+$")


def neutralised(value):
    """A text cell a spreadsheet would evaluate, made inert with a leading apostrophe (OWASP, CSV injection).
    A lone "=" (the comparator) evaluates nothing and stays as it is."""
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(store: Store, table: str, cols: list[str], out: Path, types: list[str], excel: bool = False) -> Path:
    """UTF-8 CSV; `excel`: with a byte-order mark, and code columns written as ="01" so Excel keeps them text."""
    path = out / f"{table}.csv"
    codes = [excel and t == "string" and _is_code_column(c) for c, t in zip(cols, types)]
    with atomic(path, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for rows in _batches(store, table, cols):
            w.writerows([f'="{v}"' if code and isinstance(v, str) and CODE_RE.match(v) else neutralised(v)
                         for v, code in zip(r, codes)] for r in rows)
    return path


def _is_code_column(name: str) -> bool:
    return name in ("code", "stt", "pillar", "parent", "from_code", "to_code") or name.endswith(("_code", "_number"))


def _json(store: Store, table: str, cols: list[str], out: Path) -> Path:
    path = out / f"{table}.json"
    with atomic(path, "w", encoding="utf-8") as f:
        f.write("[")
        first = True
        for rows in _batches(store, table, cols):
            for r in rows:
                f.write(("\n" if first else ",\n") + json.dumps(dict(zip(cols, r)), ensure_ascii=False))
                first = False
        f.write("\n]\n")
    return path


ISO_DATE_GLOB = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]"


def column_types(store: Store, table: str, cols: list[str]) -> list[str]:
    """Each column's Frictionless type from the values SQLite holds: integer, number (ints and reals mixed),
    date (every value an ISO day), else string; a column of nulls only takes its declared type. Codes are text
    in SQLite, so they stay strings. One pass over the table for all columns."""
    declared = {r["name"]: (r["type"] or "").upper() for r in store.query(f"PRAGMA table_info({table})")}
    probes = ", ".join(
        [f'max(typeof("{c}") = \'{kind}\')' for c in cols for kind in ("integer", "real", "text", "blob")]
        + [f'max(typeof("{c}") = \'text\' AND "{c}" NOT GLOB \'{ISO_DATE_GLOB}\')' for c in cols])
    seen = store.conn.execute(f"SELECT {probes} FROM {table}").fetchone()
    out = []
    for n, c in enumerate(cols):
        integer, real, text, blob = (bool(x) for x in seen[4 * n:4 * n + 4])
        not_date = bool(seen[4 * len(cols) + n])
        if not (integer or real or text or blob):
            integer, real = "INT" in declared.get(c, ""), "REAL" in declared.get(c, "")
        if text and not (not_date or integer or real or blob):
            out.append("date")
        else:
            out.append("string" if text or blob else "number" if real else "integer" if integer else "string")
    return out


def _typed(value, kind: str):
    if value is None:
        return None
    if kind == "date":
        return dt.date.fromisoformat(value)
    return str(value) if kind == "string" else value


def _parquet(store: Store, table: str, cols: list[str], out: Path, types: list[str]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = {"integer": pa.int64(), "number": pa.float64(), "date": pa.date32(), "string": pa.string()}
    schema = pa.schema([pa.field(c, arrow[t]) for c, t in zip(cols, types)])
    path = out / f"{table}.parquet"
    with atomic(path, "wb") as tmp:
        with pq.ParquetWriter(tmp, schema) as writer:
            written = False
            for rows in _batches(store, table, cols):
                written = True
                columns = list(zip(*rows))
                arrays = [pa.array([_typed(v, t) for v in col], type=f.type)
                          for col, f, t in zip(columns, schema, types)]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            if not written:  # an empty table still gets its columns
                writer.write_table(schema.empty_table())
    return path


def _xlsx(store: Store, tables: list[tuple[str, list[str], list[str]]], counts: dict[str, int], out: Path) -> Path:
    """One sheet per table: a bold, frozen header with an autofilter, widths from the first rows, dates as
    dates, and text always a text cell (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def clean(v):
        v = ILLEGAL_CHARACTERS_RE.sub("", v)
        return v if len(v) <= XLSX_CELL_MAX else v[: XLSX_CELL_MAX - 1] + "…"

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for table, cols, types in tables:
        ws = wb.create_sheet(table[:31])
        sample = store.conn.execute(_select(cols, table) + " LIMIT 200").fetchall()
        for k, c in enumerate(cols, 1):
            longest = max([len(c)] + [len(str(r[k - 1])) for r in sample if r[k - 1] is not None])
            ws.column_dimensions[get_column_letter(k)].width = min(60, max(8, longest + 2))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{1 + counts[table]}"
        header = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=c)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for rows in _batches(store, table, cols):
            for r in rows:
                line = []
                for v, t in zip(r, types):
                    if isinstance(v, str) and t != "date":
                        cell = WriteOnlyCell(ws, value=clean(v))
                        cell.data_type = "s"  # "=SUM(A1)" printed in a plan stays text
                        line.append(cell)
                    elif t == "date" and v is not None:
                        cell = WriteOnlyCell(ws, value=dt.date.fromisoformat(v))
                        cell.number_format = "yyyy-mm-dd"
                        line.append(cell)
                    else:
                        line.append(v)
                ws.append(line)
    path = out / "vnplans.xlsx"
    with atomic(path, "wb") as tmp:
        wb.save(tmp)
    return path


def export(store: Store, fmt: str, out: str | Path, tables: tuple[str, ...] = TABLES, excel: bool = False) -> dict:
    """Write every table in `fmt` under `out`, with a manifest.json listing files and row counts and a
    Frictionless datapackage.json declaring each column's type. `excel` (CSV): a byte-order mark, and codes
    written so that Excel keeps them as text."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {out}: {exc.strerror}") from None
    plan = [(t, cols, column_types(store, t, cols)) for t in tables for cols in [_columns(store, t, fmt)]]
    counts = {t: store.query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t, _, _ in plan}
    files: dict[str, str] = {}
    if fmt == "xlsx":
        path = _xlsx(store, plan, counts, out)
        files = {t: f"{path.name}#{t[:31]}" for t, _, _ in plan}
    elif fmt == "csv":
        for t, cols, types in plan:
            files[t] = _csv(store, t, cols, out, types, excel).name
    elif fmt == "parquet":
        for t, cols, types in plan:
            files[t] = _parquet(store, t, cols, out, types).name
    else:
        for t, cols, _ in plan:
            files[t] = _json(store, t, cols, out).name
    manifest = {
        "exported_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "database": str(store.path), "format": fmt,
        "migrations": [n for (n,) in store.conn.execute("SELECT name FROM migrations ORDER BY rowid")],
        "tables": {t: {"file": files[t], "rows": counts[t], "columns": cols} for t, cols, _ in plan},
    }
    with atomic(out / "manifest.json", "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    with atomic(out / "datapackage.json", "w", encoding="utf-8") as f:
        json.dump(_datapackage(plan, files, fmt, excel), f, ensure_ascii=False, indent=1)
    return manifest


def _datapackage(plan: list[tuple[str, list[str], list[str]]], files: dict[str, str], fmt: str, excel: bool) -> dict:
    """A Frictionless Data Package (v1): one tabular resource per table, each column typed."""
    def resource(table: str, cols: list[str], types: list[str]) -> dict:
        path = files[table].split("#")[0]
        res = {"name": table.replace("_", "-"), "path": path, "profile": "tabular-data-resource", "format": fmt,
               "schema": {"fields": [{"name": c, "type": t} for c, t in zip(cols, types)]}}
        if fmt == "xlsx":
            res["dialect"] = {"sheet": table[:31]}
        if fmt == "csv":
            res.update(encoding="utf-8-sig" if excel else "utf-8", mediatype="text/csv")
            res["description"] = ("text starting with = + - @ carries a leading apostrophe (formula injection)"
                                  + ("; codes are written as =\"...\" for Excel" if excel else ""))
        return res

    return {"profile": "tabular-data-package", "name": "vnplans-export",
            "title": "vnplans: commitments of Vietnamese provincial plans",
            "resources": [resource(t, cols, types) for t, cols, types in plan]}
