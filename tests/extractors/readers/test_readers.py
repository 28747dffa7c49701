"""Readers: encodings, NFC, format sniffing, bad input, HTML chrome and tables."""
import unicodedata

import pytest

from vnplans.extractors.errors import ReadError
from vnplans.extractors.readers import read_bytes, sniff

PLAN = "ỦY BAN NHÂN DÂN\nTỈNH BÌNH DƯƠNG\n\nSố: 12/KH-UBND\n\nBình Dương, ngày 5 tháng 3 năm 2024\n\nKẾ HOẠCH\n\nChuyển đổi số năm 2024\n\nI. MỤC TIÊU\n\n- Tỷ lệ hộ gia đình có Internet cáp quang đạt 85%.\n"


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258(text: str) -> bytes:
    """Windows-1258 writes base letters precomposed and tone marks as separate combining bytes."""
    out = []
    for ch in text:
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
        out.append(base + "".join(c for c in nfd if c in TONES))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_encodings_decode_to_the_same_nfc_text(encoding):
    data = windows_1258(PLAN) if encoding == "cp1258" else PLAN.encode(encoding)
    doc = read_bytes("plan.txt", data)
    assert "Bình Dương, ngày 5 tháng 3 năm 2024" in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)


def test_decomposed_diacritics_are_composed():
    doc = read_bytes("mac.txt", unicodedata.normalize("NFD", PLAN).encode("utf-8"))
    assert "KẾ HOẠCH" in doc.text and unicodedata.is_normalized("NFC", doc.text)


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"   \n\n  ", "empty file"),
    (bytes(range(256)) * 40, "binary"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy Word .doc"),
    (b"PK\x03\x04garbage", "corrupt ZIP"),
])
def test_bad_input_raises_read_error_with_reason(data, reason):
    with pytest.raises(ReadError) as err:
        read_bytes("bad.bin", data)
    assert reason in str(err.value) and "bad.bin" in str(err.value)


def test_format_is_sniffed_from_content_not_suffix():
    assert sniff(b"<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert sniff(b"%PDF-1.7 ...") == "pdf"
    assert sniff("Số: 1/KH-UBND".encode()) == "text"


def test_html_drops_scripts_and_navigation_and_keeps_tables():
    html = """<html><head><title>Kế hoạch 12/KH-UBND</title><script>var x = 'Số: 99/KH-UBND';</script></head>
    <body><nav class="menu"><a>Trang chủ</a><a>Văn bản</a></nav>
    <div class="content"><p><b>ỦY BAN NHÂN DÂN TỈNH BẮC GIANG</b></p><p>Số: 12/KH-UBND</p>
    <p>Bắc Giang, ngày 3 tháng 4 năm 2022</p><p>KẾ HOẠCH</p><p>Chuyển đổi số năm 2022</p>
    <table><tr><th>STT</th><th>Nhiệm vụ</th><th>Cơ quan chủ trì</th><th>Thời gian hoàn thành</th></tr>
    <tr><td>1</td><td>Xây dựng kho dữ liệu</td><td rowspan="2">Sở TT&amp;TT</td><td>Quý IV/2022</td></tr>
    <tr><td>2</td><td>Triển khai IPv6</td><td>2023</td></tr></table></div>
    <footer>Bản quyền thuộc về cổng thông tin</footer></body></html>"""
    doc = read_bytes("page.html", html.encode("utf-8"))
    assert doc.format == "html"
    assert "99/KH" not in doc.text and "Trang chủ" not in doc.text and "Bản quyền" not in doc.text
    [table] = [b.table for b in doc.blocks if b.kind == "table"]
    assert table.header == ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    assert [c.text for c in table.rows[1]] == ["2", "Triển khai IPv6", "Sở TT&TT", "2023"]  # rowspan repeated


def test_html_comments_are_no_cell_text():
    # Word's "Save as web page" wraps list numbers in conditional comments, inside table cells too
    html = """<?xml version="1.0" encoding="utf-8"?><html><body><p>KẾ HOẠCH</p>
    <table><tr><td>STT</td><td>Nhiệm vụ</td><td>Cơ quan chủ trì</td></tr>
    <tr><td>1</td><td><!--[if !supportLists]-->-<!--[endif]-->Triển khai nền tảng số<o:p></o:p></td>
    <td>Sở Khoa học và Công nghệ<!-- đơn vị cũ: Sở TT&TT --></td></tr></table></body></html>"""
    doc = read_bytes("page.html", html.encode("utf-8"))
    [table] = [b.table for b in doc.blocks if b.kind == "table"]
    assert [c.text for c in table.rows[0]] == ["1", "-Triển khai nền tảng số", "Sở Khoa học và Công nghệ"]
    assert "supportLists" not in doc.text and "đơn vị cũ" not in doc.text


def test_spans_point_at_the_source_text():
    doc = read_bytes("plan.txt", PLAN.encode("utf-8"))
    for block in doc.lines():
        assert doc.text[block.span.start:block.span.end].replace("\n", " ").strip().startswith(block.text[:10])


@pytest.mark.parametrize("printed, unicode", [
    # headings typed in .VnTimeH come back with their capitals raised, words of one plain capital with them
    ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("TP. Hå CHÝ MINH, ngµy 5 th¸ng 3", "TP. HỒ CHÍ MINH, ngày 5 tháng 3"),
    # no word with two plain capitals: the line is left as converted
    ("ñy ban nh©n d©n tØnh B×nh D\xad¬ng", "ủy ban nhân dân tỉnh Bình Dương"),
])
def test_tcvn3_text_converts_with_its_capitals(printed, unicode):
    from vnplans.extractors.readers import legacy

    assert legacy.convert(printed, "tcvn3") == unicode


def test_a_legacy_file_reads_the_same_whole_or_past_the_sample():
    # the encoding is judged on the file's start; the file is converted whole, shorter or longer than that
    from vnplans.extractors.readers import legacy

    line = "Céng hoµ x· héi chñ nghÜa ViÖt Nam. Uû ban nh©n d©n tØnh B×nh D\xad¬ng ban hµnh kÕ ho¹ch.\n"
    for text in (line * 10, line * (legacy.JUDGED // len(line) + 10), line * (legacy.SAMPLE // len(line) + 10)):
        doc = read_bytes("plan.txt", text.encode("cp1252"))
        assert doc.text.startswith("Cộng hoà xã hội chủ nghĩa Việt Nam. Uỷ ban nhân dân tỉnh Bình Dương")
        assert doc.text.count("Cộng hoà") == text.count("Céng hoµ")
