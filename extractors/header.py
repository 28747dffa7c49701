"""Document metadata from the header block, the signature block, and (for news) the lead sentence.

Vietnamese administrative documents open with a fixed header: issuing body and
national motto side by side, "Số: 4876/KH-UBND", "Bình Dương, ngày 26 tháng 9
năm 2023", the document type in capitals and the title. A decision's annex may
only cite its number ("kèm theo Quyết định số 2431/QĐ-UBND ngày 22/8/2019"); a
news article states number and date in prose. Each field keeps the span it came
from.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Optional

from vnplans.extractors import agencies
from vnplans.extractors.provinces import Provinces
from vnplans.schemas.document import Block, SourceDocument, Span
from vnplans.extractors.readers.alphabet import LOWER, UPPER

DOC_TYPES = {
    "KẾ HOẠCH": "Kế hoạch", "QUYẾT ĐỊNH": "Quyết định", "NGHỊ QUYẾT": "Nghị quyết", "CÔNG VĂN": "Công văn",
    "CHỈ THỊ": "Chỉ thị", "THÔNG BÁO": "Thông báo", "BÁO CÁO": "Báo cáo", "CHƯƠNG TRÌNH": "Chương trình",
    "ĐỀ ÁN": "Đề án", "KẾ HOẠCH HÀNH ĐỘNG": "Kế hoạch",
}
NUMBER_TYPES = {"KH": "Kế hoạch", "QĐ": "Quyết định", "NQ": "Nghị quyết", "CT": "Chỉ thị", "TB": "Thông báo",
                "BC": "Báo cáo", "CTr": "Chương trình", "ĐA": "Đề án"}
ISSUER_ABBREV = {
    "UBND": "Ủy ban nhân dân tỉnh {p}", "BCĐCĐS": "Ban Chỉ đạo chuyển đổi số tỉnh {p}", "BCĐ": "Ban Chỉ đạo tỉnh {p}",
    "HĐND": "Hội đồng nhân dân tỉnh {p}", "BĐHCĐS": "Ban Điều hành chuyển đổi số tỉnh {p}",
    "STTTT": "Sở Thông tin và Truyền thông tỉnh {p}",
}
NUM_RE = re.compile(r"^Số\s*:?\s*([0-9]*\s*/\s*[\w\-Đđ&]+(?:[-/][\w\-Đđ&]+)*)", re.IGNORECASE)
NUM_TOKEN = r"(\d+[a-z]?/(?:[A-Za-zĐđ0-9]+-)*[A-Za-zĐđ0-9]+)"
CITED_NUM_RE = re.compile(
    r"kèm\s+theo\s+(Quyết định|Kế hoạch|Nghị quyết)\s+(?:số\s+)?" + NUM_TOKEN + r"(?:\s+ngày\s+(\d{1,2})[/-](\d{1,2})[/-](\d{4}))?",
    re.IGNORECASE,
)
NEWS_RE = re.compile(
    r"(?:[Nn]gày\s+(\d{1,2})/(\d{1,2})/(\d{4}),?\s*([^.]{0,80}?)\s*)?(?:đã\s+|vừa\s+)?(?:ký\s+)?ban hành\s+(kế hoạch|quyết định|nghị quyết|chỉ thị)\s+(?:số\s+)?"
    + NUM_TOKEN + r"\s*(?:ngày\s+(\d{1,2})/(\d{1,2})/(\d{4}))?\s*(?:của\s+[^,.]{3,60}?\s+)?(?:về\s+(?:việc\s+)?)?([^.;]*)",
    re.IGNORECASE,
)
# A letterhead: what an official text has and a news article does not.
LETTERHEAD_RE = re.compile(r"^(?:CỘNG HÒA|CỘNG HOÀ|Độc lập\s*-|Số\s*:|Số hiệu)", re.IGNORECASE)
DATE_LINE_RE = re.compile(
    r"(?:^|(?<=[|]\s)|(?<=[|])|(?<=\s{2})|(?<=[\w.]\s)(?=[A-ZĐÂ-Ỹ]))([^\d,|]{2,40}?),?\s*ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})?\s*năm\s*(\d{4})",
    re.IGNORECASE)
DATE_SLASH_RE = re.compile(r"^([^\d,|]{2,40}?),?\s*ngày\s*(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE)
# what both need: a line without it is passed over at once (DATE_LINE_RE tries its place name at every offset)
DAY_WORD_RE = re.compile("ngày", re.IGNORECASE)
# Central bodies: their documents belong to no province, whatever city they are signed in.
CENTRAL_RE = re.compile(r"^(?:THỦ TƯỚNG|CHÍNH PHỦ|QUỐC HỘI|BỘ\b|VĂN PHÒNG CHÍNH PHỦ|BAN CHẤP HÀNH TRUNG ƯƠNG|BỘ CHÍNH TRỊ"
                        r"|BAN BÍ THƯ|ỦY BAN THƯỜNG VỤ QUỐC HỘI|ỦY BAN QUỐC GIA|BAN CHỈ ĐẠO TRUNG ƯƠNG)", re.IGNORECASE)
CENTRAL_NUMBER_RE = re.compile(r"[-/](?:TTg|CP|VPCP|QH\d*|TW|BCT|BKHCN|BTTTT|BNV|BTC|BCA|BQP|BYT|BGDĐT|BXD|BCT)$")
# A letterhead line that names an organ (the issuer is the last one, the lines above are its parents).
ORGAN_HEAD_RE = re.compile(r"^(?:UBND|ỦY BAN|UỶ BAN|SỞ|TRUNG TÂM|BAN|VĂN PHÒNG|BỘ|CỤC|CHI CỤC|PHÒNG|HỘI ĐỒNG|ĐẢNG ỦY|ĐẢNG BỘ"
                           r"|TỈNH ỦY|THÀNH ỦY|CÔNG AN|ĐÀI|BÁO|KHO BẠC|THUẾ|THANH TRA|TRƯỜNG|VIỆN|BỆNH VIỆN|THỦ TƯỚNG|CHÍNH PHỦ)\b")
SIGN_TITLE_RE = re.compile(
    r"^(TM\.|KT\.|Q\.|TL\.|TUQ\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|TRƯỞNG BAN|PHÓ TRƯỞNG BAN|CHÁNH VĂN PHÒNG|BỘ TRƯỞNG|THỦ TRƯỞNG)",
)
SIGN_TITLE_ANYWHERE_RE = re.compile(SIGN_TITLE_RE.pattern[1:].replace(" ", r"\s+"))  # in a line as printed
NAME_RE = re.compile(rf"^(?:[{UPPER}][{LOWER}]*\s?){{2,5}}$")
PERIOD_RE = re.compile(r"giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})|đến năm\s+(\d{4})|định hướng đến\s+(?:năm\s+)?(\d{4})|năm\s+(\d{4})", re.IGNORECASE)


@dataclass
class DocumentMeta:
    doc_number: Optional[str] = None
    doc_number_raw: Optional[str] = None
    doc_type: Optional[str] = None
    issuer: Optional[str] = None
    province: Optional[str] = None
    place: Optional[str] = None
    issued_date: Optional[str] = None
    issued_month: Optional[str] = None
    signer: Optional[str] = None
    signer_title: Optional[str] = None
    title: Optional[str] = None
    form: str = "document"  # document | news
    doc_type_source: Optional[str] = None  # "number" when read off the number's suffix (KH -> Kế hoạch)
    period_start: Optional[int] = None
    period_end: Optional[int] = None
    provenance: dict[str, Span] = field(default_factory=dict)
    issued_year: Optional[int] = None  # printed even when day and month are left blank ("ngày   tháng   năm 2026")
    latest_cited: Optional[str] = None  # the latest date of a decision the text cites: the plan is no older

    def year(self) -> Optional[int]:
        for v in (self.issued_date, self.issued_month):
            if v:
                return int(v[:4])
        return self.period_end


def _iso(d: str | None, m: str | None, y: str | None) -> Optional[str]:
    try:
        return dt.date(int(y), int(m), int(d)).isoformat() if d and m and y else None
    except ValueError:
        return None


def sentence_case(text: str, gazetteer: Provinces) -> str:
    """Upper-case title -> sentence case, keeping acronyms and province names capitalised."""
    if not text or not any(c.isalpha() for c in text):
        return text
    letters = [c for c in text if c.isalpha()]
    if sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return text
    words = []
    for w in text.split():
        core = w.strip("()[],.;:“”\"")
        if core and (len(core) <= 5 and core.isupper() and w.startswith("(")):
            words.append(w)  # acronym in parentheses: (DTI)
        else:
            words.append(w.lower())
    out = " ".join(words)
    for prov, s, e in gazetteer.find_all(out):
        out = out[:s] + out[s:e].replace(out[s:e][-len(prov.name):], prov.name) + out[e:]
    return out[:1].upper() + out[1:]


def title_case_name(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


def extract_header(doc: SourceDocument, gazetteer: Provinces) -> DocumentMeta:
    """The document's number, type, title, issuer, date, signer, province and period; the gazetteer knows the
    province names."""
    meta = DocumentMeta()
    lines = doc.lines()
    head = _header_zone(lines)
    _number_and_place(meta, head)
    _type_and_title(meta, head, gazetteer)
    _issuer(meta, head, gazetteer)
    _stamped(meta, doc)
    if not meta.doc_type and not meta.doc_number and not any(LETTERHEAD_RE.match(b.text) for b in lines[:30]):
        _news(meta, lines[:15])
    if meta.doc_number is None and meta.doc_number_raw is None:
        _cited_number(meta, lines[:60])
    _signer(meta, lines)
    _site_fallbacks(meta, doc)
    _province(meta, doc, head, gazetteer)
    _finish_issuer(meta, gazetteer)
    _period(meta)
    meta.latest_cited = _latest_cited(doc)
    return meta


def _header_zone(lines: list[Block]) -> list[Block]:
    """The letterhead lines, with a cell cut over two lines joined again ("Số:" / "/TTXT-ĐTDN",
    "Hải Phòng, ngày" / "18 tháng 11 năm 2025", "ỦY" / "BAN NHÂN DÂN")."""
    out: list[Block] = []
    for b in lines[:40]:
        if re.match(r"^(I|1)\.\s", b.text) or b.text.startswith("Căn cứ") or len(out) > 25:
            break
        text = b.text.strip(" |")
        if out and (re.fullmatch(r"(?:Số|Số/Ký hiệu)\s*:?", out[-1].text) or re.search(r"\bngày\s*\d{0,2}\s*$", out[-1].text)
                    or (out[-1].text.isupper() and len(out[-1].text) <= 3 and text.isupper())):
            out[-1] = Block("line", f"{out[-1].text} {text}", out[-1].span, bold=out[-1].bold)
            continue
        out.append(Block("line", text, b.span, bold=b.bold) if text != b.text else b)
    return out


def _number_and_place(meta: DocumentMeta, head: list[Block]) -> None:
    for b in head:
        t = b.text
        m = NUM_RE.match(t)
        if m and meta.doc_number_raw is None:
            raw = re.sub(r"\s+", "", m.group(1))
            meta.doc_number_raw = raw
            meta.doc_number = raw if re.match(r"^\d", raw) else None
            meta.provenance["doc_number"] = b.span
            if meta.doc_type is None:
                suffix = raw.split("/", 1)[1].split("-")[0] if "/" in raw else ""
                meta.doc_type = NUMBER_TYPES.get(suffix) if suffix else None
                if meta.doc_type is None and suffix in ("UBND", "SVHTTDL", "STTTT", "SKHĐT") and "-" in raw:
                    meta.doc_type = "Công văn"
                meta.doc_type_source = "number"
        m = (DATE_LINE_RE.search(t) or DATE_SLASH_RE.match(t)) if DAY_WORD_RE.search(t) else None
        if m and meta.place is None and "căn cứ" not in t.lower():
            place = re.sub(r"^Số\s*:?\s*[\d/]*\S*\s*", "", m.group(1).strip(" ,"), flags=re.I)  # the number's cell
            if not place[:1].isupper():  # "... của Thủ / tướng Chính phủ ngày 18 tháng 01 năm 2022": a citation
                continue
            meta.place = place
            d, mo, y = m.group(2), m.group(3), m.group(4)
            meta.issued_year = int(y) if y else None
            meta.issued_date = _iso(d, mo, y)
            if meta.issued_date is None and mo and y:
                meta.issued_month = f"{int(y):04d}-{int(mo):02d}"
            if meta.issued_date:
                meta.issued_month = meta.issued_date[:7]
            meta.provenance["issued_date"] = b.span


def _type_and_title(meta: DocumentMeta, head: list[Block], gazetteer: Provinces) -> None:
    for k, b in enumerate(head):
        t = b.text.strip().rstrip(":")
        for caps, name in sorted(DOC_TYPES.items(), key=lambda kv: -len(kv[0])):
            if t == caps or (t.startswith(caps + " ") and t.isupper() and len(t) > len(caps) + 10):
                if meta.doc_type_source == "number" or meta.doc_type is None:
                    meta.doc_type = name
                meta.provenance["doc_type"] = b.span
                title = t[len(caps):].strip()
                j = k + 1
                if not title and j < len(head):
                    nxt = head[j]
                    if not NUM_RE.match(nxt.text) and not DATE_LINE_RE.match(nxt.text):
                        title = _title_lines(head[j:])
                        meta.provenance["title"] = nxt.span
                if title:
                    meta.title = sentence_case(title.strip("* "), gazetteer)
                return
    for b in head:  # a letter (công văn) has no type line, only its subject: "V/v báo cáo tình hình ..."
        m = re.match(r"^(?:V/v|Về việc)\s*:?\s*(.+)", b.text)
        if m:
            meta.doc_type = meta.doc_type or "Công văn"
            meta.title = _title_lines([Block("line", m.group(1), b.span)] + head[head.index(b) + 1:])
            meta.provenance.setdefault("title", b.span)
            return


TITLE_STOP_RE = re.compile(r"^(?:Căn cứ|Thực hiện|Kính gửi|Theo|Nhằm|Ngày|Để|Số\s*:|[IVX]+\.|\d+\.|[-_=–—]{3,}|\*?\(?Kèm theo|\(?Ban hành kèm)",
                           re.IGNORECASE)


def _title_lines(lines: list[Block]) -> str:
    """A title as printed over several lines: the lines that follow the first while they keep its case
    (an upper-case title stays upper case) and until the preamble starts."""
    first = lines[0].text.strip()
    parts = [first]
    for b in lines[1:5]:
        t = b.text.strip()
        if not t or TITLE_STOP_RE.match(t) or DATE_LINE_RE.search(t) or t.isupper() != first.isupper() or len(t) > 160:
            break
        if t.isupper() and (ORGAN_HEAD_RE.match(t) or CENTRAL_RE.match(t)) and len(t) < 40:
            break  # the authority line under a decision's title: "THỦ TƯỚNG CHÍNH PHỦ", "ỦY BAN NHÂN DÂN TỈNH ..."
        if not first.isupper() and (parts[-1].endswith((".", ":")) or len(" ".join(parts)) > 250):
            break
        parts.append(t)
    return " ".join(" ".join(parts).split())


def _issuer(meta: DocumentMeta, head: list[Block], gazetteer: Provinces) -> None:
    """The organ in the letterhead. Two-level letterheads ("UBND TỈNH LÂM ĐỒNG" / "SỞ NỘI VỤ") name the
    parent first: the issuer is the last organ, placed in the parent's province."""
    organs: list[tuple[str, Block]] = []
    for b in head:
        t = re.split(r"\s*\bCỘNG HÒA|\s*\bCỘNG HOÀ", b.text)[0].strip(" |*-")
        if re.match(r"^(?:CỘNG HÒA|CỘNG HOÀ|Độc lập|Số\s*:)", b.text, re.IGNORECASE) or DATE_LINE_RE.match(b.text):
            break
        if not t or not t.isupper() or t.rstrip(":") in DOC_TYPES:
            continue
        if organs and not ORGAN_HEAD_RE.match(t):
            organs[-1] = (f"{organs[-1][0]} {t}", organs[-1][1])  # "TRUNG TÂM XÚC TIẾN ĐẦU TƯ" / "THƯƠNG MẠI VÀ DU LỊCH"
        else:
            organs.append((t, b))
    if not organs:
        return
    text, block = organs[-1]
    parents = " ".join(o for o, _ in organs[:-1])
    name = _issuer_name(text, gazetteer)
    prov = gazetteer.find_first(parents) if parents and not gazetteer.find_first(text) else None
    if prov and not CENTRAL_RE.match(text):
        name = f"{name} {prov.kind} {prov.name}"
    meta.issuer = name
    meta.provenance["issuer"] = block.span


def _issuer_name(caps_text: str, gazetteer: Provinces) -> str:
    caps_text = re.sub(r"^UBND\b", "ỦY BAN NHÂN DÂN", caps_text)
    prov = gazetteer.find_first(caps_text)
    t = caps_text.lower()
    if prov:
        m = gazetteer.find_all(t)[0]
        body = t[: m[1]].strip()
        body = re.sub(r"\s*(tỉnh|thành phố)$", "", body).strip()
        return f"{body[:1].upper()}{body[1:]} {prov.kind} {prov.name}".replace("uỷ", "ủy")
    return (t[:1].upper() + t[1:]).replace("uỷ", "ủy")


def _finish_issuer(meta: DocumentMeta, gazetteer: Provinces) -> None:
    if meta.issuer and meta.province and meta.issuer.endswith((" tỉnh", " Tỉnh")):
        meta.issuer = f"{meta.issuer} {meta.province}"
    if meta.issuer and meta.province and not gazetteer.find_first(meta.issuer) and re.search(r"nhân dân|chỉ đạo", meta.issuer, re.I):
        prov = gazetteer.lookup(meta.province)
        kind = prov.kind if prov else "tỉnh"
        meta.issuer = re.sub(r"\s+(tỉnh|thành phố)$", "", meta.issuer, flags=re.I) + f" {kind} {meta.province}"
    if not meta.issuer and meta.doc_number_raw and "-" in meta.doc_number_raw and meta.province:
        org = meta.doc_number_raw.rsplit("-", 1)[1]
        tmpl = ISSUER_ABBREV.get(org)
        if tmpl:
            meta.issuer = tmpl.format(p=meta.province)


OCR_DIGITS = str.maketrans({"Ø": "0", "O": "0", "o": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"})


def _stamped(meta: DocumentMeta, doc: SourceDocument) -> None:
    """A signed PDF's number and day, which its text layer leaves blank ("Số:   /BC-SNV", "ngày   tháng 11
    năm 2025"), from what the e-signature drew over them. The day is the signing date when that falls in the
    printed month (the stamped day read by OCR, "79" for 19, only when it does not)."""
    stamped = doc.stamps.get("stamped_header", "")
    blank_number = meta.doc_number_raw and meta.doc_number_raw.startswith("/")
    if blank_number and stamped:
        m = re.search(r"S[ốỐố]\s*[:;.,]?\s*([0-9ØOlI|]{1,5})[_.\s]*/", stamped, re.IGNORECASE)
        digits = m.group(1).translate(OCR_DIGITS) if m else ""
        if digits.isdigit():
            meta.doc_number = meta.doc_number_raw = digits.lstrip("0") + meta.doc_number_raw
    if meta.issued_date or not meta.issued_month:
        return
    m = re.search(r"ngày\s*(\S{1,2})\s*th[áa]ng\s*(\d{1,2})\s*n[ăa]m\s*(\d{4})", stamped)
    found = _iso(m.group(1).translate(OCR_DIGITS), m.group(2), m.group(3)) if m else None
    signed = doc.stamps.get("signed_date")
    for date in (signed, found):
        if date and date[:7] == meta.issued_month:
            meta.issued_date = date
            return


def _cited_number(meta: DocumentMeta, lines: list[Block]) -> None:
    for b in lines:
        m = CITED_NUM_RE.search(b.text)
        if m and (meta.doc_type is None or m.group(1).lower() == meta.doc_type.lower()):
            meta.doc_number = meta.doc_number_raw = m.group(2)
            meta.provenance["doc_number"] = b.span
            if meta.doc_type is None:
                meta.doc_type = m.group(1)[:1].upper() + m.group(1)[1:].lower()
            if not meta.issued_date and m.group(3):
                meta.issued_date = _iso(m.group(3), m.group(4), m.group(5))
                meta.issued_month = meta.issued_date[:7] if meta.issued_date else None
                meta.provenance["issued_date"] = b.span
            return


def _news(meta: DocumentMeta, lines: list[Block]) -> None:
    """A news article (no letterhead, a headline and a lead): form "news", doc_type "Tin bài", and the number,
    date and issuer of the plan its lead reports ("Ngày 08/01/2025, UBND tỉnh An Giang ban hành Kế hoạch số
    27/KH-UBND về ..."). The headline is the title; a byline is never the issuer."""
    body = [b for b in lines if b.text.strip()]
    if not body:
        return
    public = any(re.search(r"\b(?:UBND|Ủy ban nhân dân|HĐND|Sở|Bộ|tỉnh|thành phố|kế hoạch|quyết định|chỉ tiêu)\b", b.text,
                           re.IGNORECASE) for b in body[:8])  # an article about public administration, not any text
    headline = (public and len(body[0].text) <= 220 and not body[0].text.rstrip().endswith((".", ":", ";"))
                and not re.match(r"^(?:[IVX]+|\d{1,2})[.)]\s", body[0].text)  # "1. PHỤ LỤC 1: ..." opens a section
                and any(len(b.text) >= 80 for b in body[1:4]))  # and a lead paragraph follows
    if headline:
        meta.form, meta.doc_type = "news", "Tin bài"
        meta.title = body[0].text.strip()
        meta.provenance["title"] = body[0].span
    for b in body[:8]:
        m = NEWS_RE.search(b.text)
        if not m:
            continue
        if not headline:  # a plan's summary that opens with its lead takes the plan's type and subject
            meta.form, meta.doc_type = "news", m.group(5)[:1].upper() + m.group(5)[1:].lower()
            title = (m.group(10) or "").strip()
            meta.title = title[:1].upper() + title[1:] if title else None
        meta.doc_number = meta.doc_number_raw = m.group(6)
        d, mo, y = (m.group(7), m.group(8), m.group(9)) if m.group(7) else (m.group(1), m.group(2), m.group(3))
        meta.issued_date = _iso(d, mo, y)
        meta.issued_month = meta.issued_date[:7] if meta.issued_date else None
        subject = (m.group(4) or "").strip(" ,")
        if re.match(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND|Sở|Ban)\b", subject):
            meta.issuer = agencies.expand(subject)
        meta.provenance["doc_number"] = b.span
        return


SIGNED_MARK_RE = re.compile(r"\s*[(\[]\s*(?:đã ký|đã kí|ký|kí)\b[^)\]]*[)\]]\s*", re.IGNORECASE)  # "(Đã ký)", "(ký, đóng dấu)"
ROLE_BREAK_RE = re.compile(r"\s+(?=(?:TM|KT|TL|TUQ|Q)\.|PHÓ\s)|(?<![.Ó])\s+(?=(?:CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|BỘ TRƯỞNG)\b)")


def _signer(meta: DocumentMeta, lines: list[Block]) -> None:
    """The person's name right below the signature titles (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH ...). Titles may be cut
    over lines or cells ("KT. CHỦ" / "TỊCH"), share a cell with the name, or stand above "(Đã ký)"."""
    # a title piece is a run of its line's words: a line with no title anywhere in it opens no signature, so the
    # pieces start at the first line that has one (taking every line of a plan apart cost a millisecond)
    first = next((k for k, b in enumerate(lines) if SIGN_TITLE_ANYWHERE_RE.search(b.text)), len(lines))
    pieces = [(piece, b) for b in lines[first:] for piece in _signature_pieces(b.text)]
    for k, (text, _) in enumerate(pieces):
        if not SIGN_TITLE_RE.match(text) or not text.replace(".", "").isupper():
            continue
        titles = [text]
        for nxt, block in pieces[k + 1 : k + 6]:
            if NAME_RE.match(nxt) and not nxt.isupper() and len(nxt.split()) >= 2:
                meta.signer = nxt
                meta.signer_title = ROLE_BREAK_RE.sub(" / ", " ".join(titles))
                meta.provenance["signer"] = block.span
                return
            if nxt.isupper() or SIGN_TITLE_RE.match(nxt):
                titles.append(nxt)
            else:
                break


def _signature_pieces(text: str) -> list[str]:
    """A line's cells, without "(Đã ký)" marks, with a name that ends a cell of titles set apart
    ("PHÓ CHỦ TỊCH Đoàn Thanh Sơn")."""
    out = []
    for cell in text.split("|"):
        for part in SIGNED_MARK_RE.split(cell):
            words = part.split()
            if not words:
                continue
            cut = next((i for i, w in enumerate(words) if not w.replace(".", "").replace(",", "").isupper()), len(words))
            if 0 < cut <= len(words) - 2 and NAME_RE.match(" ".join(words[cut:])):
                out += [" ".join(words[:cut]), " ".join(words[cut:])]
            else:
                out.append(" ".join(words))
    return out


def _site_fallbacks(meta: DocumentMeta, doc: SourceDocument) -> None:
    sm = doc.site_meta
    if not meta.doc_number and not meta.doc_number_raw and sm.get("doc_number"):
        meta.doc_number = meta.doc_number_raw = sm["doc_number"]
    if not meta.doc_type and sm.get("doc_type"):
        meta.doc_type = sm["doc_type"]
    if not meta.issued_date and sm.get("issued_date"):
        m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", sm["issued_date"])
        if m:
            meta.issued_date = _iso(*m.groups())
            meta.issued_month = meta.issued_date[:7] if meta.issued_date else None
    if not meta.issued_date and not meta.issued_month and doc.site_title:
        m = re.search(r"ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})", doc.site_title)
        if m:
            meta.issued_date = _iso(*m.groups())
    if not meta.signer and sm.get("signer"):
        meta.signer = sm["signer"]
    if not meta.title and doc.site_title:
        meta.title = doc.site_title


def _province(meta: DocumentMeta, doc: SourceDocument, head: list[Block], gazetteer: Provinces) -> None:
    if (meta.issuer and CENTRAL_RE.match(meta.issuer)) or (meta.doc_number and CENTRAL_NUMBER_RE.search(meta.doc_number)):
        return  # a ministry or the Government signs in Hà Nội for the whole country
    candidates = [meta.issuer or "", meta.place or "", doc.site_meta.get("place", ""), meta.title or ""]
    candidates += [b.text for b in head] + [b.text for b in doc.lines()[:20]]
    for text in candidates:
        prov = gazetteer.find_first(text)
        if prov:
            meta.province = prov.name
            return


# a cited document: its number, then its date ("71/NQ-CP ngày 01/4/2025", "57-NQ/TW ngày 22 tháng 12 năm 2024");
# a bare date may be a deadline, which lies ahead of the plan
CITED_DATE_RE = re.compile(r"\d+[/-][\w\-Đđ/]*[A-ZĐa-z][\w\-Đđ/]*,?\s+ngày\s+(\d{1,2})\s*(?:/|-|tháng)\s*(\d{1,2})\s*"
                           r"(?:/|-|năm)\s*((?:19|20)\d{2})", re.IGNORECASE)


def _latest_cited(doc: SourceDocument) -> Optional[str]:
    """The latest date the opening of the text cites ("Căn cứ Nghị quyết số 71/NQ-CP ngày 01/4/2025 ..."): a
    plan is issued after everything it cites."""
    head = doc.text[:20000]
    dates = [d for m in CITED_DATE_RE.finditer(head) if (d := _iso(m.group(1), m.group(2), m.group(3)))]
    return max(dates) if dates else None


def _period(meta: DocumentMeta) -> None:
    """Years the plan covers, from its title ('giai đoạn 2019 - 2020, định hướng đến 2025', 'năm 2023')."""
    title = meta.title or ""
    years: list[int] = []
    for m in PERIOD_RE.finditer(title):
        years += [int(g) for g in m.groups() if g]
    if years:
        meta.period_start, meta.period_end = min(years), max(years)
    elif meta.year():
        meta.period_start = meta.period_end = meta.year()
