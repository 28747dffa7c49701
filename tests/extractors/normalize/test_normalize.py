"""Normalization: agency registry, DTI catalog, canonical metrics, provinces across the 2025 merger."""
import glob
import json
import sqlite3
import sys

import pytest
import yaml
from conftest import CORPUS, REFERENCE, ROOT, SEEDS

from vnplans.extractors import agencies as printed
from vnplans.extractors.keys import key
from vnplans.extractors.normalize.agencies import Registry
from vnplans.pipeline.cli import main

GOLD = sorted(glob.glob(str(CORPUS / "gold" / "*.json")) + glob.glob(str(CORPUS / "heldout" / "gold" / "*.json")))


def _resolve(name, province="Bình Dương"):
    holder, agency = printed.holder_and_agency(name)
    return holder, REFERENCE.agencies.resolve(agency, province)


# --- agencies -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Sở TT&TT", "Sở TTTT", "Sở Thông tin và Truyền thông", "STTTT",
                                  "Giám đốc Sở Thông tin và Truyền thông", "Sở Thông tin - Truyền thông",
                                  "Sở Thông tin & Truyền thông", "Sở TT&TT tỉnh"])
def test_spellings_of_one_department_are_one_agency(name):
    _, link = _resolve(name)
    assert link is not None and link.agency.id == "so-tttt", name


def test_a_title_is_the_holder_not_another_agency():
    holder, link = _resolve("Giám đốc Sở Y tế")
    assert holder == "Giám đốc" and link.agency.id == "so-yt"
    holder, link = _resolve("Chánh Văn phòng Ủy ban nhân dân tỉnh")
    assert holder == "Chánh" and link.agency.id == "vp-ubnd"


@pytest.mark.parametrize("name, agency_id, province", [
    ("Ngân hàng nhà nước chi nhánh tỉnh Bình Dương", "nhnn-chi-nhanh", "Bình Dương"),
    ("Ngân hàng Nhà nước chi nhánh Ninh Thuận", "nhnn-chi-nhanh", "Ninh Thuận"),
    ("Báo Bình Dương", "bao-tinh", "Bình Dương"),
    ("Báo Ninh Thuận", "bao-tinh", "Ninh Thuận"),
    ("Bưu điện tỉnh Ninh Thuận", "buu-dien-tinh", "Ninh Thuận"),
    ("Viettel Post - Chi nhánh tỉnh Ninh Thuận", "viettel-post", "Ninh Thuận"),
])
def test_province_specific_agencies_are_instances_of_a_generic_one(name, agency_id, province):
    _, link = _resolve(name, province="Quảng Trị")  # the name's own province wins over the plan's
    assert (link.agency.id, link.province) == (agency_id, province)


def test_agencies_without_a_province_in_the_name_belong_to_the_plan_province():
    _, link = _resolve("Sở Y tế", province="Bắc Giang")
    assert link.province == "Bắc Giang"
    _, link = _resolve("Các cơ quan, đơn vị liên quan", province="Bắc Giang")
    assert link.agency.collective and link.province is None


def test_qualifiers_and_parentheticals_narrow_without_changing_the_agency():
    _, link = _resolve("Văn phòng Ủy ban nhân dân tỉnh (Trung tâm Phục vụ hành chính công)")
    assert link.agency.id == "vp-ubnd" and link.qualifier == "Trung tâm Phục vụ hành chính công"
    _, link = _resolve("các DN viễn thông trên địa bàn tỉnh cung cấp mobile money")
    assert link.agency.id == "cac-dn-vien-thong" and link.method == "alias+qualifier"
    _, link = _resolve("Ủy ban nhân dân huyện Việt Yên, Yên Thế")
    assert (link.agency.id, link.method, link.qualifier) == ("ubnd-huyen", "pattern", "Việt Yên, Yên Thế")


def test_unknown_agencies_are_not_guessed():
    assert _resolve("Ban Quản lý dự án VILG cấp Trung ương")[1] is None
    assert _resolve("Sở Văn hóa và Thể thao")[1] is None  # Hà Nội's department, not VH-TT-DL


@pytest.mark.parametrize("old, new", [("so-tttt", "so-khcn"), ("so-khdt", "so-tc"), ("so-ldtbxh", "so-nv"),
                                      ("so-tnmt", "so-nnmt"), ("so-nnptnt", "so-nnmt"), ("so-gtvt", "so-xd")])
def test_2025_reorganisation_successors(old, new):
    assert REFERENCE.agencies.current(old) == new
    assert old in REFERENCE.agencies.predecessors(new)
    assert REFERENCE.agencies.current(new) == new


def test_registry_is_consistent():
    reg = REFERENCE.agencies.agencies
    assert all(a.successor in reg for a in reg.values() if a.successor)
    Registry.load(REFERENCE.provinces)  # raises when two agencies share a spelling
    data = printed.registry_data()
    kinds = set(data["kinds"])
    for e in data["agencies"]:
        assert e["kind"] in kinds, e["id"]
        for alias in e.get("aliases", []) + e.get("abbreviations", []):
            # a YAML flow list splits "a, b, c" into fragments: every spelling must still be a name
            assert len(alias.split()) >= 2 or alias.isupper() or alias[0].isupper(), (e["id"], alias)


def test_every_agency_in_the_answer_keys_resolves_to_the_registry():
    names = []
    for f in GOLD:
        g = json.loads(open(f, encoding="utf-8").read())
        for r in g.get("rows", []):
            for role in ("lead", "coordinate", "monitor"):
                names += [(n, g["document"]["province"]) for n in r.get(role) or []]
        for t in g.get("prose_tasks", []):
            lead = t.get("lead") or []
            names += [(n, g["document"]["province"]) for n in (lead if isinstance(lead, list) else [lead])]
    unresolved = [n for n, p in names if _resolve(n, p)[1] is None]
    assert len(names) > 600
    assert not unresolved, f"{len(unresolved)}/{len(names)} unresolved: {sorted(set(unresolved))}"


def test_tone_placement_and_punctuation_do_not_change_a_key():
    assert key("Sở Văn hoá, Thể thao và Du lịch") == key("Sở Văn hóa Thể thao và Du lịch")
    assert key("Uỷ ban nhân dân") == key("Ủy ban nhân dân")
    assert key("kế hoạch") == "kế hoạch"  # a closed syllable keeps its tone where it is


# --- DTI catalog ---------------------------------------------------------------------------------------

def test_dti_catalog_is_what_vnplans_extracts_from_the_ninh_thuan_appendix():
    sys.path.insert(0, str(ROOT / "tools"))
    import build_dti_catalog

    built = build_dti_catalog.build(build_dti_catalog.SOURCE)
    stored = yaml.safe_load((ROOT / "extractors/data/dti_catalog.yaml").read_text("utf-8"))["versions"][0]
    assert built["indicators"] == stored["indicators"] and built["pillars"] == stored["pillars"]


def test_dti_catalog_scores_add_up():
    v = REFERENCE.metrics.catalog_for("2023-09-26")
    assert v.id == "dti-2022" and len(v.pillars) == 9 and len(v.indicators) == 104
    for pillar in v.pillars:
        top = [i for i in v.indicators.values() if i.pillar == pillar and not i.parent]
        sub = [i for i in v.indicators.values() if i.pillar == pillar and i.parent]
        total = {"1": 100, "2": 100, "3": 100, "4": 100, "5": 100, "6": 200, "7": 150, "8": 150, "9": 0}[pillar]
        assert sum(i.max_score for i in top) == total, pillar
        for parent in {i.parent for i in sub}:
            assert sum(i.max_score for i in sub if i.parent == parent) == v.indicators[parent].max_score


def test_every_coded_row_links_to_the_catalog_entry_with_that_code(extractions):
    checked = 0
    for ex in extractions.values():
        for r in ex["rows"]:
            if r["kind"] == "indicator" and r["stt"] in REFERENCE.metrics.catalog_for(ex["document"]["issued_date"]).indicators:
                assert r["link"] and r["link"]["indicator"] == r["stt"] and r["link"]["method"] == "code", r
                checked += 1
    assert checked >= 130  # 104 in the Ninh Thuận appendix, 34 in the Bình Dương one


def test_sub_codes_and_lettered_sub_items_link_to_their_indicator(extractions):
    rows = {(r["stt"], r["text"][:20]): r["link"] for r in extractions["000_6f49e80e59cad2c1"]["rows"]}
    assert rows[("3.5.1", "Đã triển khai theo h")]["indicator"] == "3.5"
    assert rows[("3.5.1", "Đã triển khai theo h")]["method"] == "parent-code"
    assert rows[("a)", "Chính sách giảm phí,")]["indicator"] == "2.10"


# --- metrics -------------------------------------------------------------------------------------------

SAME_METRIC = {
    "smartphone-adults": ["tỷ lệ dân số trên 15 tuổi có điện thoại thông minh", "Tỷ lệ dân số có điện thoại thông minh",
                          "Tỷ lệ dân số trưởng thành có điện thoại thông minh"],
    "fibre-households": ["tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng",
                         "Hộ gia đình được phủ mạng internet băng thông rộng cáp quang",
                         "Tỷ lệ hộ gia đình có kết nối Internet cáp quang băng rộng"],
    "sme-digital-platforms": ["doanh nghiệp nhỏ và vừa sử dụng nền tảng số",
                              "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số", "Tỷ lệ DNNVV sử dụng nền tảng số"],
    "e-contracts": ["doanh nghiệp sử dụng hợp đồng điện tử", "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử"],
    "tthc-records-online": ["tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến",
                            "Tỷ lệ hồ sơ thủ tục hành chính (TTHC) xử lý trực tuyến",
                            "Tỷ lệ hồ sơ thủ tục hành chính xử lý hoàn toàn trực tuyến (toàn trình)"],
}


@pytest.mark.parametrize("metric_id", sorted(SAME_METRIC))
def test_wordings_from_different_provinces_link_to_one_metric(metric_id):
    v = REFERENCE.metrics.catalog_for("2024-01-01")
    for wording in SAME_METRIC[metric_id]:
        link = REFERENCE.metrics.link_target(wording, wording, "%", v)
        assert link is not None and link.metric.id == metric_id, wording


def test_links_that_a_domain_reader_would_not_make_are_not_made():
    v = REFERENCE.metrics.catalog_for("2025-01-01")
    assert REFERENCE.metrics.link_target("Tỷ lệ người dân có điện thoại thông minh cài đặt ứng dụng “Binh phuoc Today”", "",
                               "%", v) is None
    # a count of enterprises is not the share of enterprises
    link = REFERENCE.metrics.link_target("doanh nghiệp nhỏ và vừa tiếp cận nền tảng số", "", "doanh nghiệp", v)
    assert link.metric.id == "sme-smedx"
    # level 3-4 services are not full-online (level 4) services
    link = REFERENCE.metrics.link_target("Dịch vụ công trực tuyến mức độ 3, 4 phổ biến", "", "%", v)
    assert link is None or link.metric.id != "dvctt-full-online"


def test_metric_links_carry_the_dti_code_and_national_target():
    v = REFERENCE.metrics.catalog_for("2022-09-28")
    link = REFERENCE.metrics.link_target("Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số", "", "%", v)
    assert (link.indicator, link.catalog) == ("7.5", "dti-2022")
    assert dict(link.metric.national[0])["value"] == 50


def test_corpus_targets_of_the_same_metric_link_together(extractions):
    """On the pipeline's own output: each province's smartphone, fibre, SME, e-contract and online-records
    targets land on the shared metric."""
    by_metric = {}
    for stem, ex in extractions.items():
        for t in ex["targets"]:
            if t["link"]:
                by_metric.setdefault(t["link"]["metric"], set()).add(ex["document"]["province"])
    assert {"Ninh Thuận", "Bắc Giang", "Bình Phước"} <= by_metric["smartphone-adults"]
    assert {"Ninh Thuận", "Bắc Giang", "Bình Phước"} <= by_metric["fibre-households"]
    assert {"Bình Dương", "Ninh Thuận", "Bắc Giang", "Bình Phước"} <= by_metric["sme-digital-platforms"]
    assert {"Bình Dương", "Ninh Thuận", "Bắc Giang", "Bình Phước"} <= by_metric["e-contracts"]
    assert {"Ninh Thuận", "Bắc Giang", "Bình Phước"} <= by_metric["tthc-records-online"]


# --- provinces -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new", [("Bình Dương", "Hồ Chí Minh"), ("Bình Phước", "Đồng Nai"),
                                      ("Ninh Thuận", "Khánh Hòa"), ("Bắc Giang", "Bắc Ninh"), ("Quảng Trị", "Quảng Trị")])
def test_provinces_and_their_2025_successors(old, new):
    p = REFERENCE.provinces.at(old, "before-merger")
    assert p.successor == new and p.merged == (old != new)


def test_a_province_named_after_the_merger_is_the_merged_unit():
    before, after = REFERENCE.provinces.at("An Giang", "before-merger"), REFERENCE.provinces.at("An Giang", "after-merger")
    assert (before.code, after.code) == ("89", "91")


# --- store and CLI -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("norm") / "t.db"
    main(["ingest", *map(str, SEEDS), "--db", str(db)])
    return db


def test_unknown_agencies_are_listed_with_counts(corpus_db, capsys):
    main(["agencies", "--unknown", "--db", str(corpus_db)])
    out = capsys.readouterr().out
    assert "Ban Quản lý dự án VILG cấp Trung ương" in out and "unknown name(s)" in out


def test_unlinked_targets_are_listed(corpus_db, capsys):
    main(["metrics", "--unlinked", "--db", str(corpus_db)])
    assert "Binh phuoc Today" in capsys.readouterr().out


def test_a_query_about_a_successor_includes_its_predecessors(corpus_db, capsys):
    main(["agencies", "Sở Khoa học và Công nghệ", "--role", "lead", "--db", str(corpus_db)])
    out = capsys.readouterr().out
    assert "includes predecessors: Sở Thông tin và Truyền thông" in out
    with_pred = int(out.strip().splitlines()[-1].split()[0])
    main(["agencies", "Sở Khoa học và Công nghệ", "--role", "lead", "--no-predecessors", "--db", str(corpus_db)])
    alone = int(capsys.readouterr().out.strip().splitlines()[-1].split()[0])
    assert with_pred > 100 > alone


def test_show_prints_canonical_names_next_to_the_printed_ones(corpus_db, capsys):
    main(["show", "004_c147", "--targets", "--db", str(corpus_db)])
    out = capsys.readouterr().out
    assert "Giám đốc Sở Thông tin và Truyền thông -> Sở Thông tin và Truyền thông [sở, Bắc Giang" in out
    assert "today Sở Khoa học và Công nghệ" in out
    assert "part of Bắc Ninh" in out
    assert "-> Tỷ lệ dân số trưởng thành có điện thoại thông minh [smartphone-adults" in out


def test_reference_tables_join_rows_to_canonical_names(corpus_db):
    conn = sqlite3.connect(corpus_db)
    got = conn.execute(
        "SELECT d.province, d.province_successor, t.value FROM targets t JOIN documents d ON d.id = t.doc_id"
        " JOIN metrics m ON m.id = t.metric_id WHERE m.id = 'e-contracts' ORDER BY d.province").fetchall()
    assert ("Bắc Giang", "Bắc Ninh", 50.0) in got and ("Bình Phước", "Đồng Nai", 80.0) in got
    n = conn.execute("SELECT count(*) FROM dti_indicators WHERE catalog = 'dti-2022'").fetchone()[0]
    assert n == 104
    conn.close()


def test_a_tie_on_words_is_settled_by_syllables_the_same_way_in_every_process():
    # Bình Dương 2023 (seed 000) through pdftotext: the plan's "máy chủ" is one word, the catalog's two
    ncsc = "của cơ quan nhà nước cài đặt phòng, chống mã độc và chia sẻ thông tin với Trung tâm Giám sát an toàn " \
           "không gian mạng quốc gia (NCSC)"
    assert REFERENCE.metrics.match(f"Triển khai số lượng máy chủ {ncsc}", None)[0].id == "dti-5.3"
    assert REFERENCE.metrics.match(f"Triển khai số lượng máy trạm {ncsc}", None)[0].id == "dti-5.4"


def test_the_segmented_catalog_is_kept_between_runs_and_a_bad_cache_is_remade(tmp_path):
    from vnplans.extractors.normalize.metrics import Catalog

    fresh = Catalog.load(tmp_path)
    wording = "Tỷ lệ người dân có điện thoại thông minh cài đặt ứng dụng"
    expected = fresh.match(wording, "%")
    (cache,) = tmp_path.glob("metric-words-*.json")
    again = Catalog.load(tmp_path)
    again.words = None  # a second run segments nothing of the catalog: it reads the cache
    assert again._pool[0] == fresh._pool[0]
    cache.write_text("{half a file")
    remade = Catalog.load(tmp_path)
    assert remade.match(wording, "%") == expected == REFERENCE.metrics.match(wording, "%")
    assert set(json.loads(cache.read_text("utf-8"))) == {spelling for _, spelling, _, _ in fresh._pool[0]}
