"""What the store keeps of one document, as plain values in column order, made where the document was extracted.

A worker stores these itself (`store_document`), or, when another worker is storing, sends them to the batch's
process rather than the Extraction: plain values pickle and unpickle in a tenth of the time. This module imports
no database library.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from vnplans.extractors.keys import fold
from vnplans.schemas.extraction import Extraction
from vnplans.schemas.records import columns, record, values

# The store's own columns a record carries after the model's, per table, in this order (the store adds the row and
# agency ids, which only the database knows).
STORE_FILLED: dict[str, tuple[str, ...]] = {
    "ocr_pages": ("doc_id",), "page_quality": ("doc_id",), "sections": ("doc_id", "search"),
    "rows": ("doc_id", "idx", "search"), "assignments": ("doc_id",), "targets": ("doc_id", "idx"),
}


def columns_of(table: str) -> list[str]:
    """The columns of a record of `table`, in the order its values come."""
    return [*columns(table), *STORE_FILLED[table]]


def path_text(path: str) -> str:
    """A file path as stored: a name whose bytes are not UTF-8 (Python holds them as surrogates) keeps them
    shown escaped ("plan\\xff.txt"), the same way every time, so the path finds its row again."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass
class DocumentRecords:
    """One document's rows for the store, made from its Extraction where it was extracted (a worker): plain
    values, cheap to send on; `Store.save` adds what only the database knows (row and agency ids, the time)."""

    doc_id: str
    document: dict[str, Any]  # the documents row, but for the columns the store fills
    tables: dict[str, list[tuple]]  # ocr_pages, page_quality, sections and rows (search text in), see columns_of
    assignments: list[tuple[int, str, tuple]]  # (row index, agency, record)
    targets: list[tuple[Optional[int], tuple]]  # (row index, record)
    warnings: list[str]

    @classmethod
    def of(cls, ex: Extraction) -> "DocumentRecords":
        """Every record carries its doc_id and holds only values SQLite stores as they are: the store inserts
        them without copying."""
        doc = ex.doc_id
        return cls(
            doc, record("documents", ex, source=path_text(ex.source)),
            {"ocr_pages": [values("ocr_pages", x, doc) for x in ex.ocr_pages],
             "page_quality": [values("page_quality", x, doc) for x in ex.page_quality],
             "sections": [values("sections", s, doc, fold(s.heading or "")) for s in ex.sections],
             "rows": [values("rows", r, doc, i, fold(f"{r.group or ''} {r.text}")) for i, r in enumerate(ex.rows)]},
            [(i, a.agency, values("assignments", a, doc)) for i, r in enumerate(ex.rows) for a in r.assignments],
            [(t.row_index, values("targets", t, doc, i)) for i, t in enumerate(ex.targets)],
            list(ex.warnings))

    def summary(self) -> str:
        """What `ingest` says of the document."""
        d, t = self.document, self.tables
        return (f"{d['doc_type'] or '?'} {d['doc_number'] or d['doc_number_raw'] or '(no number)'}, "
                f"{d['province'] or '?'}, {d['issued_date'] or d['issued_month'] or '?'} — "
                f"{len(t['sections'])} sections, {len(t['rows'])} rows, {len(self.targets)} targets, "
                f"{len(self.warnings)} warnings")


@dataclass
class Stored:
    """What storing one document gave, for the batch's report: all a worker that stored it sends back."""

    summary: str
    warnings: list[str]
    bytes: int  # the body's size in UTF-8
    renditions: Optional[tuple[str, Optional[str], list[str]]]  # (the counted id, the plan's number, its files)


def could_not_store(exc: Exception) -> str:
    """The one-line reason a document failed to store (SQLite refused: a full disk, a lock held too long)."""
    return f"could not store ({type(exc).__name__}: {exc})"


def store_document(store: Any, path: str, records: DocumentRecords, body: str, version: str) -> Stored:
    """Store one document (one transaction, `Store.save`) and say what it gave; raises what the store raises.
    The one way a document is stored, by whichever process holds a connection: a worker or the batch's own."""
    store.save(path, records, body, version)
    same = store.renditions(records.doc_id)
    return Stored(records.summary(), list(records.warnings), len(body.encode("utf-8")),
                  (same[0]["id"], records.document["doc_number"], [r["source"] for r in same]) if same else None)
