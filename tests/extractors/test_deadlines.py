"""Deadline normalisation: every form named in the answer-key format and the issue."""
import pytest

from vnplans.extractors.deadlines import deadline_of, find_deadlines, parse


@pytest.mark.parametrize("raw, start, end, recurrence", [
    ("Tháng 10/2022", None, "2022-10-31", None),
    ("10/2023", None, "2023-10-31", None),
    ("Quý IV/2022", None, "2022-12-31", None),
    ("2023", None, "2023-12-31", None),
    ("2019-2021", "2019-01-01", "2021-12-31", None),
    ("Từ năm 2019 đến năm 2024", "2019-01-01", "2024-12-31", None),
    ("Hàng năm", None, None, "yearly"),
    ("Hằng năm", None, None, "yearly"),
    ("trước ngày 20/12", None, "2022-12-20", None),
    ("định kỳ hằng quý (trước ngày 25 tháng cuối quý)", None, None, "quarterly"),
    ("từ tháng 4 đến tháng 7 năm 2022", "2022-04-01", "2022-07-31", None),
    ("Theo niên độ báo cáo", None, None, None),
    ("Theo kế hoạch của Chính phủ", None, None, None),
])
def test_parse(raw, start, end, recurrence):
    assert parse(raw, 2022).model_dump(exclude={"kind"}) == {"start": start, "end": end, "recurrence": recurrence}


def test_deadlines_in_task_sentences_skip_named_periods_and_document_years():
    text = ("Triển khai thực hiện các chương trình thương mại điện tử năm 2022 theo Kế hoạch phát triển thương mại "
            "điện tử giai đoạn 2021-2025 của tỉnh")
    assert find_deadlines(text) == []
    raw, d = deadline_of("Trình Chủ tịch UBND tỉnh ban hành: Quy chế A trong tháng 7/2022; Quyết định B trong tháng "
                         "9/2022; Kế hoạch C năm 2023 trong tháng 9/2022; Quy chế D trong tháng 11/2022", 2022)
    assert raw == "tháng 7/2022; tháng 9/2022; tháng 11/2022" and d.end == "2022-11-30"
    raw, d = deadline_of("cơ bản hoàn thành các gói thầu xây dựng CSDL đất đai trong năm 2022 và đưa vào vận hành", 2022)
    assert raw == "năm 2022" and d.end == "2022-12-31"


@pytest.mark.parametrize("raw, start, end, recurrence, kind", [
    ("6 tháng đầu năm 2025", None, "2025-06-30", None, None),
    ("6 tháng cuối năm 2025", "2025-07-01", "2025-12-31", None, None),
    ("Quý I-II/2026", "2026-01-01", "2026-06-30", None, None),
    ("Trước 30/6/2026", None, "2026-06-30", None, None),
    ("Trước ngày 20 hằng tháng", None, None, "monthly", None),
    ("Thường xuyên", None, None, None, "ongoing"),
    ("Khi có phát sinh", None, None, None, "on_demand"),
    ("Năm 2025 - 2026", "2025-01-01", "2026-12-31", None, None),
    ("Trong năm 2026", None, "2026-12-31", None, None),
    ("Giai đoạn 2026-2030", "2026-01-01", "2030-12-31", None, None),
    ("Xong trong Quý II/2026", None, "2026-06-30", None, None),
    # real cells of 2025-2026 plans whose dates belong to another text, or are relative
    ("Theo các mốc thời gian tại Quyết định số 1441/QĐ-UBND ngày 25/9/2025 của Chủ tịch UBND tỉnh", None, None, None, None),
    ("Theo Kế hoạch rà soát, đánh giá thủ tục hành chính hằng năm của tỉnh", None, None, None, None),
    ("Trước ngày 31/01 năm liền kề", None, None, None, None),
    ("Bắt đầu triển khai từ năm 2026", "2026-01-01", None, None, None),
    ("Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 23 tháng 1", None, "2026-01-23", None, None),
])
def test_parse_forms_of_2025_2026_plans(raw, start, end, recurrence, kind):
    d = parse(raw, 2026)
    assert (d.start, d.end, d.recurrence, d.kind) == (start, end, recurrence, kind)


def test_period_of_a_heading_is_not_a_cited_date_or_act():
    from vnplans.extractors.deadlines import period_of

    assert period_of("PHỤ LỤC I DANH MỤC NHIỆM VỤ NĂM 2026").end == "2026-12-31"
    assert period_of("Chỉ tiêu đến năm 2030").end == "2030-12-31"
    assert period_of("(Kèm theo Kế hoạch số 980/KH-UBND ngày 18 tháng 11 năm 2025 của UBND tỉnh Nghệ An)") is None
    assert period_of("Thực hiện Nghị quyết 57 năm 2024") is None
