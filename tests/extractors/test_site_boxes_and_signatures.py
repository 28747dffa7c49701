"""Headers as real sites, offices and PDF exporters print them: legal sites' property boxes (thuvienphapluat.vn,
r08 and r10 of the realdocs corpus; a Hà Giang decision as the site lays it two fields to a line), signature
blocks cut over cells or marked "(Đã ký)", signed PDFs, and Word-exported PDFs whose accented letters sit in a
second font subset (r28, a re-typeset briefing with a running title box on every page)."""

import pytest

from conftest import REFERENCE, ROOT
from vnplans.extractors.header import extract_header as _extract_header
from vnplans.extractors.readers import read_bytes
from vnplans.extractors.readers.chrome import find_chrome
from vnplans.extractors.readers.text import read_text


def extract_header(doc):  # the bundled gazetteer, as the stages pass it
    return _extract_header(doc, REFERENCE.provinces)


CORPUS = ROOT / "corpus" / "realdocs"


def doc_of(text: str):
    return read_text("snippet.txt", "0" * 64, text, "utf-8")


# --- site property boxes ----------------------------------------------------------------------------------------

def test_a_box_with_two_fields_to_a_line_is_evidence_not_text():
    # thuvienphapluat.vn, Quyết định 1964/QĐ-UBND (Hà Giang, 2023)
    lines = ("Đang tải văn bản...\n\nSố hiệu: 1964/QĐ-UBND Loại văn bản: Quyết định\n"
             "Nơi ban hành: Tỉnh Hà Giang Người ký: Trần Đức Quý\nNgày ban hành: 13/10/2023 Ngày hiệu lực: Đã biết\n"
             "Ngày công báo: Đang cập nhật Số công báo: Đang cập nhật\nTình trạng: Đã biết\n\n"
             "ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n").split("\n")
    chrome = find_chrome(lines)
    assert lines[chrome.body_start] == "ỦY BAN NHÂN DÂN"
    assert chrome.site_meta == {"doc_number": "1964/QĐ-UBND", "doc_type": "Quyết định", "place": "Tỉnh Hà Giang",
                                "signer": "Trần Đức Quý", "issued_date": "13/10/2023"}


def test_a_box_of_table_rows():
    lines = ("| Số hiệu | 45/KH-UBND |\n| Loại văn bản | Kế hoạch |\n| Người ký | Đoàn Thanh Sơn |\n"
             "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |").split("\n")
    chrome = find_chrome(lines)
    assert chrome.body_start == 3
    assert chrome.site_meta == {"doc_number": "45/KH-UBND", "doc_type": "Kế hoạch", "signer": "Đoàn Thanh Sơn"}


def test_a_field_label_inside_the_document_is_text():
    # a decision announcing procedures lists "Lĩnh vực:" under its own header
    lines = ("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/QĐ-UBND\n"
             "Lĩnh vực: Hộ tịch\n1. Thủ tục đăng ký khai sinh\n").split("\n")
    assert find_chrome(lines).body_start == 0


@pytest.mark.parametrize("stem, issuer", [("r08", "Thủ tướng Chính phủ")])
def test_a_central_letterhead_after_the_box_is_the_issuer(stem, issuer):
    # "**THỦ TƯỚNG CHÍNH" / "PHỦ**" right after "Tình trạng: Đã biết": the box's "Nơi ban hành" is not the issuer
    path = CORPUS / "docs" / f"{stem}.md"
    doc = read_bytes(str(path), path.read_bytes())
    meta = extract_header(doc)
    assert meta.issuer.casefold() == issuer.casefold() and meta.signer == "Nguyễn Chí Dũng"  # capitals lose case
    assert doc.site_meta["signer"] == "Nguyễn Chí Dũng" and not doc.text.lstrip().startswith("Số hiệu")


def test_the_box_gives_the_signer_the_page_cut_off():
    doc = read_text("s.txt", "0" * 64, "Số hiệu: 45/KH-UBND Loại văn bản: Kế hoạch\nNgười ký: Đoàn Thanh Sơn\n"
                    "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 45/KH-UBND\n"
                    "Lạng Sơn, ngày 12 tháng 3 năm 2026\nKẾ HOẠCH\nChuyển đổi số năm 2026\nI. MỤC TIÊU\n", "utf-8")
    meta = extract_header(doc)
    assert (meta.signer, meta.issuer, meta.title) == ("Đoàn Thanh Sơn", "Ủy ban nhân dân tỉnh Lạng Sơn",
                                                      "Chuyển đổi số năm 2026")


# --- signature blocks -------------------------------------------------------------------------------------------

HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 45/KH-UBND\n"
        "Lạng Sơn, ngày 12 tháng 3 năm 2026\nKẾ HOẠCH\nChuyển đổi số năm 2026\nI. MỤC TIÊU\n1. Nội dung.\n")


@pytest.mark.parametrize("block", [
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nĐoàn Thanh Sơn\n",
    "Nơi nhận:\n- Lưu: VT. | KT. CHỦ TỊCH\n| PHÓ CHỦ TỊCH\n\n(đã ký)\n\nĐoàn Thanh Sơn\n",
    "| Nơi nhận: - Như trên; - Lưu: VT. | KT. CHỦ TỊCH PHÓ CHỦ TỊCH (Đã ký) Đoàn Thanh Sơn |\n",
    "KT. CHỦ\nTỊCH\nPHÓ CHỦ TỊCH\n(Đã ký và đóng dấu)\nĐoàn Thanh Sơn\n",
    "KT. CHỦ TỊCH | \n| PHÓ CHỦ TỊCH |\n| Đoàn Thanh Sơn |\n",
])
def test_signature_titles_over_lines_or_cells_and_signed_marks(block):
    meta = extract_header(doc_of(HEAD + block))
    assert (meta.signer, meta.signer_title) == ("Đoàn Thanh Sơn", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")


def test_an_organ_and_its_head_are_two_titles():
    # r02: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"
    meta = extract_header(doc_of(HEAD + "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nLê Ngọc Châu\n"))
    assert (meta.signer, meta.signer_title) == ("Lê Ngọc Châu", "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH")


# --- signed PDFs ------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_signing_time_beats_an_ocr_read_stamped_day():
    # r23 (UBND Lâm Đồng, 2025): the stamped band reads "Số:329_ /BC-UBND ... ngày 79 tháng 12"; signed 19/12
    doc = doc_of("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố:\n/BC-UBND\n"
                 "Lâm Đồng, ngày\ntháng 12 năm 2025\nBÁO CÁO\nCông tác cải cách hành chính năm 2025\n")
    doc.stamps = {"stamped_header": "TĨNH LẮM ĐÓNG Độc lập - Tự do - Hạnh phúc\nSố:329_ /BC-UBND Lâm Đông, ngày 79 "
                                    "tháng 12 năm 2025\n", "signed_date": "2025-12-19"}
    meta = extract_header(doc)
    assert (meta.doc_number, meta.issued_date) == ("329/BC-UBND", "2025-12-19")


def test_a_citation_in_the_text_is_not_the_issue_date():
    # r29: a document with no header; a wrapped citation is not "place, ngày ..."
    meta = extract_header(doc_of("Đối với vùng Trung du miền núi phía bắc; các\nxã theo Quyết định số 90/QĐ-TTg của Thủ\n"
                                 "tướng Chính phủ ngày 18 tháng 01 năm 2022\n"))
    assert meta.issued_date is None and meta.place is None


def test_a_numbered_appendix_title_is_no_news_headline():
    # r26: "1. PHỤ LỤC 1: ..." then the decision it is attached to
    meta = extract_header(doc_of("1. PHỤ LỤC 1: NHU CẦU CÔNG SUẤT VÀ ĐIỆN NĂNG TOÀN TỈNH CÀ MAU GIAI ĐOẠN ĐẾN 2035\n"
                                 "(Ban hành kèm theo quyết định số: 4218/QĐ-BCT ngày 24 tháng 10 năm 2016 của Bộ trưởng "
                                 "Bộ Công Thương)\n"))
    assert meta.form != "news" and meta.doc_type != "Tin bài"


# --- Word-exported PDFs -----------------------------------------------------------------------------------------

def test_words_are_built_across_font_subsets_and_a_running_title_box_is_dropped():
    path = CORPUS / "unkeyed" / "r28.pdf"
    doc = read_bytes(str(path), path.read_bytes())
    tokens = doc.text.split()
    single = sum(len(t) == 1 and t.isalpha() for t in tokens)
    assert single / len(tokens) < 0.02  # "n ộ i dung" would be a third single letters
    assert "doanh nghiệp viễn thông" in doc.text
    assert "VIETTEL AI RACE" not in doc.text and "Lần ban hành" not in doc.text
    first = next(b.table for b in doc.blocks if b.kind == "table")
    assert first.header[:2] == ["TT", "Nội dung thử nghiệm"]  # the briefing's own first table, not the box
