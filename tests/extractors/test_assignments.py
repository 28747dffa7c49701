"""Prose task assignments on real snippets (003 and 004 layouts) and on phrasings of other plans."""
from vnplans.extractors.assignments import extract_prose_tasks, partners, subject_of
from vnplans.extractors.readers import read_bytes
from vnplans.extractors.structure import segment


def _tasks(text):
    doc = read_bytes("t.txt", text.encode("utf-8"))
    return extract_prose_tasks(doc, segment(doc), 2022)


# 004: agency headings (lettered) with "- " task bullets, and lettered items that carry agency and task in one line.
AGENCY_HEADINGS = """II. NHIỆM VỤ TRỌNG TÂM

1. Tiếp tục hoàn thiện môi trường pháp lý

a) Giám đốc Sở Thông tin và Truyền thông

- Trình UBND tỉnh ban hành Quyết định ban hành Quy chế về mở dữ liệu, kết nối, chia sẻ và sử dụng cơ sở dữ liệu giữa các ngành, các cấp trên địa bàn tỉnh trong tháng 10/2022.

- Trình Chủ tịch UBND tỉnh ban hành: Quy chế quản lý Hệ thống thông tin giải quyết TTHC tỉnh Bắc Giang trong tháng 7/2022; Quyết định ban hành Bộ chỉ số đánh giá chuyển đổi số trong tháng 9/2022.

b) Thủ trưởng cơ quan, đơn vị tiếp tục chỉ đạo ban hành quy trình nội bộ, cập nhật quy trình điện tử đối với giải quyết thủ tục hành chính.

3. Phát triển các nền tảng, hệ thống

- a) Giám đốc Sở Thông tin và Truyền thông tiếp tục nâng cấp, phát triển Nền tảng tích hợp, chia sẻ dữ liệu (LGSP) tỉnh Bắc Giang.

b) Giám đốc Sở Lao động – Thương binh và Xã hội

Triển khai ứng dụng Nền tảng hợp đồng lao động điện tử đối với người lao động trên địa bàn tỉnh:

- Tổ chức làm việc với các đơn vị chức năng thuộc Bộ Lao động – Thương binh và Xã hội, Sở Thông tin và Truyền thông, Sở Tài chính đề xuất bổ sung kinh phí, thời gian thực hiện từ tháng 4 đến tháng 7 năm 2022.

- Xây dựng quy chế vận hành, khai thác hệ thống phần mềm đảm bảo rõ trách nhiệm của các cơ quan, tổ chức, cá nhân trong quá trình vận

hành, khai thác ứng dụng nền tảng hợp đồng lao động điện tử.

c) Giám đốc sở, Thủ trưởng cơ quan thuộc UBND tỉnh: Xây dựng và triển khai đồng bộ các hệ thống thông tin chuyên ngành.
"""

# 003: numbered agency headings in TỔ CHỨC THỰC HIỆN; a plain paragraph as the only task; two agencies in one heading.
ORGANISATION = """IV. TỔ CHỨC THỰC HIỆN

1. Sở Thông tin và Truyền thông

a) Là cơ quan đầu mối chủ trì theo dõi, đôn đốc, kiểm tra, giám sát, tổng hợp quá trình triển khai thực hiện Kế hoạch.

2. Sở Nội vụ

Phối hợp Sở Thông tin và Truyền thông đánh giá kết quả thực hiện các chỉ tiêu ứng dụng công nghệ thông tin.

4. Sở Kế hoạch và Đầu tư, Sở Tài chính

Căn cứ vào nhu cầu thực tế và khả năng cân đối ngân sách, tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí thực hiện.

5. Các sở, ban, ngành tỉnh; Ủy ban nhân dân các huyện, thị xã, thành phố

a) Căn cứ Kế hoạch này, chủ động xây dựng kế hoạch, định kỳ tháng 12 hàng năm báo cáo về Sở Thông tin và Truyền thông.

b) Giám đốc các Sở, Thủ trưởng các cơ quan ban, ngành tỉnh, Chủ tịch Ủy ban nhân dân huyện, thị xã, thành phố chịu trách nhiệm về kết quả ứng dụng công nghệ thông tin.

Trên đây là Kế hoạch hành động thực hiện Nghị quyết số 17/NQ-CP của Ủy ban nhân dân tỉnh.
"""


def test_agency_heading_with_bullets_and_inline_agency_items():
    tasks = _tasks(AGENCY_HEADINGS)

    def by_text(prefix):
        [task] = [t for t in tasks if t.text.startswith(prefix)]
        return task

    assert len(tasks) == 7, [t.text[:40] for t in tasks]
    first = by_text("Trình UBND tỉnh ban hành Quyết")
    assert first.lead == ["Giám đốc Sở Thông tin và Truyền thông"] and first.origin == "prose"
    assert first.table == "1. Tiếp tục hoàn thiện môi trường pháp lý"
    assert first.deadline_raw == "tháng 10/2022" and first.deadline.end == "2022-10-31"
    assert by_text("Trình Chủ tịch UBND tỉnh ban hà").deadline_raw == "tháng 7/2022; tháng 9/2022"
    assert by_text("Thủ trưởng cơ quan, đơn vị tiếp").lead == ["Thủ trưởng cơ quan, đơn vị"]
    assert by_text("Giám đốc Sở Thông tin và Truyề").lead == ["Giám đốc Sở Thông tin và Truyền thông"]
    lab = by_text("Tổ chức làm việc với các đơn v")
    assert lab.lead == ["Giám đốc Sở Lao động - Thương binh và Xã hội"]
    assert (lab.deadline.start, lab.deadline.end) == ("2022-04-01", "2022-07-31")
    # a text wrapped across a blank line stays one task; the lead-in ending with ":" is not a task
    assert by_text("Xây dựng quy chế vận hành, kha").text.endswith("hợp đồng lao động điện tử.")
    assert not any(t.text.startswith("Triển khai ứng dụng Nền tảng") for t in tasks)
    assert by_text("Giám đốc sở, Thủ trưởng cơ quan").lead == ["Giám đốc sở, Thủ trưởng cơ quan thuộc Ủy ban nhân dân tỉnh"]


def test_numbered_agency_headings_in_organisation_section():
    tasks = _tasks(ORGANISATION)
    assert [t.lead for t in tasks] == [
        ["Sở Thông tin và Truyền thông"], ["Sở Nội vụ"], ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"],
        ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố"],
        ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố"],  # heads of the same collective
    ]
    assert all(t.table == "IV. TỔ CHỨC THỰC HIỆN" for t in tasks)
    assert tasks[1].coordinate == ["Sở Thông tin và Truyền thông"]
    assert tasks[3].deadline.recurrence == "yearly"
    assert not any(t.text.startswith("Trên đây") for t in tasks)


def test_running_text_assignments_chu_tri_phoi_hop_and_giao():
    text = ("III. TỔ CHỨC THỰC HIỆN\n\n"
            "Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư, Sở Nội vụ tham mưu bố trí kinh phí "
            "thực hiện Kế hoạch. Văn phòng UBND tỉnh tham mưu cho UBND tỉnh triển khai số hóa hồ sơ; "
            "Công an tỉnh chủ trì triển khai thực hiện các nội dung thuộc Đề án 06/CP; "
            "Tỷ lệ hồ sơ trực tuyến đạt 50%.\n")
    tasks = _tasks(text)
    assert [t.lead for t in tasks] == [["Sở Tài chính"], ["Văn phòng Ủy ban nhân dân tỉnh"], ["Công an tỉnh"]]
    assert tasks[0].coordinate == ["Sở Kế hoạch và Đầu tư", "Sở Nội vụ"]


def test_subject_boundary_and_non_agency_openings():
    s = subject_of("Giám đốc Sở Y tế tiếp tục chỉ đạo, nâng cao tỷ lệ các cơ sở y tế kết nối")
    assert s.agencies == ["Giám đốc Sở Y tế"] and not s.collective
    s = subject_of("Ủy ban nhân dân các huyện, thị xã, thành phố tập trung chỉ đạo Ủy ban nhân dân các xã")
    assert s.agencies == ["Ủy ban nhân dân các huyện, thị xã, thành phố"]
    assert subject_of("Sở Kế hoạch và Đầu tư, Sở Tài chính").agencies == ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"]
    assert subject_of("Tỷ lệ dân số có điện thoại thông minh đạt 85%") is None
    assert subject_of("Cổng dịch vụ công của tỉnh được nâng cấp") is None
    assert partners("Chủ trì, phối hợp với Sở Y tế, Sở Giáo dục và Đào tạo tham mưu Chủ tịch UBND tỉnh") == [
        "Sở Y tế", "Sở Giáo dục và Đào tạo"]


def test_names_the_tagger_cuts_and_openings_that_name_no_agency():
    # Lâm Đồng 2026 (realdocs r12): the tagger reads "và Công nghệ" as one verb
    s = subject_of("Giao Sở Khoa học và Công nghệ chủ trì, tham mưu Ủy ban nhân dân tỉnh tổ chức triển khai")
    assert s.agencies == ["Sở Khoa học và Công nghệ"]
    # an agency heading (r18): the word after a bare head noun is the start of its name, not a verb
    s = subject_of("Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh")
    assert s.agencies == ["Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh"]
    # ... but in a sentence with a predicate it stays the agency's short name (r21)
    assert subject_of("Trung tâm kính trình UBND tỉnh xem xét, chỉ đạo").agencies == ["Trung tâm"]
    # "tự" opens the predicate (r14)
    assert subject_of("Sở Tư pháp tỉnh Lâm Đồng tự chấm điểm, đánh giá").agencies == ["Sở Tư pháp tỉnh Lâm Đồng"]
    # the tail of a cited number split over a line ("… 787/QĐ-\nUBND ngày 21/8/2025", r23) is no agency
    assert subject_of("UBND ngày 21/8/2025 về việc thí điểm các mô hình, sáng kiến cải cách hành chính") is None


def test_a_steering_committee_named_by_its_fields_and_holders_missing_a_comma():
    # 2025-2026 plans (realdocs r23): the committee's name is made of words the tagger reads as verbs
    s = subject_of("Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 tỉnh "
                   "chỉ đạo các cơ quan, đơn vị")
    assert s.agencies == ["Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 tỉnh"]
    # a heading ending with a colon (r18)
    s = subject_of("Giao Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh:")
    assert s.agencies == ["Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh"]
    # Quảng Trị, 2025 (r07): "... Giám đốc Sở Khoa học và Công nghệ Giám đốc Trung tâm Phục vụ hành chính công tỉnh"
    from vnplans.extractors.agencies import split

    assert split("Giám đốc Sở Khoa học và Công nghệ Giám đốc Trung tâm Phục vụ hành chính công tỉnh") == [
        "Giám đốc Sở Khoa học và Công nghệ", "Giám đốc Trung tâm Phục vụ hành chính công tỉnh"]
    assert split("Phó Giám đốc Sở Y tế") == ["Phó Giám đốc Sở Y tế"]
    # "và" before a title is the list's own conjunction (r22)
    assert split("Thủ trưởng các sở, ban, ngành và Chủ tịch Ủy ban nhân dân các xã, phường") == [
        "Thủ trưởng các sở, ban, ngành", "Chủ tịch Ủy ban nhân dân các xã, phường"]


def test_a_heading_agency_ends_where_its_lettered_items_begin():
    # r03 (Sơn La, 2025) prints "Sở Công Thương" and its first item on one line
    s = subject_of("Sở Công Thương a) Chủ trì, phối hợp với các sở, ban, ngành, UBND các xã, phường và cơ quan, "
                   "đơn vị có liên quan xây dựng kế hoạch xúc tiến thương mại")
    assert s is not None and s.agencies == ["Sở Công Thương"]


def test_agencies_acted_upon_and_conditions_are_not_assigned_anything():
    # r17: the units an inspection visits; r02: rules for the case where a breach ... (neither gives a task)
    assert subject_of("Các cơ quan, đơn vị được kiểm tra") is None
    assert subject_of("Trường hợp hành vi vi phạm chưa có quyết định xử lý kỷ luật của cấp có thẩm quyền nhưng đã "
                      "được dùng làm căn cứ để đánh giá, xếp loại chất lượng") is None
    assert subject_of("Trường Cao đẳng Sơn La chủ trì tổ chức đào tạo kỹ năng số") is not None  # a school still is


def test_a_report_of_results_assigns_nothing():
    # r23 (Đắk Lắk, 2025), a report: what agencies did is told under "Kết quả ..." headings
    report = _tasks("II. KẾT QUẢ THỰC HIỆN\n\n"
                    "a) Kết quả xây dựng, ban hành văn bản quy phạm pháp luật\n\n"
                    "Sở Tư pháp thực hiện thẩm định 268 dự thảo văn bản quy phạm pháp luật đúng quy trình.\n\n"
                    "III. NHIỆM VỤ NĂM 2026\n\n"
                    "1. Sở Tư pháp chủ trì thẩm định các dự thảo văn bản quy phạm pháp luật của tỉnh.\n")
    assert [(r.lead, r.text[:25]) for r in report] == [(["Sở Tư pháp"], "Sở Tư pháp chủ trì thẩm đ")]


def test_rating_rules_assign_nothing_and_those_given_a_task_still_lead():
    # r02 (Hải Phòng, 2025): rating criteria name the units rated; r12, seed 001: "the units given X" must do Y
    rules = _tasks("Điều 6. Tiêu chí xếp loại chất lượng công chức\n\n4. Không hoàn thành nhiệm vụ\n\n"
                   "Cơ quan, tổ chức, đơn vị thuộc thẩm quyền phụ trách, quản lý trực tiếp liên quan đến tham ô, "
                   "tham nhũng, lãng phí và bị xử lý theo quy định của pháp luật.\n")
    assert rules == []
    given = subject_of("Cơ quan, đơn vị được giao nhiệm vụ theo dõi, kiểm tra, đôn đốc có trách nhiệm báo cáo kết quả")
    assert given is not None
    assert subject_of("Các sở, ngành bị xử lý theo quy định") is None  # acted upon
