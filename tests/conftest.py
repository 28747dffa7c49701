import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

from vnplans.extractors.normalize.reference import Reference  # noqa: E402

REFERENCE = Reference.load()  # the bundled reference data, as the stages load it, for tests that call one part
CORPUS = ROOT / "corpus"
SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))


def gold_for(path: Path) -> dict:
    return json.loads((CORPUS / "gold" / (path.stem + ".json")).read_text("utf-8"))


@pytest.fixture(scope="session")
def scorer():
    """The answer-key scorer shipped in tools/ (a copy of the team's score.py)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import score

    return score


@pytest.fixture(scope="session")
def extractions():
    """`extract --json` output for every seed plan, computed once."""
    from vnplans.pipeline.stages import process, to_extraction

    return {p.stem: to_extraction(process(p)).model_dump(mode="json") for p in SEEDS}


HELDOUT = sorted((CORPUS / "heldout" / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    """Every bundled plan (seeds and held-out) ingested once into one database: what `make run` builds."""
    from vnplans.pipeline.cli import main

    db = tmp_path_factory.mktemp("corpus") / "vnplans.db"
    assert main(["ingest", *map(str, SEEDS + HELDOUT), "--db", str(db)]) == 0
    return db


def all_gold() -> list[dict]:
    """Every answer key of the corpus, seeds and held-out."""
    return [json.loads(p.read_text("utf-8")) for p in sorted((CORPUS / "gold").glob("*.json"))
            + sorted((CORPUS / "heldout" / "gold").glob("*.json"))]


def plan_with_table(*rows: str) -> str:
    """A short 2026 plan of Bình Dương whose one table (STT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành)
    holds `rows` ("| 1 | ... | ... | 2026 |"): for cases that need one odd cell in an otherwise real plan."""
    return ("ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG\nSố: 12/KH-UBND\nBình Dương, ngày 05 tháng 01 năm 2026\n\nKẾ HOẠCH\n"
            "Chuyển đổi số năm 2026\n\n| STT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành |\n|---|---|---|---|\n"
            + "\n".join(rows) + "\n")
