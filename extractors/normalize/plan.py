"""The normalize stage for one plan: the canonical ids of its metrics, DTI indicators, agencies and province.

Extraction leaves printed values; this fills each row's and target's `link`, each assignment's `canonical`
and the plan's province unit, in place.
"""
from __future__ import annotations

from typing import Optional

from vnplans.extractors.header import DocumentMeta
from vnplans.extractors.normalize.agencies import Registry
from vnplans.extractors.normalize.metrics import MetricLink
from vnplans.extractors.normalize.reference import Reference
from vnplans.extractors.provinces import Provinces
from vnplans.schemas.extraction import AgencyRef, MetricRef, ProvinceOut, Row, Target


def normalize(reference: Reference, meta: DocumentMeta, text: str, rows: list[Row],
              targets: list[Target]) -> Optional[ProvinceOut]:
    """Link rows and targets to the catalog version in force, assignments to the registry; the province unit."""
    # an undated plan is no older than the latest decision it cites
    date = meta.issued_date or (f"{meta.year()}-12-31" if meta.year() else None) or meta.latest_cited
    links = reference.metrics.link_all(rows, targets, date)
    for row, link in zip(rows, links.rows):
        row.link = _metric_ref(link)
        for a in row.assignments:
            a.canonical = _agency_ref(reference.agencies, a.agency, meta.province)
    for target, link in zip(targets, links.targets):
        target.link = _metric_ref(link)
    return _province(reference.provinces, meta, text)


def _metric_ref(link: Optional[MetricLink]) -> Optional[MetricRef]:
    if link is None:
        return None
    return MetricRef(metric=link.metric.id, name=link.metric.name, indicator=link.indicator, catalog=link.catalog,
                     method=link.method, score=link.score)


def _agency_ref(registry: Registry, name: str, province: Optional[str]) -> Optional[AgencyRef]:
    link = registry.resolve(name, province)
    if link is None:
        return None
    a = link.agency
    now = registry.current(a.id)
    return AgencyRef(id=a.id, name=a.name, kind=a.kind, level=a.level, collective=a.collective, province=link.province,
                     qualifier=link.qualifier, current=now if now != a.id else None, method=link.method,
                     score=link.score)


def _province(gazetteer: Provinces, meta: DocumentMeta, text: str) -> Optional[ProvinceOut]:
    if not meta.province:
        return None
    regime, evidence = gazetteer.regime(meta.issued_date or meta.issued_month, meta.issued_year, meta.latest_cited,
                                        text)
    p = gazetteer.at(meta.province, regime)
    if p is None:
        return None
    return ProvinceOut(code=p.code, official=p.official, successor=p.successor, successor_code=p.successor_code,
                       merged=p.merged, regime=regime, regime_evidence=evidence)
