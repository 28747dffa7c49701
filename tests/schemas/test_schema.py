"""`extract --json` output is valid against the JSON Schema kept in schemas/."""
import json

import jsonschema

from conftest import ROOT
from vnplans.schemas.extraction import Extraction, json_schema
from vnplans.schemas.records import COLUMNS, STORE_ONLY


def test_committed_schema_matches_the_model():
    committed = json.loads((ROOT / "schemas" / "extraction.schema.json").read_text("utf-8"))
    assert committed == json.loads(json.dumps(json_schema())), "run `make schema` after changing schemas/extraction.py"


def test_every_corpus_extraction_validates(extractions):
    schema = json.loads((ROOT / "schemas" / "extraction.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for name, ex in extractions.items():
        errors = list(validator.iter_errors(ex))
        assert not errors, f"{name}: {errors[0].message}"


def test_schema_rejects_a_broken_extraction(extractions):
    schema = json.loads((ROOT / "schemas" / "extraction.schema.json").read_text("utf-8"))
    ex = dict(next(iter(extractions.values())))
    ex["rows"] = [{"stt": "1"}]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(ex))


def _model_paths(model, prefix="") -> set[str]:
    """Every dotted field path of a pydantic model, into nested models (Optional and list items included)."""
    import typing

    from pydantic import BaseModel

    paths = set()
    for name, field in model.model_fields.items():
        paths.add(prefix + name)
        for arg in (field.annotation, *typing.get_args(field.annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                paths |= _model_paths(arg, prefix + name + ".")
    return paths


def _store_columns() -> dict[str, set[str]]:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.executescript((ROOT / "schemas" / "store.sql").read_text("utf-8"))
    return {t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")} for t in COLUMNS}


def test_the_store_columns_and_the_model_are_one_map():
    """Every stored column is a model field (or one the store fills), every mapped field exists in the model."""
    from vnplans.schemas.extraction import (AssignmentOut, OcrPage, PageQuality, Row, SectionOut, Target)

    models = {"documents": Extraction, "ocr_pages": OcrPage, "page_quality": PageQuality, "sections": SectionOut,
              "rows": Row, "assignments": AssignmentOut, "targets": Target}
    for table, columns in _store_columns().items():
        assert columns == set(COLUMNS[table]) | STORE_ONLY[table], table
        paths = _model_paths(models[table])
        assert not [p for p in COLUMNS[table].values() if p not in paths], table
    # and every scalar field of a row, a target and an assignment is stored somewhere
    def output(model) -> set[str]:  # the fields `extract --json` prints (a stage's working fields are not)
        return {n for n, f in model.model_fields.items() if not f.exclude}

    stored = {p.split(".")[0] for p in COLUMNS["rows"].values()}
    assert output(Row) - stored == {"lead", "coordinate", "monitor", "assignments"}  # -> assignments
    assert output(Target) - {p.split(".")[0] for p in COLUMNS["targets"].values()} == {"row_index"}
    assert output(AssignmentOut) - {p.split(".")[0] for p in COLUMNS["assignments"].values()} == {"agency"}


def test_a_record_carries_the_store_columns_the_worker_knows_and_the_store_adds_only_ids():
    from vnplans.pipeline.store_records import STORE_FILLED

    for table, filled in STORE_FILLED.items():
        assert set(filled) <= STORE_ONLY[table], table
        assert STORE_ONLY[table] - set(filled) <= {"id", "row_id", "agency_id"}, table
