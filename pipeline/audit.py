"""Assignment audit: who is responsible for what, by when, and what nobody is.

Reads the `items` and `agency_items` views (schemas/views.sql), the same ones Datasette's canned
audit queries use. Rows that are a DTI pillar's heading ("2 Thể chế số") carry nothing to assign
and are left out of every check.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Optional

from vnplans.extractors.errors import VnplansError
from vnplans.extractors.keys import fold, key
from vnplans.pipeline import listings
from vnplans.pipeline.store import Store


class AuditError(VnplansError):
    pass


@dataclass
class Item:
    row_id: int
    stt: Optional[str]
    text: str
    kind: str
    origin: str
    indicator_code: Optional[str]
    leads: Optional[str]
    coordinators: Optional[str]
    deadline_raw: Optional[str]
    deadline_end: Optional[str]
    line: Optional[int]
    page: Optional[int]
    note: Optional[str] = None  # context for an auditor: its sub-items or its parent are assigned

    def label(self) -> str:
        return self.stt or ("prose task" if self.origin == "prose" else "row")


@dataclass
class AgencyLoad:
    """Counted under today's agency (as `vnplans agencies` and Datasette's agency_load count), with the
    agencies the plans named, where another, broken down under it."""
    id: Optional[str]  # today's canonical id; None for a name the registry does not know
    name: str
    as_printed: list[dict] = field(default_factory=list)  # {id, name, led, coordinated, monitored}: predecessors named
    led: int = 0
    coordinated: int = 0
    monitored: int = 0
    earliest_deadline: Optional[str] = None
    next_deadline: Optional[str] = None  # the first one on or after the audit date
    past_led: int = 0  # led items whose deadline had passed at the audit date


@dataclass
class Coverage:
    catalog: Optional[str]  # version in force at the plan date; None: no catalog was in force yet
    decision: Optional[str]
    indicators: int = 0
    covered: int = 0
    gaps: list[dict] = field(default_factory=list)  # {code, name, pillar, pillar_name}
    note: Optional[str] = None
    pillars: list[dict] = field(default_factory=list)  # {code, name, covered, total}: the coverage per pillar


@dataclass
class PlanAudit:
    doc_id: str
    source: str
    doc_type: Optional[str]
    doc_number: Optional[str]
    province: Optional[str]
    plan_date: Optional[str]
    items: int
    headings: int
    no_lead: list[Item]
    collective_lead: list[Item]
    several_leads: list[Item]
    no_deadline: list[Item]
    vague_deadline: list[Item]
    past_deadline: list[Item]
    coverage: Coverage
    loads: list[AgencyLoad]

    def title(self) -> str:
        return (f"{self.doc_type or 'Plan'} {self.doc_number or '(no number)'}, {self.province or '?'},"
                f" {self.plan_date or 'undated'} ({self.source})")


@dataclass
class Conflict:
    province: str
    item: str  # what the two plans both assign: a metric id or the item's wording
    a: dict  # {doc_number, plan_date, stt, text, leads}
    b: dict


@dataclass
class Audit:
    as_of: str
    scope: str
    plans: list[PlanAudit]
    loads: list[AgencyLoad]
    conflicts: list[Conflict]

    def totals(self) -> dict:
        names = ("no_lead", "collective_lead", "several_leads", "no_deadline", "vague_deadline", "past_deadline")
        out = {"plans": len(self.plans), "items": sum(p.items for p in self.plans)}
        out.update({n: sum(len(getattr(p, n)) for p in self.plans) for n in names})
        out["conflicts"] = len(self.conflicts)
        return out

    def to_json(self) -> dict:
        return {"as_of": self.as_of, "scope": self.scope, "totals": self.totals(),
                "plans": [asdict(p) for p in self.plans], "loads": [asdict(a) for a in self.loads],
                "conflicts": [asdict(c) for c in self.conflicts]}


def _as_of(value: Optional[str]) -> str:
    if not value:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise AuditError(f"--as-of {value!r} is not a date (YYYY-MM-DD)") from None


def select_documents(store: Store, province: Optional[str] = None, doc: Optional[str] = None) -> tuple[list[dict], str]:
    """The plans an audit covers and how to say so: one document, a province (then or since 2025), or all."""
    if doc:
        d = listings.find(store, doc)
        if d is None:
            raise AuditError(f"no single stored document matches {doc!r} (use an id prefix or file name; see vnplans list)")
        return [d], f"document {d['source']}"
    docs = [d for d in listings.documents(store) if not d["duplicate_of"]]  # a plan in two files: once
    if province:  # a name as plans print it (the front doors read a typed one with pipeline.lookups.province)
        typed = fold(province)
        known = store.query("SELECT name, successor FROM provinces")
        name = next((p["name"] for p in known if fold(p["name"]) == typed), province)
        successors = {p["successor"] for p in known}
        docs = [d for d in docs if key(d["province"] or "") == key(name)
                or (name in successors and key(d["province_successor"] or "") == key(name))]
        if not docs:
            raise AuditError(f"no stored plan of province {province!r} (vnplans list shows the stored plans)")
        return docs, f"province {name}"
    return docs, "all stored plans"


def _item(r: dict) -> Item:
    return Item(r["row_id"], r["stt"], r["text"], r["kind"], r["origin"], r["indicator_code"], r["leads"],
                r["coordinators"], r["deadline_raw"], r["deadline_end"], r["line"], r["page"])


def _context(r: dict, rows: list[dict], parents: dict[str, Optional[str]]) -> Optional[str]:
    """Why an unassigned indicator row may still be covered: its sub-items or its parent have a lead."""
    code = r["indicator_code"]
    if not code:
        return None
    if r["link_method"] == "parent-code":
        parent = [x for x in rows if x["indicator_code"] == code and x["link_method"] == "code" and x["leads"]]
        return (f"chỉ số cha {code} do {parent[0]['leads']} chủ trì · its parent {code} is led by {parent[0]['leads']}"
                if parent else None)
    subs = [x for x in rows if x["row_id"] != r["row_id"] and x["leads"] and (
        (x["indicator_code"] == code and x["link_method"] == "sub-item") or parents.get(x["indicator_code"]) == code)]
    if subs:
        return (f"{len(subs)} mục con đã được giao · sub-item(s) assigned: "
                + ", ".join(f"{x['stt'] or '-'} → {x['leads']}" for x in subs))
    return None


def _in_force(store: Store, plan_date: Optional[str]) -> Optional[dict]:
    """The DTI catalog version in force at the plan date; None before the first (or with no date)."""
    versions = store.query("SELECT * FROM dti_catalogs WHERE effective_from <= ? ORDER BY effective_from DESC LIMIT 1",
                           [plan_date]) if plan_date else []
    return versions[0] if versions else None


def _coverage(store: Store, rows: list[dict], plan_date: Optional[str]) -> Coverage:
    v = _in_force(store, plan_date)
    if v is None:
        first = store.query("SELECT * FROM dti_catalogs ORDER BY effective_from LIMIT 1")[0]
        return Coverage(None, None, note=f"chưa có Bộ chỉ số DTI nào có hiệu lực · no DTI catalog was in force on "
                                         f"{plan_date or 'an unknown date'} ({first['decision']} applies from "
                                         f"{first['effective_from']})")
    assigned = {r["indicator_code"] for r in rows if r["leads"] and r["indicator_code"] and r["catalog"] == v["id"]}
    assessed = {i["code"]: i for i in store.query("SELECT * FROM dti_indicators WHERE catalog = ? ORDER BY rowid",
                                                  [v["id"]])}

    def lineage(code: str) -> set[str]:
        out, c = {code}, assessed[code]["parent"] if code in assessed else None
        while c:
            out.add(c)
            c = assessed[c]["parent"] if c in assessed else None
        return out

    covered = set()
    for code in assessed:
        line = lineage(code)
        if line & assigned or any(code in lineage(a) for a in assigned if a in assessed):
            covered.add(code)
    gaps = [{"code": i["code"], "name": i["name"], "pillar": i["pillar"], "pillar_name": i["pillar_name"]}
            for i in assessed.values() if i["code"] not in covered]
    pillars: dict[str, dict] = {}
    for i in assessed.values():
        p = pillars.setdefault(i["pillar"], {"code": i["pillar"], "name": i["pillar_name"], "covered": 0, "total": 0})
        p["total"] += 1
        p["covered"] += i["code"] in covered
    notes = [] if assigned else ["kế hoạch không giao chỉ số DTI nào · the plan assigns no DTI indicator: it is not "
                                 "organised by the index"]
    if not v["components"]:
        notes.append(f"tính trên {len(assessed)} chỉ số chính · {v['id']} is counted over its {len(assessed)} main "
                     "indicators: its components are not in the catalog")
    return Coverage(v["id"], v["decision"], len(assessed), len(covered), gaps, "; ".join(notes) or None,
                    list(pillars.values()))


ROLE_COUNT = {"lead": "led", "coordinate": "coordinated", "monitor": "monitored"}


def _loads(assignments: list[dict], as_of: str) -> list[AgencyLoad]:
    loads: dict[str, AgencyLoad] = {}
    for a in assignments:
        today_id = a["current_id"] or a["canonical_id"]
        ident = today_id or "?" + a["agency_printed"]
        load = loads.get(ident)
        if load is None:
            name = (a["agency_today"] if a["current_id"] else a["agency"]) or a["agency_printed"]
            load = loads[ident] = AgencyLoad(today_id, name)
        count = ROLE_COUNT[a["role"]]
        setattr(load, count, getattr(load, count) + 1)
        if a["canonical_id"] and a["canonical_id"] != today_id:  # a predecessor named by the plan
            part = next((x for x in load.as_printed if x["id"] == a["canonical_id"]), None)
            if part is None:
                part = {"id": a["canonical_id"], "name": a["agency"], "led": 0, "coordinated": 0, "monitored": 0}
                load.as_printed.append(part)
            part[count] += 1
        d = a["deadline_end"]
        if d:
            load.earliest_deadline = min(filter(None, (load.earliest_deadline, d)))
            if d >= as_of:
                load.next_deadline = min(filter(None, (load.next_deadline, d)))
            elif a["role"] == "lead":
                load.past_led += 1
    return sorted(loads.values(), key=lambda x: (-x.led, -x.coordinated, key(x.name)))


def _plan(store: Store, d: dict, as_of: str) -> PlanAudit:
    rows = store.query("SELECT * FROM items WHERE doc_id = ? ORDER BY idx", [d["id"]])
    plan_date = d["issued_date"] or d["issued_month"]
    version = _in_force(store, plan_date)
    parents = {i["code"]: i["parent"] for i in store.query("SELECT code, parent FROM dti_indicators WHERE catalog = ?",
                                                           [version["id"]])} if version else {}
    audited = [r for r in rows if not r["heading"]]

    def pick(test) -> list[Item]:
        out = []
        for r in audited:
            if test(r):
                item = _item(r)
                if r["lead_state"] == "none":
                    item.note = _context(r, audited, parents)
                out.append(item)
        return out

    return PlanAudit(
        d["id"], d["source"], d["doc_type"], d["doc_number"] or d["doc_number_raw"], d["province"], plan_date,
        items=len(audited), headings=len(rows) - len(audited),
        no_lead=pick(lambda r: r["lead_state"] == "none"),
        collective_lead=pick(lambda r: r["lead_state"] == "collective"),
        several_leads=pick(lambda r: r["lead_state"] == "several"),
        no_deadline=pick(lambda r: r["deadline_state"] == "none"),
        vague_deadline=pick(lambda r: r["deadline_state"] == "vague"),
        past_deadline=pick(lambda r: r["deadline_end"] is not None and r["deadline_end"] < as_of),
        coverage=_coverage(store, audited, plan_date),
        loads=_loads(store.query("SELECT * FROM agency_items WHERE doc_id = ?", [d["id"]]), as_of),
    )


def _conflicts(store: Store, docs: list[dict]) -> list[Conflict]:
    """Items two plans of one province both assign, to different leads (compared as today's agencies)."""
    ids = [d["id"] for d in docs]
    if len(ids) < 2:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.query(
        "SELECT i.*, (SELECT group_concat(DISTINCT coalesce(c.current_id, x.agency_id)) FROM assignments x"
        "  LEFT JOIN canonical_agencies c ON c.id = x.canonical_id WHERE x.row_id = i.row_id AND x.role = 'lead')"
        f"  AS lead_today FROM items i WHERE i.doc_id IN ({marks}) AND i.heading = 0 AND i.n_leads > 0", ids)
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        what = r["metric_id"] or key(r["text"])
        groups.setdefault((r["province"], what), []).append(r)
    out = []
    for (province, what), rs in groups.items():
        plans = {}
        for r in rs:
            plans.setdefault(r["doc_id"], r)
        firsts = sorted(plans.values(), key=lambda r: r["plan_date"] or "")
        for a, b in zip(firsts, firsts[1:]):
            if set(a["lead_today"].split(",")) != set(b["lead_today"].split(",")):
                out.append(Conflict(province or "?", what, *(
                    {"doc_number": r["doc_number"], "plan_date": r["plan_date"], "stt": r["stt"], "text": r["text"],
                     "leads": r["leads"]} for r in (a, b))))
    return out


def audit(store: Store, province: Optional[str] = None, doc: Optional[str] = None,
          as_of: Optional[str] = None) -> Audit:
    when = _as_of(as_of)
    docs, scope = select_documents(store, province, doc)
    plans = [_plan(store, d, when) for d in docs]
    ids = [d["id"] for d in docs]
    overall = _loads(store.query(f"SELECT * FROM agency_items WHERE doc_id IN ({','.join('?' * len(ids))})", ids),
                     when) if ids else []
    return Audit(when, scope, plans, overall, _conflicts(store, docs))


# --- terminal report -----------------------------------------------------------------------------------------

def _short(text: str, n: int = 72) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _lines(title: str, items: list[Item], show) -> list[str]:
    if not items:
        return [f"  {title}: none"]
    out = [f"  {title}: {len(items)}"]
    for i in items:
        out.append(f"    {i.label():<9} {_short(i.text):<72}  {show(i)}")
        if i.note:
            out.append(f"              ({i.note})")
    return out


def _load_lines(loads: list[AgencyLoad], limit: Optional[int] = None) -> list[str]:
    out = [f"    {'agency':<52} {'led':>4} {'coord':>5} {'mon':>4}  {'earliest':<10}  {'next':<10}  past-due led"]
    for a in loads[:limit]:
        name = a.name + ("" if a.id else " (?)")
        out.append(f"    {_short(name, 52):<52} {a.led:>4} {a.coordinated:>5} {a.monitored:>4}  "
                   f"{a.earliest_deadline or '-':<10}  {a.next_deadline or '-':<10}  {a.past_led}")
        for x in a.as_printed:  # the part of it the plans gave to a predecessor, by that name
            out.append(f"      {_short('as ' + x['name'], 50):<50} {x['led']:>4} {x['coordinated']:>5} {x['monitored']:>4}")
    if limit and len(loads) > limit:
        out.append(f"    ... {len(loads) - limit} more (--json has them all)")
    return out


def render_text(a: Audit) -> str:
    out = [f"Assignment audit of {a.scope}, as of {a.as_of}", ""]
    for p in a.plans:
        out.append(p.title())
        if not p.items:
            out += ["  no table rows or tasks were extracted from this document: nothing to audit", ""]
            continue
        out.append(f"  {p.items} items audited ({p.headings} pillar heading rows left out)")
        out += _lines("no lead agency", p.no_lead, lambda i: f"deadline {i.deadline_raw or '-'}")
        out += _lines("only a collective lead", p.collective_lead, lambda i: f"lead {i.leads}")
        out += _lines("several leads (diffuse responsibility)", p.several_leads, lambda i: f"leads {_short(i.leads, 60)}")
        out += _lines("no deadline", p.no_deadline, lambda i: f"lead {_short(i.leads or '-', 40)}")
        out += _lines("vague deadline", p.vague_deadline, lambda i: f"\u201c{i.deadline_raw or i.deadline_end}\u201d")
        past = p.past_deadline
        out.append(f"  deadline passed by {a.as_of}: {len(past)}"
                   + (f" (earliest {min(i.deadline_end for i in past)}, latest {max(i.deadline_end for i in past)})"
                      if past else ""))
        c = p.coverage
        if c.catalog is None:
            out.append(f"  DTI coverage: not applicable, {c.note}")
        else:
            out.append(f"  DTI coverage ({c.decision}, {c.catalog}): {c.covered} of {c.indicators} indicators assigned"
                       + (f"; {c.note}" if c.note else ""))
            if c.gaps and c.covered:
                by_pillar: dict[str, list[str]] = {}
                for g in c.gaps:
                    by_pillar.setdefault(f"{g['pillar']} {g['pillar_name']}", []).append(g["code"])
                for pillar, codes in by_pillar.items():
                    out.append(f"    never assigned, pillar {pillar}: {', '.join(codes)}")
        out.append("  agency load:")
        out += _load_lines(p.loads)
        out.append("")
    t = a.totals()
    out.append(f"Overall: {t['plans']} plan(s), {t['items']} items; no lead {t['no_lead']}, collective lead only "
               f"{t['collective_lead']}, several leads {t['several_leads']}, no deadline {t['no_deadline']}, vague "
               f"deadline {t['vague_deadline']}, deadline passed {t['past_deadline']}")
    if len(a.plans) > 1:
        out.append("  agency load across these plans:")
        out += _load_lines(a.loads, 25)
    if a.conflicts:
        out.append(f"  the same item assigned to different leads by two plans of one province: {len(a.conflicts)}")
        for c in a.conflicts:
            out.append(f"    {c.province}: {_short(c.item, 60)}")
            for side in (c.a, c.b):
                out.append(f"      {side['doc_number'] or '?'} ({side['plan_date']}) {side['stt'] or ''}: {side['leads']}")
    else:
        out.append("  no item is assigned to different leads by two plans of one province")
    return "\n".join(out)
