"""Quantified targets: phrasings from the issue and the seeds, and the non-targets that must stay out."""
import json

import pytest

from vnplans.extractors.targets import targets_in_text
from conftest import ROOT



def one(text, year=2022):
    [t] = targets_in_text(text, year)
    return t


@pytest.mark.parametrize("text, comparator, value, value_max, unit", [
    ("Tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng đạt 85%", "=", 85, None, "%"),
    ("phổ biến kỹ năng số cơ bản cho người dân, mục tiêu năm 2022 tối thiểu 100.000 lượt người", ">=", 100000, None, "lượt người"),
    ("Tỷ lệ người dân có tài khoản giao dịch tại ngân hàng đạt từ 65 - 70%", "range", 65, 70, "%"),
    ("Trên 95% hộ gia đình được phủ mạng internet băng thông rộng cáp quang", ">", 95, None, "%"),
    ("Nâng cao tỷ lệ doanh nghiệp công nghệ số (đạt tỷ lệ ≥ 5%)", ">=", 5, None, "%"),
    ("Nâng cao tỉ trọng kinh tế số trong GRDP đảm bảo đạt tối thiểu 20% GRDP của tỉnh", ">=", 20, None, "%"),
    ("Triển khai ít nhất 2 cuộc diễn tập an toàn thông tin", ">=", 2, None, "cuộc"),
    ("Phấn đấu đảm bảo tỷ lệ chi ngân sách nhà nước cho hoạt động chính quyền số đạt tối thiểu 30 tỷ đồng", ">=", 30, None, "tỷ đồng"),
    ("phấn đấu đến hết năm 2020 nằm trong nhóm 10 tỉnh đứng đầu về Chỉ số mức độ ứng dụng công nghệ thông tin", "<=", 10, None, "hạng"),
    ("Rút ngắn từ 30% - 50% thời gian họp", "range", 30, 50, "%"),
    ("Tỷ lệ hồ sơ giải quyết theo dịch vụ công trực tuyến mức độ 3, 4 trên tổng số hồ sơ đạt từ 50% trở lên", ">=", 50, None, "%"),
    ("Không quá 5% hồ sơ giải quyết quá hạn", "<=", 5, None, "%"),
    ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt 72,84%", "=", 72.84, None, "%"),
])
def test_comparator_value_unit(text, comparator, value, value_max, unit):
    t = one(text)
    assert (t.comparator, t.value, t.value_max, t.unit) == (comparator, value, value_max, unit)
    assert t.quote in text


def test_levels_split_one_metric_into_scoped_targets():
    ts = targets_in_text("tỷ lệ dịch vụ công trực tuyến phát sinh hồ sơ đạt 55% đối với cấp tỉnh; 40% đối với cấp huyện "
                         "và 20% đối với cấp xã", 2022)
    assert [(t.value, t.scope) for t in ts] == [(55, "tỉnh"), (40, "huyện"), (20, "xã")]
    assert {t.metric for t in ts} == {"tỷ lệ dịch vụ công trực tuyến phát sinh hồ sơ"}
    ts = targets_in_text("Tỷ lệ hồ sơ công việc tại cấp tỉnh trên 90%, tỷ lệ hồ sơ công việc tại cấp huyện trên 80%, "
                         "tỷ lệ hồ sơ công việc tại cấp xã trên 50% được xử lý trên môi trường mạng", 2022)
    assert [(t.value, t.scope, t.comparator) for t in ts] == [(90, "tỉnh", ">"), (80, "huyện", ">"), (50, "xã", ">")]
    # a level that is part of what is measured is not a scope
    assert one("Tỷ lệ cơ quan nhà nước từ cấp tỉnh tới cấp xã kết nối vào Mạng truyền số liệu chuyên dùng đạt 100%").scope is None


def test_year_from_sentence_else_given():
    assert one("Tỷ lệ doanh nghiệp sử dụng hóa đơn điện tử đạt 100% đến năm 2025", 2022).year == 2025
    assert one("Tỷ lệ doanh nghiệp sử dụng hóa đơn điện tử đạt 100%", 2023).year == 2023
    assert one("Theo Quyết định ngày 15 tháng 3 năm 2021, tỷ lệ dân số có điện thoại thông minh đạt 85%", 2022).year == 2022


@pytest.mark.parametrize("text", [
    "Chỉ số DTI năm 2021 của tỉnh đạt 0,3048, tăng 44,6% so với năm 2020",
    "Năm 2022 tỉnh xếp thứ 53/63 tỉnh, thành phố",
    "Đến nay đã hoàn thành 30/34 chỉ tiêu đề ra",
    "Triển khai theo Quyết định số 922/QĐ-BTTTT ngày 20/5/2022 của Bộ Thông tin và Truyền thông",
    "Kế hoạch đề ra 69 nhiệm vụ cụ thể và 5 giải pháp",
    "Đến cuối năm dự kiến tổ chức thêm 02 đợt",
    "Tỷ lệ người dân từ 15 tuổi trở lên được tập huấn",
    "Triển khai dịch vụ công trực tuyến mức độ 3, 4 trong giai đoạn 2 của đề án",
    "Năm 2024 tỉnh đã có 85% người dân có tài khoản thanh toán",
    "Xây dựng CSDL phục vụ thống kê (hơn 500 cơ sở giáo dục Tiểu học, THCS, THPT)",
])
def test_non_targets(text):
    assert targets_in_text(text, 2022) == []


def test_appendix_restatement_is_linked_not_duplicated(extractions):
    ex = extractions["004_c147d9c3ca0a32b7"]
    smart = [t for t in ex["targets"] if t["metric"].startswith("Tỷ lệ dân số có điện thoại thông minh")]
    assert len(smart) == 1 and smart[0]["row_index"] is not None
    assert ex["rows"][smart[0]["row_index"]]["text"].startswith("Tỷ lệ dân số có điện thoại thông minh")


def test_targets_on_seeds_and_heldout(scorer, extractions):
    from vnplans.pipeline.stages import process, to_extraction

    for gold_dir, preds in (("gold", extractions), ("heldout/gold", None)):
        tot, fields = [0, 0, 0], {"comparator": 0, "year": 0}
        for g in sorted((ROOT / "corpus" / gold_dir).glob("*.json")):
            gold = json.loads(g.read_text("utf-8"))
            if preds is not None:
                pred = preds[g.stem]
            else:
                pred = to_extraction(process(ROOT / "corpus" / "heldout" / "seeds" / (g.stem + ".txt"))).model_dump(mode="json")
            s = scorer.score_doc(gold, pred)["targets"]
            tot[0] += s["tp"]; tot[1] += s["pred"]; tot[2] += s["gold"]
            for k in fields:
                fields[k] += s["fields"][k]
        p, r, f1 = scorer.prf(*tot)
        assert f1 >= 0.88, (gold_dir, p, r, f1)
        assert fields["comparator"] / tot[0] >= 0.92
        if gold_dir == "gold":
            assert fields["year"] / tot[0] >= 0.92


# r08 (Quyết định 2629/QĐ-TTg, thuvienphapluat.vn): a heading line hard-wrapped into its paragraph
RANKINGS_OF_ONE_MEASURE = (
    "Thay đổi đột phá xếp hạng quốc gia Xếp hạng của Việt Nam về phát triển Chính phủ điện tử, Chính phủ số có sự "
    "thay đổi đột phá, Việt Nam thuộc nhóm 4 nước dẫn đầu Hiệp hội các quốc gia Đông Nam Á (ASEAN) và nhóm 60 nước "
    "dẫn đầu thế giới vào năm 2028 theo đánh giá của Liên hợp quốc; thuộc nhóm 3 nước dẫn đầu Hiệp hội các quốc gia "
    "Đông Nam Á (ASEAN) và nhóm 50 nước dẫn đầu thế giới vào năm 2030 theo đánh giá của Liên hợp quốc.")


def test_rankings_that_name_only_who_is_ranked_rank_the_measure_the_sentence_named():
    """'Việt Nam thuộc nhóm 4 nước …': the measure is the 'Xếp hạng …' phrase before; the rankings after it
    ('… và nhóm 60 nước …', '; thuộc nhóm 3 nước …') rank the same measure."""
    found = [(t.metric, t.comparator, t.value, t.year) for t in targets_in_text(RANKINGS_OF_ONE_MEASURE, 2025)]
    measure = "Xếp hạng của Việt Nam về phát triển Chính phủ điện tử, Chính phủ số"
    assert found == [(measure, "<=", 4, 2028), (measure, "<=", 60, 2028), (measure, "<=", 3, 2030),
                     (measure, "<=", 50, 2030)]


@pytest.mark.parametrize("text, metric", [
    # seed 003: the ranked measure named after the group ("đứng đầu về …")
    ("phấn đấu đến hết năm 2020 nằm trong nhóm 10 tỉnh đứng đầu về Chỉ số mức độ ứng dụng công nghệ thông tin",
     "Xếp hạng Chỉ số mức độ ứng dụng công nghệ thông tin"),
    ("Đến năm 2030, tỉnh nằm trong nhóm 10 tỉnh dẫn đầu cả nước về chuyển đổi số", "Xếp hạng chuyển đổi số"),
    ("Đến năm 2030, tỉnh Lâm Đồng nằm trong nhóm 10 tỉnh dẫn đầu cả nước", "tỉnh Lâm Đồng"),  # nothing else said
])
def test_the_measure_a_ranking_ranks(text, metric):
    assert one(text).metric == metric


def test_a_numbered_item_that_runs_on_is_not_a_report_for_a_word_in_its_last_lines():
    """The heading of a section says what it is in its title: 'theo đánh giá của Liên hợp quốc' four lines
    into an item does not make it a report of results, whose numbers would not be targets."""
    from vnplans.extractors.structure import Section
    from vnplans.extractors.targets import _reports_results
    from vnplans.schemas.document import Span

    def section(heading):
        return Section(0, None, "numbered", "3", heading, 6, Span(0, 1, 1), 1, 1)

    assert not _reports_results([section(RANKINGS_OF_ONE_MEASURE)])
    assert _reports_results([section("Đánh giá kết quả thực hiện Kế hoạch năm 2024")])


@pytest.mark.parametrize("text, metric, value, unit", [
    # Sơn La 2954/QĐ-UBND and its budget plan (2025): money in dollars, figures "about" a value
    ("Phấn đấu giá trị hàng hóa tham gia xuất khẩu đến năm 2030 đạt 400 triệu USD",
     "giá trị hàng hóa tham gia xuất khẩu đến năm 2030", 400, "triệu USD"),
    ("Kim ngạch xuất khẩu đạt khoảng 8,95 tỷ USD.", "Kim ngạch xuất khẩu", 8.95, "tỷ USD"),
    ("Tổng số doanh nghiệp đạt khoảng 11.400 doanh nghiệp.", "Tổng số doanh nghiệp", 11400, "doanh nghiệp"),
])
def test_money_in_dollars_and_approximate_figures(text, metric, value, unit):
    t = one(text)
    assert (t.metric, t.value, t.unit) == (metric, value, unit)


def test_a_forecast_is_not_a_target():
    assert targets_in_text("Dự báo tình hình kinh tế Việt Nam giai đoạn 2026 - 2030 tiếp tục tăng trưởng tích cực, "
                           "dự báo tốc độ tăng trưởng GRDP của tỉnh giai đoạn 2026 - 2030 khoảng từ 10 - 10,5%/năm.",
                           2026) == []


@pytest.mark.parametrize("text, metric, comparator, value", [
    # r20 (Lâm Đồng, 2025): a shortfall report states the target beside the result
    ("Tỷ lệ hồ sơ trực tuyến toàn trình trên địa bàn tỉnh còn thấp, chỉ đạt 51,79% (chỉ tiêu đề ra trong năm 2025 "
     "là 70%).", "Tỷ lệ hồ sơ trực tuyến toàn trình trên địa bàn tỉnh", "=", 70),
    ("Tỷ lệ hồ sơ giải quyết đúng hẹn toàn tỉnh chưa đạt chỉ tiêu đề ra (chỉ tiêu tối thiểu 98%, hiện đạt 97,28%).",
     "Tỷ lệ hồ sơ giải quyết đúng hẹn toàn tỉnh", ">=", 98),
])
def test_a_shortfall_gives_the_target_it_falls_short_of_not_the_result(text, metric, comparator, value):
    [t] = targets_in_text(text, 2025)
    assert (t.metric, t.comparator, t.value, t.year) == (metric, comparator, value, 2025)


def test_a_class_of_units_bounded_by_two_levels_is_not_a_target():
    """r23 (Lâm Đồng, 2025), a row counting public service units by how much of their spending they cover."""
    assert targets_in_text("Số ĐVSN tự bảo đảm từ 70% - dưới 100% chi thường xuyên", 2025) == []
    assert one("Tỷ lệ hồ sơ trực tuyến đạt từ 70% - 80%").comparator == "range"


def test_a_clause_number_is_not_part_of_the_metric():
    """r10 (Thông báo kết luận, Văn phòng Chính phủ, 2025): items numbered (i), (ii), (iii) inside a sentence."""
    t = one("(iii) Hoàn thành mục tiêu 100% TTHC liên quan đến doanh nghiệp được thực hiện trực tuyến", 2025)
    assert t.metric.startswith("Hoàn thành") and t.value == 100


def test_symbol_font_bullets_of_a_text_dump_are_list_dashes():
    """pdftotext -layout of a Word PDF keeps the Symbol font's bullet as U+F0B7, a code with no character."""
    from vnplans.extractors.readers import read_bytes

    doc = read_bytes("plan.txt", "\n".join([
        "III. MỤC TIÊU VÀ CÁC CHỈ TIÊU CHỦ YẾU", "",
        " \uf0b7 20% số lượng người dân và doanh nghiệp tham gia hệ thống thông tin Chính phủ",
        "   điện tử được xác thực, định danh điện tử."]).encode("utf-8"))
    [item] = [b.text for b in doc.blocks if "20%" in b.text]
    assert item.startswith("- 20%")
    assert doc.text.count("\uf0b7") == 1  # the document's own text, which provenance offsets point into, is kept
