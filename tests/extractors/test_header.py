"""The header extractor on its own, on real letterheads: the number and place-date lines, the type and title,
the issuer under its parent organ, the signature block, the period of the title and the latest cited act.
Snippets from seed 000 (UBND tỉnh Bình Dương, 4876/KH-UBND) and from plans of a department and a ministry."""
from conftest import REFERENCE
from vnplans.extractors.header import extract_header, sentence_case
from vnplans.extractors.readers.text import read_text

BINH_DUONG = """ỦY BAN NHÂN DÂN
TỈNH BÌNH DƯƠNG
-------

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------

Số: 4876/KH-UBND

Bình Dương, ngày 26 tháng 9 năm 2023

KẾ HOẠCH

NÂNG CAO XẾP HẠNG CHUYỂN ĐỔI SỐ CỦA TỈNH BÌNH DƯƠNG NĂM 2023 VÀ CÁC NĂM TIẾP THEO

Thực hiện Quyết định số 922/QĐ-BTTTT ngày 20/5/2022 của Bộ Thông tin và Truyền thông phê duyệt Đề án.

I. MỤC ĐÍCH, YÊU CẦU

Nội dung.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Lộc Hà
"""


def header_of(text: str):
    return extract_header(read_text("snippet.txt", "0" * 64, text, "utf-8"), REFERENCE.provinces)


def test_a_provincial_plan_letterhead():
    meta = header_of(BINH_DUONG)
    assert (meta.doc_number, meta.doc_type, meta.issued_date) == ("4876/KH-UBND", "Kế hoạch", "2023-09-26")
    assert (meta.issuer, meta.province, meta.place) == ("Ủy ban nhân dân tỉnh Bình Dương", "Bình Dương", "Bình Dương")
    assert meta.title == "Nâng cao xếp hạng chuyển đổi số của tỉnh Bình Dương năm 2023 và các năm tiếp theo"
    assert (meta.signer, meta.signer_title) == ("Nguyễn Lộc Hà", "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")
    assert (meta.period_start, meta.period_end) == (2023, 2023)
    assert meta.latest_cited == "2022-05-20"  # the decision it carries out
    assert meta.provenance["doc_number"].line == 9 and meta.provenance["issued_date"].line == 11


def test_a_department_under_its_province_and_a_period_in_the_title():
    meta = header_of("UBND TỈNH LÂM ĐỒNG\nSỞ NỘI VỤ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     "Độc lập - Tự do - Hạnh phúc\n\nSố: 12/KH-SNV\n\nLâm Đồng, ngày 06 tháng 01 năm 2026\n\n"
                     "KẾ HOẠCH\nChuyển đổi số giai đoạn 2026 - 2030\n\nI. MỤC ĐÍCH\n")
    # an organ printed in capitals keeps its words, not its capitals ("Sở nội vụ"): compared case-folded
    assert meta.issuer.casefold() == "sở nội vụ tỉnh lâm đồng" and meta.province == "Lâm Đồng"
    assert (meta.doc_number, meta.issued_date) == ("12/KH-SNV", "2026-01-06")
    assert (meta.period_start, meta.period_end) == (2026, 2030)


def test_a_ministry_signs_for_the_whole_country():
    meta = header_of("BỘ THÔNG TIN VÀ TRUYỀN THÔNG\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     "Độc lập - Tự do - Hạnh phúc\n\nSố: 922/QĐ-BTTTT\n\nHà Nội, ngày 20 tháng 5 năm 2022\n\n"
                     "QUYẾT ĐỊNH\nPhê duyệt Đề án xác định Bộ chỉ số đánh giá chuyển đổi số\n\nĐiều 1. Phê duyệt.\n")
    assert meta.doc_type == "Quyết định" and meta.issued_date == "2022-05-20"
    assert meta.province is None  # Hà Nội is where a ministry signs, not the plan's province


def test_sentence_case_keeps_province_names():
    assert sentence_case("KẾ HOẠCH CHUYỂN ĐỔI SỐ TỈNH BÌNH DƯƠNG NĂM 2023", REFERENCE.provinces) \
        == "Kế hoạch chuyển đổi số tỉnh Bình Dương năm 2023"
    assert sentence_case("Đã viết thường", REFERENCE.provinces) == "Đã viết thường"
