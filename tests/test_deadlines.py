"""Deadline normalisation: every form named in the answer-key format and the issue."""
import pytest

from extractors.deadlines import deadline_of, find_deadlines, parse


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
    assert parse(raw, 2022).as_dict() == {"start": start, "end": end, "recurrence": recurrence}


def test_deadlines_in_task_sentences_skip_named_periods_and_document_years():
    text = ("Triển khai thực hiện các chương trình thương mại điện tử năm 2022 theo Kế hoạch phát triển thương mại "
            "điện tử giai đoạn 2021-2025 của tỉnh")
    assert find_deadlines(text) == []
    raw, d = deadline_of("Trình Chủ tịch UBND tỉnh ban hành: Quy chế A trong tháng 7/2022; Quyết định B trong tháng "
                         "9/2022; Kế hoạch C năm 2023 trong tháng 9/2022; Quy chế D trong tháng 11/2022", 2022)
    assert raw == "tháng 7/2022; tháng 9/2022; tháng 11/2022" and d.end == "2022-11-30"
    raw, d = deadline_of("cơ bản hoàn thành các gói thầu xây dựng CSDL đất đai trong năm 2022 và đưa vào vận hành", 2022)
    assert raw == "năm 2022" and d.end == "2022-12-31"
