"""`extract --json` output is valid against the JSON Schema kept in schemas/."""
import json

import jsonschema

from conftest import ROOT
from vnplans.schemas.extraction import json_schema


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
