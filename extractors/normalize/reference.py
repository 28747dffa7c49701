"""The reference data normalization reads: one object, loaded once from extractors/data/ and passed in.

Nothing under extractors/ keeps a module-level copy of it: a test or a user who wants other data builds
another Reference (from other files, or from dicts) and hands it to the stages.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from vnplans.extractors.normalize.agencies import Registry
from vnplans.extractors.normalize.metrics import Catalog
from vnplans.extractors.provinces import Provinces


@dataclass(frozen=True)
class Reference:
    provinces: Provinces  # the gazetteer: 63 provinces, their 34 successors, the 2025 merger
    agencies: Registry  # the agency registry and its successor chains
    metrics: Catalog  # canonical metrics and the DTI catalog versions

    @classmethod
    def load(cls, cache_dir: Optional[Path] = None) -> "Reference":
        """The bundled data. `cache_dir` keeps what is slow to derive from it between runs (the segmented metric
        wordings); `default_cache_dir()` is the user's cache, VNPLANS_CACHE sets another, "" none."""
        gazetteer = Provinces.load()
        return cls(gazetteer, Registry.load(gazetteer), Catalog.load(cache_dir))


def default_cache_dir() -> Optional[Path]:
    """$VNPLANS_CACHE, else $XDG_CACHE_HOME/vnplans, else ~/.cache/vnplans; None when VNPLANS_CACHE is empty."""
    chosen = os.environ.get("VNPLANS_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "vnplans"
