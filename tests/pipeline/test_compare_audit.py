"""vnplans compare and vnplans audit on the bundled corpus, checked against the answer keys and named cases."""
import csv
import io
import json
import re

import pytest

from conftest import REFERENCE, ROOT, SEEDS, all_gold, plan_with_table
from vnplans.pipeline import audit, compare, listings, lookups
from vnplans.pipeline.cli import main
from vnplans.pipeline.store import Store


@pytest.fixture(scope="module")
def store(corpus_db):
    s = Store(corpus_db)
    yield s
    s.close()


def _gold_commitments(metric_id: str) -> set[tuple]:
    """(province, comparator, value, year) of every answer-key target whose wording links to `metric_id`."""
    out = set()
    for g in all_gold():
        d = g["document"]
        version = REFERENCE.metrics.catalog_for(d.get("issued_date"))
        for t in g["targets"]:
            link = REFERENCE.metrics.link_target(t["metric"], t["quote"], t["unit"], version)
            if link and link.metric.id == metric_id:
                out.add((d["province"], t["comparator"], float(t["value"]), t["year"]))
    return out


@pytest.mark.parametrize("metric_id", ["smartphone-adults", "sme-digital-platforms"])
def test_compare_lists_every_province_that_set_the_target_as_the_answer_keys_do(store, metric_id):
    c = compare.compare(store, metric_id)
    got = {(x.province, x.comparator, x.value, x.year) for x in c.commitments}
    expected = _gold_commitments(metric_id)
    assert len({p for p, *_ in expected}) >= 3
    assert got == expected


def test_compare_quotes_are_verbatim_and_point_into_the_plan(store):
    c = compare.compare(store, "smartphone-adults")
    bodies = {d["source"]: d["body"] for d in store.query("SELECT source, body FROM documents")}
    flat = lambda t: " ".join(t.split())  # plans hard-wrap lines; quotes are one line
    for x in c.commitments:
        span = flat(bodies[x.source][x.start:x.end])
        assert span and (span in flat(x.quote) or flat(x.quote) in span)
    by_province = {x.province: x for x in c.commitments}
    assert by_province["Bình Phước"].quote == "Tỷ lệ dân số trưởng thành có điện thoại thông minh trên 95%"
    assert by_province["Bình Phước"].doc_number == "382/KH-UBND" and by_province["Bình Phước"].plan_date == "2024-12-31"


def test_spread_and_national_target(store):
    c = compare.compare(store, "smartphone-adults")
    (spread,) = c.spreads
    assert (spread.provinces, spread.min, spread.median, spread.max) == (3, 85, 85, 95)
    bp = next(x for x in c.commitments if x.province == "Bình Phước")
    assert bp.vs_median == 10 and bp.national["value"] == 80 and bp.vs_national == 15


def test_the_sme_count_of_another_province_is_not_mixed_with_the_sme_share(store):
    provinces = {x.province for x in compare.compare(store, "sme-digital-platforms").commitments}
    assert "Quảng Trị" not in provinces  # its "200 doanh nghiệp" is the SMEdx count
    assert "Quảng Trị" in {x.province for x in compare.compare(store, "sme-smedx").commitments}


@pytest.mark.parametrize("query, how", [("smartphone-adults", "id"), ("3.1", "dti-code"),
                                        ("tỷ lệ người dân có điện thoại thông minh", "alias")])
def test_a_metric_is_found_by_id_dti_code_or_wording(store, query, how):
    info = compare.resolve_metric(store, *lookups.metric(REFERENCE, query))  # a wording is matched as the front doors do
    assert (info.id, info.resolved_by) == ("smartphone-adults", how)


def test_unknown_metric_is_a_clear_error(corpus_db, capsys):
    assert main(["compare", "số con mèo trong thôn", "--db", str(corpus_db)]) == 1
    assert "names no metric" in capsys.readouterr().err


def test_merged_groups_by_the_province_since_2025(corpus_db, capsys):
    assert main(["compare", "sme-digital-platforms", "--merged", "--db", str(corpus_db)]) == 0
    out = capsys.readouterr().out
    assert out.index("Đồng Nai (since the 2025 merger)") < out.index("Bình Phước")
    assert "Hồ Chí Minh (since the 2025 merger)" in out


def test_how_a_commitment_moved_over_the_years(store):
    c = compare.compare(store, "work-records-online")
    series = c.trajectories["Bình Dương [tỉnh]"]
    assert [(x.year, x.value) for x in series] == [(2020, 80), (2025, 90)]


def test_compare_json_and_csv(corpus_db, capsys):
    assert main(["compare", "smartphone-adults", "--json", "--db", str(corpus_db)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["metric"]["id"] == "smartphone-adults" and len(data["commitments"]) == 3
    assert main(["compare", "smartphone-adults", "--csv", "--db", str(corpus_db)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["province"] for r in rows} == {"Bình Phước", "Bắc Giang", "Ninh Thuận"}
    assert all(r["quote"] and r["doc_number"] is not None for r in rows)


def test_matrix_shows_who_is_silent(store, corpus_db, capsys):
    mx = compare.matrix(store)
    assert "Quảng Trị" in mx.provinces and "Quảng Trị" not in mx.cells["smartphone-adults"]
    assert mx.cells["sme-digital-platforms"]["Bình Dương"].display() == "≥50%"
    only_2025 = compare.matrix(store, year=2025)
    assert all(c.year == 2025 for row in only_2025.cells.values() for c in row.values())
    assert main(["compare", "--matrix", "--db", str(corpus_db)]) == 0
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if l.startswith("smartphone-adults"))
    assert "·" in line and ">95%'25" in line


# --- audit -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def binh_duong_2023(store):
    (plan,) = audit.audit(store, doc=SEEDS[0].name, as_of="2023-11-01").plans
    assert plan.doc_number == "4876/KH-UBND"
    return plan


def test_audit_lists_indicator_rows_with_no_lead(binh_duong_2023):
    assert [i.stt for i in binh_duong_2023.no_lead] == ["2.10", "3.5.1", "3.5.2", "5.12", "6.22"]
    notes = {i.stt: i.note for i in binh_duong_2023.no_lead}
    assert notes["2.10"].startswith("3 mục con đã được giao · sub-item(s) assigned") and "its parent 3.5" in notes["3.5.1"]


def test_audit_lists_rows_with_no_deadline(binh_duong_2023):
    stts = [i.stt for i in binh_duong_2023.no_deadline]
    assert {"5.3", "5.4", "5.5", "5.6", "5.7", "6.7"} <= set(stts)
    assert "2.8" not in stts  # "11/2023"


def test_audit_flags_vague_collective_and_diffuse_responsibility(binh_duong_2023):
    vague = {i.stt: i.deadline_raw for i in binh_duong_2023.vague_deadline}
    assert vague["2.7"] == "Hàng năm" and vague["7.1"] == "Hàng năm"
    assert "4.5" in [i.stt for i in binh_duong_2023.collective_lead]
    several = {i.stt: i.leads for i in binh_duong_2023.several_leads}
    assert several["2.9"].count(";") == 2


def test_pillar_headings_are_not_audited(binh_duong_2023):
    texts = {i.text for group in (binh_duong_2023.no_lead, binh_duong_2023.no_deadline) for i in group}
    assert not texts & {"Thể chế số", "Hạ tầng số", "Nhân lực số", "An toàn thông tin mạng", "Hoạt động kinh tế số"}
    assert binh_duong_2023.headings == 7


def test_deadlines_passed_at_the_audit_date(store):
    early = audit.audit(store, doc=SEEDS[0].name, as_of="2023-10-01").plans[0]
    late = audit.audit(store, doc=SEEDS[0].name, as_of="2024-01-01").plans[0]
    assert all(i.deadline_end < "2023-10-01" for i in early.past_deadline)
    assert [i.stt for i in early.past_deadline if i.stt] == ["1.", "2.", "4."] or len(early.past_deadline) < len(late.past_deadline)
    assert {i.stt for i in late.past_deadline} >= {"2.8", "2.9", "7.5", "7.6"}


def test_dti_coverage_uses_the_catalog_in_force_at_the_plan_date(store, binh_duong_2023):
    c = binh_duong_2023.coverage
    assert c.catalog == "dti-2022" and c.indicators == 104
    gaps = {g["code"] for g in c.gaps}
    assert "1.1" in gaps and "2.8" not in gaps and "5.12.5" not in gaps
    older = audit.audit(store, doc=SEEDS[3].name).plans[0]  # 2019, before QĐ 922/2022
    assert older.coverage.catalog is None and "no DTI catalog was in force" in older.coverage.note


def test_agency_load_counts_and_earliest_deadlines(binh_duong_2023):
    tc = next(a for a in binh_duong_2023.loads if a.id == "so-tc")
    assert tc.led >= 5 and tc.earliest_deadline == "2023-10-31"
    # Sở TT&TT's items are counted under Sở KH&CN, which took its functions in 2025, and shown by name under it
    khcn = next(a for a in binh_duong_2023.loads if a.id == "so-khcn")
    assert khcn.name == "Sở Khoa học và Công nghệ" and binh_duong_2023.loads[0] is khcn
    (tttt,) = [x for x in khcn.as_printed if x["id"] == "so-tttt"]
    assert tttt["name"] == "Sở Thông tin và Truyền thông" and 0 < tttt["led"] <= khcn.led
    assert not any(a.id == "so-tttt" for a in binh_duong_2023.loads)


def test_agency_load_is_one_answer_in_the_audit_the_cli_and_datasette(store):
    """vnplans agencies, Datasette's agency_load and the audit count an agency's items the same way."""
    every = audit.audit(store).loads
    cli = {r["id"]: (r["lead"], r["coordinate"], r["monitor"]) for r in listings.agency_loads(store)}
    assert {a.id: (a.led, a.coordinated, a.monitored) for a in every if a.id} == cli
    import yaml

    meta = yaml.safe_load((ROOT / "schemas" / "datasette.yaml").read_text("utf-8"))
    canned = {r["agency"]: (r["led"], r["coordinated"], r["monitored"])
              for r in store.query(meta["database"]["queries"]["agency_load"]["sql"], {"province": ""})}
    assert all(canned[a.name] == (a.led, a.coordinated, a.monitored) for a in every if a.id)


def test_audit_by_province_then_and_since_the_merger(store):
    then = audit.audit(store, province="Bình Dương")
    assert {p.doc_number for p in then.plans} == {"4876/KH-UBND", "2431/QĐ-UBND"}
    since = audit.audit(store, province="Hồ Chí Minh")
    assert {p.doc_number for p in since.plans} == {"4876/KH-UBND", "2431/QĐ-UBND"}
    with pytest.raises(audit.AuditError, match="no stored plan of province"):
        audit.audit(store, province="Hà Giang")
    with pytest.raises(audit.AuditError, match="is not a date"):
        audit.audit(store, as_of="26/9/2023")


def test_the_same_item_given_to_another_lead_by_a_later_plan(tmp_path):
    """A 2024 plan of the same province that moves indicator 2.8 from Sở Tài chính to Sở Xây dựng."""
    text = SEEDS[0].read_text("utf-8")
    later = text.replace("4876/KH-UBND", "5123/KH-UBND").replace("ngày 26 tháng 9 năm 2023", "ngày 15 tháng 3 năm 2024")
    at = later.index("\n2.8\n")
    later = later[:at] + later[at:].replace("Sở Tài chính\n\n11/2023", "Sở Xây dựng\n\n11/2024", 1)
    (tmp_path / "later.txt").write_text(later, "utf-8")
    db = tmp_path / "t.db"
    assert main(["ingest", str(SEEDS[0]), str(tmp_path / "later.txt"), "--db", str(db)]) == 0
    report = audit.audit(Store(db), province="Bình Dương")
    assert [(c.a["stt"], c.a["leads"], c.b["doc_number"], c.b["leads"]) for c in report.conflicts] == [
        ("2.8", "Sở Tài chính", "5123/KH-UBND", "Sở Xây dựng")]


def test_audit_text_json_and_html(corpus_db, tmp_path, capsys):
    args = ["audit", "--doc", SEEDS[0].name, "--as-of", "2023-11-01", "--db", str(corpus_db)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "no lead agency: 5" in text and re.search(r"5\.12\s+Tổng kinh phí chi cho an toàn thông tin", text)
    assert main(args + ["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["no_lead"] == 5 and data["plans"][0]["coverage"]["catalog"] == "dti-2022"
    out = tmp_path / "audit.html"
    assert main(["audit", "--as-of", "2023-11-01", "--html", str(out), "--db", str(corpus_db)]) == 0
    page = out.read_text("utf-8")
    assert page.count("<svg") >= 3 and "Tổng kinh phí chi cho an toàn thông tin" in page
    # circulated by e-mail and opened offline: nothing may load from elsewhere
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "lxml")
    assert len(soup.find_all("h2")) >= 7 and soup.find("html")["lang"] == "vi"


def test_the_latest_flag_of_the_export_is_the_comparisons(store):
    """One rule everywhere: the view's `latest` (exported, in Datasette) is what compare's spread counts, and
    it is the province's most recent plan, then furthest year, per metric, unit and level."""
    rows = store.query("SELECT * FROM commitments WHERE metric_id IS NOT NULL AND NOT restated"
                       " AND (scope IS NULL OR scope <> 'national')")
    best: dict[tuple, dict] = {}
    for r in sorted(rows, key=lambda r: (r["plan_date"] or "", r["year"] or 0, r["target_id"])):
        best[(r["metric_id"], r["unit"], r["scope"], r["province"])] = r
    assert {r["target_id"] for r in rows if r["latest"]} == {r["target_id"] for r in best.values()}
    for metric in {r["metric_id"] for r in rows}:
        c = compare.compare(store, metric)
        flagged = [(x.province, x.quote, x.year, x.scope, x.value) for x in c.commitments if x.latest]
        assert sorted(map(str, flagged)) == sorted(str((r["province"], r["quote"], r["year"], r["scope"], r["value"]))
                                         for r in best.values() if r["metric_id"] == metric)
        assert sum(s.provinces for s in c.spreads) == len(flagged)


def test_what_an_agency_leads_due_in_a_year_printed_or_inherited(store, corpus_db, capsys):
    """'Everything Sở Tài chính leads with a deadline in 2022', in one step, in the CLI and in Datasette."""
    assert main(["agencies", "Sở Tài chính", "--role", "lead", "--due", "2022", "--db", str(corpus_db)]) == 0
    out = capsys.readouterr().out
    n = int(re.search(r"(\d+) assignment\(s\) due in 2022 \((\d+) by the period", out).group(1))
    inherited = int(re.search(r"due in 2022 \((\d+) by the period", out).group(1))
    assert n > inherited > 0 and out.count("(inherited: 2022-12-31") == inherited
    import yaml

    sql = yaml.safe_load((ROOT / "schemas" / "datasette.yaml").read_text("utf-8"))["database"]["queries"]["agency_due"]["sql"]
    rows = store.query(sql, {"agency": "Sở Tài chính", "role": "lead", "year": "2022"})
    assert len(rows) == n and sum(r["due_from"] == "inherited" for r in rows) == inherited


def test_what_people_type_without_diacritics_is_found(store, corpus_db, capsys):
    assert main(["agencies", "So Tai chinh", "--role", "lead", "--db", str(corpus_db)]) == 0
    assert capsys.readouterr().out.startswith("Sở Tài chính [so-tc")
    (plan,) = audit.audit(store, province="binh duong", as_of="2023-11-01").plans[:1]
    assert plan.province == "Bình Dương"
    assert compare.compare(store, "ty le dan so truong thanh co dien thoai thong minh").metric.id == "smartphone-adults"
    # full-text search (Datasette's search box): diacritics and đ are both optional
    for typed, printed in (("tai chinh", "tài chính"), ("dong", "đồng")):
        hits = store.query("SELECT r.text FROM rows_fts JOIN rows r ON r.id = rows_fts.rowid WHERE rows_fts MATCH ?",
                           [typed])
        assert hits and any(printed in h["text"].lower() for h in hits)


def test_an_agency_name_that_looks_like_tex_does_not_break_the_html_report(tmp_path):
    plan = tmp_path / "plan.md"
    plan.write_text(plan_with_table("| 1 | Cập nhật dữ liệu | Trung tâm $x^$ dữ liệu | 2026 |",
                                    "| 2 | Số hóa hồ sơ | Sở Tư pháp | 2026 |"), "utf-8")
    db = tmp_path / "t.db"
    assert main(["ingest", str(plan), "--db", str(db)]) == 0
    out = tmp_path / "audit.html"
    assert main(["audit", "--html", str(out), "--db", str(db)]) == 0
    assert "Trung tâm $x^$ dữ liệu" in out.read_text("utf-8")
