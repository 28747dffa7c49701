"""Table reconstruction on real snippets of the awkward layouts."""
from vnplans.extractors.readers import read_bytes
from vnplans.extractors.rows import rows_of_table

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
    assert rows[1].deadline.model_dump(exclude={"kind"}) == {"start": "2019-01-01", "end": "2021-12-31", "recurrence": None}


# 000: one cell per line, blank lines between cells, empty cells are a lone non-breaking space.
CELL_PER_LINE = (
    "PHỤ LỤC\n\nSTT (theo bộ chỉ số DTI)\n\nChỉ số chính/Chỉ số thành phần\n\nĐiểm tối đa\n\nĐiểm năm 2022\n\n"
    "Gợi ý hướng xử lý\n\nCơ quan chủ trì\n\nThời gian hoàn thành\n\n2\n\nThể chế số\n\n100\n\n80\n\n\xa0\n\n\xa0\n\n\xa0\n\n"
    "2.7\n\nTổ chức hội nghị, bồi dưỡng, tập huấn định kỳ hàng năm phổ biến, quán triệt công tác chi cho chuyển đổi số"
    "\n\n10\n\n10\n\n\xa0\n\nSở Tài chính; Sở Kế hoạch và Đầu tư\n\nHàng năm\n\n2.8\n\nBan hành chính sách tỷ lệ chi "
    "Ngân sách nhà nước tối thiểu hằng năm cho chuyển đổi số\n\n10\n\n10\n\n\xa0\n\nSở Tài chính\n\n11/2023\n"
)

# 001: the scoring-method column carries its own "- ..." bullets, hard-wrapped.
PIPE_BULLETED_CELL = """PHỤ LỤC 2
STT
|
Chỉ số chính/Chỉ số thành phần
|
Điểm tối đa
|
Cách xác định và tính điểm
|
Cơ quan phụ trách
|
Cơ quan phối hợp
|
I
|
NHẬN THỨC SỐ
|
100
|
|
|
|
1.1
|
Người đứng đầu Tỉnh, thành phố
(Bí thư hoặc Chủ tịch Tỉnh, thành phố) là Trưởng ban Ban chỉ đạo chuyển đổi số
của Tỉnh
|
10
|
- Trưởng ban là Bí thư/Chủ tịch
tỉnh: Điểm tối đa
- Trưởng ban là Phó Bí thư/Phó
Chủ tịch tỉnh: 1/2*Điểm tối đa;
- Chưa có Ban chỉ đạo hoặc có
nhưng Trưởng ban không phải Lãnh đạo tỉnh: 0 điểm
|
Sở TTTT
|
VP Tỉnh ủy, VP UBND tỉnh
|
1.2
|
Người đứng đầu Tỉnh, thành phố
(Bí thư hoặc Chủ tịch Tỉnh, thành phố) chủ trì, chỉ đạo chuyển đổi số
|
10
|
- Bí thư/Chủ tịch tham gia đầy
đủ các phiên họp của UBQG về Chuyển đổi số: 1/2 * Điểm tối đa
- Bí thư/Chủ tịch không chủ
trì các cuộc họp về CĐS của tỉnh: 0 điểm
|
Sở TTTT
|
VP Tỉnh ủy, VP UBND tỉnh
|
"""


def test_cell_per_line_with_nbsp_empty_cells_and_scored_pillar_row():
    rows = _rows(CELL_PER_LINE)
    assert [r.stt for r in rows] == ["2", "2.7", "2.8"]
    pillar, r27, r28 = rows
    assert (pillar.max_score, pillar.score, pillar.lead) == (100, 80, [])
    assert r27.group == "Thể chế số" and r27.kind == "indicator"
    assert (r27.max_score, r27.score) == (10, 10)
    assert r27.lead == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]
    assert r27.deadline.recurrence == "yearly"
    assert r28.deadline.end == "2023-11-30" and r28.hint is None


def test_bulleted_scoring_method_cell_does_not_leak_into_neighbours():
    pillar, *rows = _rows(PIPE_BULLETED_CELL)
    assert (pillar.stt, pillar.text, pillar.max_score) == ("I", "NHẬN THỨC SỐ", 100)  # a pillar with a score is a row
    assert [r.stt for r in rows] == ["1.1", "1.2"]
    for r in rows:
        assert r.max_score == 10 and r.group == "NHẬN THỨC SỐ"
        assert r.lead == ["Sở Thông tin và Truyền thông"]
        assert r.coordinate == ["Văn phòng Tỉnh ủy", "Văn phòng Ủy ban nhân dân tỉnh"]
    assert rows[0].text.endswith("Ban chỉ đạo chuyển đổi số của Tỉnh")
    assert "0 điểm" not in rows[0].text and "Trưởng ban là Bí thư" not in rows[0].text


HTML_SPANS = """<html><body><h3>PHỤ LỤC</h3><table>
<tr><th>STT</th><th>Nhiệm vụ</th><th>Cơ quan chủ trì</th><th>Cơ quan phối hợp</th><th>Thời gian hoàn thành</th></tr>
<tr><td colspan="5">I. Nhóm Hạ tầng số</td></tr>
<tr><td>1</td><td>Phổ cập điện thoại thông minh</td><td rowspan="2">Sở TT&amp;TT</td><td>Các doanh nghiệp viễn thông</td>
<td>Quý IV/2022</td></tr>
<tr><td>2</td><td>Phủ sóng di động tới 100% thôn/bản</td><td>UBND các huyện, thị xã, thành phố</td><td>Hằng năm</td></tr>
</table></body></html>"""


def test_html_rowspan_repeats_the_agency_and_colspan_row_is_a_group():
    doc = read_bytes("t.html", HTML_SPANS.encode("utf-8"))
    [block] = doc.tables()
    rows = rows_of_table(block, "Phụ lục", 2022)
    assert [r.stt for r in rows] == ["1", "2"]
    assert all(r.lead == ["Sở Thông tin và Truyền thông"] for r in rows)
    assert all(r.group == "Nhóm Hạ tầng số" for r in rows)
    assert rows[1].coordinate == ["Ủy ban nhân dân các huyện, thị xã, thành phố"]
    assert rows[0].deadline.end == "2022-12-31" and rows[1].deadline.recurrence == "yearly"


def test_a_cell_text_fits_each_column_type_whatever_the_order_of_the_columns():
    from vnplans.extractors.readers.tables import cell_fits

    kinds = ["stt", "number", "deadline", "agency", "text", "free"]
    assert cell_fits("1", kinds) == (0.0, 0.0, 3.0, 6.0, 2.0, 1.5)  # a row number or a figure
    assert cell_fits("Sở Tư pháp", kinds) == (12.0, 9.0, 6.0, 0.0, 0.0, 1.2)
    assert cell_fits("Quý I/2025", kinds) == (12.0, 9.0, 0.0, 2.5, 0.0, 0.2)
    assert cell_fits(" ** ", kinds) == (0.4, 0.3, 0.3, 0.3, 1.2, 0.1)  # emphasis around nothing is empty
    for text in ("1", "Sở Tư pháp", "Quý I/2025", "Rà soát, đơn giản hóa thủ tục hành chính"):
        assert cell_fits(text, kinds[::-1]) == cell_fits(text, kinds)[::-1]
