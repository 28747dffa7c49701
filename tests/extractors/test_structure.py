"""Section trees of the seed plans against hand-written expectations."""
import pytest

from conftest import CORPUS
from vnplans.extractors.readers import read_file
from vnplans.extractors.structure import segment


def tree(name):
    doc = read_file(CORPUS / "seeds" / name)
    secs = segment(doc)
    return secs, {(s.kind, s.label, s.heading) for s in secs}


def parent_of(secs, kind, label, heading_prefix):
    sec = next(s for s in secs if s.kind == kind and s.label == label and s.heading.startswith(heading_prefix))
    return secs[sec.parent] if sec.parent is not None else None


def test_000_roman_sections_numbered_items_appendix_and_recipients():
    secs, keys = tree("000_6f49e80e59cad2c1.txt")
    assert ("roman", "I", "MỤC ĐÍCH, YÊU CẦU") in keys
    assert ("roman", "V", "TỔ CHỨC THỰC HIỆN") in keys
    assert parent_of(secs, "numbered", "1", "Mục đích").label == "I"
    assert parent_of(secs, "numbered", "8", "Về hoạt động xã hội số").label == "III"
    assert any(s.kind == "recipients" for s in secs)
    assert any(s.kind == "appendix" and s.heading.startswith("BẢNG PHÂN CÔNG") for s in secs)


def test_001_wrapped_heading_is_one_heading():
    secs, keys = tree("001_da5bc96585bd91bd.txt")
    assert ("roman", "III", "NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM") in keys
    assert ("numbered", "1", "Nhóm Nhận thức số") in keys
    assert [s.label for s in secs if s.kind == "appendix"] == ["PHỤ LỤC 1", "PHỤ LỤC 2"]


def test_003_decision_articles_then_annexed_plan():
    secs, keys = tree("003_17e739ba34981291.txt")
    assert {("article", f"Điều {i}") for i in (1, 2, 3)} <= {(k, l) for k, l, _ in keys}
    assert parent_of(secs, "numbered", "2", "Giai đoạn 2021 - 2025").heading.startswith("MỤC TIÊU")
    a = next(s for s in secs if s.kind == "lettered" and s.heading.startswith("Là cơ quan đầu mối"))
    assert secs[a.parent].heading == "Sở Thông tin và Truyền thông"
    roman_i = next(s for s in secs if s.kind == "roman" and s.label == "I")
    assert roman_i.parent is None  # the plan's sections are not inside the decision's signature block


def test_004_agency_headings_under_numbered_tasks():
    secs, keys = tree("004_c147d9c3ca0a32b7.txt")
    assert ("lettered", "a", "Giám đốc Sở Thông tin và Truyền thông") in keys
    assert parent_of(secs, "lettered", "b", "Giám đốc Công an tỉnh").heading == "Phát triển hạ tầng số"
    sig = next(s for s in secs if s.kind == "signature")
    assert sig.heading == "TRƯỞNG BAN"


@pytest.mark.parametrize("name", ["000_6f49e80e59cad2c1.txt", "001_da5bc96585bd91bd.txt", "004_c147d9c3ca0a32b7.txt"])
def test_sections_nest_within_their_parents(name):
    secs, _ = tree(name)
    for s in secs:
        if s.parent is not None:
            p = secs[s.parent]
            assert p.span.start <= s.span.start and s.end <= p.end


def test_a_numbered_heading_after_the_recipient_list_is_not_one_of_them():
    """pdftotext -layout of a decision and the plan it issues: "Nơi nhận:" and the signer's title share one line,
    so no signature block closes the list; the plan's "III. MỤC TIÊU" is still a section of its own."""
    from vnplans.extractors.readers import read_bytes
    from vnplans.extractors.structure import segment

    text = "\n".join([
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
        "Nơi nhận:                                   TM. ỦY BAN NHÂN DÂN",
        "- Như Điều 3;                                KT. CHỦ TỊCH",
        "- Lưu: VT.",
        "",
        "III. MỤC TIÊU VÀ CÁC CHỈ TIÊU CHỦ YẾU",
        "1. Giai đoạn 2019 - 2020",
        "- 20% số lượng người dân và doanh nghiệp được xác thực điện tử.",
    ])
    sections = segment(read_bytes("plan.txt", text.encode("utf-8")))
    by_label = {s.label: s for s in sections}
    assert by_label["III"].parent is None
    assert [s.kind for s in sections if s.parent == [x for x in sections if x.kind == "recipients"][0].id] == ["bullet", "bullet"]
