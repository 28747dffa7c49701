"""Province identity: the 63 provinces a plan may name, and their successors after the 2025 merger."""
from __future__ import annotations

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


def _variants(name: str) -> list[str]:
    out = {name, name.replace("Hòa", "Hoà").replace("hòa", "hoà"), name.replace("Hoà", "Hòa")}
    if name == "Hồ Chí Minh":
        out |= {"TP.HCM", "TP. HCM", "TPHCM", "TP HCM"}
    return sorted(out, key=len, reverse=True)


class Provinces:
    """The gazetteer (data/provinces.json, data/regime.yaml), loaded once and passed in: finding province names in
    text, looking one up as typed, and the 2025 merger (63 -> 34)."""

    def __init__(self, data: dict, regime_words: dict):
        self.all = tuple(Province(p["code"], p["name"], p["official"], p["kind"], p["successor"], p["successor_code"],
                                  p["successor_official"]) for p in data["provinces"])
        self.merger_date: str = data["source"]["effective_date"]
        self._after, self._before = (re.compile("|".join(f"(?:{p})" for p in regime_words[k]), re.IGNORECASE)
                                     for k in ("after_merger", "before_merger"))
        self._by_name = {v.casefold(): p for p in self.all for v in _variants(p.name)}
        names = {v: p for p in self.all for v in _variants(p.name)}
        alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<![\w])(?:(?:tỉnh|thành phố|tp\.?)\s+)?({alt})(?![\w])", re.IGNORECASE)
        folded: dict[str, Optional[Province]] = {}
        for p in self.all:  # names typed without diacritics; a folded name two provinces share is left out
            k = fold(p.name)
            folded[k] = None if k in folded and folded[k] != p else p
        self._by_folded_name = {k: p for k, p in folded.items() if p is not None}

    @classmethod
    def load(cls) -> "Provinces":
        data = json.loads(resources.files("vnplans.extractors").joinpath("data/provinces.json").read_text("utf-8"))
        return cls(data, vocabulary.load("regime.yaml"))

    def regime(self, date: Optional[str], year: Optional[int], latest_cited: Optional[str], text: str) -> tuple[str, str]:
        """("after-merger" | "before-merger" | "uncertain", the evidence): the plan's date when it has one; else its
        printed year, a decision it cites dated after the merger, or the units it names (communes and special
        zones, "(cũ)" provinces; districts)."""
        merger = self.merger_date
        if date:
            return ("after-merger" if date >= merger else "before-merger"), "date"
        if year and year > int(merger[:4]):
            return "after-merger", "year"
        if latest_cited and latest_cited >= merger:
            return "after-merger", f"cites a decision of {latest_cited}"
        a, b = self._after.search(text), self._before.search(text)
        if a and not b:
            return "after-merger", f"names {a.group(0)!r}"
        if b and not a:
            return "before-merger", f"names {b.group(0)!r}"
        if year and year < int(merger[:4]):
            return "before-merger", "year"
        return "uncertain", "no date, and the text does not settle it"

    def at(self, name: Optional[str], regime_now: str = "before-merger") -> Optional[ProvinceAt]:
        """The province `name` under the plan's regime. After the merger a province that was merged away ("Bình
        Định (cũ)") is filed under the one it is part of; one that kept its name takes its new code."""
        p = self.lookup(name) if name else None
        if p is None:
            return None
        if regime_now == "after-merger":
            return ProvinceAt(p.name, p.successor_code, p.successor_official, p.successor, p.successor_code,
                              p.successor_official)
        return ProvinceAt(p.name, p.code, p.official, p.successor, p.successor_code, p.successor_official)

    def lookup(self, name: str) -> Optional[Province]:
        """A province from its name, with or without 'tỉnh'/'thành phố', in any case, with or without diacritics."""
        n = re.sub(r"^(tỉnh|thành phố|tp\.?|tinh|thanh pho)\s+", "", name.strip(), flags=re.IGNORECASE).strip()
        return self._by_name.get(n.casefold()) or self._by_folded_name.get(fold(n))

    def find_all(self, text: str) -> list[tuple[Province, int, int]]:
        return [(self._by_name[m.group(1).casefold()], m.start(), m.end()) for m in self._pattern.finditer(text)]

    def find_first(self, text: str) -> Optional[Province]:
        found = self.find_all(text)
        return found[0][0] if found else None
