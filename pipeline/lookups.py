"""What a user types, read the way the pipeline reads printed text.

The front doors (the CLI and the Python API) turn a typed metric wording, province or agency name into the
canonical id here, with the same normalization the plans went through; the read side (compare, audit,
listings) then takes ids and reads the store only.
"""
from __future__ import annotations

from typing import Optional

from vnplans.extractors.normalize.reference import Reference, default_cache_dir


def reference() -> Reference:
    """The bundled reference data for reading what a user typed (the segmented metric wordings from the cache)."""
    return Reference.load(default_cache_dir())


def metric(reference: Reference, typed: str) -> tuple[str, str]:
    """(metric id, how it was found) for an id, a DTI code or a wording; the typed text itself when nothing
    matched, for the read side to try as it is (and to name in its error)."""
    q, metrics = typed.strip(), reference.metrics
    if q in metrics.metrics:
        return q, "id"
    by_code = metrics.metric_for_indicator(q)
    if by_code:
        return by_code.id, "dti-code"
    found = metrics.match(q)
    return (found[0].id, found[1]) if found else (q, "id")


def province(reference: Reference, typed: str) -> str:
    """The province's name as plans print it ("TP. Hồ Chí Minh" -> "Hồ Chí Minh"), or the typed text."""
    found = reference.provinces.lookup(typed)
    return found.name if found else typed


def agency(reference: Reference, typed: str) -> Optional[str]:
    """The registry id of an agency as typed (any alias, with or without diacritics), or None."""
    link = reference.agencies.find(typed)
    return link.agency.id if link else None
