# vnplans: `make run` ingests the bundled corpus into outputs/vnplans.db; `make test` runs the test suite.
# Both create .venv and install the project first.
VENV   ?= .venv
PY     := $(VENV)/bin/python
CLI    := $(VENV)/bin/vnplans
DB     ?= outputs/vnplans.db
PYTHON ?= python3

.PHONY: setup run test score schema clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed

run: setup
	$(CLI) ingest corpus/seeds --db $(DB)
	$(CLI) list --db $(DB)

test: setup
	$(PY) -m pytest -q

# Score `extract --json` on the seed plans against their answer keys.
score: setup
	rm -rf outputs/pred && mkdir -p outputs/pred
	for f in corpus/seeds/*.txt; do $(CLI) extract $$f --json > outputs/pred/$$(basename $$f .txt).json; done
	$(PY) tools/score.py corpus/gold outputs/pred
	rm -rf outputs/pred-heldout && mkdir -p outputs/pred-heldout
	for f in corpus/heldout/seeds/*.txt; do $(CLI) extract $$f --json > outputs/pred-heldout/$$(basename $$f .txt).json; done
	$(PY) tools/score.py corpus/heldout/gold outputs/pred-heldout

schema: setup
	$(PY) -m schemas.extraction > schemas/extraction.schema.json

clean:
	rm -rf outputs/*.db outputs/*.db-* outputs/pred outputs/pred-heldout
