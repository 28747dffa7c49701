"""The pipeline: read -> segment -> extract -> normalize, for one document. Data flows one way."""
from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass
from typing import Optional

from vnplans.extractors.agencies import assignments_of
from vnplans.extractors.assignments import extract_prose_tasks
from vnplans.extractors.header import DocumentMeta, extract_header
from vnplans.extractors.normalize.plan import normalize
from vnplans.extractors.normalize.reference import Reference, default_cache_dir
from vnplans.extractors.readers import read_file
from vnplans.extractors.rows import extract_rows, unread_tables
from vnplans.extractors.structure import Section, segment
from vnplans.extractors.targets import extract_targets
from vnplans.schemas.document import SourceDocument, Span
from vnplans.schemas.extraction import (DocumentOut, Extraction, OcrPage, PageQuality, Period, Provenance, ProvinceOut,
                                        Row, SectionOut, Target)


def extractor_version() -> str:
    """A fingerprint of the extraction code and its reference data: stored documents made by another
    version are extracted again on the next ingest, unchanged ones are skipped."""
    import hashlib
    from pathlib import Path

    h = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for folder in ("extractors", "schemas"):
        for f in sorted((root / folder).rglob("*")):
            if f.is_file() and f.suffix in (".py", ".yaml", ".json", ".sql"):
                h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    h.update((root / "pipeline" / "stages.py").read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Processed:
    """Everything the stages produced for one document, before it is assembled, stored or printed."""

    source: SourceDocument
    meta: DocumentMeta
    sections: list[Section]
    rows: list[Row]
    targets: list[Target]
    province_unit: Optional[ProvinceOut]
    warnings: list[str]


@functools.cache
def default_reference() -> Reference:
    """The bundled reference data, loaded on first use and kept for the process (each worker loads its own), with
    the user's cache for what is slow to derive from it."""
    return Reference.load(default_cache_dir())


def process(path: str | os.PathLike, timings: Optional[dict[str, float]] = None,
            reference: Optional[Reference] = None) -> Processed:
    """Every stage for one file. `timings`, when given, collects seconds per stage (for the benchmark)."""
    clock = _Clock(timings)
    doc = clock("read", read_file, path)  # raises ReadError with the file and the reason
    return process_document(doc, clock, reference)


def process_document(doc: SourceDocument, clock: Optional["_Clock"] = None,
                     reference: Optional[Reference] = None) -> Processed:
    """read -> segment -> extract (printed values) -> normalize (canonical ids), each stage timed."""
    clock = clock or _Clock(None)
    reference = reference or default_reference()
    meta = clock("header", extract_header, doc, reference.provinces)
    sections = clock("segment", segment, doc)
    rows = clock("rows", _rows, doc, sections, meta.year())
    targets = clock("targets", extract_targets, doc, sections, rows, meta.period_end or meta.year(),
                    meta.province is not None, meta.title)
    province_unit = clock("normalize", normalize, reference, meta, doc.text, rows, targets)
    warnings = list(doc.warnings) + unread_tables(doc, sections, rows)
    if not _has_plan_structure(meta, sections, rows):
        warnings.append("no plan structure found: no document number, type, numbered sections or plan tables")
    return Processed(doc, meta, sections, rows, targets, province_unit, warnings)


def _rows(doc: SourceDocument, sections: list[Section], year: Optional[int]) -> list[Row]:
    """Table rows, then the tasks prose assigns, each with its agencies as assignments."""
    rows = extract_rows(doc, sections, year) + extract_prose_tasks(doc, sections, year)
    for row in rows:
        row.assignments = assignments_of(row)
    return rows


class _Clock:
    """Runs a stage and adds its wall time to `timings` (a no-op bookkeeping when None)."""

    def __init__(self, timings: Optional[dict[str, float]]):
        self.timings = timings

    def __call__(self, stage: str, fn, *args):
        if self.timings is None:
            return fn(*args)
        start = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start


def _has_plan_structure(meta: DocumentMeta, sections: list[Section], rows: list[Row]) -> bool:
    headings = [s for s in sections if s.kind in ("roman", "article", "part", "chapter", "appendix")]
    return bool(rows or meta.doc_number or meta.doc_number_raw or (meta.doc_type and headings) or meta.form == "news")


def _prov(doc_id: str, span: Span | None, ocr_pages: frozenset[int] = frozenset()) -> Provenance | None:
    if span is None:
        return None
    return Provenance(doc_id=doc_id, line=span.line, page=span.page, start=span.start, end=span.end,
                      ocr=span.page in ocr_pages)


def to_extraction(p: Processed) -> Extraction:
    """The stages' output as the one model, each value with its provenance (document, page, line, span)."""
    doc_id = p.source.sha256
    ocr = frozenset(p.source.ocr_pages)
    m = p.meta
    document = DocumentOut(
        doc_number=m.doc_number, doc_number_raw=m.doc_number_raw, doc_type=m.doc_type, issuer=m.issuer,
        province=m.province, place=m.place, issued_date=m.issued_date, issued_month=m.issued_month, signer=m.signer,
        signer_title=m.signer_title, title=m.title, form=m.form, period=Period(start=m.period_start, end=m.period_end),
        province_unit=p.province_unit,
        provenance={k: _prov(doc_id, v, ocr) for k, v in m.provenance.items()},
    )
    for item in (*p.rows, *p.targets):
        item.provenance = _prov(doc_id, item.span, ocr)
    return Extraction(
        source=os.path.basename(p.source.path), doc_id=doc_id, format=p.source.format, pages=p.source.pages,
        ocr_pages=[OcrPage(page=k, confidence=round(v, 1)) for k, v in sorted(p.source.ocr_confidence.items())],
        page_quality=[PageQuality(page=k, **v) for k, v in sorted(p.source.page_quality.items())],
        document=document, sections=[SectionOut(**s.as_dict()) for s in p.sections], rows=p.rows,
        targets=p.targets, warnings=p.warnings,
    )
