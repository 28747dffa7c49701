"""Province identity: the 63 provinces a plan may name, and their successors after the 2025 merger."""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Optional

from vnplans.extractors import vocabulary
from vnplans.extractors.keys import fold


@dataclass(frozen=True)
class Province:
    code: str
    name: str  # short name as printed in plans: "Bình Dương"
    official: str  # "Tỉnh Bình Dương"
    kind: str  # tỉnh | thành phố
    successor: str  # the province it belongs to since 2025-07-01
    successor_code: str
    successor_official: str = ""


@dataclass(frozen=True)
class ProvinceAt:
    """A province as a plan of a given date names it, and the unit it is part of after the 2025 merger."""

    name: str
    code: str  # the code in force at the plan's date (codes were reassigned on 2025-07-01)
    official: str
    successor: str
    successor_code: str
    successor_official: str

    @property
    def merged(self) -> bool:
        return self.name != self.successor


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(resources.files("vnplans.extractors").joinpath("data/provinces.json").read_text("utf-8"))


@functools.lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    return tuple(Province(p["code"], p["name"], p["official"], p["kind"], p["successor"], p["successor_code"],
                          p["successor_official"]) for p in _data()["provinces"])


def merger_date() -> str:
    return _data()["source"]["effective_date"]


@functools.lru_cache(maxsize=1)
def _regime_words() -> tuple[re.Pattern, re.Pattern]:
    raw = vocabulary.load("regime.yaml")
    return tuple(re.compile("|".join(f"(?:{p})" for p in raw[k]), re.IGNORECASE) for k in ("after_merger", "before_merger"))


def regime(date: Optional[str], year: Optional[int], latest_cited: Optional[str], text: str) -> tuple[str, str]:
    """("after-merger" | "before-merger" | "uncertain", the evidence): the plan's date when it has one; else its
    printed year, a decision it cites dated after the merger, or the units it names (communes and special
    zones, "(cũ)" provinces; districts)."""
    if date:
        return ("after-merger" if date >= merger_date() else "before-merger"), "date"
    if year and year > int(merger_date()[:4]):
        return "after-merger", "year"
    if latest_cited and latest_cited >= merger_date():
        return "after-merger", f"cites a decision of {latest_cited}"
    after, before = _regime_words()
    a, b = after.search(text), before.search(text)
    if a and not b:
        return "after-merger", f"names {a.group(0)!r}"
    if b and not a:
        return "before-merger", f"names {b.group(0)!r}"
    if year and year < int(merger_date()[:4]):
        return "before-merger", "year"
    return "uncertain", "no date, and the text does not settle it"


def at(name: Optional[str], regime_now: str = "before-merger") -> Optional[ProvinceAt]:
    """The province `name` under the plan's regime. After the merger a province that was merged away ("Bình
    Định (cũ)") is filed under the one it is part of; one that kept its name takes its new code."""
    p = lookup(name) if name else None
    if p is None:
        return None
    if regime_now == "after-merger":
        return ProvinceAt(p.name, p.successor_code, p.successor_official, p.successor, p.successor_code,
                          p.successor_official)
    return ProvinceAt(p.name, p.code, p.official, p.successor, p.successor_code, p.successor_official)


def _variants(name: str) -> list[str]:
    out = {name, name.replace("Hòa", "Hoà").replace("hòa", "hoà"), name.replace("Hoà", "Hòa")}
    if name == "Hồ Chí Minh":
        out |= {"TP.HCM", "TP. HCM", "TPHCM", "TP HCM"}
    return sorted(out, key=len, reverse=True)


@functools.lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    names = {v: p for p in provinces() for v in _variants(p.name)}
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:(?:tỉnh|thành phố|tp\.?)\s+)?({alt})(?![\w])", re.IGNORECASE)


def _by_name() -> dict[str, Province]:
    return {v.casefold(): p for p in provinces() for v in _variants(p.name)}


def lookup(name: str) -> Optional[Province]:
    """A province from its name, with or without 'tỉnh'/'thành phố', in any case, with or without diacritics."""
    n = re.sub(r"^(tỉnh|thành phố|tp\.?|tinh|thanh pho)\s+", "", name.strip(), flags=re.IGNORECASE).strip()
    return _by_name().get(n.casefold()) or _by_folded_name().get(fold(n))


@functools.lru_cache(maxsize=1)
def _by_folded_name() -> dict[str, Province]:
    """Names typed without diacritics; a folded name two provinces share is left out."""
    out: dict[str, Optional[Province]] = {}
    for p in provinces():
        k = fold(p.name)
        out[k] = None if k in out and out[k] != p else p
    return {k: p for k, p in out.items() if p is not None}


def find_all(text: str) -> list[tuple[Province, int, int]]:
    by = _by_name()
    return [(by[m.group(1).casefold()], m.start(), m.end()) for m in _pattern().finditer(text)]


def find_first(text: str) -> Optional[Province]:
    found = find_all(text)
    return found[0][0] if found else None
