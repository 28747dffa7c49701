"""Agency cells -> one agency each, official names; real cells from the seed plans."""
import pytest

from vnplans.extractors.agencies import split


@pytest.mark.parametrize("cell, expected", [
    ("Sở Tài chính; Sở Kế hoạch và Đầu tư", ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]),
    ("- Sở Xây dựng\n- Sở Tài nguyên và Môi trường", ["Sở Xây dựng", "Sở Tài nguyên và Môi trường"]),
    ("Sở TTTT và các cơ quan, đơn vị liên quan", ["Sở Thông tin và Truyền thông", "các cơ quan, đơn vị liên quan"]),
    ("Sở Lao động - Thương binh và Xã hội", ["Sở Lao động - Thương binh và Xã hội"]),
    ("Các sở, ban, ngành", ["Các sở, ban, ngành"]),
    ("UBND các huyện, thị xã, thành phố", ["Ủy ban nhân dân các huyện, thị xã, thành phố"]),
    ("Sở KH&ĐT, Sở Tài chính", ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"]),
    ("VP Tỉnh ủy, VP UBND tỉnh", ["Văn phòng Tỉnh ủy", "Văn phòng Ủy ban nhân dân tỉnh"]),
    ("Sở GD&ĐT", ["Sở Giáo dục và Đào tạo"]),
    ("Đài PTTH tỉnh", ["Đài Phát thanh và Truyền hình tỉnh"]),
    ("Sở Lao động – Thương binh và Xã hội", ["Sở Lao động - Thương binh và Xã hội"]),
    ("Giám đốc sở, Thủ trưởng cơ quan thuộc UBND tỉnh", ["Giám đốc sở, Thủ trưởng cơ quan thuộc Ủy ban nhân dân tỉnh"]),
    ("Văn phòng UBND tỉnh (Trung tâm Hành chính công)", ["Văn phòng Ủy ban nhân dân tỉnh (Trung tâm Hành chính công)"]),
    ("-", []),
    ("", []),
])
def test_split_and_expand(cell, expected):
    assert split(cell) == expected


def test_split_real_cells_of_2025_2026_plans():
    assert split("Sở Khoa học và Công nghệ, Viện Nghiên cứu phát triển Thành phố") == [
        "Sở Khoa học và Công nghệ", "Viện Nghiên cứu phát triển Thành phố"]
    assert split("Ủy ban nhân dân xã, phường, đặc khu\nSở Tài chính") == [
        "Ủy ban nhân dân xã, phường, đặc khu", "Sở Tài chính"]
    assert split("Bộ Tài chính, Bộ Nông nghiệp và Môi trường, các địa phương") == [
        "Bộ Tài chính", "Bộ Nông nghiệp và Môi trường", "các địa phương"]
    assert split("Sở Tài chính và cơ quan, địa phương liên quan") == ["Sở Tài chính", "cơ quan, địa phương liên quan"]
    assert split("Các Sở, ban, ngành và địa phương") == ["Các Sở, ban, ngành và địa phương"]
    assert split("Bộ CHQS tỉnh; Sở NN&MT; Các DNVT") == [
        "Bộ Chỉ huy Quân sự tỉnh", "Sở Nông nghiệp và Môi trường", "Các Doanh nghiệp viễn thông"]


def test_an_assignment_keeps_the_agency_as_printed_beside_the_expanded_entry():
    """`lead` holds the official name the answer keys use; the assignment's `printed` what the plan says."""
    from vnplans.extractors.agencies import assignments_of, split_printed
    from vnplans.extractors.assignments import extract_prose_tasks
    from vnplans.extractors.readers import read_bytes
    from vnplans.extractors.structure import segment

    assert split_printed("Sở TT&TT; Bộ CHQS tỉnh") == [("Sở TT&TT", "Sở Thông tin và Truyền thông"),
                                                       ("Bộ CHQS tỉnh", "Bộ Chỉ huy Quân sự tỉnh")]
    doc = read_bytes("t.txt", "III. TỔ CHỨC THỰC HIỆN\n\n1. Giao Sở TT&TT chủ trì, phối hợp với UBND các xã "
                              "triển khai nền tảng số trong năm 2026.\n".encode("utf-8"))
    (row,) = extract_prose_tasks(doc, segment(doc), 2026)
    assert row.lead == ["Sở Thông tin và Truyền thông"]
    printed = {(a.role, a.printed) for a in assignments_of(row)}
    assert ("lead", "Sở TT&TT") in printed and ("coordinate", "UBND các xã") in printed
