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


@functools.lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    raw = json.loads(resources.files("extractors").joinpath("data/provinces.json").read_text("utf-8"))
    return tuple(Province(p["code"], p["name"], p["official"], p["kind"], p["successor"], p["successor_code"])
                 for p in raw["provinces"])


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
