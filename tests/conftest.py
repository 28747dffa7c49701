import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
