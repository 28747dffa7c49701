"""The listings of `vnplans list`, `show`, `agencies` and `metrics`: queries over the store and their text.

The read side: everything here comes from the store (its tables and the views of schemas/views.sql), the
canonical agencies and metrics included; the CLI only parses the command and prints what these return.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from vnplans.pipeline.store import Store


def documents(store: Store) -> list[dict]:
    q = ("SELECT d.*, (SELECT count(*) FROM sections s WHERE s.doc_id = d.id) AS n_sections,"
         " (SELECT count(*) FROM rows r WHERE r.doc_id = d.id) AS n_rows,"
         " (SELECT count(*) FROM targets t WHERE t.doc_id = d.id) AS n_targets,"
         " (SELECT group_concat(path, '; ') FROM sources p WHERE p.doc_id = d.id) AS paths,"
         " (SELECT source FROM documents o WHERE o.id = d.duplicate_of) AS duplicate_of_source"
         " FROM documents d ORDER BY d.province, d.issued_date")
    return store.query(q)


def failures(store: Store) -> list[dict]:
    return store.query("SELECT * FROM failures ORDER BY path")


def find(store: Store, ref: str) -> Optional[dict]:
    """A document by id prefix, file name (or its unique beginning) or path."""
    rows = list(store.db.query(
        "SELECT DISTINCT d.id FROM documents d LEFT JOIN sources p ON p.doc_id = d.id"
        " WHERE d.id LIKE :pre OR d.source LIKE :pre OR p.path = :ref OR p.path LIKE :suffix",
        {"pre": ref + "%", "ref": ref, "suffix": "%/" + ref}))
    if len(rows) != 1:
        return None
    return next(r for r in documents(store) if r["id"] == rows[0]["id"])


def pages(store: Store, doc_id: str) -> list[dict]:
    """Each PDF page: how it was read, its text's measure, and OCR confidence where OCR read it."""
    return store.query("SELECT q.page, q.source, q.non_syllable, q.single_letter, o.confidence FROM page_quality q"
                       " LEFT JOIN ocr_pages o ON o.doc_id = q.doc_id AND o.page = q.page"
                       " WHERE q.doc_id = ? ORDER BY q.page", [doc_id])


def sections(store: Store, doc_id: str) -> list[dict]:
    return store.query("SELECT * FROM sections WHERE doc_id = ? ORDER BY id", [doc_id])


def rows(store: Store, doc_id: str) -> list[dict]:
    q = ("SELECT r.*, (SELECT group_concat(a.name, '; ') FROM assignments x JOIN agencies a ON a.id = x.agency_id"
         "  WHERE x.row_id = r.id AND x.role = 'lead' ORDER BY x.position) AS lead,"
         " (SELECT group_concat(coalesce(c.name, '?' || a.name), '; ') FROM assignments x"
         "  JOIN agencies a ON a.id = x.agency_id LEFT JOIN canonical_agencies c ON c.id = x.canonical_id"
         "  WHERE x.row_id = r.id AND x.role = 'lead' ORDER BY x.position) AS lead_canonical"
         " FROM rows r WHERE r.doc_id = ? ORDER BY r.idx")
    return store.query(q, [doc_id])


def targets(store: Store, doc_id: str) -> list[dict]:
    q = ("SELECT t.*, m.name AS metric_name FROM targets t LEFT JOIN metrics m ON m.id = t.metric_id"
         " WHERE t.doc_id = ? ORDER BY t.idx")
    return store.query(q, [doc_id])


def document_agencies(store: Store, doc_id: str) -> list[dict]:
    """Each distinct printed agency of a document with what it resolved to and how often it is named."""
    q = ("SELECT x.printed, a.name AS agency, x.canonical_id, c.name AS canonical, c.kind, c.level,"
         " x.agency_province, x.qualifier, x.link_method, x.link_score, c.current_id,"
         " (SELECT name FROM canonical_agencies WHERE id = c.current_id) AS current_name, count(*) AS n"
         " FROM assignments x JOIN agencies a ON a.id = x.agency_id"
         " LEFT JOIN canonical_agencies c ON c.id = x.canonical_id WHERE x.doc_id = ?"
         " GROUP BY x.printed ORDER BY x.canonical_id IS NOT NULL, n DESC, x.printed")
    return store.query(q, [doc_id])


def unknown_agencies(store: Store) -> list[dict]:
    q = ("SELECT a.name AS agency, count(*) AS n, count(DISTINCT x.doc_id) AS documents,"
         " group_concat(DISTINCT x.role) AS roles, min(d.source) AS example"
         " FROM assignments x JOIN agencies a ON a.id = x.agency_id JOIN documents d ON d.id = x.doc_id"
         " WHERE x.canonical_id IS NULL AND d.duplicate_of IS NULL GROUP BY a.name ORDER BY n DESC, a.name")
    return store.query(q)


def agency_loads(store: Store) -> list[dict]:
    """Assignments per canonical agency, counted under today's agency (successor chain followed)."""
    q = ("SELECT c.current_id AS id, cur.name, cur.kind, cur.level,"
         " sum(x.role = 'lead') AS lead, sum(x.role = 'coordinate') AS coordinate, sum(x.role = 'monitor') AS monitor,"
         " count(DISTINCT x.doc_id) AS documents"
         " FROM assignments x JOIN canonical_agencies c ON c.id = x.canonical_id"
         " JOIN canonical_agencies cur ON cur.id = c.current_id"
         " JOIN documents d ON d.id = x.doc_id AND d.duplicate_of IS NULL"
         " GROUP BY c.current_id ORDER BY lead DESC, id")
    return store.query(q)


def agency_assignments(store: Store, agency_ids: list[str], role: Optional[str] = None,
                       due_year: Optional[int] = None) -> list[dict]:
    """Items given to these agencies, from the agency_items view; `due_year`: printed or inherited deadline."""
    marks = ",".join("?" * len(agency_ids))
    q = ("SELECT role, printed, canonical_id, agency_province, province, doc_number, issued_date, source, stt,"
         " item AS text, deadline_raw, deadline_end, due_end, due_from, inherited_from, indicator_code"
         f" FROM agency_items WHERE canonical_id IN ({marks})" + (" AND role = ?" if role else "")
         + (" AND due_year = ?" if due_year else "") + " ORDER BY province, issued_date, row_id")
    return store.query(q, [*agency_ids, *([role] if role else []), *([due_year] if due_year else [])])


def metric_usage(store: Store) -> list[dict]:
    q = ("SELECT m.id, m.name, m.unit, m.dti_code, m.national,"
         " (SELECT count(*) FROM targets t JOIN documents d ON d.id = t.doc_id"
         "  WHERE t.metric_id = m.id AND d.duplicate_of IS NULL) AS targets,"
         " (SELECT count(*) FROM rows r JOIN documents d ON d.id = r.doc_id"
         "  WHERE r.metric_id = m.id AND d.duplicate_of IS NULL) AS rows,"
         " (SELECT count(DISTINCT d.province) FROM targets t JOIN documents d ON d.id = t.doc_id"
         "  WHERE t.metric_id = m.id) AS provinces"
         " FROM metrics m ORDER BY targets DESC, rows DESC, m.id")
    return store.query(q)


def unlinked(store: Store) -> list[dict]:
    """Targets and indicator rows that link to no catalog entry, the same wording counted once."""
    q = ("SELECT 'target' AS item, t.metric AS text, t.unit, count(*) AS n, count(DISTINCT t.doc_id) AS documents,"
         " min(d.source) AS example FROM targets t JOIN documents d ON d.id = t.doc_id"
         " WHERE t.metric_id IS NULL AND d.duplicate_of IS NULL"
         " GROUP BY t.metric, t.unit"
         " UNION ALL SELECT 'indicator row', r.text, NULL, count(*), count(DISTINCT r.doc_id), min(d.source)"
         " FROM rows r JOIN documents d ON d.id = r.doc_id"
         " WHERE r.metric_id IS NULL AND r.kind = 'indicator' AND d.duplicate_of IS NULL"
         " GROUP BY r.text ORDER BY 1 DESC, 4 DESC, 2")
    return store.query(q)


def canonical_agency(store: Store, agency_id: str) -> Optional[dict]:
    found = store.query("SELECT * FROM canonical_agencies WHERE id = ?", [agency_id])
    return found[0] if found else None


def predecessors(store: Store, agency_id: str) -> list[dict]:
    """Every agency whose functions ended up with `agency_id` (the successor chain walked back), itself first."""
    return store.query(
        "WITH RECURSIVE chain(id, depth) AS (SELECT ?, 0 UNION SELECT c.id, chain.depth + 1 FROM canonical_agencies c"
        " JOIN chain ON c.successor = chain.id) SELECT a.* FROM chain JOIN canonical_agencies a ON a.id = chain.id"
        " ORDER BY chain.depth, a.id", [agency_id])


# --- text ---------------------------------------------------------------------------------


def render_list(docs: list[dict], failed: list[dict], db: str) -> str:
    out = []
    if not docs and not failed:
        out.append(f"{db}: no documents yet (run: vnplans ingest PATH)")
    for d in docs:
        out.append(f"{d['id'][:12]}  {d['doc_type'] or '?':<10} {d['doc_number'] or d['doc_number_raw'] or '-':<18} "
                   f"{d['province'] or '?':<12} {d['issued_date'] or d['issued_month'] or '?':<10}  "
                   f"{d['n_sections']:>3} sections {d['n_rows']:>4} rows {d['n_targets']:>3} targets  {d['source']}")
        out.extend(f"              warning: {w}" for w in json.loads(d["warnings"]))
        if d.get("duplicate_of"):
            out.append(f"              the same plan as {d['duplicate_of_source']} ({d['duplicate_of'][:12]}): "
                       "stored too, counted once")
    out.extend(f"FAILED        {f['path']}: {f['reason']}" for f in failed)
    return "\n".join(out)


def render_failures(failed: list[dict]) -> str:
    out = [f"{f['at'][:19]}  {f['path']}: {f['reason']}" for f in failed]
    out.append(f"{len(failed)} failed file(s)" + (" (re-run ingest with --retry-failed to try them again)"
                                                 if failed else ""))
    return "\n".join(out)


@dataclass
class Shown:
    """One stored document as `vnplans show` prints it."""

    document: dict
    pages: list[dict]
    sections: list[dict]
    agencies: list[dict]
    rows: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"document": {**{k: v for k, v in self.document.items() if k != "body"},
                             "warnings": json.loads(self.document["warnings"])},
                "pages": self.pages, "sections": self.sections, "agencies": self.agencies, "rows": self.rows,
                "targets": self.targets}


def show(store: Store, ref: str, with_rows: bool = False, with_targets: bool = False) -> Optional[Shown]:
    d = find(store, ref)
    if d is None:
        return None
    return Shown(d, pages(store, d["id"]), sections(store, d["id"]), document_agencies(store, d["id"]),
                 rows(store, d["id"]) if with_rows else [], targets(store, d["id"]) if with_targets else [])


def render_show(s: Shown, bullets: bool = False) -> str:
    d = s.document
    out = [f"id:        {d['id']}"]
    for key in ("source", "paths", "format", "doc_type", "doc_number", "doc_number_raw", "issuer", "province", "place",
                "issued_date", "issued_month", "signer", "signer_title", "title", "form"):
        if d.get(key) is not None:
            out.append(f"{key + ':':<11}{d[key]}")
    if d.get("duplicate_of"):
        out.append(f"{'same plan:':<11}as {d['duplicate_of_source']} ({d['duplicate_of'][:12]}), which is the one counted")
    if d.get("period_start"):
        out.append(f"period:    {d['period_start']}-{d['period_end']}")
    if d.get("province_code"):
        moved = (f" -> since the 2025 merger part of {d['province_successor']} ({d['province_successor_code']})"
                 if d["province_successor"] != d["province"] else " (kept its name in the 2025 merger)")
        out.append(f"{'province:':<11}{d['province']} ({d['province_code']}){moved}")
        if d.get("province_regime") == "uncertain":
            out.append(f"{'':<11}issued before or after the 2025 merger? not settled (no date; the text does not say)")
    out.append(f"counts:    {d['n_sections']} sections, {d['n_rows']} rows, {d['n_targets']} targets")
    out.extend(f"warning:   {w}" for w in json.loads(d["warnings"]))
    out.extend(_page_lines(s.pages))
    out.append("\nsections:")
    depth: dict[int, int] = {}
    for sec in s.sections:
        depth[sec["id"]] = depth.get(sec["parent"], -1) + 1 if sec["parent"] is not None else 0
        if sec["kind"] == "bullet" and not bullets:
            continue
        label = f"{sec['label']} " if sec["label"] else ""
        out.append(f"  {'  ' * depth[sec['id']]}[{sec['kind']}] {label}{(sec['heading'] or '')[:90]}  (line {sec['line']})")
    out.extend(_agency_lines(s.agencies))
    if s.rows:
        out.append("\nrows (-> catalog link):")
        for r in s.rows:
            mark = "p" if r.get("origin") == "prose" else " "
            out.append(f"  {mark} {r['stt'] or '':<7} {r['text'][:70]:<70}  lead: {r['lead'] or '-'}  "
                       f"{r['deadline_raw'] or ''}")
            if r.get("metric_id"):
                code = f"DTI {r['indicator_code']}, " if r.get("indicator_code") else ""
                out.append(f"            -> {code}{r['metric_id']} ({r['link_method']} {r['link_score']:.2f})")
    if s.targets:
        out.append("\ntargets (printed metric -> canonical metric):")
        for t in s.targets:
            value = f"{t['comparator']} {t['value']:g}{'-' + format(t['value_max'], 'g') if t['value_max'] else ''}"
            scope = f" [{t['scope']}]" if t.get("scope") else ""
            out.append(f"  {t['metric'][:70]:<70} {value} {t['unit'] or ''} {t['year'] or ''}{scope}")
            link = (f"{t['metric_name']} [{t['metric_id']}, {t['link_method']} {t['link_score']:.2f}]"
                    if t["metric_id"] else "(unlinked)")
            out.append(f"      -> {link}")
    return "\n".join(out)


def _page_lines(page_rows: list[dict]) -> list[str]:
    """One line per PDF page: text layer or OCR, and how Vietnamese its text reads (garbled pages flagged)."""
    if not page_rows:
        return []
    out = ["\npages (read from; tokens that are no Vietnamese syllable; one-letter tokens; OCR confidence):"]
    for q in page_rows:
        ocr = f"  OCR {q['confidence']:.0f}%" if q["confidence"] is not None else ""
        flag = "  <- check" if q["non_syllable"] > 0.25 or q["single_letter"] > 0.12 else ""
        out.append(f"  p{q['page']:<4} {q['source']:<5} non-syllable {q['non_syllable']:.0%}  one-letter "
                   f"{q['single_letter']:.0%}{ocr}{flag}")
    return out


def _agency_lines(agency_rows: list[dict]) -> list[str]:
    """Printed agency -> canonical registry agency, unknown ones flagged."""
    if not agency_rows:
        return []
    out = ["\nagencies (printed -> canonical):"]
    for a in agency_rows:
        if not a["canonical_id"]:
            out.append(f"  ? {a['printed']}  (not in the registry; x{a['n']})")
            continue
        where = f", {a['agency_province']}" if a["agency_province"] else ""
        extra = f" ({a['qualifier']})" if a["qualifier"] else ""
        now = f"; today {a['current_name']}" if a["current_id"] != a["canonical_id"] else ""
        out.append(f"    {a['printed']} -> {a['canonical']}{extra} [{a['kind']}{where}; {a['link_method']}"
                   f" {a['link_score']:.2f}{now}] x{a['n']}")
    return out


def render_unknown_agencies(rows_: list[dict]) -> str:
    if not rows_:
        return "every stored agency name resolves to the registry (extractors/data/agencies.yaml)"
    out = [f"{r['n']:>5}  {r['agency']}  ({r['roles']}; {r['documents']} document(s), e.g. {r['example']})" for r in rows_]
    out.append(f"\n{len(rows_)} unknown name(s), {sum(r['n'] for r in rows_)} assignment(s): add them as aliases in "
               "extractors/data/agencies.yaml, then re-run ingest")
    return "\n".join(out)


def render_agency(store: Store, agency: dict, ids: list[str], items: list[dict], due: Optional[int]) -> str:
    """One agency's assignments, with what it was merged into and what was merged into it."""
    out = [f"{agency['name']} [{agency['id']}; {agency['kind']}, {agency['level'] or 'no level'}]"]
    if agency["successor"]:
        now = canonical_agency(store, agency["current_id"])
        out.append(f"  merged into {now['name']} on {agency['since']}" + (f" ({agency['note']})" if agency["note"] else ""))
    if len(ids) > 1:
        out.append("  includes predecessors: " + ", ".join(p["name"] for p in predecessors(store, agency["id"])
                                                           if p["id"] != agency["id"]))
    for r in items:
        shown_due = r["deadline_raw"] or ""
        if due and r["due_from"] == "inherited":
            shown_due = f"(inherited: {r['due_end']}, from {r['inherited_from'] or 'its section'})"
        out.append(f"  {r['role']:<10} {r['province'] or '?':<12} {r['doc_number'] or r['source']:<16} {r['stt'] or '':<7} "
                   f"{r['text'][:60]:<60} {shown_due}")
    inherited = sum(r["due_from"] == "inherited" for r in items)
    out.append(f"  {len(items)} assignment(s)" + (f" due in {due} ({inherited} by the period of their table or "
                                                  f"section, no deadline printed on the item)" if due else ""))
    return "\n".join(out)


def render_loads(store: Store, loads: list[dict]) -> str:
    out = []
    for r in loads:
        merged = [p["name"] for p in predecessors(store, r["id"]) if p["id"] != r["id"]]
        pred = f"  (counting {'; '.join(merged)})" if merged else ""
        out.append(f"{r['id']:<24} {r['name'][:48]:<48} lead {r['lead']:>4}  coordinate {r['coordinate']:>4}  "
                   f"monitor {r['monitor']:>3}  in {r['documents']} doc(s){pred}")
    return "\n".join(out)


def render_unlinked(rows_: list[dict]) -> str:
    out = []
    for r in rows_:
        unit = f" [{r['unit']}]" if r["unit"] else ""
        out.append(f"{r['n']:>4}  {r['item']:<13} {r['text'][:90]}{unit}  ({r['documents']} doc(s), e.g. {r['example']})")
    out.append(f"\n{len(rows_)} unlinked wording(s): add aliases in extractors/data/metrics.yaml where a domain reader "
               "would call them a catalog metric")
    return "\n".join(out)


def render_metrics(usage: list[dict]) -> str:
    out = []
    for m in usage:
        national = json.loads(m["national"])
        nat = "; national " + ", ".join(f"{n['comparator']}{n['value']:g}{m['unit'] or ''} by {n['year']}"
                                        + (f" ({n['scope']})" if n.get("scope") else "") for n in national) if national else ""
        dti = f" DTI {m['dti_code']}" if m["dti_code"] else ""
        out.append(f"{m['id']:<26} {m['name'][:60]:<60} targets {m['targets']:>3}  rows {m['rows']:>3}  "
                   f"provinces {m['provinces']:>2}{dti}{nat}")
    return "\n".join(out)
