"""Commitments told apart from results, years from context, KPI value columns and document headers, on short
snippets of real 2025-2026 texts (official texts r02, r08, r12, r16, r19, r25 of the realdocs corpus; news leads
from baothanhhoa.vn and baobariavungtau.com.vn, quoted for their layout)."""
import pytest

from conftest import REFERENCE
from vnplans.extractors.header import extract_header as _extract_header
from vnplans.extractors.readers.text import read_text
from vnplans.schemas.extraction import Row
from vnplans.extractors.structure import segment
from vnplans.extractors.targets import extract_targets, quantity_of_cell, target_of_row, targets_in_text


def extract_header(doc):  # the bundled gazetteer, as the stages pass it
    return _extract_header(doc, REFERENCE.provinces)


def doc_of(text: str):
    return read_text("snippet.txt", "0" * 64, text, "utf-8")


def targets_of(text: str, year=2025):
    doc = doc_of(text)
    return extract_targets(doc, segment(doc), [], year)


# --- results are not commitments -------------------------------------------------------------------------------

def test_a_report_states_its_target_beside_the_result():
    # r19, Báo cáo 184/BC-SNV (Lâm Đồng, 2025): the result (76,43%) is not a target, the stated one (100%) is
    text = ("2. Tình hình thực hiện năm 2025 và kết quả bước đầu\n"
            "Tỷ lệ thủ tục hành chính được cập nhật, công khai đúng hạn đạt 76,43% (chỉ tiêu đề ra là 100%). "
            "Tỷ lệ hồ sơ giải quyết đúng hẹn toàn tỉnh đạt 97,4% (chỉ tiêu đề ra là tối thiểu 98%).\n")
    got = [(t.value, t.comparator, t.metric) for t in targets_of(text)]
    assert got == [(100, "=", "Tỷ lệ thủ tục hành chính được cập nhật, công khai đúng hạn"),
                   (98, ">=", "Tỷ lệ hồ sơ giải quyết đúng hẹn toàn tỉnh")]


def test_a_shortfall_a_scoring_rule_and_a_series_of_figures_are_not_targets():
    assert targets_in_text("Tỷ lệ hồ sơ giải quyết đúng hẹn toàn tỉnh đạt chưa đạt chỉ tiêu đề ra.", 2025) == []
    assert targets_in_text("(trường hợp vượt chỉ tiêu Trung ương giao từ 4% trở lên thì tiêu chí đạt điểm tối đa)", 2025) == []
    assert targets_in_text("Công tác chỉ đạo, điều hành 99,9% 99,5% 99,2%", 2025) == []  # r19 PAR table row


def test_rating_rules_set_thresholds_not_commitments():
    # r02, Quyết định 212/2025/QĐ-UBND (Hải Phòng): Điều 6. Tiêu chí xếp loại chất lượng ...
    text = ("Điều 6. Tiêu chí xếp loại chất lượng công chức\n"
            "1. Hoàn thành xuất sắc nhiệm vụ\n"
            "Có tổng số điểm trên 90 điểm trở lên (trong đó, hoàn thành 100% nhiệm vụ theo quy định; "
            "có ít nhất 50% nhiệm vụ hoàn thành vượt mức).\n")
    assert targets_of(text) == []


def test_a_count_that_qualifies_a_share_is_part_of_it():
    # r08, Quyết định 2629/QĐ-TTg: one target (100%), not a second one of "01 ứng dụng"
    [t] = targets_in_text("100% cơ quan, tổ chức sử dụng ít nhất 01 ứng dụng AI để phục vụ công tác chỉ đạo, điều hành.", 2030)
    assert (t.value, t.unit) == (100, "%")


# --- years from context -----------------------------------------------------------------------------------------

def test_a_period_bullet_dates_the_items_under_it():
    # r08: "- Giai đoạn 2025-2027" / "+ 100% ...", under "II. MỤC TIÊU ĐẾN NĂM 2030"
    text = ("II. MỤC TIÊU ĐẾN NĂM 2030\n"
            "2. Mục tiêu cụ thể\n"
            "- Giai đoạn 2025-2027\n"
            "+ 95% người dân, doanh nghiệp đánh giá hài lòng khi sử dụng dịch vụ công trực tuyến.\n"
            "- Giai đoạn 2028-2030\n"
            "+ 99% người dân, doanh nghiệp đánh giá hài lòng khi sử dụng dịch vụ công trực tuyến.\n")
    assert [(t.value, t.year) for t in targets_of(text, 2025)] == [(95, 2027), (99, 2030)]


def test_a_kpi_row_lists_its_target_in_its_value_column_with_its_group_period():
    # r08 Phụ lục I: TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi, đánh giá
    row = Row(table="Phụ lục I", kind="indicator", stt="1", group="Giai đoạn 2025-2027",
              text="Tỉ lệ dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính có đủ điều kiện.",
              hint="100%", unit="%")
    from vnplans.extractors.deadlines import period_of
    row.deadline_inherited = period_of("Giai đoạn 2025-2027")
    t = target_of_row(row, 2030)
    assert (t.value, t.comparator, t.unit, t.year) == (100, "=", "%", 2027)
    assert t.metric.startswith("Tỉ lệ dịch vụ công trực tuyến toàn trình")


@pytest.mark.parametrize("cell, expected", [
    ("100%", ("=", 100, None, "%")), ("≥ 80", (">=", 80, None, None)), ("Trên 90", (">", 90, None, None)),
    ("Tối thiểu 50%", (">=", 50, None, "%")), ("70 - 80%", ("range", 70, 80, "%")), ("Hoàn thành", None),
    ("Sở Nội vụ", None),
])
def test_a_value_cell_holds_one_quantity_or_none(cell, expected):
    assert quantity_of_cell(cell) == expected


# --- phrasings and units ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, comparator, unit", [
    ("hình thành tối thiểu 03 cụm Trung tâm Dữ liệu quốc gia", 3, ">=", "cụm"),  # r08
    ("Định kỳ phát sóng mỗi tháng 02 chuyên mục.", 2, "=", "chuyên mục"),  # r16
    ("hằng quý có ít nhất 01 tin, bài về thực hiện CCHC gửi đăng trên Trang thông tin CCHC của tỉnh", 1, ">=", "tin, bài"),
    ("Hằng năm mỗi cơ quan, đơn vị phải có ít nhất 01 sáng kiến/mô hình/giải pháp về cải cách hành chính", 1, ">=",
     "sáng kiến/mô hình/giải pháp"),  # r12
    ("Phấn đấu trung bình mỗi năm tổ chức đấu giá từ 05 mỏ khoáng sản làm vật liệu xây dựng thông thường trở lên", 5,
     ">=", "mỏ"),  # r25
    ("Mạng 5G đạt tốc độ tối thiểu 40 Mbit/s", 40, ">=", "Mbit/s"),
    ("Chỉ số DTI tăng ít nhất 03 bậc", 3, ">=", "bậc"),
    ("Hình thành 30 doanh nghiệp công nghệ số", 30, "=", "doanh nghiệp"),
    ("Hằng năm mỗi cơ quan, đơn vị phải có ít nhất 01 sáng kiến/mô hình/ giải pháp", 1, ">=",
     "sáng kiến/mô hình/giải pháp"),  # r13, a space after the slash
    ("Công bố 05 bộ dữ liệu mở thuộc lĩnh vực quản lý", 5, "=", "bộ dữ liệu"),
    ("Kết nối 03/7 cơ sở dữ liệu chuyên ngành với Nền tảng tích hợp, chia sẻ dữ liệu", 3, "=", "cơ sở dữ liệu"),
    ("Quan trắc 300 mẫu đo/xã/tháng", 300, "=", "mẫu đo/xã/tháng"),
])
def test_counted_units_of_2025_2026_plans(text, value, comparator, unit):
    [t] = targets_in_text(text, 2026)
    assert (t.value, t.comparator, t.unit) == (value, comparator, unit)


def test_a_ranking_among_countries():
    got = targets_in_text("Việt Nam thuộc nhóm 4 nước dẫn đầu Hiệp hội các quốc gia Đông Nam Á (ASEAN) và nhóm 60 "
                          "nước dẫn đầu thế giới vào năm 2028", 2030)
    assert [(t.value, t.unit, t.comparator, t.year) for t in got] == [(4, "hạng", "<=", 2028), (60, "hạng", "<=", 2028)]


# --- headers -----------------------------------------------------------------------------------------------------

def test_header_cells_cut_over_lines_and_numbers_with_a_year():
    # r02 as thuvienphapluat prints it
    meta = extract_header(doc_of("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI PHÒNG\n-------\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\n"
                                 "Độc lập - Tự do - Hạnh phúc\nSố: 212/2025/QĐ-UBND\nHải Phòng, ngày\n"
                                 "18 tháng 11 năm 2025\nQUYẾT ĐỊNH\nBAN\nHÀNH QUY ĐỊNH VỀ TIÊU CHÍ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG\n"
                                 "CÁN BỘ, CÔNG CHỨC\nCăn cứ Luật Tổ chức chính quyền địa phương;\n"))
    assert (meta.doc_number, meta.doc_type, meta.issued_date, meta.province) == ("212/2025/QĐ-UBND", "Quyết định",
                                                                               "2025-11-18", "Hải Phòng")
    assert meta.title == "Ban hành quy định về tiêu chí đánh giá, xếp loại chất lượng cán bộ, công chức"


def test_number_and_date_cells_joined_on_one_line_and_a_two_level_letterhead():
    # r19 as its text layer reads
    meta = extract_header(doc_of("UBND TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NỘI VỤ\n"
                                 "Độc lập - Tự do - Hạnh phúc\nSố: 184/BC-SNV Lâm Đồng, ngày 06 tháng 11 năm 2025\nBÁO CÁO\n"
                                 "Tình hình thực hiện các chỉ số PAR Index, SIPAS,\nPAPI, PCI, 766 của tỉnh Lâm Đồng\n"
                                 "Thực hiện nhiệm vụ giao của Chủ tịch Ủy ban nhân dân tỉnh.\n"))
    assert (meta.doc_number, meta.issued_date, meta.province) == ("184/BC-SNV", "2025-11-06", "Lâm Đồng")
    assert meta.issuer.casefold() == "sở nội vụ tỉnh lâm đồng"
    assert meta.title == "Tình hình thực hiện các chỉ số PAR Index, SIPAS, PAPI, PCI, 766 của tỉnh Lâm Đồng"


def test_a_blank_number_and_day_are_filled_from_the_signature_stamp():
    doc = doc_of("UBND TỈNH LÂM ĐỒNG\nTRUNG TÂM XÚC TIẾN ĐẦU TƯ\nTHƯƠNG MẠI VÀ DU LỊCH\nSố:\n/TTXT-ĐTDN\n"
                 "V/v báo cáo tình hình cải thiện môi\ntrường đầu tư, nâng cao chỉ số PCI\nKính gửi:\n"
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLâm Đồng, ngày\ntháng 11 năm 2025\n")
    doc.stamps = {"stamped_header": "Số: 644 /TTXT-ĐTDN Lâm Đông, ngày Ø6 tháng 11 năm 2025", "signed_date": "2025-11-06"}
    meta = extract_header(doc)
    assert (meta.doc_number, meta.doc_type, meta.issued_date) == ("644/TTXT-ĐTDN", "Công văn", "2025-11-06")
    assert meta.title == "báo cáo tình hình cải thiện môi trường đầu tư, nâng cao chỉ số PCI"


def test_a_central_decision_belongs_to_no_province():
    meta = extract_header(doc_of("THỦ TƯỚNG CHÍNH\nPHỦ\n-------\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\n"
                                 "Số: 2597/QĐ-TTg\nHà Nội, ngày 27\ntháng 11 năm 2025\nQUYẾT ĐỊNH\n"
                                 "PHÊ DUYỆT ĐỀ ÁN CHUYỂN ĐỔI SỐ TRONG HOẠT ĐỘNG XÂY DỰNG\nTHỦ TƯỚNG CHÍNH PHỦ\nCăn cứ Luật;\n"))
    assert (meta.doc_number, meta.province, meta.place) == ("2597/QĐ-TTg", None, "Hà Nội")
    assert meta.title == "Phê duyệt đề án chuyển đổi số trong hoạt động xây dựng"


def test_a_cited_decision_is_not_the_documents_own_number():
    meta = extract_header(doc_of("Kế hoạch chuyển đổi số năm 2026\nCăn cứ Quyết định số 570/QĐ-UBND ngày 01/3/2025 "
                                 "của UBND tỉnh;\nthực hiện theo Quyết định số 570/QĐ-UBND ngày 01/3/2025.\n"))
    assert meta.doc_number is None


def test_news_with_a_headline_is_a_tin_bai_that_reports_a_plan():
    # baothanhhoa.vn, 2026-01-06
    meta = extract_header(doc_of("Các chỉ tiêu thực hiện Chuyển đổi số tỉnh Thanh Hóa năm 2026\n\n"
                                 "Ngày 31/12/2025, UBND tỉnh Thanh Hóa đã ban hành Kế hoạch số 275/KH-UBND về chuyển đổi số "
                                 "năm 2026, xác định rõ lộ trình và các mục tiêu cụ thể.\n\nMai Huyền\n"))
    assert (meta.form, meta.doc_type, meta.doc_number, meta.issued_date) == ("news", "Tin bài", "275/KH-UBND", "2025-12-31")
    assert meta.issuer == "Ủy ban nhân dân tỉnh Thanh Hóa" and meta.province == "Thanh Hóa"
    assert meta.title == "Các chỉ tiêu thực hiện Chuyển đổi số tỉnh Thanh Hóa năm 2026"


def test_news_that_names_no_plan_number_keeps_none():
    # baobariavungtau.com.vn, 2025-06: the national decision it implements is not the article's number
    meta = extract_header(doc_of("Chuyển đổi số mạnh mẽ trong công tác điều hành\n\nPhó Chủ tịch UBND tỉnh vừa ký ban hành "
                                 "văn bản triển khai thực hiện Quyết định 1012/QĐ-TTg của Thủ tướng Chính phủ về kế hoạch "
                                 "chuyển đổi số.\n\nQUANG VINH\n"))
    assert (meta.form, meta.doc_type, meta.doc_number) == ("news", "Tin bài", None)
    assert meta.issuer != "QUANG VINH" and meta.signer is None


# --- national targets, years per number, splits by level over lines, news pages ---------------------------------

def test_a_national_target_restated_as_context_is_scoped_national():
    # honggai.halongcity.gov.vn (Quảng Ninh): the Party congress's national targets, then the province's own
    national = ("Văn kiện Đại hội đại biểu toàn quốc lần thứ XIII của Đảng cũng đã đặt rõ mục tiêu và chỉ tiêu cụ thể "
                "của nền kinh tế giai đoạn 2020 – 2025, kinh tế số sẽ chiếm 20% GDP và khoảng 30% GDP vào năm 2030.")
    own = ("Trong đó, kinh tế số được xác định là đột phá, cần được tập trung lãnh đạo chỉ đạo hoàn thành với mục tiêu "
           "đặt ra đến năm 2025, kinh tế số phải đạt 20% GRDP và đến năm 2030, kinh tế số phải đạt 30% GRDP của tỉnh.")
    assert [(t.value, t.year, t.scope) for t in targets_in_text(national, 2025)] == [(20, 2025, "national"),
                                                                                      (30, 2030, "national")]
    assert [(t.value, t.year, t.scope) for t in targets_in_text(own, 2025)] == [(20, 2025, None), (30, 2030, None)]


@pytest.mark.parametrize("text, scope", [
    ("Nghị quyết số 57-NQ/TW của Bộ Chính trị đặt mục tiêu đến năm 2030 Việt Nam thuộc nhóm 3 nước dẫn đầu Đông Nam Á "
     "về nghiên cứu, phát triển trí tuệ nhân tạo.", "national"),
    ("Thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị, tỉnh phấn đấu đến năm 2030 kinh tế số chiếm 30% GRDP.", None),
    # r12: a national system named after the number is the province's own target
    ("100% nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao được theo dõi, quản lý, giám sát trên môi trường điện tử.", None),
    # seed 002: "trên cả nước" ranks the province
    ("Kế hoạch đã đề ra mục tiêu phấn đấu vào nhóm 10 địa phương về chuyển đổi số trên cả nước.", None),
])
def test_national_subjects_before_the_number(text, scope):
    assert [t.scope for t in targets_in_text(text, 2025)] == [scope]


def test_a_central_document_owns_its_national_targets():
    text = "II. MỤC TIÊU\nChính phủ đặt mục tiêu đến năm 2030 có 100% dịch vụ công trực tuyến toàn trình.\n"
    doc = doc_of(text)
    assert [t.scope for t in extract_targets(doc, segment(doc), [], 2030, provincial=True)] == ["national"]
    assert [t.scope for t in extract_targets(doc, segment(doc), [], 2030, provincial=False)] == [None]


def test_a_split_by_level_wrapped_after_its_semicolon():
    got = targets_of("2. Mục tiêu cụ thể\n- Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng đạt 90% tại cấp tỉnh;\n"
                     "80% tại cấp huyện và 70% tại cấp xã.\n")
    assert [(t.value, t.scope, t.metric) for t in got] == [
        (v, level, "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng") for v, level in
        ((90, "tỉnh"), (80, "huyện"), (70, "xã"))]


def test_a_lead_that_names_a_year_dates_the_list_it_introduces():
    text = ("UBND tỉnh vừa ban hành kế hoạch chuyển đổi số. Theo đó, đến năm 2025, tỉnh phấn đấu:\n"
            "- Tỷ lệ hồ sơ trực tuyến toàn trình đạt 80%.\n- 100% cơ quan nhà nước sử dụng nền tảng họp trực tuyến.\n"
            "Các sở, ngành đạt 90% kế hoạch vốn.\n")
    assert [(t.value, t.year) for t in targets_of(text, year=None)] == [(80, 2025), (100, 2025), (90, None)]


def test_an_intro_item_dates_its_sub_items_not_its_siblings():
    text = ("II. MỤC TIÊU\n1. Mục tiêu cụ thể\na) Đến năm 2025:\n- Tỷ lệ A đạt 80%.\nb) Các chỉ tiêu khác\n"
            "- Tỷ lệ B đạt 90%.\n")
    assert [(t.value, t.year) for t in targets_of(text, year=2030)] == [(80, 2025), (90, 2030)]


def test_news_widgets_are_dropped():
    # the layout of provincial newspapers' pages (baothanhhoa.vn, thainguyen.dcs.vn): timestamp, audio player,
    # photo caption, related link
    doc = doc_of("Các chỉ tiêu thực hiện Chuyển đổi số tỉnh Thanh Hóa năm 2026\nThứ Ba, 06/01/2026 - 08:30\n"
                 "Nghe bài viết\n00:00 / 03:12\nNgày 31/12/2025, UBND tỉnh Thanh Hóa đã ban hành Kế hoạch số 275/KH-UBND "
                 "về chuyển đổi số năm 2026, xác định rõ lộ trình và các mục tiêu cụ thể.\n"
                 "Quang cảnh hội nghị triển khai nhiệm vụ năm 2026. Ảnh: Mai Huyền\n"
                 "Xem thêm: Thanh Hóa đứng thứ 10 cả nước về chỉ số DTI năm 2024\n06:44 13/03/2026\n"
                 "- Tỷ lệ hồ sơ trực tuyến toàn trình đạt 80%.\n- 31/12/2026\n")
    texts = [b.text for b in doc.blocks]
    assert texts == ["Các chỉ tiêu thực hiện Chuyển đổi số tỉnh Thanh Hóa năm 2026",
                     "Ngày 31/12/2025, UBND tỉnh Thanh Hóa đã ban hành Kế hoạch số 275/KH-UBND về chuyển đổi số năm 2026, "
                     "xác định rõ lộ trình và các mục tiêu cụ thể.",
                     "- Tỷ lệ hồ sơ trực tuyến toàn trình đạt 80%.", "- 31/12/2026"]  # a date alone may be a cell


def test_a_result_reached_so_far_beside_a_commitment():
    # r10, Thông báo 624/TB-VPCP (2025)
    got = targets_in_text("(4) đôn đốc các doanh nghiệp viễn thông phủ sóng 5G trên phạm vi toàn quốc, phải đạt 90% trong "
                          "năm 2025 (đến nay mới đạt 39,5%)", 2025)
    assert [(t.value, t.year) for t in got] == [(90, 2025)]
    # r20: "02/03 cuộc" held so far is no target, nor is a date "30/6"
    assert targets_in_text("Đến nay, Tỉnh chỉ mới tổ chức 02/03 cuộc đối thoại với doanh nghiệp.", 2025) == []
    assert targets_in_text("Kết nối báo cáo trước ngày 30/6 hằng năm.", 2025) == []


def test_a_report_of_results_keeps_only_its_stated_and_forward_targets():
    """r24, a Báo cáo 'Kết quả triển khai thực hiện Đề án 06 … tháng 3/2026' (Lâm Đồng, scanned): the figures
    it reports are results; the tasks it sets for the coming months, and a target stated as such, are not."""
    text = "\n".join([
        "1. VỀ CẢI CÁCH TTHC",
        "- Tỷ lệ cấp kết quả điện tử đạt 89,58%.",
        "- Tỷ lệ hồ sơ trực tuyến toàn trình đạt 51,79% (chỉ tiêu đề ra là tối thiểu 70%).",
        "- Nhận xét, đánh giá:",
        "+ Các nhiệm vụ trọng tâm trong thời gian tới: (1) Duy trì thu nhận hồ sơ cấp thẻ căn cước cho 100% công dân.",
        "- Trong tháng, thanh toán viện phí không dùng tiền mặt đạt 75,2%.",
        "+ Giải pháp khắc phục: tổ chức 01 cuộc đối thoại với doanh nghiệp, hoàn thành trong tháng 4/2026.",
    ])
    doc = doc_of(text)
    found = extract_targets(doc, segment(doc), [], 2026,
                            title="Kết quả triển khai thực hiện Đề án 06, Cải cách TTHC tháng 3/2026")
    assert sorted((t.value, t.unit) for t in found) == [(1, "cuộc"), (70, "%"), (100, "%")]
    # the same lines in a plan: every figure is a commitment
    assert len(extract_targets(doc, segment(doc), [], 2026, title="Cải cách hành chính năm 2026")) == 5
