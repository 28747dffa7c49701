"""Table layouts from real plans: the legal-site scrape whose rows end with an empty cell,
headers that name no description column, two-level headers and column-number rows."""
from vnplans.extractors.readers import read_bytes
from vnplans.extractors.readers.builder import DocBuilder
from vnplans.extractors.rows import rows_of_table
from vnplans.extractors.readers.tables import Token, align_rows, column_fields, find_header, is_column_number_row


def _rows(text: str):
    doc = read_bytes("snippet.md", text.encode("utf-8"))
    tables = doc.tables()
    assert len(tables) == 1
    return tables[0], rows_of_table(tables[0], "Phụ lục")


def _scrape(rows: list[list[str]]) -> str:
    """The thuvienphapluat layout: every cell between `|` lines, a row closed by one more `|`."""
    out = ["**PHỤ LỤC**", "DANH MỤC NHIỆM VỤ", "|"]
    for row in rows:
        for cell in row:
            out += [cell, "|"]
        out.append("|")
    return "\n".join(out) + "\nNơi nhận:\n"


# From Kế hoạch 980/KH-UBND (Nghệ An, 2025), its appendix as the legal site prints it.
HEADER_980 = ["**TT**", "**Nội dung thực\nhiện**", "**Cơ quan chủ trì**", "**Cơ quan phối hợp**",
              "**Thời gian hoàn\nthành**", "**Sản phẩm dự kiến**"]


def test_scrape_rows_end_with_an_empty_cell_and_keep_their_columns():
    text = _scrape([
        HEADER_980,
        ["**I**", "**KIỆN TOÀN VÀ HOÀN THIỆN\nCƠ CHẾ CHỈ ĐẠO, ĐIỀU HÀNH PHÒNG THỦ DÂN SỰ**"],
        ["1", "Tổ chức lại Ban Chỉ huy Phòng thủ dân sự cấp tỉnh,\ncấp xã", "Bộ CHQS tỉnh; UBND\ncấp xã",
         "Văn phòng Ban Chỉ\nhuy; các sở, ban, ngành", "Trước ngày\n30/11/2025", "Quyết định của Chủ\ntịch UBND cấp tỉnh"],
        ["2", "Triển khai thực hiện một số nội dung chi, mức chi", "Sở Tài chính", "Cơ quan, địa\nphương liên quan",
         "Thường xuyên", ""],
        ["3", "Hướng dẫn thanh toán chi phí khám bệnh, chữa bệnh", "Sở Y tế", "Sở Tài chính và cơ\nquan, địa phương liên quan",
         "2025", ""],
    ])
    block, rows = _rows(text)
    assert block.table.layout == "pipe"
    assert [r.stt for r in rows] == ["1", "2", "3"]
    assert all(r.group == "KIỆN TOÀN VÀ HOÀN THIỆN CƠ CHẾ CHỈ ĐẠO, ĐIỀU HÀNH PHÒNG THỦ DÂN SỰ" for r in rows)
    assert rows[0].lead == ["Bộ Chỉ huy Quân sự tỉnh", "Ủy ban nhân dân cấp xã"]
    assert rows[0].deadline.end == "2025-11-30"
    assert rows[1].coordinate == ["Cơ quan, địa phương liên quan"] and rows[1].deadline_raw == "Thường xuyên"
    # the empty last cell of row 2 is a cell, not the end of the row: row 3 starts at its STT
    assert rows[2].lead == ["Sở Y tế"]
    assert rows[2].coordinate == ["Sở Tài chính", "cơ quan, địa phương liên quan"]
    assert rows[2].deadline.end == "2025-12-31"


def test_scrape_row_that_prints_fewer_cells_takes_the_merged_cell_from_above():
    # A lead cell merged down over two rows is printed once; the second row has five cells.
    text = _scrape([
        HEADER_980,
        ["1", "Rà soát danh mục công trình phòng thủ dân sự", "Ban Chỉ huy Phòng thủ dân sự tỉnh",
         "Cơ quan có liên quan", "Tháng 12 hằng năm", "Báo cáo"],
        ["2", "Xây dựng công trình phòng thủ dân sự", "Cơ quan có liên quan", "Thường xuyên", "Đề án"],
    ])
    _, rows = _rows(text)
    assert [r.stt for r in rows] == ["1", "2"]
    assert rows[1].lead == ["Ban Chỉ huy Phòng thủ dân sự tỉnh"]
    assert rows[1].coordinate == ["Cơ quan có liên quan"]
    assert rows[1].deadline_raw == "Thường xuyên"


def test_scrape_two_level_header_and_column_numbers():
    # Quyết định 212/2025/QĐ-UBND (Hải Phòng), Mẫu 01: "Kết quả đánh giá" over three columns, then (1)..(6).
    text = _scrape([
        ["**TT**", "**Tiêu chí chấm điểm**", "**Điểm tối đa**", "**Kết quả đánh giá**"],
        ["**Điểm do cá nhân tự chấm**", "**Người quản lý trực tiếp đánh giá, xếp loại**", "**Cấp có thẩm quyền đánh giá, xếp loại**"],
        ["*(1)*", "*(2)*", "*(3)*", "*(4)*", "*(5)*", "*(6)*"],
        ["**I**", "**KẾT QUẢ ĐÁNH GIÁ CHẤM\nĐIỂM THEO TIÊU CHÍ CHUNG**", "**20**", "** **", "** **", "** **"],
        ["**1**", "**Chính trị tư tưởng**", "**5**", "** **", "** **", "** **"],
        ["a)", "Chấp hành chủ trương, đường lối, quy định của Đảng", "1,25", "", "", ""],
    ])
    block, rows = _rows(text)
    assert len(block.table.header) == 6
    assert [(r.stt, r.max_score) for r in rows] == [("I", 20.0), ("1", 5.0), ("a)", 1.25)]


def test_align_rows_reads_each_empty_token_as_a_cell_or_a_row_end():
    types = ["stt", "text", "agency", "deadline"]
    toks = [Token(t) for t in ["1", "Việc một", "Sở Y tế", "", "", "2", "Việc hai", "Sở Tài chính", "2026", ""]]
    rows, used = align_rows(toks, types)
    assert used == len(toks)
    assert [[c.text for c in r] for r in rows] == [["1", "Việc một", "Sở Y tế", ""], ["2", "Việc hai", "Sở Tài chính", "2026"]]


def test_description_column_is_inferred_when_no_label_names_it():
    # Kế hoạch kiểm tra CCHC 2026 (Lâm Đồng) and a ranking table of its Quyết định công bố Chỉ số CCHC.
    assert column_fields(["STT", "Đơn vị được kiểm tra", "Thời gian kiểm tra"]) == ["stt", "text", "deadline"]
    assert column_fields(["Thứ hạng", "Đơn vị", "Điểm chuẩn tối đa", "Điểm đạt được", "Chỉ số chung", "Xếp loại"]) == [
        "stt", "text", "max_score", "score", "extra", "extra"]
    assert column_fields(["TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"]) == [
        "stt", "text", "unit", "hint", "monitor"]


def test_docx_two_level_header_maps_roles_under_their_parent():
    grid = [
        [("STT", 1), ("Nội dung nhiệm vụ", 1), ("Cơ quan thực hiện", 2), ("Thời gian thực hiện", 1)],
        [("STT", 1), ("Nội dung nhiệm vụ", 1), ("Chủ trì", 1), ("Phối hợp", 1), ("Thời gian thực hiện", 1)],
        [("(1)", 1), ("(2)", 1), ("(3)", 1), ("(4)", 1), ("(5)", 1)],
        [("1", 1), ("Số hóa hồ sơ", 1), ("Sở Nội vụ", 1), ("Sở Tài chính, UBND các xã", 1), ("Quý II/2026", 1)],
    ]
    labels, first = find_header(grid)
    assert first == 3 and column_fields(labels) == ["stt", "text", "lead", "coordinate", "deadline"]
    out = DocBuilder()
    out.grid(grid, layout="docx")
    doc = out.document("x.docx", "0" * 64, "docx")
    (row,) = rows_of_table(doc.tables()[0], "Phụ lục")
    assert row.lead == ["Sở Nội vụ"] and row.coordinate == ["Sở Tài chính", "Ủy ban nhân dân các xã"]
    assert row.deadline.end == "2026-06-30"


def test_column_number_rows():
    assert is_column_number_row(["(1)", "(2)", "(3)", "(4)"])
    assert is_column_number_row(["1", "2", "3"])
    assert not is_column_number_row(["1", "Sở Y tế", "2025"])


def test_roles_inside_one_cell_are_told_apart():
    from vnplans.extractors.rows import roles_of_cells
    from vnplans.extractors.agencies import split

    def roles(cell):
        return {k: split(v) for k, v in roles_of_cells({"lead": cell}).items() if v}

    assert roles("Chủ trì: Sở Nội vụ; Phối hợp: Sở Tài chính, UBND các xã") == {
        "lead": ["Sở Nội vụ"], "coordinate": ["Sở Tài chính", "Ủy ban nhân dân các xã"]}
    assert roles("- Chủ trì: Sở Y tế\n- Phối hợp: Bảo hiểm xã hội tỉnh") == {
        "lead": ["Sở Y tế"], "coordinate": ["Bảo hiểm xã hội tỉnh"]}
    assert roles("Sở KH&CN chủ trì hướng dẫn, theo dõi") == {"lead": ["Sở Khoa học và Công nghệ"]}
    assert roles("Sở Nội vụ chủ trì, phối hợp với Sở Tài chính") == {"lead": ["Sở Nội vụ"], "coordinate": ["Sở Tài chính"]}
    assert roles("Lãnh đạo\nSở Giáo dục và Đào tạo") == {"lead": ["Sở Giáo dục và Đào tạo"]}


def test_a_year_in_the_deadline_label_dates_day_month_cells():
    # Lâm Đồng's 2026 schedule of live Q&A sessions: "Thời gian (Năm 2026)" over "... ngày 23 tháng 1".
    grid = [[("TT", 1), ("Nội dung", 1), ("Trách nhiệm thực hiện", 1), ("Thời gian (Năm 2026)", 1)],
            [("1", 1), ("Giải đáp vướng mắc về công thương", 1), ("Lãnh đạo Sở Công Thương", 1),
             ("Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 23 tháng 1", 1)]]
    out = DocBuilder()
    out.grid(grid, layout="docx")
    (row,) = rows_of_table(out.document("x.docx", "0" * 64, "docx").tables()[0], "Phụ lục", plan_year=2025)
    assert row.lead == ["Sở Công Thương"] and row.deadline.end == "2026-01-23"


def test_markdown_pipe_table():
    text = "\n".join([
        "**PHỤ LỤC I**", "",
        "| STT | Nội dung nhiệm vụ | Sản phẩm đầu ra | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện | Kinh phí |",
        "|---|---|---|---|---|---|---|",
        "| (1) | (2) | (3) | (4) | (5) | (6) | (7) |",
        "| **I** | **Hoàn thiện thể chế** | | | | | |",
        "| 1 | Ban hành quy chế | Quyết định | Sở Nội vụ | Sở Tài chính<br>UBND các xã | Quý II/2026 | 100 |",
        "| 2 | Số hóa hồ sơ | Dữ liệu | Sở KH&CN | | 6 tháng đầu năm 2026 | |", "", "Nơi nhận:"])
    block, rows = _rows(text)
    assert block.table.layout == "markdown"
    assert [(r.stt, r.group) for r in rows] == [("1", "Hoàn thiện thể chế"), ("2", "Hoàn thiện thể chế")]
    assert rows[0].coordinate == ["Sở Tài chính", "Ủy ban nhân dân các xã"] and rows[0].deadline.end == "2026-06-30"
    assert rows[1].lead == ["Sở Khoa học và Công nghệ"] and rows[1].deadline.end == "2026-06-30"


def test_rows_without_a_deadline_inherit_their_sections_period():
    from vnplans.extractors.rows import extract_rows
    from vnplans.extractors.structure import segment

    text = "\n".join([
        "PHỤ LỤC", "DANH MỤC NHIỆM VỤ NĂM 2026", "",
        "| STT | Nội dung | Cơ quan chủ trì | Thời gian |", "|---|---|---|---|",
        "| 1 | Số hóa hồ sơ | Sở Nội vụ | |", "| 2 | Cập nhật dữ liệu | Sở Tài chính | Quý I/2026 |"])
    doc = read_bytes("p.md", text.encode("utf-8"))
    rows = extract_rows(doc, segment(doc))
    assert rows[0].deadline.empty and rows[0].deadline_inherited.end == "2026-12-31"
    assert "2026" in rows[0].deadline_inherited_from
    assert rows[1].deadline_inherited is None and rows[1].deadline.end == "2026-03-31"


def test_a_table_laid_out_with_spaces_is_read():
    # a column layout (pdftotext -layout): columns are read from where the text stands
    block, rows = _rows("\n".join([
        "KẾ HOẠCH", "Chuyển đổi số năm 2026", "", "PHỤ LỤC", "",
        "STT    Nội dung nhiệm vụ          Cơ quan chủ trì      Thời gian",
        "1      Số hóa hồ sơ               Sở Nội vụ            Quý I/2026",
        "2      Cập nhật dữ liệu dân cư    Sở Tài chính,        2026",
        "       trên địa bàn tỉnh          Công an tỉnh", ""]))
    assert block.table.layout == "columns"
    assert [(r.stt, r.text, r.lead, r.deadline_raw) for r in rows] == [
        ("1", "Số hóa hồ sơ", ["Sở Nội vụ"], "Quý I/2026"),
        ("2", "Cập nhật dữ liệu dân cư trên địa bàn tỉnh", ["Sở Tài chính", "Công an tỉnh"], "2026")]


def test_a_table_seen_but_not_read_is_reported():
    # a header with no rows under it (they went to a separate paper): the plan must not lose it in silence
    from vnplans.pipeline.stages import process_document

    text = "\n".join([
        "KẾ HOẠCH", "Chuyển đổi số năm 2026", "", "PHỤ LỤC", "",
        "STT    Nội dung nhiệm vụ          Cơ quan chủ trì      Thời gian", "",
        "Các nhiệm vụ được giao tại văn bản riêng của Ủy ban nhân dân tỉnh, kèm theo danh sách đơn vị thực hiện và "
        "tiến độ cụ thể.", "Số hóa hồ sơ do Sở Nội vụ chủ trì.", ""])
    p = process_document(read_bytes("layout.txt", text.encode("utf-8")))
    assert not [r for r in p.rows if r.origin == "table"]
    assert any("a table of about" in w and "no rows were read" in w for w in p.warnings), p.warnings


def test_numbered_group_title_merged_across_the_row_is_a_group():
    text = _scrape([
        HEADER_980,
        ["1", "Hoàn thiện thể chế, chính sách"],
        ["1.1", "Rà soát quy chế phối hợp", "Sở Tư pháp", "Các sở, ban, ngành", "2026", "Quy chế"],
    ])
    _, rows = _rows(text)
    assert [(r.stt, r.group) for r in rows] == [("1.1", "Hoàn thiện thể chế, chính sách")]


def test_a_total_row_is_not_a_row():
    text = _scrape([
        ["**TT**", "**Tiêu chí chấm điểm**", "**Điểm tối đa**", "**Điểm tự chấm**"],
        ["1", "Số lượng công việc được giao", "10", ""],
        ["2", "Chất lượng công việc được giao", "10", ""],
        ["", "**Tổng cộng**", "**20**", ""],
    ])
    _, rows = _rows(text)
    assert [r.stt for r in rows] == ["1", "2"]


def test_roman_coded_sub_groups_are_groups_within_their_group():
    # Quyết định 2629/QĐ-TTg (2025), Phụ lục II as thuvienphapluat prints it: "III", "III.1", "III.1.1" group rows
    text = _scrape([
        ["**TT**", "**Nhiệm vụ, giải pháp**", "**Cơ quan chủ trì**", "**Cơ quan phối hợp**", "**Kết quả**",
         "**Thời gian thực hiện**"],
        ["**III**", "**Phát triển các ứng dụng,\nnền tảng số cho Chính phủ số**"],
        ["**III.1**", "**Nhóm ứng dụng, nền tảng số quy mô quốc gia**"],
        ["*III.1.1*", "*Nhóm các nền tảng số giải quyết thủ tục\nhành chính và tương tác với người dân, doanh nghiệp*"],
        ["1", "Triển khai Cổng Dịch vụ công quốc gia tại Trung\ntâm Dữ liệu quốc gia.", "Bộ Công an",
         "Các bộ, ngành, địa\nphương", "Hoàn thành, khai\nthác sử dụng", "Tháng 02/2026"],
        ["2", "Xây dựng, hoàn thiện Cổng thông tin một cửa quốc\ngia.", "Bộ Tài chính", "Các bộ, ngành, địa\nphương",
         "Hoàn thành, khai\nthác sử dụng", "Năm 2025-2026"],
    ])
    _, rows = _rows(text)
    assert [r.stt for r in rows] == ["1", "2"]
    assert {r.group for r in rows} == {"Nhóm các nền tảng số giải quyết thủ tục hành chính và tương tác với người dân, "
                                       "doanh nghiệp"}
    assert [r.lead for r in rows] == [["Bộ Công an"], ["Bộ Tài chính"]]


def test_a_provinces_sub_columns_hold_values_not_descriptions():
    # r19 (Báo cáo 184/BC-SNV, Lâm Đồng 2025): Lâm Đồng / Đắk Nông / Bình Thuận, each "Điểm số | Chỉ số | Thứ hạng"
    from vnplans.extractors.readers.tables import column_fields

    assert column_fields(["STT", "Nội dung", "Điểm số", "Chỉ số", "Thứ hạng", "Điểm số", "Chỉ số", "Thứ hạng"]) == [
        "stt", "text", "score", None, None, "score", None, None]


def test_a_score_printed_over_its_maximum():
    # r19: "9,49/ 9,5" in the score column is 9.49 points of 9.5
    from vnplans.extractors.rows import _score_of

    assert _score_of("9,49/ 9,5") == (9.49, 9.5)
    assert _score_of("10,75/\n16,5") == (10.75, 16.5)
    assert _score_of("82,3") == (82.3, None)


def test_a_caption_glued_to_a_repeated_header_is_a_group_of_the_rows_after_it():
    # Thông báo 624/TB-VPCP (2025, realdocs r10): the second list's caption sits in the cell after the last
    # row of the first, then the header is printed again
    header = ["**STT**", "**Nhiệm vụ**", "**Văn bản giao\nnhiệm vụ**", "**Cơ quan chủ trì\nthực hiện**",
              "**Thời hạn hoàn\nthành**"]
    out = ["**PHỤ LỤC I**", "|"]
    for cell in header:
        out += [cell, "|"]
    out.append("|")
    for cell in ["1.", "Khẩn trương xây dựng kế hoạch chuyển đổi số", "Thông báo số 44-TB/TGV ngày 12/9/2025",
                 "Các bộ, ngành, địa phương", "30/09/2025", "**2. Các nhiệm vụ về chuyển đổi\nsố quá hạn chưa hoàn thành**",
                 *header]:
        out += [cell, "|"]
    out.append("|")
    for cell in ["1.", "Ban hành Chiến lược dữ liệu của bộ, ngành, địa phương", "Thông báo số 44-TB/TGV ngày 12/9/2025",
                 "Các bộ, ngành, địa phương", "30/09/2025"]:
        out += [cell, "|"]
    out.append("|")
    _, rows = _rows("\n".join(out) + "\nNơi nhận:\n")
    assert [(r.stt, r.lead) for r in rows] == [("1.", ["Các bộ, ngành, địa phương"]),
                                               ("1.", ["Các bộ, ngành, địa phương"])]
    assert rows[1].group.startswith("2. Các nhiệm vụ về chuyển đổi số quá hạn") and rows[0].group != rows[1].group


def test_a_line_naming_a_column_reads_on_only_as_far_as_its_header_run():
    """A paragraph that names a column ("Đơn vị chủ trì") opens a one-cell-per-paragraph table only when two more
    labels follow it; otherwise the paragraphs after it are not read at all (a long plan has hundreds of them)."""
    from vnplans.extractors.readers.text import split_lines
    from vnplans.extractors.readers.text_tables import TextTables

    text = "Đơn vị chủ trì\n\nSở Tài chính tổng hợp báo cáo.\n\n" + "Đoạn văn thường.\n\n" * 500
    lines = split_lines(text)
    tables = TextTables(lines, len(lines), blank_separated=True)
    read: list[int] = []
    paragraphs = tables._paragraphs

    def counted(i):
        for item in paragraphs(i):
            read.append(item[1])
            yield item

    tables._paragraphs = counted
    assert tables.at(0) is None
    assert read == [0, 2]  # the label, then the paragraph that ends the header run

    table_text = "STT\n\nNhiệm vụ\n\nĐơn vị chủ trì\n\nThời gian\n\n1\n\nRà soát thủ tục\n\nSở Tư pháp\n\nQuý I/2025\n"
    lines = split_lines(table_text)
    block, end = TextTables(lines, len(lines), blank_separated=True).at(0)
    assert block.table.header == ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"]
    assert [c.text for c in block.table.rows[0]] == ["1", "Rà soát thủ tục", "Sở Tư pháp", "Quý I/2025"]


# From Quyết định 2954/QĐ-UBND (Sơn La, 2025), Phụ lục 01 and 02 as the legal site prints them: a period split
# into years, plan years split into quantity and value, products numbered with "-" rows under them.
def test_a_period_split_into_years_gives_a_column_a_year_and_dash_rows_keep_their_cells():
    text = _scrape([
        ["**TT**", "**Chỉ tiêu**", "**ĐVT**", "**ƯTH Năm 2025**", "**GIAI ĐOẠN 2026 - 2030**"],
        ["**Năm 2026**", "**Năm 2027**", "**Năm 2028**", "**Năm 2029**", "**Năm 2030**"],
        ["**I**", "**CÂY CÔNG NGHIỆP**", "", "", "", "", "", "", ""],
        ["**1**", "**Cà Phê**", "", "", "", "", "", "", ""],
        ["-", "Diện tích", "Ha", "26.120", "27.000", "27.500", "28.000", "29.000", "30.000"],
        ["-", "Sản lượng cà phê nhân", "Tấn", "37.724", "39.800", "40.602", "45.225", "50.500", "54.468"],
        ["**2**", "**Chè**", "", "", "", "", "", "", ""],
        ["-", "Diện tích", "Ha", "6.132", "6.500", "6.700", "7.100", "7.500", "8.000"],
    ])
    block, rows = _rows(text)
    assert block.table.header[3:5] == ["ƯTH Năm 2025", "GIAI ĐOẠN 2026 - 2030 Năm 2026"]
    assert len(block.table.header) == 9
    assert [c.text for c in block.table.rows[2]][1:4] == ["Diện tích", "Ha", "26.120"]
    # "1 | Cà Phê" with no figures is what the "-" rows under it measure
    assert [(r.stt, r.group, r.text) for r in rows] == [
        ("-", "Cà Phê", "Diện tích"), ("-", "Cà Phê", "Sản lượng cà phê nhân"), ("-", "Chè", "Diện tích")]


def test_plan_years_each_split_in_two_and_an_unnumbered_stt_column():
    text = _scrape([
        ["**TT**", "**Sản phẩm**", "**Kế hoạch 2026**", "**Kế hoạch 2027**", "**Kế hoạch 2028**"],
        ["**Lượng** **(Tấn)**", "**Giá trị tham gia xuất khẩu (Nghìn USD)**"] * 3,
        ["", "*1*", "*2*", "*3*", "*4*", "*5*", "*6*", "*7*"],
        ["**I**", "**Mặt hàng nông sản**", "", "**235.000**", "", "**265.000**", "", "**300.000**"],
        ["1", "Xoài", "13.500", "7.000", "14.800", "7.800", "16.000", "8.600"],
        ["2", "Nhãn", "6.400", "24.700", "7.100", "26.100", "7.500", "27.300"],
    ])
    block, rows = _rows(text)
    assert block.table.header == ["TT", "Sản phẩm"] + [f"Kế hoạch {y} {m}" for y in (2026, 2027, 2028) for m in (
        "Lượng (Tấn)", "Giá trị tham gia xuất khẩu (Nghìn USD)")]
    assert [c.text for c in block.table.rows[1]] == ["1", "Xoài", "13.500", "7.000", "14.800", "7.800", "16.000", "8.600"]
    assert [(r.stt, r.text) for r in rows if r.stt != "I"] == [("1", "Xoài"), ("2", "Nhãn")]  # the product names each row


def test_a_row_lists_a_target_in_each_year_and_measure_column():
    """'Kế hoạch 2026 | Lượng (Tấn)': a target for 2026, in tonnes, of the row's quantity; a "-" row under a
    numbered one measures something of it ('Diện tích' of 'Cà Phê')."""
    from vnplans.extractors.targets import targets_of_row

    text = _scrape([
        ["**TT**", "**Sản phẩm**", "**Kế hoạch 2026**", "**Kế hoạch 2027**"],
        ["**Lượng** **(Tấn)**", "**Giá trị tham gia xuất khẩu (Nghìn USD)**"] * 2,
        ["1", "Xoài", "13.500", "7.000", "14.800", "7.800"],
        ["9", "Sữa và sản phẩm từ sữa", "", "14.000", "", "19.000"],
    ])
    _, rows = _rows(text)
    found = [(t.metric, t.value, t.unit, t.year) for r in rows for t in targets_of_row(r, 2025)]
    assert found == [("Xoài (Lượng)", 13500, "Tấn", 2026), ("Xoài (Giá trị tham gia xuất khẩu)", 7000, "Nghìn USD", 2026),
                     ("Xoài (Lượng)", 14800, "Tấn", 2027), ("Xoài (Giá trị tham gia xuất khẩu)", 7800, "Nghìn USD", 2027),
                     ("Sữa và sản phẩm từ sữa (Giá trị tham gia xuất khẩu)", 14000, "Nghìn USD", 2026),
                     ("Sữa và sản phẩm từ sữa (Giá trị tham gia xuất khẩu)", 19000, "Nghìn USD", 2027)]
    years = _scrape([
        ["**TT**", "**Chỉ tiêu**", "**ĐVT**", "**ƯTH Năm 2025**", "**GIAI ĐOẠN 2026 - 2030**"],
        ["**Năm 2026**", "**Năm 2027**"],
        ["**1**", "**Cà Phê**", "", "", "", ""],
        ["-", "Diện tích", "Ha", "26.120", "27.000", "27.500"],
    ])
    _, rows = _rows(years)
    assert [(t.metric, t.value, t.unit, t.year) for r in rows for t in targets_of_row(r, 2025)] == [
        ("Diện tích (Cà Phê)", 27000, "Ha", 2026), ("Diện tích (Cà Phê)", 27500, "Ha", 2027)]  # not the 2025 estimate


def test_prose_of_a_document_of_long_scraped_tables_is_still_read_as_hard_wrapped():
    """Sơn La 2954/QĐ-UBND: two long tables, a cell a line between `|` lines, and prose wrapped at 80
    characters. The cells are not prose: the prose is wrapped, and '08 -' / '09%/năm.' is one sentence."""
    prose = ["+ Tổng sản phẩm Xoài tham gia",
             "xuất khẩu phấn đấu đến năm 2030 đạt 18.000 tấn; tổng giá trị sản phẩm Xoài tham",
             "gia xuất khẩu đến năm 2030 dự kiến đạt 10 triệu USD, tốc độ tăng bình quân 08 -",
             "09%/năm. Thị trường định hướng xuất khẩu: Trung Quốc, Úc, Nhật Bản, Hàn Quốc,",
             "Hoa Kỳ...", ""] * 4
    cells = [["1", f"Sản phẩm {k}", "13.500", "7.000", "14.800", "7.800"] for k in range(40)]
    table = _scrape([["**TT**", "**Sản phẩm**", "**Kế hoạch 2026**", "**Kế hoạch 2027**"],
                     ["**Lượng** **(Tấn)**", "**Giá trị (Nghìn USD)**"] * 2] + cells)
    doc = read_bytes("snippet.md", ("\n".join(prose) + "\n" + table).encode("utf-8"))
    lines = [b.text for b in doc.blocks if b.kind == "line"]
    assert any("tốc độ tăng bình quân 08 - 09%/năm." in t for t in lines)
    assert not any(t.startswith("09%") for t in lines)
