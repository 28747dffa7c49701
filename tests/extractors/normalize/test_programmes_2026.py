"""Metrics that 2025-2026 plans commit to, and the national targets of 57-NQ/TW and the Government's 2026
programme (sources in extractors/data/metrics.yaml): wordings from 2026 provincial plans and news."""
import pytest

from conftest import REFERENCE

match = REFERENCE.metrics.match


@pytest.mark.parametrize("wording, metric_id", [
    ("Đóng góp của khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số vào tăng trưởng GRDP", "khcn-dmst-cds-contribution"),
    ("Giá trị tăng thêm của kinh tế số chiếm GRDP", "digital-economy-value-added"),
    ("Tỷ trọng kinh tế số trong GRDP", "digital-economy-grdp"),
    ("Tỷ lệ dân số được phủ sóng 5G", "5g-coverage"),
    ("cán bộ, công chức cấp xã có chữ ký số cá nhân", "commune-officials-signatures"),
    ("Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo", "innovative-enterprises"),
    ("Tỷ lệ người dân có danh tính số", "electronic-id"),
    ("thông tin, giấy tờ của người dân, doanh nghiệp chỉ cung cấp một lần", "once-only"),
])
def test_wordings_of_2026_plans_link_to_their_own_metric(wording, metric_id):
    found = match(wording, "%")
    assert found is not None and found[0].id == metric_id


def test_the_contribution_of_science_and_technology_is_not_the_digital_economy():
    # the two share "chuyển đổi số", "đóng góp" and "GRDP": they must not merge
    a = match("Đóng góp của khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số vào GRDP", "%")[0]
    b = match("Tỷ trọng kinh tế số trong GRDP", "%")[0]
    assert a.id != b.id


@pytest.mark.parametrize("metric_id, value, year, source", [
    ("digital-economy-grdp", 30, 2030, "57-NQ/TW (GDP)"),
    ("digital-economy-value-added", 14.5, 2026, "11/QĐ-BCĐCP (GDP)"),
    ("khcn-dmst-cds-contribution", 17.5, 2026, "11/QĐ-BCĐCP (GDP)"),
    ("tfp-contribution", 55, 2030, "57-NQ/TW"),
    ("5g-coverage", 70, 2026, "11/QĐ-BCĐCP"),
])
def test_national_targets_of_the_programmes(metric_id, value, year, source):
    national = [dict(n) for n in REFERENCE.metrics.metrics[metric_id].national]
    assert any(n["value"] == value and n["year"] == year and n["source"] == source for n in national), national


def test_a_commitment_faces_the_national_target_of_its_year():
    from vnplans.pipeline.compare import Commitment, _national_for

    national = [dict(n) for n in REFERENCE.metrics.metrics["digital-economy-grdp"].national]  # 20% by 2025 (QĐ 411), 30% by 2030

    def facing(year):
        c = Commitment(*([None] * 22))
        c.year, c.unit, c.scope = year, "%", None
        return _national_for(c, national, "%")

    assert (facing(2025)["value"], facing(2026)["value"], facing(2030)["value"], facing(2035)["value"]) == (20, 30, 30, 30)
