"""The notebook API: `import vnplans`, one plan to its model and DataFrames, a store's views and reports."""
import json

import pytest

import vnplans
from conftest import CORPUS, SEEDS
from vnplans.pipeline.cli import main


def test_extract_returns_the_model_the_cli_prints(capsys):
    plan = SEEDS[0]  # Bình Dương 4876/KH-UBND (2023)
    ex = vnplans.extract(plan)
    assert isinstance(ex, vnplans.schemas.extraction.Extraction)
    assert main(["extract", str(plan), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(ex.to_json())
    rows = ex.rows_frame()
    assert len(rows) == len(ex.rows) and {"stt", "text", "lead", "deadline_end", "link_metric", "page"} <= set(rows.columns)
    assert rows.loc[rows.stt == "7.5", "link_indicator"].tolist() == ["7.5"]
    targets = ex.targets_frame()
    assert len(targets) == len(ex.targets) and targets["value"].dtype.kind == "f"


def test_a_bad_file_raises_the_projects_error_naming_it(tmp_path):
    from vnplans.extractors.errors import VnplansError

    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    with pytest.raises(VnplansError, match="empty.docx"):
        vnplans.extract(empty)


def test_open_gives_the_views_as_frames_and_the_reports_as_objects(corpus_db):
    with vnplans.open(corpus_db) as db:
        commitments = db.commitments
        assert {"province", "metric_id", "comparator", "value", "year", "quote"} <= set(commitments.columns)
        assert commitments["year"].dtype.kind == "i"
        assert len(db.items) > 300 and "lead_state" in db.items.columns
        assert set(db.agency_items["role"]) == {"lead", "coordinate", "monitor"}
        c = db.compare("smartphone-adults")
        assert {x.province for x in c.commitments} == {"Bình Phước", "Bắc Giang", "Ninh Thuận"}
        (plan,) = db.audit(doc=SEEDS[0].name, as_of="2023-11-01").plans
        assert plan.doc_number == "4876/KH-UBND"


def test_open_refuses_a_path_with_no_database(tmp_path):
    with pytest.raises(FileNotFoundError, match="no database here"):
        vnplans.open(tmp_path / "missing.db")


def test_the_rooms_install_under_vnplans_and_the_cli_runs_as_a_module():
    import subprocess
    import sys

    assert vnplans.__version__ and vnplans.extractors.readers.read_file
    out = subprocess.run([sys.executable, "-m", "vnplans", "--version"], capture_output=True, text=True, cwd=CORPUS)
    assert out.returncode == 0 and out.stdout.strip() == f"vnplans {vnplans.__version__}"


def test_the_readme_example_runs_as_it_stands(corpus_db, tmp_path, monkeypatch):
    import re

    import matplotlib

    matplotlib.use("Agg")
    readme = (CORPUS.parent / "README.md").read_text("utf-8")
    section = readme[readme.index("## Python API"):readme.index("## Normalization")]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    monkeypatch.chdir(CORPUS.parent)
    chart = tmp_path / "chart.png"
    exec(compile(code, "README.md", "exec"), {"DB": corpus_db, "CHART": chart})
    assert chart.stat().st_size > 1000
