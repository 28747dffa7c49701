"""Task assignments written as prose rather than as table rows.

Plans assign work in three prose shapes, all turned into task rows (`origin: prose`)
whose `table` is the enclosing section heading:

- an agency heading followed by task items: "a) Giám đốc Sở Thông tin và Truyền thông"
  then "- Trình UBND tỉnh ban hành ..." (each item, or each paragraph, is one task);
- an item that opens with its agency: "b) Giám đốc Sở Y tế tiếp tục chỉ đạo ...";
- clauses in running text: "Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ ...",
  "...; Sở Nội vụ triển khai đồng bộ chương trình ...".

The subject ends where the predicate starts: a verb from `data/predicates.yaml`, else the
first lower-case verb according to underthesea's part-of-speech tagger. "phối hợp (với) Y"
names coordinating agencies.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Optional


from vnplans.extractors import agencies, deadlines, vocabulary
from vnplans.schemas.extraction import Row
from vnplans.extractors.nlp import pos_tag
from vnplans.extractors.spans import split_with_offsets
from vnplans.extractors.structure import Section
from vnplans.schemas.document import SourceDocument, Span

SKIP_KINDS = {"header", "preamble", "signature", "recipients"}
ITEM_KINDS = {"numbered", "lettered", "bullet", "ordinal", "clause", "point", "article", "roman", "group"}


@dataclass(frozen=True)
class Lexicon:
    predicates: re.Pattern
    inside: re.Pattern
    closing: tuple[str, ...]
    report_heading: re.Pattern


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = vocabulary.load("predicates.yaml")

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return Lexicon(
        predicates=re.compile(r"(?<![\w])(?:" + alt(raw["predicate_starters"]) + r")(?!\w)"),
        inside=re.compile(r"(?<![\w])(?:" + alt(raw["inside_agency"]) + r")(?!\w)"),
        closing=tuple(raw["closing_phrases"]),
        report_heading=re.compile(r"^(?:" + alt(raw["report_headings"]) + r")(?!\w)", re.IGNORECASE),
    )


@functools.lru_cache(maxsize=1)
def _subject_start() -> re.Pattern:
    titled = agencies.title_pattern() + r"\s+(?:(?:các|Các)\s+)?(?:" + agencies.HEAD + r"|[A-ZĐ])"
    return re.compile(r"^(?:[Gg]iao\s+)?(?:" + titled + r"|" + agencies.STRONG_HEAD + r")")


@dataclass
class Subject:
    """The agency phrase an assignment starts with, and where its predicate starts."""

    phrase: str
    agencies: list[str]
    predicate_at: int  # offset in the text; len(text) when the text is only the agency
    collective: bool
    printed_as: dict[str, str] = field(default_factory=dict)  # an agency entry -> as the text printed it


GIVE_RE = re.compile(r"^(?:[Gg]iao\s+)?")
MANY_RE = re.compile(r"(?i)các\s")
COLLECTIVE_START_RE = re.compile(r"^(?:các|Các)\s|^[a-zđ]")


@functools.lru_cache(maxsize=1)
def _title_lead_re() -> re.Pattern:
    return re.compile(r"^" + agencies.title_pattern() + r"\s+")


def subject_of(text: str) -> Optional[Subject]:
    """The agency that opens `text`, or None when the text does not start with one."""
    t = text.rstrip()
    m = _subject_start().match(t)
    if not m or t.startswith(("Cổng", "cổng")):
        return None
    start = len(GIVE_RE.match(t).group(0))
    cut = _predicate_start(t, m.end())
    phrase = t[start:cut].strip(" ,;:.-–")
    if not phrase or DATED_RE.search(phrase):
        return None  # "UBND ngày 21/8/2025 về việc ...": the tail of a cited document's number, not an agency
    if PASSIVE_END_RE.search(phrase) or PASSIVE_START_RE.match(t[cut:]) or NOT_AN_AGENCY_RE.match(phrase):
        return None  # "Các cơ quan, đơn vị được kiểm tra": acted upon; "Trường hợp ...": a condition
    named = agencies.split_printed(phrase)
    names = [entry for _, entry in named]
    if not names:
        return None
    body = _title_lead_re().sub("", phrase)
    if MANY_RE.match(body) and not COLLECTIVE_RE.match(body):
        return None
    collective = bool(COLLECTIVE_START_RE.match(body))
    return Subject(phrase, names, cut if cut < len(t) else len(text), collective, agencies.printed_map(named))


def _predicate_start(text: str, head_end: int) -> int:
    """Offset where the predicate starts: a colon, a listed verb, else the tagger's first verb."""
    lx = lexicon()
    protected = [(m.start(), m.end()) for m in lx.inside.finditer(text)]

    def free(pos: int) -> bool:
        return not any(a <= pos < b for a, b in protected)

    colon = text.find(":", head_end)
    limit = colon if colon >= 0 else len(text)
    item = ITEM_MARK_RE.search(text, head_end, limit)  # "Sở Công Thương a) Chủ trì, ...": the heading's items begin
    limit = item.start() if item else limit
    aspect = ASPECT_RE.search(text, head_end, limit)  # "Ủy ban nhân dân tỉnh đã ban hành": "đã" opens the predicate
    limit = aspect.start() + 1 if aspect else limit
    listed = next((m.start() for m in lx.predicates.finditer(text, head_end, limit)
                   if free(m.start()) and not _inside_name(text, m.start())), limit)
    return min(listed, _tagged_verb(text, head_end, free, listed, heading=listed == limit))


DATED_RE = re.compile(r"^\S+(?:\s+\S+)?\s+ngày\s+\d{1,2}[/-]\d{1,2}")
PASSIVE_END_RE = re.compile(r"\s(?:được|bị)$")
PASSIVE_START_RE = re.compile(r"[\s,]*(?:được|bị)\s(?!giao\b)")  # "đơn vị được giao ..." names who is assigned
NOT_AN_AGENCY_RE = re.compile(r"(?i)trường hợp\b")  # "Trường" heads school names; "Trường hợp" is "in case"
ITEM_MARK_RE = re.compile(r"\s[a-zđ]\)\s")
ASPECT_RE = re.compile(r"\s(?:đã|đang|sẽ|chưa|vẫn|đều|cũng|tự)\s")
# "Các X" opens an agency only when X names one ("Các sở, ngành"); "Các thông số:", "Các yếu tố" do not
COLLECTIVE_RE = re.compile(agencies.HEAD + r"|(?:các)\s+(?:tổ chức|cá nhân|nhà mạng|chủ đầu tư|xã|phường|huyện)\b",
                           re.IGNORECASE)


def reports_done(predicate: str) -> bool:
    """A predicate that reports what was done ("đã ban hành Kế hoạch ..."): a result, not an assignment."""
    return predicate.lstrip(" ,").startswith(("đã ", "Đã "))


def _inside_name(text: str, pos: int) -> bool:
    """A verb-looking word right after "và" in a capitalised name ("Sở Nông nghiệp và phát triển nông thôn")."""
    before = text[max(0, pos - 40):pos]
    return bool(re.search(r"\b[A-ZĐ]\w*\s+và\s+$", before)) and text[pos:pos + 20].startswith(("phát triển", "đầu tư"))


@functools.lru_cache(maxsize=4096)
def _pos(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(pos_tag(text))


def _tagged_verb(text: str, head_end: int, free, stop: int, heading: bool = False) -> int:
    """The first verb the tagger finds after the agency head; only the words before `stop` (a listed
    predicate already found) are tagged, with a few words of context after them. `heading`: no listed
    predicate comes before the colon or the end ("Giao Trung tâm xúc tiến Đầu tư, …:")."""
    pos = 0
    for word, tag in _pos(text[:min(300, stop + 24)]):
        at = text.find(word, pos)
        if at < 0:
            continue
        pos = at + len(word)
        if at < head_end:
            continue
        # a "verb" holding a capitalised syllable is a piece of a name ("và Công nghệ"); in a heading (no listed
        # predicate), the word right after a bare head noun names the agency ("Trung tâm xúc tiến Đầu tư, ...")
        if tag == "V" and word[:1].islower() and not any(w[:1].isupper() for w in word.split()) and free(at) \
                and not agencies.HEAD_RE.fullmatch(word) and word not in ("được", "đã", "là", "có") \
                and not (heading and _names_head(text, at)):
            return at
    return len(text)


def _names_head(text: str, at: int) -> bool:
    """The word at `at` directly follows a head noun with no name yet, and capitalised words follow it."""
    before = text[:at].rstrip()
    return bool(re.search(r"(?:^|\s)(?:" + agencies.HEAD + r")$", before, re.IGNORECASE)) \
        and bool(re.match(r"\S+(?:\s+\S+)?\s+[A-ZĐ]", text[at:]))


def strip_assignment(text: str) -> str:
    """The task without who is assigned it: "Sở A chủ trì, phối hợp với Sở B tổ chức X" -> "tổ chức X"."""
    subject = subject_of(text)
    rest = text[subject.predicate_at:] if subject and subject.predicate_at < len(text) else text
    m = re.match(r"\s*chủ trì\s*,?\s*", rest)
    if m:
        rest = rest[m.end():]
        p = PARTNER_RE.match(rest)
        if p:
            tail = rest[p.end():]
            rest = tail[_predicate_start(tail, 1):] if _subject_start().match(tail) else tail
    return rest.strip(" ,") if rest.strip(" ,") else text


PARTNER_RE = re.compile(r"[Pp]hối hợp(?:\s+chặt chẽ)?(?:\s+(?:với|cùng))?\s+")


def partners(text: str) -> list[str]:
    """Agencies named after "phối hợp (với)": the coordinating side of an assignment."""
    return [entry for _, entry in partners_printed(text)]


def partners_printed(text: str) -> list[tuple[str, str]]:
    """(as printed, entry) of each agency named after "phối hợp (với)"."""
    out: list[tuple[str, str]] = []
    for m in PARTNER_RE.finditer(text):
        rest = text[m.end():]
        if not _subject_start().match(rest):
            continue
        cut = _predicate_start(rest, 1)
        phrase = rest[:cut].strip(" ,;:.-–")
        phrase = re.split(r"[;.(]", phrase)[0].strip(" ,")
        for printed, name in agencies.split_printed(phrase):
            if name not in (entry for _, entry in out):
                out.append((printed, name))
    return out


@dataclass
class _Ctx:
    """Who the items below are assigned to, and under which section heading they are filed."""

    lead: list[str]
    table: str
    coordinate: list[str] = field(default_factory=list)
    printed_as: dict[str, str] = field(default_factory=dict)  # an agency entry -> as the text printed it


def extract_prose_tasks(doc: SourceDocument, sections: list[Section], plan_year: Optional[int] = None) -> list[Row]:
    kids: dict[Optional[int], list[int]] = {}
    for s in sections:
        kids.setdefault(s.parent, []).append(s.id)
    out: list[Row] = []
    lx = lexicon()

    def block_text(i: int) -> str:
        return " ".join(doc.blocks[i].text.split())

    def item_text(sec: Section) -> str:
        """The item's own text: its heading and any lower-case continuation lines (hard wraps across blank lines)."""
        parts = [sec.heading]
        for i in sec.blocks[1:]:
            b = doc.blocks[i]
            if b.kind != "line" or not b.text.strip()[:1].islower():
                break
            parts.append(block_text(i))
        return " ".join(" ".join(parts).split())

    def paragraphs(sec: Section) -> list[int]:
        own = []
        for i in sec.blocks[1:]:
            b = doc.blocks[i]
            t = b.text.strip()
            if b.kind == "line" and t and not t[:1].islower() and not t.startswith(lx.closing):
                own.append(i)
        return own

    def title_of(sec: Section) -> str:
        return block_text(sec.blocks[0])

    def emit(text: str, lead: list[str], table: str, span: Span, stt: Optional[str], coordinate: list[str] = (),
             printed_as: Optional[dict[str, str]] = None) -> None:
        raw, dl = deadlines.deadline_of(text, plan_year)
        named = partners_printed(text)
        coord = [a for a in list(coordinate) + [entry for _, entry in named] if a not in lead]
        out.append(Row(table=table, kind="task", stt=stt, group=None, text=text, lead=list(lead),
                       coordinate=list(dict.fromkeys(coord)), deadline_raw=raw, deadline=dl, origin="prose", span=span,
                       printed_as={**agencies.printed_map(named), **(printed_as or {})}))

    def visit(sid: int, ctx: Optional[_Ctx], topic: str) -> None:
        sec = sections[sid]
        if sec.kind in SKIP_KINDS or sec.kind == "appendix" and _has_table(doc, sec):
            return
        if lexicon().report_heading.match(sec.heading.strip(" *")):
            return  # "b) Kết quả rà soát ...": a report of what was done assigns nothing
        text = item_text(sec) if sec.heading else ""
        subj = subject_of(text) if text and sec.kind in ITEM_KINDS else None
        children = kids.get(sid, [])
        own = paragraphs(sec)
        stt = sec.label if sec.kind in ("numbered", "lettered", "roman", "ordinal", "group") else None
        if subj and subj.predicate_at >= len(text) and (children or own) and len(text) < 300:
            # an agency heading: its paragraphs and items are its tasks
            here = _Ctx(subj.agencies, topic, printed_as=subj.printed_as)
            for i in own:
                if block_text(i).endswith(":") and children:
                    continue  # a lead-in to the items below
                emit(block_text(i), here.lead, topic, doc.blocks[i].span, None, printed_as=here.printed_as)
            for c in children:
                visit(c, here, topic)
            return
        task: Optional[_Ctx] = None
        if subj and reports_done(text[subj.predicate_at:]):
            subj = None  # "Ủy ban nhân dân tỉnh đã ban hành ...": what was done, in a report
        if ctx is not None and sec.kind in ITEM_KINDS and text and not reports_done(text):
            task = _Ctx(subj.agencies if subj and not subj.collective else ctx.lead, ctx.table, ctx.coordinate,
                        {**ctx.printed_as, **(subj.printed_as if subj else {})})
        elif subj and subj.predicate_at < len(text):
            task = _Ctx(subj.agencies, topic or sec.label.strip(), printed_as=subj.printed_as)
        if task is not None:
            if text.endswith(":") and children:  # a lead-in: the items below are the tasks
                named = partners_printed(text)
                intro = _Ctx(task.lead, task.table, [entry for _, entry in named],
                             {**agencies.printed_map(named), **task.printed_as})
                for c in children:
                    visit(c, intro, topic)
            else:
                emit(text, task.lead, task.table, sec.span, stt, task.coordinate, task.printed_as)  # items belong to it
            return
        topic_here = title_of(sec) if sec.heading and sec.kind in ITEM_KINDS - {"bullet"} else topic
        for i in own:
            for clause, offset in _clauses(block_text(i)):
                s = subject_of(clause)
                if s and s.predicate_at < len(clause) and not s.collective and _assigns(clause[s.predicate_at:]) \
                        and not reports_done(clause[s.predicate_at:]):
                    b = doc.blocks[i].span
                    emit(clause, s.agencies, topic_here, Span(b.start + offset, b.start + offset + len(clause), b.line,
                                                              b.page), None, printed_as=s.printed_as)
        for c in children:
            visit(c, None, topic_here)

    for root in kids.get(None, []):
        visit(root, None, "")
    return out


def _assigns(predicate: str) -> bool:
    """Running text counts as an assignment only when its predicate opens with a listed verb."""
    return bool(lexicon().predicates.match(predicate.lstrip(" ,")))


CLAUSE_SEPARATORS = re.compile(r";\s*|:\s+|\.\s+(?=[A-ZĐ])")


def _clauses(text: str) -> list[tuple[str, int]]:
    """Sentences and ';'-separated clauses with their offsets; "như:" lists are opened up."""
    return [(clause.rstrip(".;:"), at) for clause, at in split_with_offsets(text, CLAUSE_SEPARATORS) if len(clause) > 12]


def _has_table(doc: SourceDocument, sec: Section) -> bool:
    return any(doc.blocks[i].kind == "table" for i in sec.blocks)
