"""Cross-province comparison of the targets plans commit to, one canonical metric at a time.

Everything here reads the `commitments` view (schemas/views.sql), which Datasette's canned queries
read too. A province's "latest" commitment is the one of its most recent plan (then the furthest
target year); the spread is taken over those, one value per province, within one unit and level.
"""
from __future__ import annotations

import json
import re
import statistics
from dataclasses import asdict, dataclass, field
from typing import Optional

from vnplans.extractors.errors import VnplansError
from vnplans.extractors.keys import fold, key
from vnplans.pipeline.store import Store

SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "", "range": ""}
_CODE = re.compile(r"^\d+(?:\.\d+)*$")


class UnknownMetric(VnplansError):
    pass


@dataclass
class MetricInfo:
    id: str
    name: str
    unit: Optional[str]
    dti_code: Optional[str]
    national: list[dict]
    resolved_by: str  # id | dti-code | alias | fuzzy


@dataclass
class Commitment:
    metric_id: str
    metric_name: str
    province: Optional[str]
    province_successor: Optional[str]
    doc_type: Optional[str]
    doc_number: Optional[str]
    plan_date: Optional[str]
    year: Optional[int]
    comparator: str
    value: float
    value_max: Optional[float]
    unit: Optional[str]
    scope: Optional[str]
    quote: str
    metric_printed: str
    source: str
    line: Optional[int]
    page: Optional[int]
    start: Optional[int]
    end: Optional[int]
    link_method: Optional[str]
    link_score: Optional[float]
    latest: bool = False  # the province's most recent commitment in this unit and level
    vs_median: Optional[float] = None  # value minus the median of the provinces' latest commitments
    national: Optional[dict] = None  # the national target it is measured against
    vs_national: Optional[float] = None

    def display(self) -> str:
        return format_value(self.comparator, self.value, self.value_max, self.unit)

    def plan(self) -> str:
        return f"{self.doc_type or 'plan'} {self.doc_number or '(no number)'} ({self.plan_date or 'undated'})"


@dataclass
class Spread:
    unit: Optional[str]
    scope: Optional[str]
    provinces: int
    min: float
    median: float
    max: float


@dataclass
class Comparison:
    metric: MetricInfo
    commitments: list[Commitment]
    spreads: list[Spread]
    trajectories: dict[str, list[Commitment]] = field(default_factory=dict)  # province -> its commitments over time
    merged: bool = False

    def figure(self):
        """Each province's latest commitment against the national target and the median, as a matplotlib
        figure (a notebook shows it); None when no province committed."""
        from vnplans.pipeline import html

        return html.latest_figure(self)

    def trajectories_figure(self):
        """Each province's commitments by target year, as a matplotlib figure; None without trajectories."""
        from vnplans.pipeline import html

        return html.trajectory_figure(self)

    def to_json(self) -> dict:
        return {"metric": asdict(self.metric), "merged": self.merged,
                "spreads": [asdict(s) for s in self.spreads],
                "commitments": [asdict(c) for c in self.commitments],
                "trajectories": {p: [{"plan": c.plan(), "year": c.year, "value": c.display()} for c in cs]
                                 for p, cs in self.trajectories.items()}}


def format_value(comparator: str, value: float, value_max: Optional[float], unit: Optional[str]) -> str:
    v = f"{value:g}-{value_max:g}" if comparator == "range" and value_max is not None else f"{value:g}"
    u = unit or ""
    return f"{SYMBOL.get(comparator, comparator)}{v}{u if u == '%' else (' ' + u if u else '')}"


def resolve_metric(store: Store, query: str, resolved_by: str = "id") -> MetricInfo:
    """A metric of the store's catalog from its id, a DTI code, or its name or an alias as typed (diacritics
    optional). A wording is matched to an id before (`pipeline.lookups.metric`), as the front doors do."""
    rows = {r["id"]: r for r in store.query("SELECT * FROM metrics")}
    q = query.strip()
    how = resolved_by
    mid = q if q in rows else None
    if mid is None and _CODE.match(q):
        coded = store.query("SELECT id FROM metrics WHERE dti_code = ? ORDER BY rowid LIMIT 1", [q])
        mid, how = (coded[0]["id"], "dti-code") if coded else (None, how)
    if mid is None:  # typed without diacritics: the one metric whose name or an alias reads the same
        typed = fold(q)
        same = {r["id"] for r in rows.values()
                for spelling in [r["name"], *json.loads(r["aliases"] or "[]")] if fold(spelling) == typed}
        mid, how = (same.pop(), "folded") if len(same) == 1 else (None, how)
    if mid is None or mid not in rows:
        raise UnknownMetric(f"{query!r} names no metric of the catalog (vnplans metrics --all lists them; "
                            "give an id such as smartphone-adults, a DTI code such as 3.1, or the metric's wording)")
    r = rows[mid]
    return MetricInfo(r["id"], r["name"], r["unit"], r["dti_code"], json.loads(r["national"] or "[]"), how)


def _commitments(store: Store, metric_id: Optional[str] = None, year: Optional[int] = None) -> list[Commitment]:
    """Linked targets (of one metric, or all), each plan's commitment once; a national target a plan restates
    as context is not the province's commitment."""
    # restated: the same plan stored twice (a text and a PDF rendition), or a target restated in an appendix
    where = ["metric_id IS NOT NULL", "(scope IS NULL OR scope <> 'national')", "NOT restated"] + (
        ["metric_id = :metric"] if metric_id else []) + (["year = :year"] if year else [])
    sql = f"SELECT * FROM commitments WHERE {' AND '.join(where)} ORDER BY metric_id, province, plan_date, year, target_id"
    return [Commitment(*(r[f] for f in _ROW_FIELDS), latest=bool(r["latest"]))
            for r in store.query(sql, {"metric": metric_id, "year": year})]


_ROW_FIELDS = ("metric_id", "metric_name", "province", "province_successor", "doc_type", "doc_number", "plan_date",
               "year", "comparator", "value", "value_max", "unit", "scope", "quote", "metric_printed", "source", "line",
               "page", "start", "end", "link_method", "link_score")


def _recency(c: Commitment) -> tuple:
    return (c.plan_date or "", c.year or 0, c.scope in (None, "tỉnh"))


def _national_for(c: Commitment, national: list[dict], unit: Optional[str]) -> Optional[dict]:
    """The national target a commitment answers: same level, and of its year, else the next one set after it
    (a 2026 commitment faces the 2026 programme, not QĐ 749's 2025 or 57-NQ/TW's 2030), else the latest."""
    if not national or (c.unit or None) != (unit or None):
        return None
    same = [n for n in national if n.get("scope") == c.scope]
    if not same and c.scope is None:
        same = [n for n in national if not n.get("scope")] or (national if len(national) == 1 else [])
    if not same:
        return None
    year = c.year or 0
    later = sorted((n for n in same if (n.get("year") or 0) >= year), key=lambda n: n.get("year") or 0)
    return later[0] if later else max(same, key=lambda n: n.get("year") or 0)


def compare(store: Store, query: str, merged: bool = False, year: Optional[int] = None,
            resolved_by: str = "id") -> Comparison:
    info = resolve_metric(store, query, resolved_by)
    commitments = _commitments(store, info.id, year)
    groups: dict[tuple, list[Commitment]] = {}
    for c in commitments:
        groups.setdefault((c.unit, c.scope), []).append(c)
    spreads: list[Spread] = []
    for (unit, scope), cs in groups.items():
        if year is not None:  # the latest among this year's commitments, by the view's rule
            latest: dict[Optional[str], Commitment] = {}
            for c in cs:
                c.latest = False
                if c.province not in latest or _recency(c) >= _recency(latest[c.province]):
                    latest[c.province] = c
            for c in latest.values():
                c.latest = True
        values = [c.value for c in cs if c.latest]
        median = statistics.median(values)
        spreads.append(Spread(unit, scope, len(values), min(values), median, max(values)))
        for c in cs:
            c.vs_median = round(c.value - median, 4) if len(values) > 1 else None
    for c in commitments:
        c.national = _national_for(c, info.national, info.unit)
        if c.national:
            c.vs_national = round(c.value - c.national["value"], 4)
    by_series: dict[str, list[Commitment]] = {}
    for c in commitments:
        by_series.setdefault((c.province or "?") + (f" [{c.scope}]" if c.scope else ""), []).append(c)
    trajectories = {p: sorted(cs, key=lambda c: (c.year or 0, c.plan_date or ""))
                    for p, cs in sorted(by_series.items(), key=lambda kv: key(kv[0])) if len({c.year for c in cs}) > 1}
    commitments.sort(key=lambda c: ((key(c.province_successor or ""),) if merged else ()) + (
        key(c.province or ""), c.plan_date or "", c.year or 0, c.scope or ""))
    return Comparison(info, commitments, spreads, trajectories, merged)


# --- the matrix: metrics x provinces -------------------------------------------------------------------------

@dataclass
class Matrix:
    provinces: list[str]
    metrics: list[dict]  # {id, name, unit}
    cells: dict[str, dict[str, Commitment]]  # metric id -> province -> its latest commitment
    merged: bool = False
    year: Optional[int] = None

    def to_json(self) -> dict:
        return {"year": self.year, "merged": self.merged, "provinces": self.provinces, "metrics": self.metrics,
                "cells": {m: {p: {**asdict(c), "display": c.display()} for p, c in row.items()}
                          for m, row in self.cells.items()}}


def matrix(store: Store, year: Optional[int] = None, merged: bool = False) -> Matrix:
    """For each metric and province the most recent commitment; a blank cell is a province silent on it."""
    column = "province_successor" if merged else "province"
    provinces = [r["p"] for r in store.query(
        f"SELECT DISTINCT {column} AS p FROM documents WHERE {column} IS NOT NULL ORDER BY {column}")]
    units = {r["id"]: r["unit"] for r in store.query("SELECT id, unit FROM metrics")}
    cells: dict[str, dict[str, Commitment]] = {}
    for c in _commitments(store, year=year):
        c.latest = True
        row = cells.setdefault(c.metric_id, {})
        p = (c.province_successor if merged else c.province) or "?"
        if p not in row or _recency(c) > _recency(row[p]):
            row[p] = c
    provinces.sort(key=key)
    order = sorted(cells, key=lambda m: (-len(cells[m]), m))
    metrics = [{"id": m, "name": next(iter(cells[m].values())).metric_name, "unit": units.get(m)} for m in order]
    return Matrix(provinces, metrics, {m: cells[m] for m in order}, merged, year)


# --- rendering ---------------------------------------------------------------------------------------------

def _national_text(n: dict, unit: Optional[str]) -> str:
    scope = f" ({n['scope']})" if n.get("scope") else ""
    return f"{format_value(n['comparator'], n['value'], None, unit)} by {n['year']}{scope}, {n.get('source', '')}"


def _signed(x: Optional[float], unit: Optional[str]) -> str:
    if x is None:
        return "-"
    return f"{x:+g}{' pts' if unit == '%' else ''}"


def render_text(c: Comparison) -> str:
    m = c.metric
    out = [f"{m.id}: {m.name}" + (f"  [DTI {m.dti_code}]" if m.dti_code else "")
           + ("" if m.resolved_by == "id" else f"  (matched by {m.resolved_by})")]
    for n in m.national:
        out.append(f"  national target: {_national_text(n, m.unit)}")
    if not c.commitments:
        out.append("  no stored plan commits to this metric (vnplans metrics lists those that have targets)")
        return "\n".join(out)
    for s in c.spreads:
        level = f", level {s.scope}" if s.scope else ""
        out.append(f"  spread over {s.provinces} province(s) (latest commitment each; unit {s.unit or '-'}{level}):"
                   f" min {s.min:g}, median {s.median:g}, max {s.max:g}")
    out.append("")
    group = None
    for x in c.commitments:
        if c.merged and x.province_successor != group:
            group = x.province_successor
            out.append(f"{group or '?'} (since the 2025 merger)")
        where = f"line {x.line}" if x.line else (f"page {x.page}" if x.page else "")
        name = x.province or "?"
        out.append(f"  {'*' if x.latest else ' '} {name:<12} {x.year or '-':<5} {x.display():<14}"
                   f"{'[' + x.scope + '] ' if x.scope else ''}{x.plan()}"
                   f"   vs median {_signed(x.vs_median, x.unit)}, vs national {_signed(x.vs_national, x.unit)}")
        out.append(f"      \u201c{x.quote}\u201d  ({x.source}{', ' + where if where else ''})")
    if c.trajectories:
        out.append("\nhow commitments moved:")
        for p, cs in c.trajectories.items():
            out.append(f"  {p}: " + ", ".join(f"{x.year or '?'}: {x.display()}" for x in cs))
    out.append("\n* the province's latest commitment (its most recent plan), the one the spread counts")
    return "\n".join(out)


CSV_FIELDS = ("metric_id", "metric_name", "province", "province_successor", "year", "comparator", "value",
              "value_max", "unit", "scope", "doc_type", "doc_number", "plan_date", "latest", "vs_median",
              "national_value", "vs_national", "quote", "metric_printed", "source", "line", "page", "start", "end",
              "link_method", "link_score")


def csv_rows(c: Comparison) -> list[dict]:
    return [{**{k: v for k, v in asdict(x).items() if k in CSV_FIELDS},
             "national_value": x.national["value"] if x.national else None} for x in c.commitments]


def render_matrix(mx: Matrix, width: int = 11) -> str:
    head = f"{'metric':<28}" + "".join(f"{p[:width]:>{width + 1}}" for p in mx.provinces)
    out = [head, "-" * len(head)]
    for m in mx.metrics:
        row = mx.cells[m["id"]]
        cells = []
        for p in mx.provinces:
            x = row.get(p)
            text = "·" if x is None else (f"{format_value(x.comparator, x.value, x.value_max, x.unit if x.unit == '%' else None)}"
                                          + (f"'{x.year % 100:02d}" if x.year else ""))
            cells.append(f"{text[:width]:>{width + 1}}")
        out.append(f"{m['id'][:27]:<28}" + "".join(cells))
    filled = sum(len(r) for r in mx.cells.values())
    out.append(f"\n{len(mx.metrics)} metric(s) x {len(mx.provinces)} province(s), {filled} cell(s) committed"
               + (f" for {mx.year}" if mx.year else "") + "; '·' = no target in any stored plan; 'YY = target year")
    return "\n".join(out)


def matrix_csv_rows(mx: Matrix) -> list[dict]:
    return [{"metric_id": m["id"], "metric_name": m["name"],
             **{p: (mx.cells[m["id"]][p].display() + (f" ({mx.cells[m['id']][p].year})" if mx.cells[m["id"]][p].year else "")
                    if p in mx.cells[m["id"]] else "") for p in mx.provinces}} for m in mx.metrics]
