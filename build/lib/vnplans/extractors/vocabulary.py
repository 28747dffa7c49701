"""The words documents are recognised by, from extractors/data: the labels of table columns and the head nouns
that open an agency's name. Readers take table reconstruction's vocabulary from here, and field extractors
their agency splitting, so neither imports the other and the words live in one data file each."""
from __future__ import annotations

import functools
import re
from importlib import resources

import yaml

try:  # the C loader is ten times faster; PyYAML wheels ship it, a source build may not
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader


def load(name: str) -> dict:
    """A data file of extractors/data, parsed."""
    return yaml.load(resources.files("vnplans.extractors").joinpath(f"data/{name}").read_text("utf-8"), Loader=_Loader)


@functools.lru_cache(maxsize=1)
def agency_head() -> str:
    """Regex source of an agency's opening: an optional determiner or title, then a head noun ("các sở", "UBND")."""
    data = load("agencies.yaml")

    def esc(word: str) -> str:
        return re.escape(word).replace("\\ ", " ")

    heads = "|".join(esc(w) + (r"\b" if w[-1].isalnum() else "") for w in data["head_nouns"])
    return r"(?:(?:" + "|".join(esc(w) for w in data["head_openers"]) + r")\s+)?(?:" + heads + ")"


@functools.lru_cache(maxsize=1)
def table_columns() -> dict:
    """extractors/data/table_columns.yaml: which column label names which field, and what its cells look like."""
    return load("table_columns.yaml")
