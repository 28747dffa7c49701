"""Agencies of plans issued under the two-level government (from 2025-07-01) and the 2025 Government: names
that 2025-2026 plans print (Lâm Đồng, Đồng Tháp, Bắc Ninh plans of the realdocs corpus and the public record),
each resolved to the registry, at its level, with its successor where it was merged."""
import pytest

from extractors.normalize.agencies import current, resolve


@pytest.mark.parametrize("printed, agency_id", [
    ("Ban Chỉ đạo phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh", "bcd-khcn-cds"),
    ("Ban Chỉ đạo phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 tỉnh Lâm Đồng",
     "bcd-khcn-cds"),
    ("Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh Đồng Tháp", "bcd-khcn-cds"),
    ("UBND xã, phường", "ubnd-xa"),
    ("UBND các xã, phường, đặc khu", "ubnd-xa"),
    ("Công an xã", "cong-an-xa"),
    ("Trung tâm Phục vụ hành chính công cấp xã", "tt-pvhcc-xa"),
    ("Ban Chỉ huy Quân sự xã", "bchqs-xa"),
    ("UBMTTQ xã", "ubmttq-xa"),
    ("Cục Chuyển đổi số quốc gia", "cuc-cdsqg"),
    ("Bộ KH&CN", "bo-khcn"),
    ("Bộ Công an", "bo-ca"),
    ("Văn phòng Chính phủ", "vpcp"),
    ("Bộ Dân tộc và Tôn giáo", "bo-dttg"),
    ("Trung tâm Chuyển đổi số tỉnh", "tt-cds-tinh"),
    ("Đảng ủy UBND tỉnh", "dang-uy-ubnd-tinh"),
    ("Báo và Phát thanh, Truyền hình Lâm Đồng", "bao-ptth-tinh"),
    ("Các bộ, ngành, địa phương", "cac-bo-nganh"),
    ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", "ubnd-cac-tinh"),
])
def test_names_of_2025_2026_plans(printed, agency_id):
    link = resolve(printed, "Lâm Đồng")
    assert link is not None and link.agency.id == agency_id, link


@pytest.mark.parametrize("printed, place", [
    ("UBND đặc khu Phú Quốc", "Phú Quốc"),
    ("UBND xã Ân Tường", "Ân Tường"),  # a commune whose name starts with a capital outside A-Z
    ("UBND phường Ông Ích Khiêm", "Ông Ích Khiêm"),
    ("UBND xã Ứng Hòa", "Ứng Hòa"),
])
def test_a_named_commune_ward_or_special_zone(printed, place):
    link = resolve(printed, "An Giang")
    assert (link.agency.id, link.method, link.qualifier) == ("ubnd-xa", "pattern", place)


@pytest.mark.parametrize("printed, agency_id, region", [
    ("Ngân hàng Nhà nước Khu vực 9", "nhnn-khu-vuc", "9"),
    ("Kho bạc Nhà nước khu vực XV", "kbnn-khu-vuc", "XV"),
])
def test_regional_branches_span_provinces(printed, agency_id, region):
    link = resolve(printed, "Lâm Đồng")
    assert (link.agency.id, link.qualifier, link.province) == (agency_id, region, None)


@pytest.mark.parametrize("old, new", [
    ("bcd-cds", "bcd-khcn-cds"),
    ("tt-pvhcc-huyen", "tt-pvhcc-xa"),
    ("nhnn-chi-nhanh", "nhnn-khu-vuc"),
    ("dai-ptth-tinh", "bao-ptth-tinh"),
    ("bao-tinh", "bao-ptth-tinh"),
    ("bo-gtvt", "bo-xd"),
    ("bo-tnmt", "bo-nnmt"),
    ("ubdt", "bo-dttg"),
])
def test_merged_bodies_lead_to_today_s(old, new):
    assert current(old) == new


def test_a_close_spelling_of_another_level_is_not_a_match():
    # the commune's Front committee is not the province's, however close the spelling
    assert resolve("Ủy ban Mặt trận Tổ quốc Việt Nam các xã, phường", "Lâm Đồng").agency.id == "ubmttq-xa"
    assert resolve("Ủy ban Mặt trận Tổ quốc Việt Nam huyện", "Lâm Đồng") is None
