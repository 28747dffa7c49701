# vnplans: `make run` ingests the bundled corpus into outputs/vnplans.db; `make test` runs the test suite.
# Both create .venv and install the project first.
VENV   ?= .venv
PY     := $(VENV)/bin/python
CLI    := $(VENV)/bin/vnplans
DB     ?= outputs/vnplans.db
PYTHON ?= python3

.PHONY: setup sysdeps testdeps run test test-fast goldens score score-renditions renditions bench schema serve screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# Tesseract + Vietnamese data for scanned PDFs (apt; see tools/install_system_deps.sh)
sysdeps:
	tools/install_system_deps.sh

# ... and Chromium, which the tests drive against `vnplans serve`
testdeps:
	tools/install_system_deps.sh --browser

setup: sysdeps $(VENV)/.installed

# The main job: every bundled plan into outputs/vnplans.db, then what researchers and auditors read from it.
run: setup
	$(CLI) ingest corpus/seeds corpus/heldout/seeds --db $(DB)
	$(CLI) list --db $(DB)
	$(CLI) metrics --db $(DB)
	$(CLI) agencies --unknown --db $(DB)
	$(CLI) compare smartphone-adults --db $(DB)
	$(CLI) compare sme-digital-platforms --db $(DB)
	$(CLI) compare --matrix --db $(DB)
	$(CLI) audit --doc 000_6f49e80e59cad2c1.txt --db $(DB)
	$(CLI) audit --html outputs/audit.html --db $(DB)
	$(CLI) export --format csv --out outputs/export --db $(DB) | tail -1

test: testdeps $(VENV)/.installed
	$(PY) -m pytest -q

# The edit loop: all but the tests marked slow (OCR, killed workers, the browser, other producers' PDFs).
test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -m "not slow"

# Rewrite the golden files of tests/data/<layout>/ (reader outline and extraction per layout) after a change
# meant to alter them; review the diff before committing.
goldens: $(VENV)/.installed
	$(PY) tools/make_goldens.py

# Browse outputs/vnplans.db in Datasette at http://127.0.0.1:8001/
serve: setup
	$(CLI) serve --db $(DB)

# Look at the audit report and the Datasette pages as a person would (PNG files in outputs/screenshots/).
screenshots: testdeps $(VENV)/.installed
	$(PY) tools/make_screenshots.py --db $(DB)

# Score `extract --json` on the seed plans against their answer keys.
score: setup
	rm -rf outputs/pred && mkdir -p outputs/pred
	for f in corpus/seeds/*.txt; do $(CLI) extract $$f --json > outputs/pred/$$(basename $$f .txt).json; done
	$(PY) tools/score.py corpus/gold outputs/pred
	rm -rf outputs/pred-heldout && mkdir -p outputs/pred-heldout
	for f in corpus/heldout/seeds/*.txt; do $(CLI) extract $$f --json > outputs/pred-heldout/$$(basename $$f .txt).json; done
	$(PY) tools/score.py corpus/heldout/gold outputs/pred-heldout
	rm -rf outputs/pred-real && mkdir -p outputs/pred-real
	for f in corpus/realdocs/docs/*; do $(CLI) extract $$f --json > outputs/pred-real/$$(basename $${f%.*}).json; done
	$(PY) tools/score.py corpus/realdocs/gold outputs/pred-real

# The DOCX/PDF/scan renditions against the same answer keys, next to the text seeds' scores.
score-renditions: setup
	$(PY) tools/score_renditions.py

# Rebuild corpus/renditions from the seeds (needs LibreOffice: apt-get install libreoffice-writer).
renditions: setup
	$(PY) tools/make_renditions.py
	$(PY) tools/make_foreign_pdfs.py

# Batch speed on a synthetic corpus of 1,000 perturbed plans (1 and 2 workers: documents/s, MB/s, peak
# memory, time per stage), then reader and pipeline speed on the renditions (PDF and OCR pages/s).
bench: setup
	$(PY) tools/bench_batch.py --count 1000
	$(PY) tools/bench.py
	$(PY) tools/bench_pdf.py

schema: setup
	$(PY) -m vnplans.schemas.extraction > schemas/extraction.schema.json

clean:
	rm -rf outputs/*.db outputs/*.db-* outputs/pred outputs/pred-heldout outputs/pred-real outputs/export outputs/audit.html outputs/screenshots
