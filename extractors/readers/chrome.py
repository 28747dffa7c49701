"""Web-page chrome: find where the document's own text begins and ends inside a scraped page.

Portals wrap a plan in site headers, metadata panels and footers. The patterns
live in data/boilerplate.yaml; the metadata the chrome carries (number, type,
signer, date) is kept as a fallback for the header extractor.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

import yaml

WS = re.compile(r"\s+")


@dataclass
class Chrome:
    body_start: int  # index of the first line of the document proper
    body_end: int  # index one past its last line
    site_meta: dict[str, str] = field(default_factory=dict)
    site_title: str | None = None


@functools.lru_cache(maxsize=1)
def _patterns():
    raw = yaml.safe_load(resources.files("extractors").joinpath("data/boilerplate.yaml").read_text("utf-8"))

    def comp(items):
        return [re.compile(p, re.IGNORECASE) for p in items]

    return comp(raw["prefix_markers"]), comp(raw["document_start"]), comp(raw["suffix_markers"]), raw["site_fields"]


def _norm(line: str) -> str:
    return WS.sub(" ", line.replace("\u00a0", " ")).strip().strip("•").strip()


def find_chrome(lines: list[str]) -> Chrome:
    prefix, start, suffix, fields = _patterns()
    norm = [_norm(l) for l in lines]
    body_start, body_end = 0, len(lines)
    chrome_lines: list[str] = []
    title = None
    head = range(min(len(lines), 150))
    last_marker = max((i for i in head if any(p.match(norm[i]) for p in prefix)), default=None)
    if last_marker is not None:
        for i in range(last_marker + 1, len(lines)):
            if any(p.match(norm[i]) for p in start):
                body_start = i
                break
        chrome_lines = norm[:body_start]
        # the page title is the longest line of the header chrome that names a document type
        candidates = [l for l in chrome_lines if re.match(r"(kế hoạch|quyết định|nghị quyết|công văn|chỉ thị)\b", l, re.I)]
        title = max(candidates, key=len) if candidates else None
    # the footer: first suffix marker in the second half of the page
    for i in range(max(body_start + 1, len(lines) // 3), len(lines)):
        if any(p.match(norm[i]) for p in suffix):
            body_end = i
            # a repeated document title line right before the footer belongs to it
            if i - 1 > body_start and re.match(r"(kế hoạch|quyết định)\s+\d+/", norm[i - 1], re.I):
                body_end = i - 1
            chrome_lines += norm[body_end:]
            break
    meta = _site_fields([l for l in chrome_lines if l and l != "|"], fields)
    return Chrome(body_start, body_end, meta, title)


def _site_fields(lines: list[str], fields: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i, line in enumerate(lines):
        for key, label in fields.items():
            if key in out:
                continue
            m = re.match(re.escape(label) + r"\s*:\s*(.*)$", line, re.IGNORECASE)
            if m:
                value = m.group(1).strip() or (lines[i + 1] if i + 1 < len(lines) else "")
                if value and not value.endswith(":"):
                    out[key] = value.strip()
    return out
