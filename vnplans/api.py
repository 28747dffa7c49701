"""The notebook API: one plan to its Extraction, a store to DataFrames and the CLI's reports as objects."""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Optional

from vnplans.schemas.extraction import Extraction


def extract(path: str | os.PathLike) -> Extraction:
    """Read and extract one plan; raises vnplans.extractors.errors.VnplansError naming the file and the reason."""
    from vnplans.pipeline.stages import process, to_extraction

    return to_extraction(process(path))


class Database:
    """A vnplans store (SQLite). Its views as DataFrames; `compare` and `audit` return what the CLI prints."""

    def __init__(self, path: str | os.PathLike):
        from vnplans.pipeline.store import Store

        self.path = Path(path)
        self.store = Store.existing(self.path)  # a missing file raises; no empty database is made

    @functools.cached_property
    def reference(self):
        """The reference data a typed metric or province is read with (loaded on first use)."""
        from vnplans.pipeline import lookups

        return lookups.reference()

    def query(self, sql: str, params=()):
        """Any SQL over the store, as a DataFrame."""
        import pandas

        return pandas.DataFrame.from_records(self.store.query(sql, params))

    @property
    def documents(self):
        return self.query("SELECT id, source, format, doc_number, doc_type, issuer, province, issued_date, title"
                          " FROM documents ORDER BY issued_date")

    @property
    def commitments(self):
        """One row per quantified target with its province, metric, year and quote."""
        return self.query("SELECT * FROM commitments")

    @property
    def items(self):
        """One row per table or prose item, with its leads, coordinators and deadline."""
        return self.query("SELECT * FROM items")

    @property
    def agency_items(self):
        """One row per agency per item and role, under the agency as named and as it is today."""
        return self.query("SELECT * FROM agency_items")

    def compare(self, metric: str, merged: bool = False, year: Optional[int] = None):
        """Provinces' commitments on one metric (id or wording) next to the national target: a Comparison."""
        from vnplans.pipeline import compare, lookups

        metric_id, how = lookups.metric(self.reference, metric)
        return compare.compare(self.store, metric_id, merged=merged, year=year, resolved_by=how)

    def audit(self, province: Optional[str] = None, doc: Optional[str] = None, as_of: Optional[str] = None):
        """Who is assigned what, and what is missing: an Audit."""
        from vnplans.pipeline import audit, lookups

        return audit.audit(self.store, province=lookups.province(self.reference, province) if province else None,
                           doc=doc, as_of=as_of)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"vnplans.Database({str(self.path)!r})"


def open(db: str | os.PathLike) -> Database:  # noqa: A001 - vnplans.open reads as the verb it is
    """Open a store made by `vnplans ingest`."""
    return Database(db)



def read_export(folder: str | os.PathLike, table: str):
    """One table of `vnplans export --format csv` as a DataFrame typed by its datapackage.json: codes stay
    strings ("5.10", "01"), years integers (nullable), dates dates."""
    import json

    import pandas

    folder = Path(folder)
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    (resource,) = [r for r in package["resources"] if r["name"] == table.replace("_", "-")]
    fields = resource["schema"]["fields"]
    dtypes = {f["name"]: {"integer": "Int64", "number": "float64", "string": "string"}.get(f["type"], "string")
              for f in fields}
    frame = pandas.read_csv(folder / resource["path"], dtype=dtypes, keep_default_na=False,
                            na_values=[""], encoding=resource.get("encoding", "utf-8"))
    for f in fields:
        if f["type"] == "date":
            frame[f["name"]] = pandas.to_datetime(frame[f["name"]], format="%Y-%m-%d").dt.date
        elif f["type"] == "string":  # undo the apostrophe that kept spreadsheets from evaluating a cell
            frame[f["name"]] = frame[f["name"]].str.replace(r"^'(?=[=+\-@\t\r].)", "", regex=True)
    return frame
