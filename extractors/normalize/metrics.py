"""Rows and targets -> the DTI indicator catalog and the canonical metrics catalog.

Evidence, strongest first:
  code         the row's STT is a DTI code of the catalog version in force at the plan's date,
               and the row reads like that indicator;
  parent-code  a sub-code the catalog does not list (3.5.1) -> its indicator (3.5);
  sub-item     a lettered row under a coded indicator row (2.10 a), b), c));
  via-target   a table row restating a target links where the target links;
  alias        the wording is one of the metric's aliases (after normalization);
  fuzzy        weighted overlap of underthesea-segmented words with a metric's name or alias.
A link must also agree on the unit ("%" vs a counted noun). Below the thresholds nothing is linked:
`vnplans metrics --unlinked` lists those, so the catalog grows where plans need it.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from vnplans.extractors import vocabulary
from vnplans.extractors.keys import key
from vnplans.extractors.nlp import word_tokenize

TARGET_MIN = 0.72  # weighted word F1 for a target's metric wording
ROW_MIN = 0.85  # rows are mostly tasks ("Triển khai ..."): only a close reading links one
CODE_TEXT_MIN = 0.35  # a coded row must share this much wording with its indicator
CODE_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}$")
LETTER_RE = re.compile(r"^[a-zđ]\)?$")
ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7", "VIII": "8", "IX": "9"}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    pillar: str
    max_score: Optional[float]
    parent: Optional[str] = None


@dataclass(frozen=True)
class CatalogVersion:
    id: str
    decision: str
    effective_from: str
    pillars: dict[str, str]  # main indicators (the catalog's top level), code -> name
    indicators: dict[str, Indicator]  # component indicators; empty where their wording is not published
    follows: Optional[str] = None  # the version this one replaced
    correspondence: dict[str, Optional[str]] = field(default_factory=dict)  # follows' code -> this one's

    def assessed(self) -> dict[str, Indicator]:
        """What a plan is checked against: the components, or the main indicators where those are all we have."""
        if self.indicators:
            return self.indicators
        return {c: Indicator(c, name, c, None) for c, name in self.pillars.items()}

    def counterpart(self, code: str) -> Optional[str]:
        """The code in this version of `follows`' `code`: its own entry, else the one of its main indicator."""
        if code in self.correspondence:
            return self.correspondence[code]
        return self.correspondence.get(code.split(".")[0])


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    unit: Optional[str]
    units: tuple[str, ...] = ()
    dti: Optional[str] = None
    national: tuple = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetricLink:
    metric: Metric
    indicator: Optional[str]  # DTI code
    catalog: Optional[str]  # DTI catalog version id
    method: str
    score: float


class _Weights(dict):
    """IDF weights; a word no catalog wording uses weighs as much as the rarest one."""

    def __missing__(self, word: str) -> float:
        return self.unseen


def _idf(token_sets: list[tuple[str, ...]]) -> _Weights:
    df = Counter(w for ws in token_sets for w in set(ws))
    weights = _Weights({w: math.log((len(token_sets) + 1) / (c + 0.5)) for w, c in df.items()})
    weights.unseen = max(weights.values())
    return weights


def _weighted_f1(a: tuple[str, ...], b: tuple[str, ...], idf: _Weights) -> float:
    if not a or not b:
        return 0.0
    wa, wb = set(a), set(b)
    # fsum is exact whatever the order: a plain sum in set order differs in the last bit between processes,
    # and so would ties
    common = math.fsum(idf[w] for w in wa & wb)
    p = common / math.fsum(idf[w] for w in wa)
    r = common / math.fsum(idf[w] for w in wb)
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _unit_ok(metric: Metric, unit: Optional[str]) -> bool:
    if not unit or not metric.unit:
        return True
    if unit == "%" or metric.unit == "%":
        return unit == metric.unit or unit in metric.units or (metric.unit == "%" and "%" in metric.units)
    return True  # two counted nouns ("cuộc", "đợt"): wording decides


@dataclass
class Links:
    rows: list[Optional[MetricLink]] = field(default_factory=list)
    targets: list[Optional[MetricLink]] = field(default_factory=list)


def _link(m: Metric, method: str, score: float, version: CatalogVersion) -> MetricLink:
    in_version = m.dti if m.dti and m.dti in version.indicators else None
    return MetricLink(m, in_version, version.id if in_version else None, method, score)


_CLAUSE_RE = re.compile(r"\s*[,;:]\s*|\s+(?:và|để|nhằm|đặt mục tiêu|phấn đấu|triển khai|cho)\s+")
_TARGET_TAIL_RE = re.compile(r"\s+(?:đạt|tới|trên|tối thiểu|ít nhất|từ)\s+[\d,.]+\s*%.*$", re.IGNORECASE)


def _without_target(text: str) -> str:
    """'Tỷ lệ dân số có điện thoại thông minh đạt 85%' -> the measure alone."""
    return _TARGET_TAIL_RE.sub("", text).strip()


def _carried(link: Optional[MetricLink], version: CatalogVersion) -> Optional[MetricLink]:
    """A link made against the version `version` follows, carried to `version`'s counterpart."""
    if link is None or link.indicator is None:
        return link
    code = version.counterpart(link.indicator)
    return MetricLink(link.metric, code, version.id if code else None, link.method, link.score)


def _versions(dti_data: dict) -> tuple[CatalogVersion, ...]:
    out = []
    for v in dti_data["versions"]:
        inds = {i["code"]: Indicator(i["code"], i["name"], i["pillar"], i.get("max_score"), i.get("parent"))
                for i in v["indicators"]}
        out.append(CatalogVersion(v["id"], v["decision"], str(v["effective_from"]),
                                  {p["code"]: p["name"] for p in v["pillars"]}, inds, v.get("follows"),
                                  {str(k): (str(c) if c is not None else None)
                                   for k, c in (v.get("correspondence") or {}).items()}))
    return tuple(sorted(out, key=lambda c: c.effective_from))


def _metrics(metric_data: dict, versions: tuple[CatalogVersion, ...]) -> dict[str, Metric]:
    """Curated metrics, then one metric per DTI indicator that no curated metric covers."""
    out: dict[str, Metric] = {}
    for m in metric_data["metrics"]:
        out[m["id"]] = Metric(m["id"], m["name"], m.get("unit"), tuple(m.get("units", [])), m.get("dti"),
                              tuple(tuple(sorted(n.items())) for n in m.get("national", [])),
                              tuple(m.get("aliases", [])))
    covered = {m.dti for m in out.values() if m.dti}
    for version in versions:
        for code, name in version.pillars.items():  # a pillar's score is reported like an indicator's
            if code not in covered:
                covered.add(code)
                out[f"dti-{code}"] = Metric(f"dti-{code}", f"Trụ cột {name}", None, (), code)
        for ind in version.indicators.values():
            if ind.code not in covered:
                covered.add(ind.code)
                out[f"dti-{ind.code}"] = Metric(f"dti-{ind.code}", ind.name, None, (), ind.code)
    return out


def _segmentation_cache(cache_dir: Optional[Path], metric_data: dict, dti_data: dict) -> Optional[Path]:
    """The file of one catalog's segmented wordings: named by a hash of the data, this module's code (the
    normalization) and the segmenter's version, so that any change makes a new one."""
    if cache_dir is None:
        return None
    try:
        from importlib.metadata import version

        segmenter = version("underthesea")
    except Exception:  # pragma: no cover - not installed as a distribution
        segmenter = "?"
    h = hashlib.sha256(json.dumps([metric_data, dti_data], sort_keys=True, default=str, ensure_ascii=False).encode())
    h.update(Path(__file__).read_bytes())
    h.update(segmenter.encode())
    return Path(cache_dir) / f"metric-words-{h.hexdigest()[:20]}.json"


def _read_cache(path: Optional[Path]) -> dict[str, list[str]]:
    if path is None:
        return {}
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, unreadable or half-written: made anew


def _write_cache(path: Optional[Path], segmented: dict[str, list[str]]) -> None:
    """Written beside and renamed into place; a cache that cannot be written is only a slower start."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(segmented, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


class Catalog:
    """The metrics catalog (data/metrics.yaml) and the DTI catalog versions (data/dti_catalog.yaml), loaded once
    and passed in, and how wordings, rows and targets link to them."""

    def __init__(self, metric_data: dict, dti_data: dict, cache_dir: Optional[Path] = None):
        """`cache_dir`: where the word segmentation of the catalog's wordings is kept between runs (it takes a
        third of a second to redo), keyed by the data and the code that make it; None: made anew."""
        self.versions = _versions(dti_data)
        self._cache_file = _segmentation_cache(cache_dir, metric_data, dti_data)
        self.metrics = _metrics(metric_data, self.versions)
        self._by_indicator: dict[str, Metric] = {}
        for m in self.metrics.values():
            if m.dti:
                self._by_indicator.setdefault(m.dti, m)
        table = metric_data["abbreviations"]
        alt = "|".join(re.escape(a) for a in sorted(table, key=len, reverse=True))
        self._abbreviations = (re.compile(rf"(?<!\w)({alt})(?!\w)"), table)
        self._measure_words = tuple(sorted((key(w) for w in metric_data["measure_words"]), key=len, reverse=True))
        # a plan repeats its wordings, and plans of a batch repeat each other's (the same indicators): each is
        # normalized, segmented and matched once per catalog
        self.normal = functools.lru_cache(maxsize=4096)(self._normal)
        self.words = functools.lru_cache(maxsize=4096)(self._words)
        self.match = functools.lru_cache(maxsize=4096)(self._match)

    @classmethod
    def load(cls, cache_dir: Optional[Path] = None) -> "Catalog":
        return cls(vocabulary.load("metrics.yaml"), vocabulary.load("dti_catalog.yaml"), cache_dir)

    # --- versions --------------------------------------------------------------------------------------

    def catalog_for(self, date: Optional[str]) -> CatalogVersion:
        """The version in force on `date` (ISO); the first one for a plan older than all of them (the nearest
        in time), the newest when the date is unknown."""
        if date:
            in_force = [v for v in self.versions if v.effective_from <= date]
            return in_force[-1] if in_force else self.versions[0]
        return self.versions[-1]

    def walk(self, code: str, source: str, target: str) -> Optional[str]:
        """An indicator of version `source` followed, version by version, to its counterpart in `target`."""
        by_id = {v.id: v for v in self.versions}
        steps, at = [], by_id[target]
        while at.id != source:
            if at.follows is None:
                raise ValueError(f"{target} does not follow {source}")
            steps.append(at)
            at = by_id[at.follows]
        for version in reversed(steps):
            code = version.counterpart(code)
            if code is None:
                return None
        return code

    def metric_for_indicator(self, code: str) -> Optional[Metric]:
        return self._by_indicator.get(code)

    # --- wording -> weighted words -------------------------------------------------------------------

    def _normal(self, text: str) -> str:
        """Wording key: abbreviations expanded, parentheticals and the leading measure word dropped."""
        rx, table = self._abbreviations
        t = rx.sub(lambda m: table[m.group(1)], text)
        t = re.sub(r"\([^()]*\)", " ", t)
        # service levels are part of the measure ("mức độ 3, 4" is not "mức độ 4"); committed values are not
        t = re.sub(r"(mức độ|cấp độ)\s*(\d)(?:\s*(?:,|và|hoặc)\s*(\d))?", lambda m: f"{m[1]} L{m[2]}{m[3] or ''}", t)
        t = re.sub(r"(?<!\w)\d+(?:[.,]\d+)*\s*%?", " ", t)
        t = key(t)
        for w in self._measure_words:
            if t.startswith(w + " "):
                t = t[len(w) + 1:]
                break
        t = re.sub(r"\s+(?:của tỉnh|toàn tỉnh|trên địa bàn tỉnh|trên địa bàn|đạt)$", "", t)
        return t.strip()

    def _words(self, text: str) -> tuple[str, ...]:
        """underthesea word segmentation of the normalized wording ("điện thoại", "thông minh" stay whole)."""
        t = self.normal(text)
        return tuple(w for w in (key(w) for w in word_tokenize(t)) if w)

    def syllables(self, text: str) -> tuple[str, ...]:
        """The normalized wording split on spaces: a cheap first look before word segmentation."""
        return tuple(self.normal(text).split())

    @functools.cached_property
    def _pool(self) -> tuple[list[tuple[str, str, tuple[str, ...], tuple[str, ...]]], _Weights, _Weights, dict[str, str]]:
        """(metric id, spelling, words, syllables) for every name and alias; word and syllable weights (IDF);
        exact-key index. Built on the first match: segmenting every alias takes a while."""
        segmented = _read_cache(self._cache_file)
        entries, exact = [], {}
        for m in self.metrics.values():
            for spelling in (m.name, *m.aliases):
                words = tuple(segmented[spelling]) if spelling in segmented else self.words(spelling)
                entries.append((m.id, spelling, words, self.syllables(spelling)))
                exact.setdefault(self.normal(spelling), m.id)
        if len(segmented) < len({spelling for _, spelling, _, _ in entries}):  # new wordings: keep them too
            _write_cache(self._cache_file, {spelling: list(words) for _, spelling, words, _ in entries})
        return entries, _idf([e[2] for e in entries]), _idf([e[3] for e in entries]), exact

    @functools.cached_property
    def _syllable_index(self) -> tuple[dict[str, list[int]], list[float]]:
        """syllable -> the entries holding it, and each entry's total syllable weight (for
        F1 = 2c / (|a| + |b|))."""
        entries, _, syl_idf, _ = self._pool
        index: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            for w in set(e[3]):
                index.setdefault(w, []).append(i)
        totals = [sum(syl_idf[w] for w in sorted(set(e[3]))) for e in entries]
        return index, totals

    def _near(self, text: str, minimum: float) -> list[int]:
        """Entries whose syllable-weighted F1 with `text` reaches `minimum`, in entry order. Each entry's shared
        weight is summed syllable by syllable in sorted order, so the figures are the same to the bit whatever
        computes them. (A few hundred entries, a handful of syllables each: plain dicts beat numpy's per-call
        cost.)"""
        _, _, syl_idf, _ = self._pool
        index, totals = self._syllable_index
        own = set(self.syllables(text))
        own_total = sum(syl_idf[w] for w in sorted(own))
        common: dict[int, float] = {}
        for w in sorted(own & index.keys()):
            weight = syl_idf[w]
            for i in index[w]:  # an entry holds a syllable once
                common[i] = common.get(i, 0.0) + weight
        return [i for i in sorted(common) if 2 * common[i] / (own_total + totals[i]) >= minimum]

    def _match(self, text: str, unit: Optional[str] = None, minimum: float = TARGET_MIN,
               exclude: frozenset[str] = frozenset()) -> Optional[tuple[Metric, str, float]]:
        """The metric a wording names: (metric, method, score), or None below `minimum` (`match`, cached)."""
        entries, idf, _, exact = self._pool
        cat = self.metrics
        k = self.normal(text)
        if k in exact and exact[k] not in exclude and _unit_ok(cat[exact[k]], unit):
            return cat[exact[k]], "alias", 1.0
        # syllable overlap picks the candidates; word segmentation (slower) scores only those
        near = [entries[i] for i in self._near(text, minimum - 0.2)
                if entries[i][0] not in exclude and _unit_ok(cat[entries[i][0]], unit)]
        if not near:
            return None
        ws = self.words(text)
        best: Optional[tuple[float, str, tuple[str, ...]]] = None
        for mid, _spelling, ews, esyl in near:
            score = _weighted_f1(ws, ews, idf)
            if best is None or score > best[0]:
                best = (score, mid, esyl)
            elif score == best[0] and self._syllable_f1(text, esyl) > self._syllable_f1(text, best[2]):
                # a tie on words ("máy chủ" one word in the plan, two in the catalog): syllables decide ("chủ", "trạm")
                best = (score, mid, esyl)
        if best and best[0] >= minimum:
            return cat[best[1]], "fuzzy", round(best[0], 3)
        return None

    def _syllable_f1(self, text: str, other: tuple[str, ...]) -> float:
        return _weighted_f1(self.syllables(text), other, self._pool[2])

    # --- linking rows and targets --------------------------------------------------------------------

    def link_target(self, metric_text: str, quote: str, unit: Optional[str],
                    version: CatalogVersion) -> Optional[MetricLink]:
        found = self.match(metric_text, unit)
        if found is None:
            # a wording that runs on ("Chủ trì, phối hợp ... triển khai ứng dụng định danh điện tử ..."), or one cut
            # short where the quote says more: its clauses, each a candidate, at a discount
            for text in (metric_text, re.split(r"\s(?:đạt|tối thiểu|trên|từ|ít nhất)\s", quote or "")[0]):
                for clause in _CLAUSE_RE.split(text):
                    alt = self.match(clause, unit) if len(clause.split()) >= 3 and clause != metric_text else None
                    if alt and (found is None or alt[2] * 0.9 > found[2]):
                        found = (alt[0], alt[1] if alt[1] == "fuzzy" else "alias", round(alt[2] * 0.9, 3))
            if found and found[2] < TARGET_MIN * 0.9:
                found = None
        return _link(*found, version) if found else None

    def link_row(self, stt: Optional[str], text: str, kind: str, max_score: Optional[float], version: CatalogVersion,
                 parent: Optional[MetricLink], codes_are_dti: bool = True) -> Optional[MetricLink]:
        code = (stt or "").strip().rstrip(".")
        pillar = ROMAN.get(code.upper(), code)
        if pillar in version.pillars and key(text) == key(version.pillars[pillar]):
            m = self.metric_for_indicator(pillar)
            return MetricLink(m, pillar, version.id, "code", 1.0) if m else None
        if codes_are_dti and CODE_RE.match(code):
            ind = version.indicators.get(code)
            method = "code"
            if ind is None and code.rsplit(".", 1)[0] in version.indicators:
                ind, method = version.indicators[code.rsplit(".", 1)[0]], "parent-code"
            if ind is not None:
                sim = _weighted_f1(self.syllables(text), self.syllables(ind.name), self._pool[2])
                same_score = max_score is not None and ind.max_score is not None and max_score == ind.max_score
                if sim >= CODE_TEXT_MIN or (kind == "indicator" and (same_score or method == "parent-code")):
                    m = self.metric_for_indicator(ind.code)
                    score = 1.0 if method == "code" and (sim >= 0.6 or same_score) else 0.8
                    return MetricLink(m, ind.code, version.id, method, score) if m else None
        if parent is not None and LETTER_RE.match(code.lower()) and kind == "indicator":
            return MetricLink(parent.metric, parent.indicator, parent.catalog, "sub-item", 0.8)
        if kind == "indicator" or len(text) <= 160:
            found = self.match(_without_target(text), None, ROW_MIN)
            if found:
                return _link(*found, version)
        return None

    def _code_agrees(self, stt: Optional[str], text: str, version: CatalogVersion) -> Optional[bool]:
        """Whether a coded row reads like the indicator its code names; None when the code names none."""
        code = (stt or "").strip().rstrip(".")
        ind = version.indicators.get(code) if CODE_RE.match(code) else None
        if ind is None:
            return None
        return _weighted_f1(self.syllables(text), self.syllables(ind.name), self._pool[2]) >= CODE_TEXT_MIN

    def _dti_coded_tables(self, rows: list, version: CatalogVersion) -> set:
        """Tables numbered by the DTI catalog: at least half of their coded rows read like the indicator of
        their code. Other tables number their own items 1.1, 1.1.1 (a PAR index, sampling sites), and a code
        shared with the catalog there says nothing."""
        votes: dict = {}
        for r in rows:
            agrees = self._code_agrees(r.stt, r.text, version)
            if agrees is not None:
                votes.setdefault(r.table, []).append(agrees)
        return {table for table, v in votes.items() if sum(v) * 2 >= len(v)}

    def link_all(self, rows: list, targets: list, date: Optional[str]) -> Links:
        """Links for every row and target of one plan.

        A version that publishes only its main indicators is linked through the version it follows, whose
        components carry their wording, and each link is then carried to its counterpart."""
        in_force = self.catalog_for(date)
        version = in_force
        while not version.indicators and version.follows:
            version = next(v for v in self.versions if v.id == version.follows)
        links = self._link_all(rows, targets, version)
        if version is in_force:
            return links
        return Links([_carried(link, in_force) for link in links.rows],
                     [_carried(link, in_force) for link in links.targets])

    def _link_all(self, rows: list, targets: list, version: CatalogVersion) -> Links:
        out = Links()
        out.targets = [self.link_target(t.metric, t.quote, t.unit, version) for t in targets]
        restated = {t.row_index: out.targets[i] for i, t in enumerate(targets)
                    if t.row_index is not None and out.targets[i] is not None}
        dti_coded = self._dti_coded_tables(rows, version)
        parent: Optional[MetricLink] = None
        last_table = None
        for i, r in enumerate(rows):
            if r.table != last_table:
                parent, last_table = None, r.table
            link = self.link_row(r.stt, r.text, r.kind, r.max_score, version, parent, r.table in dti_coded)
            if link is None and i in restated:
                t = restated[i]
                link = MetricLink(t.metric, t.indicator, t.catalog, "via-target", t.score)
            if link is not None and link.method in ("code", "parent-code"):
                parent = link
            out.rows.append(link)
        return out
