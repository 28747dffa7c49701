"""The reference data as database rows: agency registry, metrics, DTI catalog versions, provinces.

The store copies these in so that SQL (and Datasette) can join extracted rows to canonical names;
the data files in extractors/data/ stay the single source.
"""
from __future__ import annotations

import hashlib
import json
from importlib import resources

from vnplans.extractors.normalize.reference import Reference

FILES = ("agencies.yaml", "metrics.yaml", "dti_catalog.yaml", "provinces.json")


def fingerprint() -> str:
    h = hashlib.sha256()
    for name in FILES:
        h.update(resources.files("vnplans.extractors").joinpath(f"data/{name}").read_bytes())
    return h.hexdigest()[:16]


def tables(reference: Reference) -> dict[str, list[dict]]:
    agencies, metrics = reference.agencies, reference.metrics
    reg = agencies.agencies
    return {
        "canonical_agencies": [
            {"id": a.id, "name": a.name, "kind": a.kind, "level": a.level, "collective": int(a.collective),
             "successor": a.successor, "since": a.since, "current_id": agencies.current(a.id), "note": a.note}
            for a in reg.values()],
        "metrics": [
            {"id": m.id, "name": m.name, "unit": m.unit, "dti_code": m.dti,
             "national": json.dumps([dict(n) for n in m.national], ensure_ascii=False),
             "aliases": json.dumps(list(m.aliases), ensure_ascii=False)}
            for m in metrics.metrics.values()],
        "dti_catalogs": [
            {"id": v.id, "decision": v.decision, "effective_from": v.effective_from, "follows": v.follows,
             "components": len(v.indicators)} for v in metrics.versions],
        "dti_indicators": [
            {"catalog": v.id, "code": i.code, "name": i.name, "pillar": i.pillar, "pillar_name": v.pillars.get(i.pillar),
             "max_score": i.max_score, "parent": i.parent, "effective_from": v.effective_from}
            for v in metrics.versions for i in v.assessed().values()],
        "dti_correspondence": _correspondence(metrics.versions),
        "provinces": [
            {"code": p.code, "name": p.name, "official": p.official, "successor": p.successor,
             "successor_code": p.successor_code}
            for p in reference.provinces.all],
    }


def _correspondence(versions) -> list[dict]:
    """Every code of a version's predecessor with its counterpart (NULL: dropped), so SQL can follow an
    indicator across versions without knowing that a component is carried to its main indicator."""
    by_id = {v.id: v for v in versions}
    out = []
    for v in versions:
        if v.follows is None:
            continue
        before = by_id[v.follows]
        for code in list(before.pillars) + list(before.indicators):
            out.append({"from_catalog": before.id, "from_code": code, "to_catalog": v.id, "to_code": v.counterpart(code)})
    return out
