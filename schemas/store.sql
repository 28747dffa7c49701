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
  body           TEXT NOT NULL              -- the text every span points into
);
CREATE INDEX IF NOT EXISTS documents_province ON documents(province);
CREATE INDEX IF NOT EXISTS documents_issued ON documents(issued_date);

-- Which file path currently holds which document: a changed file replaces its document.
CREATE TABLE IF NOT EXISTS sources (
  path   TEXT PRIMARY KEY,
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
);

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
  note           TEXT,
  origin         TEXT NOT NULL DEFAULT 'table',
  ocr            INTEGER NOT NULL DEFAULT 0, -- 1: read by OCR from a scanned page
  line           INTEGER,
  page           INTEGER,
  start          INTEGER,
  "end"          INTEGER
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
  "end"      INTEGER
);
CREATE INDEX IF NOT EXISTS targets_doc ON targets(doc_id);
CREATE INDEX IF NOT EXISTS targets_year ON targets(year);

-- Pages read by OCR, with Tesseract's mean word confidence: where to double-check values.
CREATE TABLE IF NOT EXISTS ocr_pages (
  doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page       INTEGER NOT NULL,
  confidence REAL NOT NULL,
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
  printed   TEXT             -- the agency as the row names it ("Giám đốc Sở Y tế")
);
CREATE INDEX IF NOT EXISTS assignments_agency ON assignments(agency_id, role);
CREATE INDEX IF NOT EXISTS assignments_row ON assignments(row_id);

-- Files that could not be ingested, and why (kept until the file ingests cleanly).
CREATE TABLE IF NOT EXISTS failures (
  path   TEXT PRIMARY KEY,
  doc_id TEXT,
  reason TEXT NOT NULL,
  at     TEXT NOT NULL
);
