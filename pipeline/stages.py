"""The pipeline: read -> segment -> extract -> normalize, for one document. Data flows one way."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Optional

from vnplans.extractors import agencies, provinces
from vnplans.extractors.assignments import extract_prose_tasks
from vnplans.extractors.header import DocumentMeta, extract_header
from vnplans.extractors.normalize import agencies as agency_registry
from vnplans.extractors.normalize.metrics import Links, MetricLink, link_all
from vnplans.extractors.readers import read_file
from vnplans.extractors.rows import ROLES, Row, extract_rows, unread_tables
from vnplans.extractors.structure import Section, segment
from vnplans.extractors.targets import Target, extract_targets
from vnplans.schemas.document import SourceDocument, Span
from vnplans.schemas.extraction import (AgencyRef, AssignmentOut, DeadlineOut, DocumentOut, Extraction, MetricRef, OcrPage, PageQuality, Period,
                                Provenance, ProvinceOut, RowOut, SectionOut, TargetOut)


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
    """Everything the stages produced for one document, before it is stored or printed."""

    source: SourceDocument
    meta: DocumentMeta
    sections: list[Section]
    rows: list[Row]
    targets: list[Target]
    links: Links
    warnings: list[str]


def process(path: str | os.PathLike, timings: Optional[dict[str, float]] = None) -> Processed:
    """Every stage for one file. `timings`, when given, collects seconds per stage (for the benchmark)."""
    clock = _Clock(timings)
    doc = clock("read", read_file, path)  # raises ReadError with the file and the reason
    return process_document(doc, clock)


def process_document(doc: SourceDocument, clock: Optional["_Clock"] = None) -> Processed:
    clock = clock or _Clock(None)
    meta = clock("header", extract_header, doc)
    sections = clock("segment", segment, doc)
    rows = clock("rows", lambda: extract_rows(doc, sections, meta.year()) + extract_prose_tasks(doc, sections, meta.year()))
    targets = clock("targets", extract_targets, doc, sections, rows, meta.period_end or meta.year(),
                    meta.province is not None)
    # an undated plan is no older than the latest decision it cites
    links = clock("link", link_all, rows, targets,
                  meta.issued_date or (f"{meta.year()}-12-31" if meta.year() else None) or meta.latest_cited)
    warnings = list(doc.warnings) + unread_tables(doc, sections, rows)
    if not _has_plan_structure(meta, sections, rows):
        warnings.append("no plan structure found: no document number, type, numbered sections or plan tables")
    return Processed(doc, meta, sections, rows, targets, links, warnings)


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


def _agency_ref(name: str, province: Optional[str]) -> Optional[AgencyRef]:
    link = agency_registry.resolve(name, province)
    if link is None:
        return None
    a = link.agency
    now = agency_registry.current(a.id)
    return AgencyRef(id=a.id, name=a.name, kind=a.kind, level=a.level, collective=a.collective, province=link.province,
                     qualifier=link.qualifier, current=now if now != a.id else None, method=link.method,
                     score=link.score)


def _assignments(r: Row, province: Optional[str]) -> list[AssignmentOut]:
    out = []
    for role in ROLES:
        for pos, printed in enumerate(getattr(r, role)):
            holder, agency = agencies.holder_and_agency(printed)
            out.append(AssignmentOut(role=role, agency=agency, holder=holder, printed=printed, position=pos,
                                     canonical=_agency_ref(agency, province)))
    return out


def _metric_ref(link: Optional[MetricLink]) -> Optional[MetricRef]:
    if link is None:
        return None
    return MetricRef(metric=link.metric.id, name=link.metric.name, indicator=link.indicator, catalog=link.catalog,
                     method=link.method, score=link.score)


def _province(meta: DocumentMeta, text: str) -> Optional[ProvinceOut]:
    if not meta.province:
        return None
    regime, evidence = provinces.regime(meta.issued_date or meta.issued_month, meta.issued_year, meta.latest_cited, text)
    p = provinces.at(meta.province, regime)
    if p is None:
        return None
    return ProvinceOut(code=p.code, official=p.official, successor=p.successor, successor_code=p.successor_code,
                       merged=p.merged, regime=regime, regime_evidence=evidence)


def to_extraction(p: Processed) -> Extraction:
    doc_id = p.source.sha256
    ocr = frozenset(p.source.ocr_pages)
    m = p.meta
    document = DocumentOut(
        doc_number=m.doc_number, doc_number_raw=m.doc_number_raw, doc_type=m.doc_type, issuer=m.issuer,
        province=m.province, place=m.place, issued_date=m.issued_date, issued_month=m.issued_month, signer=m.signer,
        signer_title=m.signer_title, title=m.title, form=m.form, period=Period(start=m.period_start, end=m.period_end),
        province_unit=_province(m, p.source.text),
        provenance={k: _prov(doc_id, v, ocr) for k, v in m.provenance.items()},
    )
    rows = [
        RowOut(
            table=r.table, kind=r.kind, stt=r.stt, group=r.group, text=r.text, max_score=r.max_score, score=r.score,
            lead=r.lead, coordinate=r.coordinate, monitor=r.monitor, deadline_raw=r.deadline_raw,
            deadline=DeadlineOut(**r.deadline.as_dict(), kind=r.deadline.kind),
            deadline_inherited=DeadlineOut(**r.inherited.as_dict()) if r.inherited else None,
            deadline_inherited_from=r.inherited_from, note=r.note, origin=r.origin, provenance=_prov(doc_id, r.span, ocr),
            assignments=_assignments(r, m.province), link=_metric_ref(p.links.rows[i]),
        )
        for i, r in enumerate(p.rows)
    ]
    return Extraction(
        source=os.path.basename(p.source.path), doc_id=doc_id, format=p.source.format, pages=p.source.pages,
        ocr_pages=[OcrPage(page=k, confidence=round(v, 1)) for k, v in sorted(p.source.ocr_confidence.items())],
        page_quality=[PageQuality(page=k, **v) for k, v in sorted(p.source.page_quality.items())],
        document=document,
        sections=[SectionOut(**s.as_dict()) for s in p.sections], rows=rows, warnings=p.warnings,
        targets=[TargetOut(metric=t.metric, comparator=t.comparator, value=t.value, value_max=t.value_max, unit=t.unit,
                           year=t.year, scope=t.scope, quote=t.quote, row_index=t.row_index,
                           link=_metric_ref(p.links.targets[i]), provenance=_prov(doc_id, t.span, ocr))
                 for i, t in enumerate(p.targets)],
    )
