"""Agencies of plans issued under the two-level government (from 2025-07-01) and the 2025 Government: names
that 2025-2026 plans print (Lâm Đồng, Đồng Tháp, Bắc Ninh plans of the realdocs corpus and the public record),
each resolved to the registry, at its level, with its successor where it was merged."""
import pytest

from conftest import REFERENCE, ROOT

resolve, current = REFERENCE.agencies.resolve, REFERENCE.agencies.current


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


# --- the administrative map a plan was issued under ----------------------------------------------------------

def _unit(text: str):
    from vnplans.extractors.readers.text import read_text
    from vnplans.pipeline.stages import process_document, to_extraction

    doc = read_text("plan.txt", "0" * 64, text, "utf-8")
    return to_extraction(process_document(doc)).document.province_unit


def test_a_plan_whose_day_and_month_are_blank_is_dated_by_its_year():
    # r25 (Lào Cai, 2026, prepared for signature): "Lào Cai, ngày    tháng    năm 2026" -> today's Lào Cai (15)
    from vnplans.extractors.readers import read_bytes
    from vnplans.pipeline.stages import process_document, to_extraction

    path = ROOT / "corpus" / "realdocs" / "docs" / "r25.docx"
    unit = to_extraction(process_document(read_bytes(str(path), path.read_bytes()))).document.province_unit
    assert (unit.code, unit.regime, unit.regime_evidence) == ("15", "after-merger", "year")


def test_a_province_marked_old_is_filed_under_the_one_it_is_part_of():
    unit = _unit("Bình Định (cũ) đẩy mạnh chuyển đổi số\n\nUBND tỉnh Bình Định (cũ) đã ban hành kế hoạch chuyển đổi số "
                 "cho các xã, phường, đặc khu trên địa bàn, với nhiều chỉ tiêu cụ thể cho năm tới.\n")
    assert (unit.regime, unit.successor, unit.code, unit.merged) == ("after-merger", "Gia Lai", "52", True)


def test_a_cited_decision_after_the_merger_dates_the_plan():
    unit = _unit("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố:    /KH-UBND\n"
                 "Lâm Đồng, ngày    tháng    năm\nKẾ HOẠCH\nChuyển đổi số\nCăn cứ Kế hoạch số 02-KH/BCĐTW ngày "
                 "19/6/2025; Công văn số 5511/BKHCN-CĐSQG ngày 10/10/2025 của Bộ Khoa học và Công nghệ;\n")
    assert (unit.regime, unit.regime_evidence) == ("after-merger", "cites a decision of 2025-10-10")


def test_districts_mean_before_and_nothing_means_uncertain():
    before = _unit("Kế hoạch chuyển đổi số tỉnh Bình Dương\nGiao Ủy ban nhân dân các huyện, thị xã, thành phố triển khai.\n")
    unsure = _unit("Kế hoạch chuyển đổi số tỉnh Bình Dương\nGiao các sở, ngành triển khai.\n")
    assert (before.regime, before.code) == ("before-merger", "74")
    assert (unsure.regime, unsure.code) == ("uncertain", "74")


# --- what is no assignment ------------------------------------------------------------------------------------

def test_a_report_of_what_was_done_is_no_task_and_no_agency():
    # r23 (Báo cáo 329/BC-UBND, Lâm Đồng 2025): "Ủy ban nhân dân tỉnh đã ban hành Kế hoạch ..." reports a result
    from vnplans.extractors.assignments import reports_done, subject_of

    s = subject_of("Ủy ban nhân dân tỉnh đã ban hành Kế hoạch số 1163/KH-UBND ngày 15/8/2025")
    assert s.agencies == ["Ủy ban nhân dân tỉnh"]
    assert reports_done("đã ban hành Kế hoạch số 1163/KH-UBND")
    assert not reports_done("chủ trì, phối hợp với các sở, ngành")


@pytest.mark.parametrize("text", ["Các thông số: Độ mặn, pH, oxy hòa tan",  # r04, a monitoring plan
                                  "Các yếu tố ảnh hưởng đến kết quả chỉ số"])  # r19
def test_a_list_of_things_is_no_collective_of_agencies(text):
    from vnplans.extractors.assignments import subject_of

    assert subject_of(text) is None
    assert subject_of("Các tổ chức, cá nhân có liên quan thực hiện").agencies == ["Các tổ chức, cá nhân có liên quan"]


@pytest.mark.parametrize("printed, agency_id", [
    # collectives of central documents and 2025-2026 plans (realdocs r09, r10, r25)
    ("Các Sở", "cac-so-nganh"),
    ("Các ban, ngành tỉnh", "cac-so-nganh"),
    ("Các bộ, cơ quan", "cac-bo-nganh"),
    ("các bộ, ngành khác có liên quan", "cac-bo-nganh"),
    ("Các cơ quan Trung ương", "cac-bo-nganh"),
    ("Các Bộ trưởng", "cac-bo-nganh"),
    ("Các tỉnh, thành phố", "ubnd-cac-tinh"),
    ("các đơn vị có liên quan", "cac-co-quan-lien-quan"),
    ("Tổng Thanh tra Chính phủ", "ttcp"),
])
def test_collectives_and_office_holders_of_central_documents(printed, agency_id):
    link = resolve(printed)
    assert link is not None and link.agency.id == agency_id


def test_a_minister_or_governor_is_the_holder_of_the_agency():
    from vnplans.extractors.agencies import holder_and_agency

    assert holder_and_agency("Bộ trưởng Bộ Tài chính") == ("Bộ trưởng", "Bộ Tài chính")
    assert holder_and_agency("Thống đốc Ngân hàng Nhà nước Việt Nam") == ("Thống đốc", "Ngân hàng Nhà nước Việt Nam")
