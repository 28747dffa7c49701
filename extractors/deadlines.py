"""Deadline text -> {start, end, recurrence}, keeping the raw text alongside.

"Tháng 10/2022" and "10/2023" end on the month's last day, "Quý IV/2022" on the
quarter's, "2023" on 31 December; "2019-2021" and "Từ năm 2019 đến năm 2021" are
ranges; "Hàng năm"/"Hằng năm" recur yearly, "hằng quý" quarterly. Free text with no
date ("Theo kế hoạch của Chính phủ") gives all nulls.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Optional

from vnplans.schemas.extraction import Deadline

ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


# Dates relative to something else: "Trước ngày 31/01 năm liền kề", "năm sau".
RELATIVE_RE = re.compile(r"năm liền kề|năm sau\b|năm tiếp theo|kể từ ngày (?:ký|ban hành|nhận)")


def _month_end(y: int, m: int) -> str:
    return dt.date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def _valid_year(y: int) -> bool:
    return 1990 <= y <= 2100


RECURRENCES = (("monthly", re.compile(r"h[aà]ng tháng|hằng tháng|định kỳ tháng|mỗi tháng")),
               ("quarterly", re.compile(r"h[aà]ng quý|hằng quý|định kỳ quý|mỗi quý")),
               ("yearly", re.compile(r"h[aà]ng năm|hằng năm|định kỳ năm|mỗi năm|thường niên")))
UNDATED = (("ongoing", re.compile(r"thường xuyên|liên tục|hằng ngày|hàng ngày")),
           ("on_demand", re.compile(r"khi (?:có )?(?:phát sinh|yêu cầu|cần thiết)|theo yêu cầu|khi được giao")))


def parse(raw: Optional[str], default_year: Optional[int] = None) -> Deadline:
    """A deadline cell or phrase as dates: the first form that reads it sets start and end (ISO), after its
    recurrence ("Hằng quý") and its kind when it is no date by design ("Thường xuyên")."""
    if not raw:
        return Deadline()
    t = " ".join(raw.split()).lower()
    d = Deadline()
    if t.startswith("theo ") or RELATIVE_RE.search(t):
        return d  # set by another text ("Theo Kế hoạch ...", "Theo các mốc tại Quyết định ... ngày ...") or relative
    m = re.search(r"(?:bắt đầu|kể từ|từ)\b[^\d]{0,30}?(?:năm\s+)?(\d{4})\s*$", t)
    if m and "đến" not in t and _valid_year(int(m.group(1))):
        d.start = f"{m.group(1)}-01-01"  # "Bắt đầu triển khai từ năm 2026": a start, no end
        return d
    d.recurrence = next((name for name, rx in RECURRENCES if rx.search(t)), None)
    d.kind = next((name for name, rx in UNDATED if rx.search(t)), None)
    for form in DATE_FORMS:
        dates = form(t, default_year if not d.recurrence else None)
        if dates:
            d.start, d.end = dates
            return d
    m = re.search(r"(?:^|năm\s+|cuối năm\s+|trong năm\s+)(\d{4})\b", t)
    if m and _valid_year(int(m.group(1))) and not d.recurrence:
        d.end = f"{m.group(1)}-12-31"
    return d


Dates = Optional[tuple[Optional[str], str]]  # (start, end) of one printed form, None when it does not read it


def _half_year(t: str, _year: Optional[int]) -> Dates:
    m = re.search(r"6 tháng (đầu|cuối) năm\s*(\d{4})", t)
    if m and _valid_year(int(m.group(2))):
        y = int(m.group(2))
        return (None, f"{y}-06-30") if m.group(1) == "đầu" else (f"{y}-07-01", f"{y}-12-31")
    return None


def _quarters(t: str, _year: Optional[int]) -> Dates:
    m = re.search(r"quý\s+([ivx]+|\d)\s*(?:[-–,]|và|đến)\s*(?:quý\s+)?([ivx]+|\d)\s*(?:/|năm)\s*(\d{4})", t)
    if m and m.group(1).upper() in ROMAN_Q and m.group(2).upper() in ROMAN_Q and _valid_year(int(m.group(3))):
        q1, q2, y = ROMAN_Q[m.group(1).upper()], ROMAN_Q[m.group(2).upper()], int(m.group(3))
        if q1 <= q2:
            return dt.date(y, q1 * 3 - 2, 1).isoformat(), _month_end(y, q2 * 3)
    return None


def _months(t: str, _year: Optional[int]) -> Dates:
    m = re.search(r"từ\s+tháng\s+(\d{1,2})(?:\s*(?:/|năm)\s*(\d{4}))?\s+đến\s+tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})", t)
    if m:
        y2 = int(m.group(4))
        y1 = int(m.group(2) or y2)
        m1, m2 = int(m.group(1)), int(m.group(3))
        if 1 <= m1 <= 12 and 1 <= m2 <= 12 and _valid_year(y1) and _valid_year(y2):
            return dt.date(y1, m1, 1).isoformat(), _month_end(y2, m2)
    return None


def _years(t: str, _year: Optional[int]) -> Dates:
    m = re.search(r"(?:từ\s+(?:năm\s+)?|giai đoạn\s+)?(\d{4})\s*(?:[-–]|đến(?:\s+năm)?)\s*(\d{4})", t)
    if m and _valid_year(int(m.group(1))) and _valid_year(int(m.group(2))) and int(m.group(1)) <= int(m.group(2)):
        return f"{m.group(1)}-01-01", f"{m.group(2)}-12-31"
    return None


def _date(t: str, _year: Optional[int]) -> Dates:
    m = re.search(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", t)
    return _day(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


def _quarter(t: str, _year: Optional[int]) -> Dates:
    m = re.search(r"quý\s+([ivx]+|\d)\s*(?:/|năm)\s*(\d{4})", t)
    if m and m.group(1).upper() in ROMAN_Q and _valid_year(int(m.group(2))):
        return None, _month_end(int(m.group(2)), ROMAN_Q[m.group(1).upper()] * 3)
    return None


def _month(t: str, _year: Optional[int]) -> Dates:
    m = re.search(r"(?:tháng\s+)?(\d{1,2})\s*(?:/|năm)\s*(\d{4})", t)
    if m and 1 <= int(m.group(1)) <= 12 and _valid_year(int(m.group(2))) and ("tháng" in t or re.match(r"^\d{1,2}/\d{4}", t)):
        return None, _month_end(int(m.group(2)), int(m.group(1)))
    return None


def _day_of_year(t: str, year: Optional[int]) -> Dates:
    """"ngày 23 tháng 1", "trước ngày 20/12": a day in the year the column or the plan states (not in a
    recurring deadline, which falls every year)."""
    if not year:
        return None
    m = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?!\s*(?:năm|/)\s*\d)", t)
    found = _day(year, int(m.group(2)), int(m.group(1))) if m else None
    if found:
        return found
    m = re.search(r"trước\s+(?:ngày\s+)?(\d{1,2})[/-](\d{1,2})(?![/\d])", t)
    return _day(year, int(m.group(2)), int(m.group(1))) if m else None


def _day(y: int, month: int, day: int) -> Dates:
    try:
        return None, dt.date(y, month, day).isoformat()
    except ValueError:
        return None


DATE_FORMS = (_half_year, _quarters, _months, _years, _date, _quarter, _month, _day_of_year)


# The period a heading states for the tasks under it: "Nhiệm vụ năm 2026", "giai đoạn 2026-2030",
# "đến năm 2030"; not the year of a date ("ngày 18 tháng 11 năm 2025").
PERIOD_RE = re.compile(r"(?<![\w/])(?:trong năm|đến năm|năm|giai đoạn)\s+(\d{4})(?:\s*[-–]\s*(\d{4}))?(?![\w/])",
                       re.IGNORECASE)


CITED_ACT_RE = re.compile(r"(?:Nghị quyết|Quyết định|Chỉ thị|Nghị định|Thông tư|Luật|Công văn)\b[^,;:()]{0,25}$", re.IGNORECASE)


def period_of(heading: str) -> Optional[Deadline]:
    """The period a section or table heading states, as a deadline; None when it states none."""
    for m in PERIOD_RE.finditer(heading):
        before = heading[: m.start()]
        if re.search(r"tháng\s+\d{1,2}\s*$|\bngày\s*$", before) or CITED_ACT_RE.search(before):
            continue
        d = parse(m.group(0))
        if d.end:
            return d
    return None


# Deadlines inside a task sentence rather than in a deadline cell.
DEADLINE_RE = re.compile(
    r"(?:từ\s+tháng\s+\d{1,2}(?:/\d{4})?\s+đến\s+tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})"
    r"|(?<=trong\s)tháng\s+\d{1,2}/\d{4}|(?<=trước\s)(?:ngày\s+)?\d{1,2}/\d{1,2}(?:/\d{4})?"
    r"|(?<=hoàn thành\s)(?:trước\s+)?(?:tháng\s+\d{1,2}/\d{4}|quý\s+[IV]+/\d{4}|năm\s+\d{4})"
    r"|(?<=trong\s)năm\s+\d{4}|(?<=trong\s)quý\s+[IV]+(?:/|\s+năm\s+)\d{4}"
    r"|tháng\s+\d{1,2}\s+h[àằ]ng\s+năm|(?<![\w\s]{2}\s)(?<=\s)giai đoạn\s+\d{4}\s*[-–]\s*\d{4})",
    re.IGNORECASE,
)
# A period that names a plan or programme is not the task's deadline: "Kế hoạch ... giai đoạn 2021-2025".
NAMED_PERIOD_RE = re.compile(r"(?:Kế hoạch|Đề án|Chương trình|Chiến lược|Nghị quyết|Quyết định|Quy hoạch)[^,;.:]*$")


def find_deadlines(text: str) -> list[tuple[str, int, int]]:
    """Deadline phrases in a task sentence, as printed, with their offsets."""
    out = []
    for m in DEADLINE_RE.finditer(text):
        raw = m.group(0)
        if raw.lower().startswith("giai đoạn") and NAMED_PERIOD_RE.search(text[max(0, m.start() - 120):m.start()]):
            continue
        if raw.lower() not in {r.lower() for r, _, _ in out}:
            out.append((raw, m.start(), m.end()))
    return out


def deadline_of(text: str, plan_year: Optional[int]) -> tuple[Optional[str], Deadline]:
    """The deadline a task sentence sets: its phrases joined as printed, and their span (earliest start, latest end)."""
    found = find_deadlines(text)
    if not found:
        return None, Deadline()
    parsed = [parse(raw, plan_year) for raw, _, _ in found]
    starts = [d.start for d in parsed if d.start]
    ends = [d.end for d in parsed if d.end]
    recurrence = next((d.recurrence for d in parsed if d.recurrence), None)
    return "; ".join(r for r, _, _ in found), Deadline(start=min(starts) if starts else None,
                                                        end=max(ends) if ends else None, recurrence=recurrence)
