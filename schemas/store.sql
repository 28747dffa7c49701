-- vnplans SQLite store. One transaction per document; foreign keys cascade so replacing
-- a document removes every row that came from it.
PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS documents (
  id             TEXT PRIMARY KEY,          -- SHA-256 of the raw file bytes
  source         TEXT NOT NULL,             -- file name
  format         TEXT NOT NULL,             -- text | html | pdf | docx
  ingested_at    TEXT NOT NULL,
  doc_number     TEXT,
  doc_number_raw TEXT,
  doc_type       TEXT,
  issuer         TEXT,
  province       TEXT,
  place          TEXT,
  issued_date    TEXT,
  issued_month   TEXT,
  signer         TEXT,
  signer_title   TEXT,
  title          TEXT,
  form           TEXT,
  period_start   INTEGER,
  period_end     INTEGER,
  warnings       TEXT NOT NULL DEFAULT '[]', -- JSON list
  extractor      TEXT,                      -- fingerprint of the extraction code that produced the rows
  pages          INTEGER,                   -- page count (PDF)
  province_code  TEXT,                      -- administrative code at the plan's date
  province_successor      TEXT,             -- the province it belongs to since the 2025 merger
  province_successor_code TEXT,
  province_regime TEXT,  -- before-merger | after-merger | uncertain (no date and the text did not settle it)
  plan_key       TEXT,   -- number | issuer | date, folded: the same plan in another file (a .txt and a .docx) shares it
  duplicate_of   TEXT,   -- another stored rendition of the same plan, which is the one counted (NULL: counted)
  body           TEXT NOT NULL              -- the text every span points into
);
CREATE INDEX IF NOT EXISTS documents_province ON documents(province);
CREATE INDEX IF NOT EXISTS documents_issued ON documents(issued_date);
CREATE INDEX IF NOT EXISTS documents_plan ON documents(plan_key);

-- Which file path currently holds which document: a changed file replaces its document.
CREATE TABLE IF NOT EXISTS sources (
  path   TEXT PRIMARY KEY,
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);

CREATE TABLE IF NOT EXISTS sections (
  doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  id       INTEGER NOT NULL,
  parent   INTEGER,
  kind     TEXT NOT NULL,
  label    TEXT,
  heading  TEXT,
  line     INTEGER,
  end_line INTEGER,
  start    INTEGER,
  "end"    INTEGER,
  page     INTEGER,
  search   TEXT,                              -- the heading without diacritics, đ as d: full-text search as typed
  PRIMARY KEY (doc_id, id)
);

CREATE TABLE IF NOT EXISTS rows (
  id             INTEGER PRIMARY KEY,
  doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx            INTEGER NOT NULL,          -- position in the document's extraction
  table_name     TEXT,
  kind           TEXT NOT NULL,             -- indicator | task
  stt            TEXT,
  grp            TEXT,
  text           TEXT NOT NULL,
  max_score      REAL,
  score          REAL,
  deadline_raw   TEXT,
  deadline_start TEXT,
  deadline_end   TEXT,
  recurrence     TEXT,
  deadline_kind  TEXT,                      -- ongoing ("Thường xuyên") | on_demand ("Khi có phát sinh"): no date by design
  inherited_start TEXT,                     -- no deadline printed: the period of the row's table or section
  inherited_end  TEXT,
  inherited_from TEXT,                      -- the heading that period was read from
  note           TEXT,
  origin         TEXT NOT NULL DEFAULT 'table',
  ocr            INTEGER NOT NULL DEFAULT 0, -- 1: read by OCR from a scanned page
  line           INTEGER,
  page           INTEGER,
  start          INTEGER,
  "end"          INTEGER,
  metric_id      TEXT,                      -- canonical metric (metrics.id), null when unlinked
  indicator_code TEXT,                      -- DTI indicator code in the catalog version in force
  catalog        TEXT,                      -- DTI catalog version id
  link_method    TEXT,                      -- code | parent-code | sub-item | via-target | alias | fuzzy
  link_score     REAL,
  search         TEXT                       -- text and group without diacritics, đ as d (full-text search)
);
CREATE INDEX IF NOT EXISTS rows_doc ON rows(doc_id);
CREATE INDEX IF NOT EXISTS rows_stt ON rows(stt);
CREATE INDEX IF NOT EXISTS rows_deadline ON rows(deadline_end);

CREATE TABLE IF NOT EXISTS targets (
  id         INTEGER PRIMARY KEY,
  doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx        INTEGER NOT NULL,
  metric     TEXT NOT NULL,
  comparator TEXT NOT NULL,
  value      REAL NOT NULL,
  value_max  REAL,
  unit       TEXT,
  year       INTEGER,
  scope      TEXT,
  quote      TEXT NOT NULL,
  row_id     INTEGER REFERENCES rows(id) ON DELETE SET NULL,
  ocr        INTEGER NOT NULL DEFAULT 0,
  line       INTEGER,
  page       INTEGER,
  start      INTEGER,
  "end"      INTEGER,
  metric_id      TEXT,
  indicator_code TEXT,
  catalog        TEXT,
  link_method    TEXT,
  link_score     REAL
);
CREATE INDEX IF NOT EXISTS targets_doc ON targets(doc_id);
CREATE INDEX IF NOT EXISTS targets_year ON targets(year);
CREATE INDEX IF NOT EXISTS targets_row ON targets(row_id);  -- a deleted row unlinks its targets without a scan

-- Pages read by OCR, with Tesseract's mean word confidence: where to double-check values.
CREATE TABLE IF NOT EXISTS ocr_pages (
  doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page       INTEGER NOT NULL,
  confidence REAL NOT NULL,
  PRIMARY KEY (doc_id, page)
);

-- Per PDF page: read from the text layer or by OCR, and how Vietnamese its text reads (shares of tokens that
-- are no Vietnamese syllable, and of one-letter tokens): pages to double-check.
CREATE TABLE IF NOT EXISTS page_quality (
  doc_id        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page          INTEGER NOT NULL,
  source        TEXT NOT NULL,
  non_syllable  REAL NOT NULL,
  single_letter REAL NOT NULL,
  PRIMARY KEY (doc_id, page)
);

CREATE TABLE IF NOT EXISTS agencies (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

-- One row per agency per role per item.
CREATE TABLE IF NOT EXISTS assignments (
  id        INTEGER PRIMARY KEY,
  doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  row_id    INTEGER NOT NULL REFERENCES rows(id) ON DELETE CASCADE,
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  role      TEXT NOT NULL CHECK (role IN ('lead', 'coordinate', 'monitor')),
  position  INTEGER NOT NULL,
  holder    TEXT,            -- the office holder named with the agency ("Giám đốc"), if any
  printed   TEXT,            -- the agency as the plan printed it ("Giám đốc Sở TT&TT"), abbreviations unexpanded
  canonical_id    TEXT,      -- canonical_agencies.id; null: not in the registry (vnplans agencies --unknown)
  agency_province TEXT,      -- the province whose instance of the agency this is
  qualifier       TEXT,      -- words narrowing the agency ("Trung tâm Phục vụ hành chính công")
  link_method     TEXT,      -- alias | alias+qualifier | pattern | fuzzy
  link_score      REAL
);
CREATE INDEX IF NOT EXISTS assignments_agency ON assignments(agency_id, role);
CREATE INDEX IF NOT EXISTS assignments_row ON assignments(row_id);
CREATE INDEX IF NOT EXISTS assignments_doc ON assignments(doc_id);

-- Files that could not be ingested, and why (kept until the file ingests cleanly).
CREATE TABLE IF NOT EXISTS failures (
  path      TEXT PRIMARY KEY,
  doc_id    TEXT,             -- SHA-256 of the bytes that failed: the file is retried when it changes
  reason    TEXT NOT NULL,    -- one line, no stack trace
  at        TEXT NOT NULL,
  extractor TEXT              -- the extractor version that failed on it: retried when the code changes
);

-- The named migrations (pipeline/store.py MIGRATIONS) this database has had.
CREATE TABLE IF NOT EXISTS migrations (
  name       TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL
);

-- Reference data, loaded from extractors/data/ whenever those files change.
CREATE TABLE IF NOT EXISTS reference (
  name        TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL
);

-- The canonical agency registry (extractors/data/agencies.yaml).
CREATE TABLE IF NOT EXISTS canonical_agencies (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  level      TEXT,
  collective INTEGER NOT NULL DEFAULT 0,
  successor  TEXT,            -- the agency that took over its functions (2025 reorganisation)
  since      TEXT,
  current_id TEXT NOT NULL,   -- end of the successor chain: today's agency
  note       TEXT
);

-- Canonical metrics (extractors/data/metrics.yaml and one per DTI indicator).
CREATE TABLE IF NOT EXISTS metrics (
  id       TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  unit     TEXT,
  dti_code TEXT,
  national TEXT NOT NULL DEFAULT '[]', -- JSON list of national targets {value, comparator, year, scope, source}
  aliases  TEXT NOT NULL DEFAULT '[]'
);

-- DTI catalog versions (extractors/data/dti_catalog.yaml), and the indicators a plan is checked against in each:
-- its component indicators, or its main ones where only those are published (components = 0).
CREATE TABLE IF NOT EXISTS dti_catalogs (
  id             TEXT PRIMARY KEY,
  decision       TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  follows        TEXT,
  components     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS dti_indicators (
  catalog        TEXT NOT NULL,
  code           TEXT NOT NULL,
  name           TEXT NOT NULL,
  pillar         TEXT NOT NULL,
  pillar_name    TEXT,
  max_score      REAL,
  parent         TEXT,
  effective_from TEXT,
  PRIMARY KEY (catalog, code)
);

-- How an indicator of one catalog version continues in the next (to_code NULL: dropped).
CREATE TABLE IF NOT EXISTS dti_correspondence (
  from_catalog TEXT NOT NULL,
  from_code    TEXT NOT NULL,
  to_catalog   TEXT NOT NULL,
  to_code      TEXT,
  PRIMARY KEY (from_catalog, from_code, to_catalog)
);

-- The 63 provinces a plan may name and the 34 they became on 2025-07-01.
CREATE TABLE IF NOT EXISTS provinces (
  code           TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  official       TEXT NOT NULL,
  successor      TEXT NOT NULL,
  successor_code TEXT NOT NULL
);
