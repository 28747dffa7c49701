"""Quantified targets: a number attached to something the plan commits to reach.

A text unit (a paragraph, or a table row's task and hint cells) is cut into sentences
by underthesea and into clauses at ";" and before a new "tỷ lệ". Each number in a clause
is read with what surrounds it: the comparator words before it, the unit after it, the
administrative level of its segment. Dates, legal references, ages, increments
("thêm 02 đợt") and clauses that report results ("so với", "xếp thứ") are not targets.
The vocabulary lives in data/targets.yaml.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Iterable, Optional

from rapidfuzz import fuzz

from vnplans.extractors.vocabulary import load as load_data
from vnplans.extractors.assignments import strip_assignment
from vnplans.extractors.nlp import sent_tokenize, word_tokenize
from vnplans.extractors.readers.tables import SUB_ROW_MARK_RE
from vnplans.schemas.extraction import Row, Target
from vnplans.extractors.spans import split_with_offsets
from vnplans.extractors.structure import Section, section_of_block, section_path
from vnplans.schemas.document import SourceDocument, Span

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
LEVELS = ("tỉnh", "huyện", "xã")
SKIP_KINDS = {"header", "signature", "recipients"}


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Vocabulary:
    comparators: list[tuple[re.Pattern, str]]
    lower_bound_after: re.Pattern
    unit: re.Pattern
    commit: re.Pattern
    not_before: re.Pattern
    not_after: re.Pattern
    baseline: re.Pattern
    baseline_sections: re.Pattern
    report_title: re.Pattern
    forward_section: re.Pattern
    metric_head: re.Pattern
    lead_verbs: re.Pattern
    rank: list[re.Pattern]
    rank_subject: re.Pattern
    stated: re.Pattern
    open_unit_after: re.Pattern
    not_units: frozenset[str]
    national: re.Pattern
    provincial: re.Pattern
    result_before: re.Pattern


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw = load_data("targets.yaml")
    w = r"(?<![\w])(?:{})(?![\w])"
    return Vocabulary(
        comparators=[(re.compile(r"(?:" + _alt(words) + r")\s*$", re.I), op) for op, words in raw["comparators"].items()],
        lower_bound_after=re.compile(r"^\s*(?:" + _alt(raw["lower_bound_after"]) + r")(?!\w)", re.I),
        unit=re.compile(r"^\s*(%|(?:" + _alt(raw["units"]) + r")(?!\w))", re.I),
        commit=re.compile(r"(?:" + _alt(raw["commit_verbs"]) + r")\s*(?:từ\s+)?$", re.I),
        not_before=re.compile(r"(?<![\w])(?:" + _alt(raw["not_before"]) + r")\s*$", re.I),
        not_after=re.compile(r"^\s*(?:" + _alt(raw["not_after"]) + r")(?!\w)", re.I),
        baseline=re.compile(w.format(_alt(raw["baseline_markers"])), re.I),
        baseline_sections=re.compile(w.format(_alt(raw["baseline_sections"])), re.I),
        report_title=re.compile(r"^\W*(?:báo cáo\s+)?(?:" + _alt(raw["report_titles"]) + r")(?!\w)", re.I),
        forward_section=re.compile(r"^\W*(?:các\s+)?(?:" + _alt(raw["forward_sections"]) + r")(?!\w)", re.I),
        metric_head=re.compile(w.format(_alt(raw["metric_heads"])), re.I),
        lead_verbs=re.compile(r"^(?:(?:" + _alt(raw["lead_verbs"]) + r")(?:\s+|$))+", re.I),
        rank=[re.compile(p, re.I) for p in raw["rank_patterns"]],
        # the subject's words in any case, then a name ("tỉnh Lâm Đồng")
        rank_subject=re.compile(r"(?:(?i:" + _alt(raw["rank_subjects"]) + r")(?:\s+[A-ZĐ]\w*)*\s*)?"),
        open_unit_after=re.compile(r"(?<![\w])(?:" + _alt(raw["open_unit_after"]) + r")\s*(?:ít nhất|tối thiểu)?\s*$", re.I),
        not_units=frozenset(w.casefold() for w in raw["not_units"]),
        stated=re.compile(r"(?<![\w])(?:" + _alt(raw["stated_target"]) + r")(?![\w])\s*:?\s*", re.I),
        national=re.compile("|".join(f"(?:{p})" for p in raw["national_subject"]), re.I),
        provincial=re.compile(w.format(_alt(raw["provincial_subject"])), re.I),
        result_before=re.compile(r"(?<![\w])(?:" + _alt(raw["result_before"]) + r")(?![\w])[^;()]{0,40}$", re.I),
    )


def parse_number(s: str) -> float:
    """Vietnamese number formats: "72,84" -> 72.84, "100.000" -> 100000, "02" -> 2."""
    return float(s.replace(".", "").replace(",", "."))


def _sentences(text: str) -> list[tuple[str, int]]:
    out, pos = [], 0
    for s in sent_tokenize(text):
        at = text.find(s, pos)
        if at < 0:
            at = pos
        out.append((s, at))
        pos = at + len(s)
    return out or [(text, 0)]


# a clause that carries on the previous one's metric: "; 40% đối với cấp huyện", "cấp huyện đạt 95%"
CONTINUES_RE = re.compile(r"^(?:(?:" + NUM + r")\s*%?\s*(?:đối với|tại|ở)?\s*cấp|cấp\s+(?:tỉnh|huyện|xã))", re.I)
CLAUSE_SPLIT_RE = re.compile(r";\s*|(?<=%)(?=[A-ZĐ])|,\s*(?=t[ỷỉ] (?:lệ|trọng)\b)|\.\s+(?=[A-ZĐ])", re.I)


def _clauses(sentence: str) -> list[tuple[str, int]]:
    return split_with_offsets(sentence, CLAUSE_SPLIT_RE)


@dataclass
class _Mention:
    value: float
    value_max: Optional[float]
    comparator: str
    unit: Optional[str]
    start: int  # where the comparator phrase starts in the clause
    end: int  # where the unit ends
    level: Optional[str] = None


# _mentions' patterns, compiled once: it runs on every clause with a digit
NUMBER_RE = re.compile(r"(?<![\w/.,-])(" + NUM + r")(/\d{1,3}(?=\s+[^\W\d_]))?(?![\w/]|[.,]\d)")
FROM_BEFORE_RE = re.compile(r"\btừ\s*$")
SLASH_BEFORE_RE = re.compile(r"[/\-–]$")
SERIES_AFTER_RE = re.compile(r"\s*%?\s*(?:" + NUM + r")\s*%")
SERIES_BEFORE_RE = re.compile(r"(?:" + NUM + r")\s*%\s*$")
CLASS_INTERVAL_RE = re.compile(r"\s*%?\s*(?:[-–]|đến)\s*dưới\s*(?:" + NUM + r")\s*%?")
RANGE_AFTER_RE = re.compile(r"\s*%?\s*(?:[-–]|đến)\s*(" + NUM + r")(?![\w/])")
LEAD_WORD_RE = re.compile(r"\s*(?:từ|đạt|là|:)\s*$", re.I)
OPEN_PAREN_RE = re.compile(r"\(\s*(?:đạt\s+)?(?:t[ỷỉ] lệ\s+)?$", re.I)
PER_UNIT_RE = re.compile(r"(?:/ ?[^\W\d_]+(?: [^\W\d_]+)?)+")
OR_MORE_RE = re.compile(r"\s+(?:[^\W\d_]+\s+){0,12}?trở lên(?!\w)")
JOINED_RE = re.compile(r";|\b(?:và|đạt)\b")
QUALIFYING_COUNT_RE = re.compile(r"\b(?:sử dụng|có|với)\s+(?:ít nhất|tối thiểu|từ)?\s*$")
LISTED_RE = re.compile(r"\s*(?:,|và)\s*")


def _mentions(clause: str) -> list[_Mention]:
    v = vocabulary()
    out: list[_Mention] = []
    for pattern in v.rank:
        for m in pattern.finditer(clause):
            out.append(_Mention(float(m.group(1)), None, "<=", "hạng", m.start(), m.end()))
    if out:
        return out
    taken_until = -1
    for m in NUMBER_RE.finditer(clause):
        if m.start() < taken_until:
            continue
        before, after = clause[:m.start()], clause[m.end():]
        periodic = v.open_unit_after.search(before)  # "mỗi tháng 02 chuyên mục" is a rate, not a date
        from_ = FROM_BEFORE_RE.search(before)
        if (v.not_before.search(before) and not periodic) or v.not_after.match(after) or SLASH_BEFORE_RE.search(before):
            continue
        if v.result_before.search(before):
            continue  # "(đến nay mới đạt 39,5%)": reached so far
        if SERIES_AFTER_RE.match(after) or SERIES_BEFORE_RE.search(before):
            continue  # a series of figures ("99,9% 99,5% 99,2%") is a table of results, not a commitment
        interval = CLASS_INTERVAL_RE.match(after)
        if interval:  # "đơn vị tự bảo đảm từ 70% - dưới 100% chi thường xuyên": a class of units, not a level
            taken_until = m.end() + interval.end()
            continue
        value = parse_number(m.group(1))
        end, value_max, comparator = m.end(), None, "="
        rng = RANGE_AFTER_RE.match(after)
        if rng:
            value_max, comparator = parse_number(rng.group(1)), "range"
            end = m.end() + rng.end()
        start = m.start()
        pre = LEAD_WORD_RE.sub("", before)
        pre = OPEN_PAREN_RE.sub("", pre)  # "(đạt tỷ lệ ≥ 5%)"
        stated_comparator = None
        if comparator != "range":
            for rx, op in v.comparators:
                cm = rx.search(pre)
                if cm:
                    stated_comparator, start = op, cm.start()
                    break
        unit_m = v.unit.match(clause[end:])
        if m.group(2) and not unit_m:
            continue  # "03/7 cơ sở dữ liệu" (3 of the 7) counts a known noun; "30/6 hằng năm" is a date
        if unit_m:
            unit = unit_m.group(1)
            end += unit_m.end()
            per = PER_UNIT_RE.match(clause[end:]) if unit != "%" else None
            if per:  # "01 sáng kiến/mô hình/ giải pháp", "300 mẫu đo/xã/tháng"
                unit, end = unit + re.sub(r"/ ", "/", per.group(0)), end + per.end()
        elif stated_comparator or periodic or from_:
            found = _open_unit(clause[end:], v)
            if found is None:
                continue
            unit, end = found[0], end + found[1]
        else:
            continue
        if comparator != "range":
            comparator = stated_comparator or comparator
            lower_bound = v.lower_bound_after.match(clause[end:])
            if lower_bound:
                comparator, end = ">=", end + lower_bound.end()
            elif unit != "%" and from_ and OR_MORE_RE.match(clause[end:]):
                comparator = ">="  # "từ 05 mỏ khoáng sản ... trở lên"
        if out and out[-1].unit == "%" and unit != "%" and not JOINED_RE.search(clause[out[-1].end:m.start()]) \
                and QUALIFYING_COUNT_RE.search(before):
            continue  # "100% cơ quan sử dụng ít nhất 01 ứng dụng AI": the count qualifies the share
        if unit != "%" and before.count("(") > before.count(")") and not periodic:
            continue  # a count in parentheses describes ("hơn 500 cơ sở giáo dục"), it does not commit
        listed = bool(out) and out[-1].unit not in ("%", "hạng") and LISTED_RE.fullmatch(clause[out[-1].end:m.start()])
        if unit != "%" and comparator == "=" and not v.commit.search(before) and not listed and not periodic:
            continue  # a counted number needs a commitment verb or a comparator: "đề ra 69 nhiệm vụ" is not a target
        if value >= 1900 and value <= 2100 and unit != "%":
            continue
        out.append(_Mention(value, value_max, comparator, unit, start, end))
        taken_until = end
    return out


def _open_unit(after: str, v: Vocabulary) -> Optional[tuple[str, int]]:
    """The counted noun right after a number, as underthesea segments words: "03 cụm Trung tâm" -> "cụm",
    "01 sáng kiến/mô hình/giải pháp về" -> "sáng kiến/mô hình/giải pháp"; with where it ends."""
    m = re.match(r"\s+([^\W\d_][\w/]*(?:\s+[^\W\d_][\w/]*){0,5})", after)
    if not m:
        return None
    words = word_tokenize(m.group(1))
    if not words or words[0].casefold() in v.not_units or not words[0][:1].islower():
        return None
    unit = words[0]
    k = 1
    while k + 1 < len(words) and words[k] == "/":
        unit, k = f"{unit}/{words[k + 1]}", k + 2
    at = after.find(unit.split("/")[-1], m.start(1)) + len(unit.split("/")[-1])
    return unit, at


LEVEL_RES = tuple((lv, re.compile(r"cấp\s+" + lv + r"\b", re.I)) for lv in LEVELS)


def _level(segment: str) -> Optional[str]:
    found = {lv for lv, rx in LEVEL_RES if rx.search(segment)}
    return found.pop() if len(found) == 1 else None


LEVEL_SEGMENT_RE = re.compile(r",\s*|\s+và\s+|:\s*|\s+trong đó\s*")


def _assign_levels(clause: str, mentions: list[_Mention]) -> None:
    """Each mention's level from its own segment ("cấp tỉnh đạt 100%", "55% đối với cấp tỉnh")."""
    for i, mention in enumerate(mentions):
        seg_start = mentions[i - 1].end if i else 0
        seg_end = mentions[i + 1].start if i + 1 < len(mentions) else len(clause)
        # the level can sit before the number ("cấp tỉnh đạt 100%") or after it ("55% đối với cấp tỉnh")
        left = LEVEL_SEGMENT_RE.split(clause[seg_start:mention.start])[-1]
        right = LEVEL_SEGMENT_RE.split(clause[mention.end:seg_end])[0]
        mention.level = _level(left + " " + right)


# the measure a sentence ranks, named before the ranking ("Xếp hạng chuyển đổi số của tỉnh có bước tiến …") up
# to what it does next
RANKED = r"(?:xếp hạng|thứ hạng|chỉ số)"
RANKED_START_RE = re.compile(r"\b" + RANKED + r"\s", re.I)
RANKED_RE = re.compile(RANKED + r"\s+\S[^;]*?(?=\s+(?:có|đạt|thuộc|nằm|vào|lọt|được|tăng|giữ|duy trì|"
                       r"luôn|sẽ|phải|tiếp tục)\b|\s*,\s+(?:[^\W\d_]+\s+){0,3}(?:thuộc|nằm|vào|lọt)\b"
                       r"|\s*,\s+(?:phấn đấu|đến|tiếp tục|bảo đảm|đảm bảo)\b)", re.I)
# what lies between two rankings of one measure: the first one's group, then "và" ("nhóm 4 nước dẫn đầu ASEAN và nhóm 60 …")
NEXT_RANK_RE = re.compile(r"^[^,;]*?(?:,|\bvà|\bhoặc)\s*(?:thuộc|nằm trong|vào)?\s*$", re.I)


def _rank_metric(before: str, after: str, clause_before: str, previous: Optional[str]) -> str:
    """'Phấn đấu đến năm 2025 Chỉ số DTI của tỉnh nằm trong nhóm 30 ...' -> 'Chỉ số DTI của tỉnh'. A second
    ranking of the same measure ("… và nhóm 60 nước …") is `previous`'s; a ranking whose subject is only who is
    ranked ("Việt Nam thuộc nhóm 4 nước …") ranks the topic after it ("… dẫn đầu cả nước về chuyển đổi số"),
    else the measure the sentence named before it (`clause_before`, the clause up to the number)."""
    v = vocabulary()
    if previous and NEXT_RANK_RE.match(before):
        return previous
    stem = v.lead_verbs.sub("", before.rsplit(",", 1)[-1].strip())
    stem = re.sub(r"^(?:đến(?: hết)? năm \d{4},?\s*)", "", stem, flags=re.I)
    stem = re.sub(r"\s*(?:xếp hạng\s*)?(?:nằm trong|vào|thuộc|lọt vào|trong)\s*$", "", stem, flags=re.I).strip(" ,")
    stem = v.lead_verbs.sub("", stem)
    if not stem and previous:
        return previous  # "…; thuộc nhóm 3 nước …": the clause goes on with the sentence's measure
    if stem and not v.rank_subject.fullmatch(stem) and not re.fullmatch(
            r"(?:tiếp tục\s+)?(?:duy trì|nâng mức)?\s*xếp hạng", stem, re.I):
        return stem
    topic = re.sub(r"^.*?\b(?:đứng đầu|dẫn đầu)?\s*(?:về|trong)\s+", "", after, count=1).strip(" ,.")
    if topic != after.strip(" ,."):
        return ("Xếp hạng " + topic).strip()
    for start in reversed([m.start() for m in RANKED_START_RE.finditer(clause_before)]):
        named = RANKED_RE.match(clause_before, start)
        if named:
            return named.group(0).strip(" ,")
    return stem or ("Xếp hạng " + topic).strip()  # who is ranked, if the sentence says nothing more


LEVEL_TAIL_RE = re.compile(r"\s*(?:tại|đối với|ở)?\s*cấp\s+(?:tỉnh|huyện|xã)\b.*$", re.I)


def _level_free(text: str) -> str:
    """A clause's lead-in without its level: "tỷ lệ hồ sơ công việc tại cấp huyện trên" -> "tỷ lệ hồ sơ công việc"."""
    text = LEVEL_TAIL_RE.sub("", text)
    return " ".join(text.split()).strip(" ,;:-").casefold()


# _metric's patterns, compiled once: it runs for every number found
METRIC_AFTER_END_RE = re.compile(r"\s+(?:trong năm|đến năm|vào năm|năm \d{4}|trước ngày|trong quý|trong tháng|quý [IV]+/)\b"
                                 r"|\s*\((?:đạt|theo)\b")
UP_TO_GOAL_RE = re.compile(r"^.*\bmục tiêu\s+")
LEADING_JOINER_RE = re.compile(r"^[\s,;:]*(?:(?:và|trong đó)\s*:?\s*)*")
NOT_CORE_RE = re.compile(r"(?:(?:tại|đối với|ở)\s+)?cấp\s+(?:tỉnh|huyện|xã)|\b(?:đạt|là|và|trong đó)\b|[\s,:]")
TRAILING_REACHES_RE = re.compile(r"\b(?:đạt|là|ở mức)\s*$")
METRIC_LEVEL_RE = re.compile(r"\s*(?:tại\s+)?(?:đối với\s+)?cấp\s+(?:tỉnh|huyện|xã)\b")
METRIC_OPEN_PAREN_RE = re.compile(r"\s*\(\s*(?:đạt\s+)?(?:t[ỷỉ] lệ\s*)?$")
METRIC_YEAR_TAIL_RE = re.compile(r",?\s*(?:mục tiêu\s+)?(?:đến\s+)?(?:hết\s+)?năm\s+\d{4}\s*$")
METRIC_VERB_TAIL_RE = re.compile(r"[\s,:;(–-]*(?:\b(?:đạt|là|lên|đến|đảm bảo|từ)\b|:)?(?:\s*\b(?:khoảng|gần|xấp xỉ))?\s*$")
ENUMERATOR_RE = re.compile(r"^\(\s*(?:\d{1,2}|[ivxl]{1,5}|[a-zđ])\s*\)\s*", re.I)  # "(iii) Hoàn thành …": its number
APPROXIMATELY_TAIL_RE = re.compile(r"\s*\b(?:khoảng|gần|xấp xỉ)\s*$")  # "cho khoảng 59.000 người": about


def _metric(clause: str, mention: _Mention, inherited: Optional[str], after_previous: int = 0,
            previous_rank: Optional[str] = None) -> str:
    """The shortest phrase of the clause that says what is measured (`previous_rank`: the measure of the
    sentence's ranking before this one)."""
    v = vocabulary()
    before = clause[after_previous:mention.start]
    if after_previous and "," in before:
        before = before.rsplit(",", 1)[1]  # "70% A, phổ cập B cho tối thiểu 50.000 lượt người": B only
    before = strip_assignment(before)
    if mention.unit == "hạng":
        return _rank_metric(before, clause[mention.end:], clause[:mention.start], previous_rank)
    head = v.metric_head.search(before)
    if head:
        metric = before[head.start():]
    else:
        after = clause[mention.end:]
        after = METRIC_AFTER_END_RE.split(after)[0]
        unit = mention.unit if mention.unit not in ("%", "hạng") else ""
        stem = UP_TO_GOAL_RE.sub("", before)  # "Kế hoạch cũng đặt mục tiêu 70% ..."
        stem = APPROXIMATELY_TAIL_RE.sub("", v.lead_verbs.sub("", LEADING_JOINER_RE.sub("", stem).strip()))
        core = NOT_CORE_RE.sub("", stem)
        if inherited and not core:
            return inherited
        if TRAILING_REACHES_RE.search(stem) and len(stem.split()) > 3:
            metric = stem  # "X đạt 50% doanh nghiệp trên địa bàn": the measured thing is X
        else:
            metric = " ".join(p for p in (stem, unit, after.strip()) if p)
    metric = METRIC_LEVEL_RE.sub("", metric) if mention.level else metric
    metric = METRIC_OPEN_PAREN_RE.sub("", metric.strip())
    metric = METRIC_YEAR_TAIL_RE.sub("", metric)
    metric = METRIC_VERB_TAIL_RE.sub("", metric.strip())
    metric = ENUMERATOR_RE.sub("", " ".join(metric.split()).strip(" ,;:-–."))
    return metric[:300]


YEAR_RE = re.compile(r"(?:đến|trong|vào|hết|cuối|mục tiêu)?\s*năm\s+((?:19|20)\d{2})\b(?!\s*[-–/])", re.I)
SECTION_YEAR_RE = re.compile(r"(?:giai đoạn\s+(?:19|20)\d{2}\s*[-–]\s*|đến(?: hết)?(?: năm)?\s+|năm\s+)((?:19|20)\d{2})\b", re.I)


DATE_BEFORE_RE = re.compile(r"(?:ngày|tháng)\s*\d*\s*$|\d/\s*$")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d{2}")  # what YEAR_RE needs, found 4x faster: most sentences have none


def _sentence_year(text: str) -> Optional[int]:
    if not _YEAR_DIGITS.search(text):
        return None
    for m in YEAR_RE.finditer(text):
        before = text[max(0, m.start() - 25):m.start()]
        if DATE_BEFORE_RE.search(before):
            continue  # part of a date: "ngày 15 tháng 3 năm 2022"
        return int(m.group(1))
    return None


PERIOD_END_RE = re.compile(r"giai đoạn\s+(?:19|20)\d{2}\s*[-–]\s*((?:19|20)\d{2})\b", re.I)


def _year_phrases(clause: str) -> list[tuple[int, int, int]]:
    """(start, end, year) of each target year the clause names: "đến năm 2030", "giai đoạn 2020 – 2025"."""
    out = []
    for m in list(YEAR_RE.finditer(clause)) + list(PERIOD_END_RE.finditer(clause)):
        if not DATE_BEFORE_RE.search(clause[max(0, m.start() - 25):m.start()]):
            out.append((m.start(), m.end(), int(m.group(1))))
    return sorted(out)


def _mention_year(years: list[tuple[int, int, int]], mention: "_Mention", previous_end: int, next_start: int) -> Optional[int]:
    """The year that governs one number of a clause naming several: the nearest one before it since the previous
    number, else one right after it ("30% GDP vào năm 2030"), else the last one before it."""
    before = [y for start, end, y in years if previous_end <= start and end <= mention.start]
    if before:
        return before[-1]
    after = [y for start, _, y in years if mention.end <= start < min(next_start, mention.end + 40)]
    if after:
        return after[0]
    earlier = [y for _, end, y in years if end <= mention.start]
    return earlier[-1] if earlier else None


def _section_year(sections: list[Section], sec_id: Optional[int]) -> Optional[int]:
    for sec in reversed(section_path(sections, sec_id)):
        if sec.kind in SKIP_KINDS or sec.kind in ("preamble",):
            continue
        m = SECTION_YEAR_RE.search(sec.heading or "")
        if m:
            return int(m.group(1))
    return None


STILL_LOW_RE = re.compile(r"[\s,]+(?:còn|vẫn)\s+(?:thấp|chậm|ít|hạn chế)$", re.I)
STATED_YEAR_RE = re.compile(r"\b(?:trong|của|cho|đến)?\s*năm\s+(?:19|20)\d{2}\b", re.I)


def _stated(clause: str) -> Optional[tuple[str, int, list[_Mention]]]:
    """The target a report states beside a result: "X đạt 72% (chỉ tiêu đề ra là tối thiểu 80%)" gives
    (X, where the numbers start, [>= 80%]); None when the clause states no target."""
    v = vocabulary()
    for m in v.stated.finditer(clause):
        rest = clause[m.end():]
        cut = re.search(r"[,;)]|\s+(?:hiện|nhưng|song)\s", rest)
        piece = rest[:cut.start()] if cut else rest
        mentions = _mentions(piece)
        # the year a target is for does not make it named rather than stated: "chỉ tiêu đề ra trong năm 2025 là 70%"
        lead_in = STATED_YEAR_RE.sub(" ", piece[:mentions[0].start]).split() if mentions else []
        if not mentions or len(lead_in) > (1 if m.group(0).strip(" :").casefold() == "chỉ tiêu" else 3):
            continue  # "chỉ tiêu Trung ương giao từ 4%" names the target, it does not state it
        subject = clause[:m.start()]
        subject = re.split(r"\s+(?:(?:hiện|mới|chỉ|chưa)\s+)*đạt\b", subject)[0].strip(" ,;:(")
        subject = STILL_LOW_RE.sub("", subject)  # "Tỷ lệ hồ sơ trực tuyến còn thấp, chỉ đạt …": the measure
        head = v.metric_head.search(subject)
        subject = subject[head.start():] if head else subject.rsplit(",", 1)[-1]
        subject = re.sub(r"^(?:tính đến ngày [\d/]+\s*)", "", subject.strip(), flags=re.I).strip(" ,;:(")
        return subject, m.end(), mentions
    return None


_DIGIT_RE = re.compile(r"\d")
LIST_LABEL_RE = re.compile(r"^(?:[-–+•*]\s*|[a-zđ]\)\s*|\d{1,2}(?:\.\d{1,2})*[.)]\s+)+")


def targets_in_text(text: str, year: Optional[int], span: Optional[Span] = None, results: bool = False) -> list[Target]:
    """Targets in one text unit (a paragraph or a table cell). In a report of results (`results`), only
    targets the text states as such ("chỉ tiêu đề ra là 80%") count."""
    if not _DIGIT_RE.search(text):  # no number, no target: most units, told before any other work
        return []
    v = vocabulary()
    text = " ".join(text.split())
    label = LIST_LABEL_RE.match(text)
    if label:  # a list label is not part of any quote
        text = text[label.end():]
        if span:
            span = Span(span.start + label.end(), span.end, span.line, span.page)
    out: list[Target] = []
    if not _DIGIT_RE.search(text):
        return out
    for sentence, s_at in _sentences(text):
        s_year = _sentence_year(sentence) or year
        inherited: Optional[str] = None
        previous_rank: Optional[str] = None
        clauses = _clauses(sentence)
        found: list[tuple[str, int, list[_Mention]]] = []
        for clause, c_at in clauses:
            stated = _stated(clause)
            if stated is not None:
                subject, offset, mentions = stated
                for mention in mentions:
                    at = s_at + c_at
                    sp = Span(span.start + at, span.start + at + len(clause), span.line, span.page) if span else None
                    metric = subject or _metric(clause[offset:], mention, None)
                    out.append(Target(metric=metric[:300], comparator=mention.comparator, value=mention.value,
                                      value_max=mention.value_max, unit=mention.unit,
                                      year=_sentence_year(clause) or s_year, quote=clause, span=sp))
                found.append((clause, c_at, []))
                continue
            if results or v.baseline.search(clause):
                found.append((clause, c_at, []))
                continue
            found.append((clause, c_at, _mentions(clause)))
        # a level counts only where one metric is split by level, possibly across clauses:
        # "đạt 55% đối với cấp tỉnh; 40% đối với cấp huyện và 20% đối với cấp xã"
        groups: list[list[_Mention]] = []
        last_key = None
        for clause, _, ms in found:
            _assign_levels(clause, ms)
            key = _level_free(clause[:ms[0].start]) if ms else None
            if ms and groups and (CONTINUES_RE.match(clause) or (key and key == last_key)):
                groups[-1].extend(ms)
            elif ms:
                groups.append(list(ms))
            if ms:
                last_key = key
        for group in groups:
            if len({m.level for m in group if m.level}) < 2:
                for m in group:
                    m.level = None
        for clause, c_at, ms in found:
            c_year = _sentence_year(clause) or s_year
            years = _year_phrases(clause) if ms else []
            several = len({y for _, _, y in years}) > 1  # "đến năm 2025, … 20% và đến năm 2030, … 30%"
            previous_end = 0
            for k, mention in enumerate(ms):
                if several:
                    c_year = _mention_year(years, mention, previous_end, ms[k + 1].start if k + 1 < len(ms) else len(clause)) or c_year
                metric = _metric(clause, mention, inherited, previous_end, previous_rank)
                previous_end = mention.end
                if not metric:
                    continue
                if mention.unit == "hạng":
                    previous_rank = metric
                if v.metric_head.match(metric):
                    inherited = metric
                at = s_at + c_at
                sp = Span(span.start + at, span.start + at + len(clause), span.line, span.page) if span else None
                scope = mention.level or ("national" if _national(sentence, c_at + mention.start, c_at + mention.end) else None)
                out.append(Target(metric=metric, comparator=mention.comparator, value=mention.value,
                                  value_max=mention.value_max, unit=mention.unit, year=c_year, scope=scope, quote=clause,
                                  span=sp))
    return out


SHARE_OF_GDP_RE = re.compile(r"\s*(?:%\s*)?(?:tổng sản phẩm trong nước|GDP)\b")


def _national(sentence: str, start: int, end: int) -> bool:
    """A national target restated as context: a national subject before the number with no provincial one
    after it ("Chính phủ đặt mục tiêu … 30%"; not "… Nghị quyết 57, tỉnh phấn đấu 30%"), or a share of GDP."""
    v = vocabulary()
    if SHARE_OF_GDP_RE.match(sentence[end:end + 30]):
        return True
    before = sentence[:start]
    subject = None
    for subject in v.national.finditer(before):
        pass
    return subject is not None and not v.provincial.search(before, subject.end())


def extract_targets(doc: SourceDocument, sections: list[Section], rows: list[Row], plan_year: Optional[int],
                    provincial: bool = True, title: Optional[str] = None) -> list[Target]:
    """Every target in the document, one per (metric, value, scope), quoting its first occurrence. In a central
    document (not `provincial`) national targets are its own: their scope stays null. A document whose `title`
    says it reports results is read as a section that does."""
    v = vocabulary()
    where = section_of_block(sections)
    report = bool(title) and bool(v.report_title.match(title))

    def reports_results(path: list[Section]) -> bool:
        return _reports_results(path) or (report and not _looks_ahead(path))
    found: list[Target] = []
    intro_year, intro_kind = None, None
    by_section: dict[Optional[int], tuple[bool, Optional[int], bool]] = {}  # what a section says of its lines

    def section(sec_id: Optional[int]) -> tuple[bool, Optional[int], bool]:
        if sec_id not in by_section:
            path = section_path(sections, sec_id)
            by_section[sec_id] = (any(s.kind in SKIP_KINDS for s in path), _section_year(sections, sec_id),
                                  reports_results(path))
        return by_section[sec_id]

    for idx, text, span in _text_units(doc, where):
        skipped, section_year, results = section(where.get(idx))
        kind = _list_kind(text)
        if kind is None or kind == intro_kind:  # the list under the intro has ended
            intro_year = None
        if skipped:
            continue
        year = intro_year or section_year or plan_year
        looks_ahead = results and v.forward_section.match(LIST_LABEL_RE.sub("", text))  # "Giải pháp khắc phục: …"
        found.extend(targets_in_text(text, year, span, results=results and not looks_ahead))
        if text.rstrip().endswith(":"):  # "Theo đó, đến năm 2025, tỉnh phấn đấu:" dates the list below it
            intro_year, intro_kind = _sentence_year(_sentences(text)[-1][0]) or intro_year, kind
    table_sections = {doc.blocks[i].span.start: where.get(i) for i in range(len(doc.blocks)) if doc.blocks[i].kind == "table"}
    table_starts = sorted(table_sections)
    results_table = {at: reports_results(section_path(sections, sec)) for at, sec in table_sections.items()}
    for i, row in enumerate(rows):
        if row.origin != "table":
            continue
        if row.span is not None and table_starts:
            at = table_starts[max(0, bisect.bisect_right(table_starts, row.span.start) - 1)]
            if results_table[at]:
                continue  # "Kết quả Chỉ số năm 2024": a table of results holds no commitments
        listed = targets_of_row(row, plan_year)
        for t in listed:
            t.row_index = i
            found.append(t)
        for text in ((row.text, row.hint) if not listed else ()):  # a KPI row's text defines its indicator
            if text:
                for t in targets_in_text(text, row.horizon() or plan_year, row.span):
                    t.row_index = i
                    found.append(t)
    if not provincial:
        for t in found:
            t.scope = None if t.scope == "national" else t.scope
    return _dedupe(found)


LIST_ITEM_RE = re.compile(r"^\s*(?:([-–•*])|(\+)|([a-zđ])\)|(\d{1,2})[.)]\s)")


def _list_kind(text: str) -> Optional[int]:
    """Which kind of list label a line opens with ("-", "+", "a)", "1."), or None for running text."""
    m = LIST_ITEM_RE.match(text)
    return next(i for i in range(1, 5) if m.group(i)) if m else None
CONTINUATION_RE = re.compile(r"^\s*(?:" + NUM + r")\s*%?\s")


def _text_units(doc: SourceDocument, where: dict[int, Optional[int]]) -> list[tuple[int, str, Optional[Span]]]:
    """The document's lines, a line that opens on a bare quantity joined to the one it continues: a split by
    level wrapped after its semicolon ("... đạt 90% tại cấp tỉnh;" / "80% tại cấp huyện và 70% tại cấp xã")."""
    units: list[tuple[int, str, Optional[Span]]] = []
    previous: Optional[int] = None
    for idx, block in enumerate(doc.blocks):
        if block.kind != "line":
            previous = None
            continue
        if (units and previous is not None and where.get(previous) == where.get(idx) and CONTINUATION_RE.match(block.text)
                and units[-1][1].rstrip().endswith((";", ","))):
            first, text, span = units[-1]
            joined = Span(span.start, block.span.end, span.line, span.page) if span and block.span else span
            units[-1] = (first, f"{text} {block.text}", joined)
        else:
            units.append((idx, block.text, block.span))
        previous = idx
    return units


TITLE_CHARS = 100


def _reports_results(path: list[Section]) -> bool:
    """Inside a section that reports results or the current situation ("Kết quả năm 2025", "Thực trạng"), or
    that sets rating rules ("Tiêu chí xếp loại"): its numbers are results and thresholds, not commitments.
    A section is named by its title, the first words of its heading: an item that runs on as a paragraph
    ("3. … thuộc nhóm 4 nước dẫn đầu … theo đánh giá của Liên hợp quốc") is not a report for a word in its
    fourth line."""
    v = vocabulary()
    return any(v.baseline_sections.search((s.heading or "")[:TITLE_CHARS])
               and s.kind in ("roman", "part", "chapter", "section", "article", "numbered") for s in path)


def _looks_ahead(path: list[Section]) -> bool:
    """Inside a section of a report that looks ahead: "Phương hướng, nhiệm vụ năm 2026", "Các nhiệm vụ trọng tâm
    trong thời gian tới: …", "Giải pháp khắc phục: …"."""
    v = vocabulary()
    return any(v.forward_section.match(s.heading or "") for s in path)


def quantity_of_cell(cell: str) -> Optional[tuple[str, float, Optional[float], Optional[str]]]:
    """(comparator, value, value_max, unit) of a cell that holds one quantity and nothing else:
    "100%", "≥ 80", "Trên 90", "Tối thiểu 50%", "70 - 80%", "từ 05 trở lên"."""
    v = vocabulary()
    m = re.fullmatch(r"\s*(.*?)\s*(" + NUM + r")\s*(?:(?:%\s*)?(?:[-–]|đến)\s*(" + NUM + r"))?\s*(%)?\s*(.*?)\s*\.?\s*",
                     cell, re.I)
    if not m:
        return None
    before, after = re.sub(r"^(?:từ|đạt|là)\s+|\s+(?:từ|đạt)$", "", m.group(1), flags=re.I), m.group(5)
    comparator = "range" if m.group(3) else "="
    if before:
        found = next((op for rx, op in v.comparators if (cm := rx.search(before)) and cm.start() == 0), None)
        if found is None:
            return None
        comparator = found if comparator == "=" else comparator
    if after:
        lower = v.lower_bound_after.match(after)
        if not lower or after[lower.end():].strip():
            return None
        comparator = ">="
    value_max = parse_number(m.group(3)) if m.group(3) else None
    return comparator, parse_number(m.group(2)), value_max, "%" if m.group(4) else None


def targets_of_row(row: Row, plan_year: Optional[int]) -> list[Target]:
    """The targets a table row lists in its value columns: one per target column of a table with several (a
    year each, a measure each: "Kế hoạch 2026 | Lượng (Tấn)"), else the one of `target_of_row`."""
    if not row.target_cells:
        listed = target_of_row(row, plan_year)
        return [listed] if listed is not None else []
    found = (_listed(row, cell, year or row.target_year or row.horizon() or plan_year, unit, measure,
                     f"{row.text} | {measure or year or ''} | {cell}") for cell, year, unit, measure in row.target_cells)
    return [t for t in found if t is not None]


def target_of_row(row: Row, plan_year: Optional[int]) -> Optional[Target]:
    """A KPI table row that lists its own target in a value column (Chỉ tiêu | Đơn vị tính | Mục tiêu):
    the row's indicator is the metric, the cell its value, the unit column its unit."""
    cell = row.target or (row.hint if row.kind == "indicator" else None)
    if not cell or not row.text:
        return None
    return _listed(row, cell, row.target_year or row.horizon() or plan_year, None, None, f"{row.text} | {cell}".strip())


def _listed(row: Row, cell: str, year: Optional[int], unit: Optional[str], measure: Optional[str],
            quote: str) -> Optional[Target]:
    """The target one value cell of a row lists, if it holds a quantity: its unit the cell's, else the column
    label's (`unit`), else the row's unit cell; its metric the row's, with the column's `measure`."""
    quantity = quantity_of_cell(cell)
    if quantity is None:
        return None
    comparator, value, value_max, printed_unit = quantity
    unit = printed_unit or unit or (row.unit.strip() if row.unit and len(row.unit) < 40 else None)
    metric = _row_metric(row) + (f" ({measure})" if measure else "")
    return Target(metric=metric[:300], comparator=comparator, value=value, value_max=value_max, unit=unit, year=year,
                  quote=quote, span=row.span, listed=True)


def _row_metric(row: Row) -> str:
    """What a row measures: its text; a row marked "-" under a numbered row measures something of that row's
    ("1 | Cà phê" over "- | Diện tích": the area of coffee)."""
    metric = re.sub(r"\s*\(\s*%\s*\)\s*$|[\s.;:]+$", "", row.text)
    if row.group and row.stt and SUB_ROW_MARK_RE.match(row.stt):
        metric = f"{metric} ({row.group})"
    return metric


def _dedupe(found: list[Target]) -> list[Target]:
    abbreviations = _abbreviations(t.quote for t in found)
    kept: list[Target] = []
    # only targets of the same figures can be the same target: each is compared with those alone, in order
    kept_by_figures: dict[tuple, list[Target]] = {}
    for t in found:
        alike = kept_by_figures.setdefault((t.value, t.value_max, t.scope, t.unit, t.listed), [])
        same = next((k for k in alike if _same_target(k, t, abbreviations)), None)
        if same is None:
            kept.append(t)
            alike.append(t)
        elif same.row_index is None and t.row_index is not None:
            same.row_index = t.row_index  # a prose target restated in an appendix row: link, don't duplicate
    return kept


def _same_target(a: Target, b: Target, abbreviations: dict[str, str]) -> bool:
    """A task row restating a target of the text is that target (linked to the row); the same commitment
    printed twice in the text, or listed in a KPI table, is one entry per occurrence."""
    if (a.value, a.value_max, a.scope, a.unit) != (b.value, b.value_max, b.scope, b.unit) or a.listed != b.listed:
        return False
    if (a.row_index is None) == (b.row_index is None) and a.span != b.span:
        return False  # two occurrences
    if a.year != b.year and (a.row_index is None) == (b.row_index is None):
        return False  # the same level promised for two years is two targets (in the text, or in a row's columns)
    x, y = _plain(a.metric, abbreviations), _plain(b.metric, abbreviations)
    if x == y or fuzz.ratio(x, y) >= 97:  # "máy chủ" and "máy trạm" differ by one word and are two targets
        return True
    # an appendix row restating a prose target words it differently: one phrase inside the other
    restated = (a.row_index is None) != (b.row_index is None)
    return restated and min(len(x), len(y)) >= 25 and fuzz.partial_ratio(x, y) >= 92


def _plain(metric: str, abbreviations: dict[str, str]) -> str:
    for abbr, full in abbreviations.items():
        metric = re.sub(r"\s*\(" + re.escape(abbr) + r"\)", "", metric)
        metric = re.sub(r"\b" + re.escape(abbr) + r"\b", full, metric)
    return re.sub(r"[\s.,;:()\-–]+", " ", metric).casefold().strip()


ABBREVIATION_RE = re.compile(r"\([A-ZĐ]{2,8}\)")
DEFINED_ABBREVIATION_RE = re.compile(r"((?:[\wÀ-ỹ]+\s+){1,8})\(([A-ZĐ]{2,8})\)")


def _abbreviations(texts: Iterable[str]) -> dict[str, str]:
    """Abbreviations the document defines inline: "thủ tục hành chính (TTHC)" -> TTHC = thủ tục hành chính."""
    out: dict[str, str] = {}
    for text in texts:
        if not ABBREVIATION_RE.search(text):  # the cheap part first: most texts define none
            continue
        for m in DEFINED_ABBREVIATION_RE.finditer(text):
            words, abbr = m.group(1).split(), m.group(2)
            n = len(abbr)
            if len(words) >= n and "".join(w[0] for w in words[-n:]).upper() == abbr:
                out[abbr] = " ".join(words[-n:])
    return out
