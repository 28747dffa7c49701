"""The SQLite store: create it from schemas/store.sql, write one document per transaction, read it back."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import sqlite3
import urllib.parse
from importlib import resources
from pathlib import Path
from typing import Optional

from vnplans.extractors.errors import VnplansError
from vnplans.extractors.keys import fold

from vnplans.pipeline.store_records import DocumentRecords, columns_of, path_text

# Full-text search ignores diacritics (remove_diacritics 2); `search` holds the text folded with đ as d as well,
# which no FTS5 tokenizer does: "so tai chinh" and "dong" find "Sở Tài chính" and "đồng".
FTS = {"sections": ["heading", "search"], "rows": ["text", "stt", "grp", "search"]}
FTS_TOKENIZER = "unicode61 remove_diacritics 2"
# save() indexes a document's rows and sections in one statement each. An insert trigger (sqlite-utils' `_ai`)
# indexed them one by one, and FTS5 writes its pending terms to disk at every trigger's statement savepoint: that
# cost half of a document's store. The delete and update triggers stay, so a removed row leaves the index.
FTS_FILLED = "by save, one statement a table and document"
# FTS5 merges an index level's segments once 8 of them are there rather than 4 (each document's store adds one):
# half the merging, a tenth of a document's store; a search reads a few more segments, still in milliseconds.
FTS_AUTOMERGE = 8
# Columns added after the first release, as named migrations in the order they were made: (table, column, type).
# The `migrations` table records which ones a database has had; a fresh database is made from store.sql with
# every column and records them all. Releases before named migrations counted them in PRAGMA user_version.
MIGRATIONS: dict[str, list[tuple[str, str, str]]] = {
    "assignment-holder": [("assignments", "holder", "TEXT"), ("assignments", "printed", "TEXT")],
    "document-extractor": [("documents", "extractor", "TEXT")],
    "pages-and-ocr": [("documents", "pages", "INTEGER"), ("rows", "ocr", "INTEGER NOT NULL DEFAULT 0"),
                      ("targets", "ocr", "INTEGER NOT NULL DEFAULT 0")],
    "canonical-links": [("documents", "province_code", "TEXT"), ("documents", "province_successor", "TEXT"),
                        ("documents", "province_successor_code", "TEXT")]
    + [("assignments", c, t) for c, t in (("canonical_id", "TEXT"), ("agency_province", "TEXT"), ("qualifier", "TEXT"),
                                          ("link_method", "TEXT"), ("link_score", "REAL"))]
    + [(table, c, t) for table in ("rows", "targets")
       for c, t in (("metric_id", "TEXT"), ("indicator_code", "TEXT"), ("catalog", "TEXT"), ("link_method", "TEXT"),
                    ("link_score", "REAL"))],
    "failure-extractor": [("failures", "extractor", "TEXT")],
    "deadline-kind-and-inherited": [("rows", "deadline_kind", "TEXT"), ("rows", "inherited_start", "TEXT"),
                                    ("rows", "inherited_end", "TEXT"), ("rows", "inherited_from", "TEXT")],
    "province-regime": [("documents", "province_regime", "TEXT")],
    "folded-search": [("rows", "search", "TEXT"), ("sections", "search", "TEXT")],
    "renditions": [("documents", "plan_key", "TEXT"), ("documents", "duplicate_of", "TEXT")],
}


# How long a writer waits for another's transaction before the store reports "database is locked" (seconds):
# another program's, and a sibling worker's of the same batch (one document's store takes milliseconds, a
# 200-page plan's a fraction of a second, so a sibling that holds the lock longer is stuck).
OTHERS_WAIT = 5.0
SIBLING_WAIT = 60.0


def plan_key(number: Optional[str], issuer: Optional[str], date: Optional[str]) -> Optional[str]:
    """What makes two files the same plan: its number, issuer and date (folded); None when number or date
    is missing, so that two undated or unnumbered documents are never taken for one."""
    if not number or not date:
        return None
    return f"{fold(number)}|{fold(issuer or '')}|{date}"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class MissingDatabase(VnplansError, FileNotFoundError):
    """A read command pointed at a path with no database: it is not created there."""


class StoreError(VnplansError):
    """SQLite refused: the database is locked, read-only, full, or not a database."""


class Store:
    @classmethod
    def existing(cls, path: str | Path) -> "Store":
        """The store at `path` for reading, opened read-only so that a read never writes (and a read-only file
        or mount can be read). A missing file is an error, not a new empty database; one made by an older
        release is brought up to date first, which needs it writable."""
        if not Path(path).is_file():
            raise MissingDatabase(f"no database here (vnplans ingest PATH --db {path} makes one; "
                                  f"VNPLANS_DB sets the default)", str(path))
        store = cls.__new__(cls)
        store._connect(Path(path), readonly=True)
        if store._up_to_date():
            return store
        store.close()
        try:
            return cls(path)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"made by an older vnplans and cannot be upgraded here ({exc})", str(path)) from None

    @classmethod
    def attach(cls, path: str | Path) -> "Store":
        """Another writing connection to a store this batch has opened (and so created or upgraded): a worker
        process's, which stores what it extracts. No schema work; writers take turns at SQLite's write lock."""
        store = cls.__new__(cls)
        store._connect(Path(path), readonly=False, wait=SIBLING_WAIT)
        return store

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connect(self.path, readonly=False)
        self._create()

    def _connect(self, path: Path, readonly: bool, wait: float = OTHERS_WAIT) -> None:
        self.path = path
        self.readonly = readonly
        if readonly:
            uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
            try:
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None)
                self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:  # WAL on a read-only mount: no -shm can be made; nobody writes there
                self.conn = sqlite3.connect(uri.replace("mode=ro", "immutable=1"), uri=True, isolation_level=None)
            self.conn.execute("PRAGMA query_only = ON")
        else:
            self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=wait)
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            # WAL with NORMAL sync: a killed process never loses or half-writes a committed document; only
            # a power cut may roll back the last few commits (the database stays consistent either way)
            self.conn.execute("PRAGMA synchronous = NORMAL")
            # copy the log into the database every 40 MB rather than 4: a page that many documents touch (an index,
            # the full-text index) is copied once instead of ten times; the log goes when the writer closes
            self.conn.execute("PRAGMA wal_autocheckpoint = 10000")
        self._agency_ids: dict[str, int] = {}

    @functools.cached_property
    def db(self):
        """sqlite-utils over the same connection, for the full-text index's setup and the read side. Imported
        when first asked for: it brings pandas, which a worker that only stores documents does not need."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    @functools.cached_property
    def _fingerprints(self) -> dict[str, str]:
        """What the tables, the views and the reference data of this release hash to (hashed once a store)."""
        from vnplans.pipeline import reference

        def sha(name: str, extra: str = "") -> str:
            data = resources.files("vnplans.schemas").joinpath(name).read_bytes() + extra.encode()
            return hashlib.sha256(data).hexdigest()[:16]

        schema = sha("store.sql", repr((MIGRATIONS, FTS, FTS_TOKENIZER, FTS_FILLED, FTS_AUTOMERGE)))
        # the reference tables are reloaded when the data files change, or the tables they fill
        return {"schema": schema, "views": sha("views.sql"), "data": reference.fingerprint() + schema}

    def _up_to_date(self) -> bool:
        """Made by this release: nothing to migrate, create or reload."""
        try:
            if {n for (n,) in self.conn.execute("SELECT name FROM migrations")} != set(MIGRATIONS):
                return False
            have = dict(self.conn.execute("SELECT name, fingerprint FROM reference").fetchall())
        except sqlite3.Error:
            return False
        return all(have.get(k) == v for k, v in self._fingerprints.items())

    def _create(self) -> None:
        self._migrate()
        self.conn.executescript(resources.files("vnplans.schemas").joinpath("store.sql").read_text("utf-8"))
        self.conn.execute("INSERT OR REPLACE INTO reference(name, fingerprint) VALUES ('schema', ?)",
                          (self._fingerprints["schema"],))
        for table, cols in FTS.items():
            fts = self.db[table].detect_fts()
            if fts and ("search" not in self.db[fts].columns_dict or FTS_TOKENIZER not in self.db[fts].schema):
                self.db[table].disable_fts()  # an index of an older release: rebuilt with today's columns
                fts = None
            if not fts:
                self.db[table].enable_fts(cols, create_triggers=True, tokenize=FTS_TOKENIZER)
            self.conn.execute(f"DROP TRIGGER IF EXISTS [{table}_ai]")  # save() indexes what it inserts
            self.conn.execute(f"INSERT INTO [{table}_fts]([{table}_fts], rank) VALUES ('automerge', {FTS_AUTOMERGE})")
        self._load_reference()
        self._create_views()

    def _migrate(self) -> None:
        """Add the columns of every migration this database has not had, and record each by name."""
        fresh = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'documents'").fetchone()[0] == 0
        with self._tx():
            self.conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {n for (n,) in self.conn.execute("SELECT name FROM migrations")}
            if not done and not fresh:  # made before named migrations: user_version counted the ones it had
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                done = set(list(MIGRATIONS)[:version])
                self._record_migrations(done)
            for name, columns in MIGRATIONS.items():
                if name in done:
                    continue
                if not fresh:  # a fresh database gets every column from store.sql
                    for table, column, kind in columns:
                        if column not in {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}:
                            self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
                    if name == "renditions":  # the plans stored before: which files are the same plan
                        for ident, number, issuer, date in self.conn.execute(
                                "SELECT id, doc_number, issuer, issued_date FROM documents").fetchall():
                            self.conn.execute("UPDATE documents SET plan_key = ? WHERE id = ?",
                                              (plan_key(number, issuer, date), ident))
                        for (key_,) in self.conn.execute("SELECT DISTINCT plan_key FROM documents"
                                                         " WHERE plan_key IS NOT NULL").fetchall():
                            self._settle_renditions(plan=key_)
                self._record_migrations([name])

    def _record_migrations(self, names) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO migrations(name, applied_at) VALUES (?, ?)",
                              [(n, _now()) for n in names])

    def _create_views(self) -> None:
        """(Re)create the read-side views of schemas/views.sql when that file changed."""
        sql = resources.files("vnplans.schemas").joinpath("views.sql").read_text("utf-8")
        fingerprint = self._fingerprints["views"]
        row = self.conn.execute("SELECT fingerprint FROM reference WHERE name = 'views'").fetchone()
        if row and row[0] == fingerprint:
            return
        with self._tx():
            statement = ""
            for line in sql.splitlines(keepends=True):
                statement += line
                if sqlite3.complete_statement(statement):
                    self.conn.execute(statement)
                    statement = ""
            self.conn.execute("INSERT OR REPLACE INTO reference(name, fingerprint) VALUES ('views', ?)", (fingerprint,))

    def _load_reference(self) -> None:
        """Copy the registry, catalogs and provinces into the database when their files changed."""
        from vnplans.extractors.normalize.reference import Reference
        from vnplans.pipeline import reference

        fingerprint = self._fingerprints["data"]
        row = self.conn.execute("SELECT fingerprint FROM reference WHERE name = 'data'").fetchone()
        if row and row[0] == fingerprint:
            return
        with self._tx():
            for table, rows in reference.tables(Reference.load()).items():
                self.conn.execute(f"DELETE FROM {table}")
                if rows:
                    cols = list(rows[0])
                    self.conn.executemany(
                        f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        [tuple(r[c] for c in cols) for r in rows])
            self.conn.execute("INSERT OR REPLACE INTO reference(name, fingerprint) VALUES ('data', ?)", (fingerprint,))

    def close(self) -> None:
        self.conn.close()

    # --- writing ------------------------------------------------------------------------

    def known(self, doc_id: str, extractor: Optional[str] = None) -> bool:
        """Stored already (and, when `extractor` is given, by that version of the extraction code)."""
        row = self.conn.execute("SELECT extractor FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row is not None and (extractor is None or row[0] == extractor)

    def stored(self, path: str, doc_id: str, extractor: str) -> bool:
        """Whether this content is stored by this extractor version; if so, `path` now points at it."""
        if not self.known(doc_id, extractor):
            return False
        if self.path_doc(path) != doc_id:
            self.link_path(path, doc_id)
        return True

    def path_doc(self, path: str) -> Optional[str]:
        row = self.conn.execute("SELECT doc_id FROM sources WHERE path = ?", (path_text(path),)).fetchone()
        return row[0] if row else None

    def link_path(self, path: str, doc_id: str) -> None:
        """Point a path at an already stored document (same content under another name)."""
        path = path_text(path)
        with self._tx():
            old = self.path_doc(path)
            self.conn.execute("INSERT OR REPLACE INTO sources(path, doc_id) VALUES (?, ?)", (path, doc_id))
            if old and old != doc_id:
                self._drop_if_orphan(old)
            self.conn.execute("DELETE FROM failures WHERE path = ?", (path,))

    def save(self, path: str, records: "DocumentRecords", body: str, extractor: Optional[str] = None) -> None:
        """Store one document and everything extracted from it, replacing what the path held before."""
        path = path_text(path)
        doc_id = records.doc_id
        with self._tx():
            old = self.path_doc(path)
            self._delete(doc_id)
            document = {**records.document, "ingested_at": _now(), "body": body, "extractor": extractor,
                        "plan_key": plan_key(records.document["doc_number"], records.document["issuer"],
                                             records.document["issued_date"])}
            self._insert("documents", list(document), [tuple(document.values())])
            self.conn.execute("INSERT OR REPLACE INTO sources(path, doc_id) VALUES (?, ?)", (path, doc_id))
            for table in ("ocr_pages", "page_quality", "sections", "rows"):
                self._insert(table, columns_of(table), records.tables[table])
            for table, cols in FTS.items():
                names = ", ".join(f"[{c}]" for c in cols)
                self.conn.execute(f"INSERT INTO [{table}_fts] (rowid, {names}) SELECT rowid, {names} FROM [{table}]"
                                  " WHERE doc_id = ?", (doc_id,))
            row_ids = [rid for (rid,) in self.conn.execute("SELECT id FROM rows WHERE doc_id = ? ORDER BY idx",
                                                           (doc_id,))]
            self._insert("assignments", [*columns_of("assignments"), "row_id", "agency_id"],
                         [(*r, row_ids[i], self._agency_id(agency)) for i, agency, r in records.assignments])
            self._insert("targets", [*columns_of("targets"), "row_id"],
                         [(*r, row_ids[i] if i is not None and i < len(row_ids) else None) for i, r in records.targets])
            if old and old != doc_id:
                self._drop_if_orphan(old)
            self._settle_renditions(doc_id)
            self.conn.execute("DELETE FROM failures WHERE path = ?", (path,))

    def _insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        """Rows of one table, their values in `columns` order, in one executemany: sqlite-utils' insert_all costs
        as much as the rest of a document's store (it inspects and converts every value); these hold stored values
        already (schemas/records.py), bound by position (named parameters cost a string and a lookup a value)."""
        if rows:
            self.conn.executemany(f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                                  f"VALUES ({', '.join('?' * len(columns))})", rows)

    def renditions(self, doc_id: str) -> list[dict]:
        """The stored files of the plan `doc_id` is (itself included) when there are several: source, id, and
        whether it is the one counted."""
        found = self.query("SELECT o.id, o.source, o.duplicate_of IS NULL AS counted FROM documents d"
                           " JOIN documents o ON o.plan_key = d.plan_key WHERE d.id = ? ORDER BY counted DESC, o.source",
                           [doc_id])
        return found if len(found) > 1 else []

    def record_failure(self, path: str, reason: str, doc_id: Optional[str] = None,
                       extractor: Optional[str] = None) -> None:
        """Remember why a file failed; the next run skips it until its content or the extractor changes."""
        with self._tx():
            self.conn.execute("INSERT OR REPLACE INTO failures(path, doc_id, reason, at, extractor) VALUES (?,?,?,?,?)",
                              (path_text(path), doc_id, path_text(reason), _now(), extractor))

    def _agency_id(self, name: str) -> int:
        """The id of a printed agency name, added on first sight (ids are never reused, so they can be cached)."""
        known = self._agency_ids.get(name)
        if known is not None:
            return known
        row = self.conn.execute("SELECT id FROM agencies WHERE name = ?", (name,)).fetchone()
        ident = row[0] if row else self.conn.execute("INSERT INTO agencies(name) VALUES (?)", (name,)).lastrowid
        self._agency_ids[name] = ident
        return ident

    def _delete(self, doc_id: str) -> None:
        row = self.conn.execute("SELECT plan_key FROM documents WHERE id = ?", (doc_id,)).fetchone()
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        if row and row[0]:
            self._settle_renditions(plan=row[0])

    def _settle_renditions(self, doc_id: Optional[str] = None, plan: Optional[str] = None) -> None:
        """Of the stored renditions of one plan (the same number, issuer and date), count one: the one with the
        most rows (then targets, then the smaller id, so that the choice does not depend on the order of
        ingest); the others point at it."""
        if plan is None:
            row = self.conn.execute("SELECT plan_key FROM documents WHERE id = ?", (doc_id,)).fetchone()
            plan = row[0] if row else None
        if not plan:
            return
        ranked = [i for (i,) in self.conn.execute(
            "SELECT d.id FROM documents d WHERE d.plan_key = ? ORDER BY (SELECT count(*) FROM rows r WHERE"
            " r.doc_id = d.id) DESC, (SELECT count(*) FROM targets t WHERE t.doc_id = d.id) DESC, d.id", (plan,))]
        for i, ident in enumerate(ranked):
            self.conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (ranked[0] if i else None, ident))

    def _drop_if_orphan(self, doc_id: str) -> None:
        if not self.conn.execute("SELECT 1 FROM sources WHERE doc_id = ?", (doc_id,)).fetchone():
            self._delete(doc_id)

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self._agency_ids.clear()  # ids handed out inside the transaction are gone with it

    def _tx(self):
        store = self

        class _T:
            def __enter__(self_inner):
                store.conn.execute("BEGIN IMMEDIATE")

            def __exit__(self_inner, exc_type, exc, tb):
                if not exc_type:
                    try:
                        store.conn.execute("COMMIT")
                        return False
                    except sqlite3.Error:  # a full disk may refuse the commit itself
                        store._rollback()
                        raise
                store._rollback()
                return False

        return _T()

    # --- reading ------------------------------------------------------------------------

    def query(self, sql: str, params=()) -> list[dict]:
        """Rows of a read query as dicts (the views of schemas/views.sql are meant for this)."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, r)) for r in cursor]
