"""The reference data as database rows: agency registry, metrics, DTI catalog versions, provinces.

The store copies these in so that SQL (and Datasette) can join extracted rows to canonical names;
the data files in extractors/data/ stay the single source.
"""
from __future__ import annotations

import hashlib
import json
from importlib import resources

from extractors import provinces
from extractors.normalize import agencies, metrics

FILES = ("agencies.yaml", "metrics.yaml", "dti_catalog.yaml", "provinces.json")


def fingerprint() -> str:
    h = hashlib.sha256()
    for name in FILES:
        h.update(resources.files("extractors").joinpath(f"data/{name}").read_bytes())
    return h.hexdigest()[:16]


def tables() -> dict[str, list[dict]]:
    reg = agencies.registry()
    return {
        "canonical_agencies": [
            {"id": a.id, "name": a.name, "kind": a.kind, "level": a.level, "collective": int(a.collective),
             "successor": a.successor, "since": a.since, "current_id": agencies.current(a.id), "note": a.note}
            for a in reg.values()],
        "metrics": [
            {"id": m.id, "name": m.name, "unit": m.unit, "dti_code": m.dti,
             "national": json.dumps([dict(n) for n in m.national], ensure_ascii=False),
             "aliases": json.dumps(list(m.aliases), ensure_ascii=False)}
            for m in metrics.metrics().values()],
        "dti_indicators": [
            {"catalog": v.id, "code": i.code, "name": i.name, "pillar": i.pillar, "pillar_name": v.pillars.get(i.pillar),
             "max_score": i.max_score, "parent": i.parent, "effective_from": v.effective_from}
            for v in metrics.catalog_versions() for i in v.indicators.values()],
        "provinces": [
            {"code": p.code, "name": p.name, "official": p.official, "successor": p.successor,
             "successor_code": p.successor_code}
            for p in provinces.provinces()],
    }
