"""Province identity: the 63 provinces a plan may name, and their successors after the 2025 merger."""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Optional


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
    return json.loads(resources.files("extractors").joinpath("data/provinces.json").read_text("utf-8"))


@functools.lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    return tuple(Province(p["code"], p["name"], p["official"], p["kind"], p["successor"], p["successor_code"],
                          p["successor_official"]) for p in _data()["provinces"])


def merger_date() -> str:
    return _data()["source"]["effective_date"]


def at(name: Optional[str], date: Optional[str]) -> Optional[ProvinceAt]:
    """The province `name` as of `date` (ISO; unknown dates count as before the merger)."""
    p = lookup(name) if name else None
    if p is None:
        return None
    if date and date >= merger_date() and p.name == p.successor:  # the merged unit under its old name
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
    """A province from its name, with or without 'tỉnh'/'thành phố', in any case."""
    n = re.sub(r"^(tỉnh|thành phố|tp\.?)\s+", "", name.strip(), flags=re.IGNORECASE).strip()
    return _by_name().get(n.casefold())


def find_all(text: str) -> list[tuple[Province, int, int]]:
    by = _by_name()
    return [(by[m.group(1).casefold()], m.start(), m.end()) for m in _pattern().finditer(text)]


def find_first(text: str) -> Optional[Province]:
    found = find_all(text)
    return found[0][0] if found else None
