"""Web-page chrome: find where the document's own text begins and ends inside a scraped page.

Portals wrap a plan in site headers, metadata panels and footers. The patterns
live in data/boilerplate.yaml; the metadata the chrome carries (number, type,
signer, date) is kept as a fallback for the header extractor.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from vnplans.extractors import vocabulary

MOTTO_RE = re.compile(r"[|\s]*cộng\s+ho[àa]\s+xã\s+hội", re.IGNORECASE)


@dataclass
class Chrome:
    body_start: int  # index of the first line of the document proper
    body_end: int  # index one past its last line
    site_meta: dict[str, str] = field(default_factory=dict)
    site_title: str | None = None
    dropped: set[int] = field(default_factory=set)  # widget lines inside the body (timestamps, captions, "Xem thêm")


@functools.lru_cache(maxsize=1)
def _patterns():
    raw = vocabulary.load("boilerplate.yaml")

    def comp(items):  # one pattern: matches where any of the items does
        return re.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE)

    labels = {label: key for key, names in raw["site_fields"].items() for label in names}
    labels.update({label: None for label in raw["site_other_labels"]})
    widgets = re.compile("|".join(f"(?:{p})" for p in raw["chrome_lines"]), re.IGNORECASE)
    return comp(raw["prefix_markers"]), comp(raw["document_start"]), comp(raw["suffix_markers"]), labels, widgets


def _letterhead_caps(line: str) -> bool:
    return line.isupper() and sum(c.isalpha() for c in line) >= 3


def _norm(line: str) -> str:
    return " ".join(line.replace("*", "").split()).strip("•").strip()


def find_chrome(lines: list[str]) -> Chrome:
    prefix, start, suffix, labels, widgets = _patterns()
    norm = [_norm(l) for l in lines]
    body_start, body_end = 0, len(lines)
    chrome_lines: list[str] = []
    title = None
    motto = next((i for i, l in enumerate(norm[:150]) if MOTTO_RE.match(l)), 150)
    head = range(min(len(lines), motto))  # chrome comes before the national motto; "Lĩnh vực:" after it is text
    last_marker = max((i for i in head if prefix.match(norm[i])), default=None)
    if last_marker is not None:
        for i in range(last_marker + 1, len(lines)):
            if start.match(norm[i]) or _letterhead_caps(norm[i]):
                body_start = i
                break
        chrome_lines = norm[:body_start]
        # the page title is the longest line of the header chrome that names a document type
        candidates = [l for l in chrome_lines if re.match(r"(kế hoạch|quyết định|nghị quyết|công văn|chỉ thị)\b", l, re.I)]
        title = max(candidates, key=len) if candidates else None
    # the footer: first suffix marker in the second half of the page
    for i in range(max(body_start + 1, len(lines) // 3), len(lines)):
        if suffix.match(norm[i]):
            body_end = i
            # a repeated document title line right before the footer belongs to it
            if i - 1 > body_start and re.match(r"(kế hoạch|quyết định)\s+\d+/", norm[i - 1], re.I):
                body_end = i - 1
            chrome_lines += norm[body_end:]
            break
    meta = _site_fields([l for l in chrome_lines if l and l != "|"], labels)
    dropped = {i for i in range(body_start, body_end) if norm[i] and widgets.fullmatch(norm[i])}
    return Chrome(body_start, body_end, meta, title, dropped)


def _site_fields(lines: list[str], labels: dict[str, str | None]) -> dict[str, str]:
    """The values of a site's property box. A label's value runs to the next label on its line, or is the
    next line when the label stands alone ("Số hiệu:" / "|" / "2629/QĐ-TTg")."""
    names = sorted(labels, key=len, reverse=True)
    label_re = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")\s*(?::|\||$)", re.IGNORECASE)
    out: dict[str, str] = {}
    for i, line in enumerate(lines):
        found = list(label_re.finditer(line))
        if not found or found[0].start() > 2:
            continue  # a label opens a box line; one inside a sentence is not a box
        for k, m in enumerate(found):
            key = labels[m.group(1).lower()]
            if key is None or key in out:
                continue
            end = found[k + 1].start() if k + 1 < len(found) else len(line)
            value = line[m.end():end].strip(" |:")
            if not value and k + 1 == len(found) and i + 1 < len(lines) and not label_re.match(lines[i + 1]):
                value = lines[i + 1].strip(" |:")
            if value:
                out[key] = value
    return out
