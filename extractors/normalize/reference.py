"""The reference data normalization reads: one object, loaded once from extractors/data/ and passed in.

Nothing under extractors/ keeps a module-level copy of it: a test or a user who wants other data builds
another Reference (from other files, or from dicts) and hands it to the stages.
"""
from __future__ import annotations

from dataclasses import dataclass

from vnplans.extractors.normalize.agencies import Registry
from vnplans.extractors.normalize.metrics import Catalog
from vnplans.extractors.provinces import Provinces


@dataclass(frozen=True)
class Reference:
    provinces: Provinces  # the gazetteer: 63 provinces, their 34 successors, the 2025 merger
    agencies: Registry  # the agency registry and its successor chains
    metrics: Catalog  # canonical metrics and the DTI catalog versions

    @classmethod
    def load(cls) -> "Reference":
        gazetteer = Provinces.load()
        return cls(gazetteer, Registry.load(gazetteer), Catalog.load())
