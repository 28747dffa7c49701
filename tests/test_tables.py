"""Table reconstruction on real snippets of the awkward layouts."""
from extractors.readers import read_bytes
from extractors.rows import rows_of_table

PIPE_MERGED = """PHỤ LỤC 1
STT
|
Nhiệm vụ, dự án
|
Cơ quan chủ trì
|
Cơ quan phối hợp
|
Thời gian hoàn thành
|
Ghi chú
|
A
|
Nhóm
nhiệm vụ chuyển đổi số năm 2022 trên địa bàn tỉnh
|
|
|
|
|
1
|
Các sở, ban, ngành, địa
phương, cơ quan, đơn vị liên quan tập trung, quyết liệt triển khai thực hiện
hoàn thành các nhiệm vụ cụ thể về chuyển đổi số năm 2022 trên địa bàn tỉnh
Ninh Thuận được Ban Điều hành Chuyển đổi số giao tại Kế hoạch số
3609/KH-BĐHCĐS ngày 18/8/2022
|
Theo Phụ lục của Kế hoạch số 3609/KH-BĐHCĐS ngày 18/8/2022
|
|
B
|
Nhóm
nhiệm vụ trọng tâm nâng cao Chỉ số DTI
|
|
|
|
|
1
|
Thành lập Ban chỉ đạo Chuyển đổi
số của cơ quan, đơn vị, địa phương.
|
Các sở, ban, ngành cấp tỉnh; UBND cấp huyện
|
Sở TT&TT
|
Tháng 10/2022
|
|
"""

TSV_PAGE_BREAK = (
    "STT\tNhiệm vụ triển khai\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện\tGhi chú\n"
    "4\tĐảm bảo chất lượng dịch vụ Mạng truyền số liệu chuyên dùng.\tSở TT&TT\tCác sở, ngành, UBND cấp\tQuý IV/2020\t\n"
    "\n"
    "STT\tNhiệm vụ triển khai\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện\tGhi chú\n"
    "\t\t\thuyện, VNPT\t\t\n"
    "5\tThuê dịch vụ đường dây nóng 1022\tSở TT&TT\tCác sở, ngành, UBND cấp huyện\tTừ năm 2019 đến năm 2021\t\n"
)


def _rows(text):
    doc = read_bytes("t.txt", text.encode("utf-8"))
    [block] = doc.tables()
    return rows_of_table(block, "Phụ lục 1", 2022)


def test_pipe_scrape_merged_cell_becomes_note_and_groups_apply():
    rows = _rows(PIPE_MERGED)
    assert [r.stt for r in rows] == ["1", "1"]
    first, second = rows
    assert first.note == "Theo Phụ lục của Kế hoạch số 3609/KH-BĐHCĐS ngày 18/8/2022"
    assert first.lead == [] and first.deadline_raw is None
    assert first.group == "Nhóm nhiệm vụ chuyển đổi số năm 2022 trên địa bàn tỉnh"
    assert first.text.endswith("Kế hoạch số 3609/KH-BĐHCĐS ngày 18/8/2022")  # hard wraps joined
    assert second.lead == ["Các sở, ban, ngành cấp tỉnh", "Ủy ban nhân dân cấp huyện"]
    assert second.coordinate == ["Sở Thông tin và Truyền thông"]
    assert second.deadline.end == "2022-10-31"


def test_tsv_header_repeated_after_page_break_and_cell_continued():
    rows = _rows(TSV_PAGE_BREAK)
    assert [r.stt for r in rows] == ["4", "5"]
    assert rows[0].coordinate == ["Các sở, ngành", "Ủy ban nhân dân cấp huyện", "VNPT"]
    assert rows[1].deadline.as_dict() == {"start": "2019-01-01", "end": "2021-12-31", "recurrence": None}
