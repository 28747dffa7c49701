"""Printed agency names -> the canonical registry (extractors/data/agencies.yaml).

A printed name is matched after its office-holder title is split off ("Giám đốc"), its
parenthetical unit set aside ("Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công)") and a
province it names taken out ("Báo Bình Dương" is the provincial newspaper, of Bình Dương).
Methods, strongest first: an alias (exact key), an alias followed by a qualifier ("... trên địa
bàn tỉnh", "... liên quan"), a registry pattern ("Ủy ban nhân dân huyện <name>"), then a close
spelling (rapidfuzz over keys). Nothing else is guessed:
an unmatched name stays unknown and is listed by `vnplans agencies --unknown`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from rapidfuzz import fuzz, process

from vnplans.extractors import agencies as printed_names
from vnplans.extractors import provinces
from vnplans.extractors.keys import fold, key

FUZZY_MIN = 92  # rapidfuzz ratio over keys; below it a name is unknown rather than a guess
_PAREN_RE = re.compile(r"\s*\(([^()]*)\)\s*$")
_TRAILING_SCOPE_RE = re.compile(r"(?:\s+(?:cấp tỉnh|tỉnh|tinh|trên địa bàn|trên địa bàn tỉnh))+$")  # "tinh": unaccented
_LEADING_RE = re.compile(r"^(?:các|tất cả)\s+")


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    kind: str
    level: str
    collective: bool = False
    successor: Optional[str] = None
    since: Optional[str] = None
    note: Optional[str] = None


@dataclass(frozen=True)
class AgencyLink:
    """How one printed name resolved: to which agency, of which province, by what evidence."""

    agency: Agency
    province: Optional[str]  # the province whose instance this is (named in the text, else the plan's)
    method: str  # alias | alias+qualifier | pattern | fuzzy
    score: float
    qualifier: Optional[str] = None  # words that narrow the agency: "(Trung tâm Phục vụ hành chính công)"


def _match_key(name: str) -> str:
    k = key(printed_names.expand(name))
    k = _LEADING_RE.sub("", k)
    return _TRAILING_SCOPE_RE.sub("", k).strip()


@functools.lru_cache(maxsize=1)
def registry() -> dict[str, Agency]:
    out = {}
    for e in printed_names.registry_data()["agencies"]:
        out[e["id"]] = Agency(e["id"], e["name"], e["kind"], e.get("level") or "", bool(e.get("collective")),
                              e.get("successor"), str(e["since"]) if e.get("since") else None, e.get("note"))
    return out


@functools.lru_cache(maxsize=1)
def _alias_index() -> dict[str, str]:
    """Match key -> agency id. Two agencies may not share a key: the registry would be ambiguous."""
    index: dict[str, str] = {}
    for e in printed_names.registry_data()["agencies"]:
        for spelling in [e["name"], *e.get("aliases", []), *e.get("abbreviations", [])]:
            k = _match_key(_without_provinces(spelling)[0])
            if index.get(k, e["id"]) != e["id"]:
                raise ValueError(f"agencies.yaml: {spelling!r} of {e['id']} has the same key as {index[k]}")
            index[k] = e["id"]
    return index


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(p), e["id"]) for e in printed_names.registry_data()["agencies"] for p in e.get("patterns", []))


@functools.lru_cache(maxsize=1)
def _qualifiers() -> tuple[str, ...]:
    return tuple(key(q) for q in printed_names.registry_data()["qualifiers"])


def _without_provinces(name: str) -> tuple[str, Optional[str]]:
    """Take a capitalised province name out of an agency name: ('Báo', 'Bình Dương')."""
    found = [(p, s, e) for p, s, e in provinces.find_all(name) if name[s:e].split()[-1][:1].isupper()]
    if not found:
        return name, None
    out = name
    for p, s, e in reversed(found):
        # "tỉnh Ninh Thuận" -> "tỉnh"; "Báo Ninh Thuận" -> "Báo"
        m = re.match(r"(?i)(tỉnh|thành phố|tp\.?)\s+", name[s:e])
        out = out[:s] + (m.group(1) if m else "") + out[e:]
    return re.sub(r"\s+", " ", out).strip(" -–,"), found[0][0].name


def find(typed: str) -> Optional[AgencyLink]:
    """The agency a user typed: as `resolve` reads a printed name, else the same name without diacritics
    ("So Tai chinh", "ubnd tinh"), when one agency has it."""
    return resolve(typed) or _folded_index().get(fold(_match_key(_without_provinces(typed)[0])))


@functools.lru_cache(maxsize=1)
def _folded_index() -> dict[str, AgencyLink]:
    out: dict[str, Optional[str]] = {}
    for k, agency_id in _alias_index().items():
        f = fold(k)
        out[f] = None if f in out and out[f] != agency_id else agency_id
    return {f: AgencyLink(registry()[i], None, "folded", 0.9) for f, i in out.items() if i}


@functools.lru_cache(maxsize=4096)
def resolve(printed: str, plan_province: Optional[str] = None) -> Optional[AgencyLink]:
    """The registry agency a printed name (title already split off) stands for, or None.
    Cached: a plan names the same few dozen agencies hundreds of times."""
    name, qualifier = printed.strip(), None
    m = _PAREN_RE.search(name)
    if m and m.start() > 0:
        name, qualifier = name[:m.start()], m.group(1).strip()
    name, named_province = _without_provinces(name)
    link = _lookup(_match_key(name)) or _by_pattern(printed_names.expand(name)) or _close_spelling(_match_key(name))
    if link is None and qualifier:  # "(Trung tâm Hành chính công)" may be the only part we know
        link = _lookup(_match_key(qualifier)) or _close_spelling(_match_key(qualifier))
        qualifier = None if link else qualifier
    if link is None:
        return None
    agency_id, method, score, extra = link
    agency = registry()[agency_id]
    province = named_province or (plan_province if agency.level not in ("trung ương", "khu vực", "") else None)
    qual = "; ".join(q for q in (extra, qualifier) if q) or None
    return AgencyLink(agency, province, method, score, qual)


def _by_pattern(name: str) -> Optional[tuple[str, str, float, Optional[str]]]:
    for rx, agency_id in _patterns():
        m = rx.match(name)
        qualifier = m.groupdict().get("qualifier") if m else None
        if m and (qualifier is None or qualifier[:1].isupper() or qualifier[:1].isdigit()):
            return agency_id, "pattern", 0.9, qualifier  # a proper name: "xã Ân Tường", "Khu vực 9"
    return None


def _lookup(k: str) -> Optional[tuple[str, str, float, Optional[str]]]:
    if not k:
        return None
    index = _alias_index()
    if k in index:
        return index[k], "alias", 1.0, None
    # the longest alias the name starts with, when the rest is a qualifier
    words = k.split()
    for n in range(len(words) - 1, 0, -1):
        head, rest = " ".join(words[:n]), " ".join(words[n:])
        if head in index and rest.startswith(_qualifiers()):
            return index[head], "alias+qualifier", 0.95, rest
    return None


def _close_spelling(k: str) -> Optional[tuple[str, str, float, Optional[str]]]:
    """A registry spelling within a typo or two of the name, at the same administrative level."""
    index = _alias_index()
    best = process.extractOne(k, index.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN) if k else None
    if best and _levels(best[0]) == _levels(k):
        return index[best[0]], "fuzzy", round(best[1] / 100, 3), None
    return None  # a close spelling of another level ("... xã" for "... tỉnh") is another agency


LEVEL_WORDS = {"tỉnh": "tỉnh", "huyện": "huyện", "quận": "huyện", "xã": "xã", "phường": "xã", "thị trấn": "xã",
               "đặc khu": "xã", "trung ương": "trung ương", "khu vực": "khu vực"}


def _levels(k: str) -> set[str]:
    """The administrative levels a match key names ("... xã" is the commune's, "... tỉnh" the province's)."""
    words = f" {k} "
    return {level for w, level in LEVEL_WORDS.items() if f" {w} " in words}


def _chain(agency_id: str) -> list[str]:
    """The agency and its successors in order, ending with the one that holds the functions today."""
    reg, chain = registry(), [agency_id]
    while reg[chain[-1]].successor and reg[chain[-1]].successor not in chain:
        chain.append(reg[chain[-1]].successor)
    return chain


def current(agency_id: str) -> str:
    return _chain(agency_id)[-1]


def predecessors(agency_id: str) -> list[str]:
    """Every agency whose functions ended up with `agency_id`, itself included."""
    return [a for a in registry() if agency_id in _chain(a)]
