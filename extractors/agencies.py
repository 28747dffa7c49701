"""Agency cells and phrases -> one agency each, abbreviations expanded to official names.

Splitting is the hard part: separators (";", newlines, bullets, ",", "và") also
occur inside names ("Sở Lao động - Thương binh và Xã hội", "Các sở, ban, ngành",
"UBND các huyện, thị xã, thành phố"). A comma or "và" splits only when what
follows starts a new agency (a head noun such as Sở, UBND, Cục, Các cơ quan).
"""
from __future__ import annotations

import functools
import re
from typing import Optional

from vnplans.extractors import vocabulary
from vnplans.extractors.readers.tables import BULLET_RE
from vnplans.schemas.extraction import ROLES, AssignmentOut, Row

HEAD = vocabulary.agency_head()  # "các sở", "UBND", "Trung tâm", ... (extractors/data/agencies.yaml)
HEAD_RE = re.compile(HEAD, re.IGNORECASE)
# What starts a new agency after a comma or "và" (case matters: "Sở Y tế" starts one, "các sở, ban, ngành" does not split).
STRONG_HEAD = (
    r"(?:Sở\s+[A-ZĐ]|UBND|Ủy ban|Uỷ ban|Cục|Chi cục|Công an|Ngân hàng|NHNN|Bưu điện|Trung tâm|TT\.|Văn phòng|VP|VPUB|"
    r"Báo\s+[A-ZĐ]|Đài\s+[A-ZĐ]|Bộ\s+[A-ZĐ]|(?:Học viện|Viện|Hội đồng|Tập đoàn|Tổng công ty|Công ty)\s+[A-ZĐ]|Bệnh viện|Trường|Tòa án|Kho bạc|Bảo hiểm|Viettel|VNPT|Ban\s+[A-ZĐ]|Giám đốc|Chủ tịch|"
    r"Thủ trưởng|Chánh|[Cc]ác\s+(?!cấp\b)\w|Hội\s+[A-ZĐ]|"
    r"Liên đoàn|Tỉnh đoàn|Cơ quan|IOC|Cổng)"
)
SPLIT_COMMA_RE = re.compile(r",\s*(?=" + STRONG_HEAD + ")")
# "Giám đốc sở, Thủ trưởng cơ quan thuộc UBND tỉnh" names one collective of office holders, not two agencies.
COLLECTIVE_HOLDERS_RE = re.compile(r"^(?:Giám đốc|Thủ trưởng|Chủ tịch|Người đứng đầu)\s+(?:các\s+)?(?:sở|cơ quan|đơn vị)\b")
# a missing comma between two office holders: "Giám đốc Sở Khoa học và Công nghệ Giám đốc Trung tâm …"
SPLIT_TITLE_RE = re.compile(r"(?<!Phó)(?<!Tổng)\s+(?=(?:Giám đốc|Thủ trưởng|Chủ tịch)\s+[A-ZĐ])")
SPLIT_VA_RE = re.compile(r"\s+(?:và|cùng)\s+(?=" + STRONG_HEAD + ")")
# "Sở Tài chính và cơ quan, địa phương liên quan": a generic collective after a named agency is one more
# agency; under a determiner ("Các sở, ban, ngành và địa phương") the list stays one collective.
SPLIT_VA_GENERIC_RE = re.compile(r"\s+(?:và|cùng)\s+(?=(?:cơ quan|địa phương|đơn vị)\b)")
DETERMINER_RE = re.compile(r"^(?:các|những|mọi)\s", re.IGNORECASE)
# "Lãnh đạo Sở Y tế" (the leadership of Sở Y tế, on one line or two) names Sở Y tế.
LEADERSHIP_RE = re.compile(r"(?:(?<=^)|(?<=[\n;,]))\s*(?:[-–+•]\s*)?Lãnh đạo\s+(?=\S)", re.IGNORECASE)
EMPTY_RE = re.compile(r"^[-–—\s.]*$")


@functools.lru_cache(maxsize=1)
def registry_data() -> dict:
    """extractors/data/agencies.yaml: the canonical registry, short forms, titles and qualifiers."""
    return vocabulary.load("agencies.yaml")


@functools.lru_cache(maxsize=1)
def _aliases() -> list[tuple[re.Pattern, str]]:
    """Whole-agency abbreviations ("Sở TT&TT") first, then short forms of name parts ("UBND")."""
    data = registry_data()
    pairs = [("|".join(re.escape(a) for a in sorted(e["abbreviations"], key=len, reverse=True)), e["name"])
             for e in data["agencies"] if e.get("abbreviations")]
    pairs += [(pat, rep) for pat, rep in data["expansions"]]
    return [(re.compile(r"(?<![\w&.])(?:" + pat + r")(?![\w&])"), rep) for pat, rep in pairs]


@functools.lru_cache(maxsize=1)
def title_pattern() -> str:
    """Alternation of office-holder titles ("Giám đốc", "Chủ tịch", ...), longest first."""
    return "(?:" + "|".join(re.escape(t) for t in sorted(registry_data()["titles"], key=len, reverse=True)) + ")"


@functools.lru_cache(maxsize=1)
def _holder_re() -> re.Pattern:
    return re.compile(title_pattern() + r"\s+(?=\S)")


def holder_and_agency(name: str) -> tuple[Optional[str], str]:
    """'Giám đốc Sở Y tế' -> ('Giám đốc', 'Sở Y tế'); a collective of holders stays whole."""
    if COLLECTIVE_HOLDERS_RE.match(name):
        return None, name
    m = _holder_re().match(name)
    if not m:
        return None, name
    rest = name[m.end():]
    return m.group(0).strip(), rest[:1].upper() + rest[1:]


@functools.lru_cache(maxsize=16384)
def expand(name: str) -> str:
    """Expand abbreviations to the official wording: 'Sở TT&TT' -> 'Sở Thông tin và Truyền thông'."""
    out = name
    for rx, rep in _aliases():
        out = rx.sub(rep, out)
    out = re.sub(r"\s+[–—]\s+", " - ", out)  # one dash form inside names: "Lao động – Thương binh"
    return " ".join(out.split())


def split(cell: str | None) -> list[str]:
    """One entry per agency named in a cell, abbreviations expanded ("Sở TT&TT" -> "Sở Thông tin và Truyền
    thông"), as the answer keys write them."""
    return [entry for _, entry in split_printed(cell)]


PART_SPLIT_RE = re.compile(r"\n|;")
TRAILING_VERB_RE = re.compile(r"\s+(tổng hợp|thống kê)\s*:?$")


def split_printed(cell: str | None) -> list[tuple[str, str]]:
    """(as printed, entry) for each agency named in a cell: the entry is `split`'s, the first what the cell says."""
    if not cell or EMPTY_RE.match(cell):
        return []
    pieces: list[tuple[str, str]] = []
    cell = LEADERSHIP_RE.sub("", cell)
    for part in PART_SPLIT_RE.split(cell):
        part = BULLET_RE.sub("", part).strip(" \t,.;:")
        if not part or EMPTY_RE.match(part):
            continue
        part = TRAILING_VERB_RE.sub("", part)  # a trailing verb; "Cục Thống kê" is a name
        for p2 in [part] if COLLECTIVE_HOLDERS_RE.match(part) else SPLIT_COMMA_RE.split(part):
            for p3 in (x for p in SPLIT_VA_RE.split(p2) for x in SPLIT_TITLE_RE.split(p)):
                for p4 in [p3] if DETERMINER_RE.match(p3) else SPLIT_VA_GENERIC_RE.split(p3):
                    p4 = p4.strip(" \t,.;:")
                    if p4 and not EMPTY_RE.match(p4):
                        pieces.append((p4, expand(p4)))
    return pieces


def printed_map(named: list[tuple[str, str]]) -> dict[str, str]:
    """Entry -> as printed, from `split_printed`'s pairs (the first spelling of an entry wins)."""
    out: dict[str, str] = {}
    for printed, entry in named:
        out.setdefault(entry, printed)
    return out


def assignments_of(row: Row) -> list[AssignmentOut]:
    """One assignment per agency per role of a row, in printed order, the office holder split off; `printed` is
    the entry as the row printed it, before abbreviations were expanded ("Giám đốc Sở TT&TT")."""
    out = []
    for role in ROLES:
        for position, entry in enumerate(getattr(row, role)):
            holder, agency = holder_and_agency(entry)
            out.append(AssignmentOut(role=role, agency=agency, holder=holder, position=position,
                                     printed=row.printed_as.get(entry, entry)))
    return out
