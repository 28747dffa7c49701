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
from vnplans.extractors.provinces import Provinces
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


LEVEL_WORDS = {"tỉnh": "tỉnh", "huyện": "huyện", "quận": "huyện", "xã": "xã", "phường": "xã", "thị trấn": "xã",
               "đặc khu": "xã", "trung ương": "trung ương", "khu vực": "khu vực"}


def _levels(k: str) -> set[str]:
    """The administrative levels a match key names ("... xã" is the commune's, "... tỉnh" the province's)."""
    words = f" {k} "
    return {level for w, level in LEVEL_WORDS.items() if f" {w} " in words}


class Registry:
    """The agency registry (data/agencies.yaml), loaded once and passed in, and how printed names resolve to it."""

    def __init__(self, data: dict, gazetteer: Provinces):
        self.gazetteer = gazetteer
        self.agencies: dict[str, Agency] = {
            e["id"]: Agency(e["id"], e["name"], e["kind"], e.get("level") or "", bool(e.get("collective")),
                            e.get("successor"), str(e["since"]) if e.get("since") else None, e.get("note"))
            for e in data["agencies"]}
        self._patterns = tuple((re.compile(p), e["id"]) for e in data["agencies"] for p in e.get("patterns", []))
        self._qualifiers = tuple(key(q) for q in data["qualifiers"])
        # match key -> agency id; two agencies may not share a key: the registry would be ambiguous
        self._index: dict[str, str] = {}
        for e in data["agencies"]:
            for spelling in [e["name"], *e.get("aliases", []), *e.get("abbreviations", [])]:
                k = _match_key(self._without_provinces(spelling)[0])
                if self._index.get(k, e["id"]) != e["id"]:
                    raise ValueError(f"agencies.yaml: {spelling!r} of {e['id']} has the same key as {self._index[k]}")
                self._index[k] = e["id"]
        folded: dict[str, Optional[str]] = {}
        for k, agency_id in self._index.items():
            f = fold(k)
            folded[f] = None if f in folded and folded[f] != agency_id else agency_id
        self._folded = {f: AgencyLink(self.agencies[i], None, "folded", 0.9) for f, i in folded.items() if i}
        # a plan names the same few dozen agencies hundreds of times: resolved once per registry
        self.resolve = functools.lru_cache(maxsize=4096)(self._resolve)

    @classmethod
    def load(cls, gazetteer: Provinces) -> "Registry":
        return cls(printed_names.registry_data(), gazetteer)

    def _without_provinces(self, name: str) -> tuple[str, Optional[str]]:
        """Take a capitalised province name out of an agency name: ('Báo', 'Bình Dương')."""
        found = [(p, s, e) for p, s, e in self.gazetteer.find_all(name) if name[s:e].split()[-1][:1].isupper()]
        if not found:
            return name, None
        out = name
        for p, s, e in reversed(found):
            # "tỉnh Ninh Thuận" -> "tỉnh"; "Báo Ninh Thuận" -> "Báo"
            m = re.match(r"(?i)(tỉnh|thành phố|tp\.?)\s+", name[s:e])
            out = out[:s] + (m.group(1) if m else "") + out[e:]
        return " ".join(out.split()).strip(" -–,"), found[0][0].name

    def find(self, typed: str) -> Optional[AgencyLink]:
        """The agency a user typed: as `resolve` reads a printed name, else the same name without diacritics
        ("So Tai chinh", "ubnd tinh"), when one agency has it."""
        return self.resolve(typed) or self._folded.get(fold(_match_key(self._without_provinces(typed)[0])))

    def _resolve(self, printed: str, plan_province: Optional[str] = None) -> Optional[AgencyLink]:
        """The registry agency a printed name (title already split off) stands for, or None."""
        name, qualifier = printed.strip(), None
        m = _PAREN_RE.search(name)
        if m and m.start() > 0:
            name, qualifier = name[:m.start()], m.group(1).strip()
        name, named_province = self._without_provinces(name)
        link = (self._lookup(_match_key(name)) or self._by_pattern(printed_names.expand(name))
                or self._close_spelling(_match_key(name)))
        if link is None and qualifier:  # "(Trung tâm Hành chính công)" may be the only part we know
            link = self._lookup(_match_key(qualifier)) or self._close_spelling(_match_key(qualifier))
            qualifier = None if link else qualifier
        if link is None:
            return None
        agency_id, method, score, extra = link
        agency = self.agencies[agency_id]
        province = named_province or (plan_province if agency.level not in ("trung ương", "khu vực", "") else None)
        qual = "; ".join(q for q in (extra, qualifier) if q) or None
        return AgencyLink(agency, province, method, score, qual)

    def _by_pattern(self, name: str) -> Optional[tuple[str, str, float, Optional[str]]]:
        for rx, agency_id in self._patterns:
            m = rx.match(name)
            qualifier = m.groupdict().get("qualifier") if m else None
            if m and (qualifier is None or qualifier[:1].isupper() or qualifier[:1].isdigit()):
                return agency_id, "pattern", 0.9, qualifier  # a proper name: "xã Ân Tường", "Khu vực 9"
        return None

    def _lookup(self, k: str) -> Optional[tuple[str, str, float, Optional[str]]]:
        if not k:
            return None
        index = self._index
        if k in index:
            return index[k], "alias", 1.0, None
        # the longest alias the name starts with, when the rest is a qualifier
        words = k.split()
        for n in range(len(words) - 1, 0, -1):
            head, rest = " ".join(words[:n]), " ".join(words[n:])
            if head in index and rest.startswith(self._qualifiers):
                return index[head], "alias+qualifier", 0.95, rest
        return None

    def _close_spelling(self, k: str) -> Optional[tuple[str, str, float, Optional[str]]]:
        """A registry spelling within a typo or two of the name, at the same administrative level."""
        best = process.extractOne(k, self._index.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN) if k else None
        if best and _levels(best[0]) == _levels(k):
            return self._index[best[0]], "fuzzy", round(best[1] / 100, 3), None
        return None  # a close spelling of another level ("... xã" for "... tỉnh") is another agency

    def chain(self, agency_id: str) -> list[str]:
        """The agency and its successors in order, ending with the one that holds the functions today."""
        reg, chain = self.agencies, [agency_id]
        while reg[chain[-1]].successor and reg[chain[-1]].successor not in chain:
            chain.append(reg[chain[-1]].successor)
        return chain

    def current(self, agency_id: str) -> str:
        return self.chain(agency_id)[-1]

    def predecessors(self, agency_id: str) -> list[str]:
        """Every agency whose functions ended up with `agency_id`, itself included."""
        return [a for a in self.agencies if agency_id in self.chain(a)]
