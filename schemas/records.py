"""The store's records of one Extraction, by column name: the one map from the model to `store.sql`.

Each stored column names the model field it holds as a dotted path into the `Extraction` (a `None` on the way
gives `None`). Columns that are not the model's (ids, the body, the ingest time, the folded search text) are
listed in `STORE_ONLY` and filled by the store. `tests/test_schema.py` checks both lists against the model and
against `store.sql`, so a field added to one and not the others fails a test instead of going missing.
"""
from __future__ import annotations

import json
import operator
from typing import Any

_POSITION = {"line": "provenance.line", "page": "provenance.page", "start": "provenance.start",
             "end": "provenance.end", "ocr": "provenance.ocr"}
_LINK = {"metric_id": "link.metric", "indicator_code": "link.indicator", "catalog": "link.catalog",
         "link_method": "link.method", "link_score": "link.score"}

COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "id": "doc_id", "source": "source", "format": "format", "pages": "pages", "warnings": "warnings",
        **{f: f"document.{f}" for f in ("doc_number", "doc_number_raw", "doc_type", "issuer", "province", "place",
                                        "issued_date", "issued_month", "signer", "signer_title", "title", "form")},
        "period_start": "document.period.start", "period_end": "document.period.end",
        "province_code": "document.province_unit.code", "province_successor": "document.province_unit.successor",
        "province_successor_code": "document.province_unit.successor_code",
        "province_regime": "document.province_unit.regime",
    },
    "ocr_pages": {"page": "page", "confidence": "confidence"},
    "page_quality": {"page": "page", "source": "source", "non_syllable": "non_syllable",
                     "single_letter": "single_letter"},
    "sections": {c: c for c in ("id", "parent", "kind", "label", "heading", "line", "end_line", "start", "end", "page")},
    "rows": {
        "table_name": "table", "kind": "kind", "stt": "stt", "grp": "group", "text": "text", "max_score": "max_score",
        "score": "score", "deadline_raw": "deadline_raw", "deadline_start": "deadline.start",
        "deadline_end": "deadline.end", "recurrence": "deadline.recurrence", "deadline_kind": "deadline.kind",
        "inherited_start": "deadline_inherited.start", "inherited_end": "deadline_inherited.end",
        "inherited_from": "deadline_inherited_from", "note": "note", "origin": "origin", **_POSITION, **_LINK,
    },
    "assignments": {
        "role": "role", "position": "position", "holder": "holder", "printed": "printed",
        "canonical_id": "canonical.id", "agency_province": "canonical.province", "qualifier": "canonical.qualifier",
        "link_method": "canonical.method", "link_score": "canonical.score",
    },
    "targets": {**{c: c for c in ("metric", "comparator", "value", "value_max", "unit", "year", "scope", "quote")},
                **_POSITION, **_LINK},
}

# Columns the store fills itself, per table.
STORE_ONLY: dict[str, set[str]] = {
    "documents": {"ingested_at", "body", "extractor", "plan_key", "duplicate_of"},
    "ocr_pages": {"doc_id"},
    "page_quality": {"doc_id"},
    "sections": {"doc_id", "search"},
    "rows": {"id", "doc_id", "idx", "search"},
    "assignments": {"id", "doc_id", "row_id", "agency_id"},
    "targets": {"id", "doc_id", "idx", "row_id"},
}


def _object_at(obj: Any, path: str) -> Any:
    """The object a dotted path leads to from `obj`; None when a None stands on the way."""
    for name in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _stored(value: Any) -> Any:
    """A value as SQLite stores it: a flag as 0/1, a list or mapping as JSON, anything else as it is."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


class _Table:
    """One table's columns read off a model object, grouped by the object each sits on (the row itself, its
    deadline, its provenance, its link ...): the fields of one object in one attrgetter call, and None for all
    the fields of an object that is None (a row with no deadline). Written for the rows of a batch: a record
    costs a few attrgetter calls, not one call per column."""

    def __init__(self, columns: dict[str, str]) -> None:
        self.names = list(columns)
        groups: dict[str, list[tuple[int, str]]] = {}
        for k, path in enumerate(columns.values()):
            parent, _, leaf = path.rpartition(".")
            groups.setdefault(parent, []).append((k, leaf))
        self.groups = [(parent, [k for k, _ in fields], operator.attrgetter(*(leaf for _, leaf in fields)),
                        len(fields) == 1) for parent, fields in groups.items()]

    def values(self, obj: Any) -> list[Any]:
        values: list[Any] = [None] * len(self.names)
        for parent, positions, leaves, single in self.groups:
            on = _object_at(obj, parent) if parent else obj
            if on is None:
                continue
            if single:
                values[positions[0]] = leaves(on)
            else:
                for k, v in zip(positions, leaves(on)):
                    values[k] = v
        if not _CONVERTED.isdisjoint(map(type, values)):
            values = [_stored(v) if type(v) in _CONVERTED else v for v in values]
        return values


_CONVERTED = frozenset((bool, list, tuple, dict))
_TABLES = {table: _Table(columns) for table, columns in COLUMNS.items()}


def columns(table: str) -> list[str]:
    """The columns of `table` that the model fills, in the order `values` gives them."""
    return _TABLES[table].names


def values(table: str, obj: Any, *extra: Any) -> tuple[Any, ...]:
    """The columns of `table` that one model object (a row, a target ...) fills, in `columns(table)` order, then
    `extra`: the store's own columns, in the order the caller names them. (Bound by position: a batch makes
    hundreds of these a document, and a dict each cost more than the rest of the record.)"""
    return (*_TABLES[table].values(obj), *extra)


def record(table: str, obj: Any, **extra: Any) -> dict[str, Any]:
    """The same as a dict by column name, `extra` added (one a document: the documents row)."""
    return dict(zip(_TABLES[table].names, _TABLES[table].values(obj)), **extra)
