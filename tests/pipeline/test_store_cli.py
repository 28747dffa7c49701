"""Store and CLI: idempotent ingest, replacement of changed files, bad files in a batch."""
import json
import shutil
import sqlite3

import pytest

from conftest import SEEDS
from vnplans.pipeline.cli import main
from vnplans.pipeline import listings
from vnplans.pipeline.store import Store


def test_ingest_is_idempotent_and_replaces_changed_files(tmp_path, capsys):
    db = tmp_path / "t.db"
    src = tmp_path / "plans"
    src.mkdir()
    for p in SEEDS[:2]:
        shutil.copy(p, src / p.name)
    assert main(["ingest", str(src), "--db", str(db)]) == 0
    conn = sqlite3.connect(db)
    counts = conn.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM rows),"
                          " (SELECT count(*) FROM assignments)").fetchone()
    assert counts[0] == 2 and counts[1] > 100 and counts[2] > 100
    assert main(["ingest", str(src), "--db", str(db)]) == 0
    assert "0 ingested, 2 unchanged" in capsys.readouterr().out
    assert conn.execute("SELECT count(*) FROM rows").fetchone()[0] == counts[1]
    # change one file: its old document and rows are replaced, not duplicated
    target = src / SEEDS[0].name
    target.write_text(target.read_text("utf-8").replace("Nguyễn Lộc Hà", "Nguyễn Văn A"), "utf-8")
    assert main(["ingest", str(src), "--db", str(db)]) == 0
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    assert conn.execute("SELECT signer FROM documents WHERE source = ?", (SEEDS[0].name,)).fetchone()[0] == "Nguyễn Văn A"
    assert conn.execute("SELECT count(*) FROM rows").fetchone()[0] == counts[1]


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path, capsys):
    db = tmp_path / "t.db"
    src = tmp_path / "mixed"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "junk.txt").write_bytes(bytes(range(256)) * 10)
    (src / "recipe.txt").write_text("Bánh mì trứng\n\nĐập hai quả trứng, thêm muối.\n\nChiên vàng hai mặt.", "utf-8")
    shutil.copy(SEEDS[2], src / SEEDS[2].name)
    assert main(["ingest", str(src), "--db", str(db)]) == 3  # some stored, some failed
    captured = capsys.readouterr()
    assert "empty.txt: empty file" in captured.err
    assert "junk.txt: binary data" in captured.err
    assert "no plan structure found" in captured.out
    main(["list", "--db", str(db)])
    listing = capsys.readouterr().out
    assert "FAILED" in listing and "junk.txt" in listing and "382/KH-UBND" in listing


def test_exit_status_is_nonzero_only_when_nothing_ingested(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "t.db")]) == 1


def test_extract_json_and_show(tmp_path, capsys):
    assert main(["extract", str(SEEDS[0]), "--json"]) == 0
    ex = json.loads(capsys.readouterr().out)
    assert ex["document"]["doc_number"] == "4876/KH-UBND" and len(ex["rows"]) > 40
    row = next(r for r in ex["rows"] if r["stt"] == "2.7")
    body = SEEDS[0].read_text("utf-8")
    assert body[row["provenance"]["start"]:row["provenance"]["end"]].startswith("Tổ chức hội nghị")
    db = str(tmp_path / "t.db")
    main(["ingest", str(SEEDS[0]), "--db", db])
    capsys.readouterr()
    assert main(["show", SEEDS[0].name, "--db", db]) == 0
    out = capsys.readouterr().out
    assert "[roman] III NHIỆM VỤ, GIẢI PHÁP" in out and "Nguyễn Lộc Hà" in out


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    """All seed plans ingested once, shared by the read-only query tests."""
    db = tmp_path_factory.mktemp("seeds") / "t.db"
    main(["ingest", *map(str, SEEDS), "--db", str(db)])
    conn = sqlite3.connect(db)
    yield conn
    conn.close()


def test_one_query_answers_what_an_agency_leads(seeds_db):
    led = seeds_db.execute(
        "SELECT r.stt, r.text, r.deadline_end FROM assignments x JOIN agencies a ON a.id = x.agency_id"
        " JOIN rows r ON r.id = x.row_id WHERE a.name = 'Sở Tài chính' AND x.role = 'lead'"
        " ORDER BY r.deadline_end").fetchall()
    assert len(led) >= 5 and any(stt == "2.8" for stt, _, _ in led)


def test_prose_tasks_given_to_a_director_count_for_the_agency(seeds_db):
    rows = seeds_db.execute(
        "SELECT x.holder, x.printed, r.origin FROM assignments x JOIN agencies a ON a.id = x.agency_id"
        " JOIN rows r ON r.id = x.row_id WHERE a.name = 'Sở Y tế' AND x.role = 'lead'").fetchall()
    assert ("Giám đốc", "Giám đốc Sở Y tế", "prose") in rows


def test_older_database_is_migrated_in_place(tmp_path):
    from vnplans.pipeline.store import MIGRATIONS, Store

    db = tmp_path / "old.db"
    main(["ingest", str(SEEDS[0]), "--db", str(db)])
    conn = sqlite3.connect(db)  # turn it back into a first-release database (which had no views)
    conn.executescript("DROP VIEW commitment_matrix; DROP VIEW commitments; DROP VIEW items; DROP VIEW agency_items;"
                       "DELETE FROM reference WHERE name = 'views';"
                       "ALTER TABLE assignments DROP COLUMN holder; ALTER TABLE assignments DROP COLUMN printed;"
                       "DROP TABLE migrations; DROP TABLE dti_catalogs; PRAGMA user_version = 0;"
                       "UPDATE reference SET fingerprint = 'first release' WHERE name IN ('schema', 'data');")
    conn.close()
    store = Store(db)
    cols = [r[1] for r in store.conn.execute("PRAGMA table_info(assignments)")]
    assert "holder" in cols and "printed" in cols
    assert [n for (n,) in store.conn.execute("SELECT name FROM migrations ORDER BY rowid")] == list(MIGRATIONS)
    assert len(listings.documents(store)) == 1  # nothing stored is lost
    assert store.query("SELECT count(*) AS n FROM dti_catalogs")[0]["n"] >= 2  # a reference table it lacked is filled


def test_a_database_counted_by_user_version_gets_only_the_migrations_it_lacks(tmp_path):
    from vnplans.pipeline.store import MIGRATIONS, Store

    db = tmp_path / "old.db"
    main(["ingest", str(SEEDS[0]), "--db", str(db)])
    conn = sqlite3.connect(db)  # a release that had the first six migrations, counted in user_version
    conn.executescript("DROP TABLE migrations; ALTER TABLE documents DROP COLUMN province_regime;"
                       "PRAGMA user_version = 6;")
    conn.close()
    store = Store(db)
    assert "province_regime" in store.db["documents"].columns_dict
    assert {n for (n,) in store.conn.execute("SELECT name FROM migrations")} == set(MIGRATIONS)
    ran = store.conn.execute("SELECT name FROM migrations ORDER BY rowid").fetchall()
    assert [n for (n,) in ran][6:] == list(MIGRATIONS)[6:]


def test_an_older_full_text_index_is_rebuilt_to_ignore_diacritics(tmp_path):
    db = tmp_path / "old.db"
    main(["ingest", str(SEEDS[0]), "--db", str(db)])
    old = Store(db)
    old.db["rows"].disable_fts()  # the first release's index: diacritics kept, no folded column
    old.db["rows"].enable_fts(["text", "stt", "grp"], create_triggers=True, tokenize="unicode61 remove_diacritics 0")
    assert not old.query("SELECT rowid FROM rows_fts WHERE rows_fts MATCH 'tai chinh'")
    old.close()
    store = Store(db)
    assert store.query("SELECT rowid FROM rows_fts WHERE rows_fts MATCH 'tai chinh'")


def _index_matches_the_rows(db) -> bool:
    """FTS5's own check that the index holds exactly what the rows and sections hold, and no more."""
    conn = sqlite3.connect(db)
    try:
        for table in ("rows", "sections"):
            conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('integrity-check')")
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def test_the_full_text_index_follows_new_and_replaced_documents(tmp_path):
    src = tmp_path / "plans"
    src.mkdir()
    for p in SEEDS[:2]:
        shutil.copy(p, src / p.name)
    db = tmp_path / "t.db"
    assert main(["ingest", str(src), "--db", str(db)]) == 0
    assert _index_matches_the_rows(db)
    store = Store(db)
    assert store.query("SELECT rowid FROM rows_fts WHERE rows_fts MATCH 'so tai chinh'")
    store.close()
    changed = src / SEEDS[0].name  # its document is replaced: the old rows leave the index, the new ones enter it
    changed.write_text(changed.read_text("utf-8").replace("kinh tế số", "kinh tế sốđổi"), "utf-8")
    assert main(["ingest", str(src), "--db", str(db)]) == 0
    assert _index_matches_the_rows(db)
    store = Store(db)
    assert store.query("SELECT rowid FROM rows_fts WHERE rows_fts MATCH 'sodoi'")
    store.close()


def test_an_older_database_loses_the_insert_trigger_that_save_replaces(tmp_path):
    db = tmp_path / "old.db"
    main(["ingest", str(SEEDS[0]), "--db", str(db)])
    conn = sqlite3.connect(db)  # a release that indexed rows by sqlite-utils' insert trigger
    conn.executescript("""CREATE TRIGGER rows_ai AFTER INSERT ON rows BEGIN
                            INSERT INTO rows_fts (rowid, text, stt, grp, search)
                            VALUES (new.rowid, new.text, new.stt, new.grp, new.search); END;
                          UPDATE reference SET fingerprint = 'older' WHERE name = 'schema';""")
    conn.close()
    main(["ingest", str(SEEDS[1]), "--db", str(db)])
    conn = sqlite3.connect(db)
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'rows_ai'").fetchall()
    conn.close()
    assert _index_matches_the_rows(db)


def test_documents_from_an_older_extractor_are_extracted_again(tmp_path, capsys):
    db = tmp_path / "t.db"
    main(["ingest", str(SEEDS[0]), "--db", str(db)])
    conn = sqlite3.connect(db)
    conn.execute("UPDATE documents SET extractor = 'old'")
    conn.commit()
    conn.close()
    capsys.readouterr()
    main(["ingest", str(SEEDS[0]), "--db", str(db)])
    assert capsys.readouterr().out.startswith("ingested")
    main(["ingest", str(SEEDS[0]), "--db", str(db)])
    assert capsys.readouterr().out.startswith("unchanged")


def test_exit_status_and_read_commands_on_a_missing_database(tmp_path, capsys):
    db = tmp_path / "t.db"
    assert main(["ingest", str(SEEDS[0]), "--db", str(db)]) == 0  # every file stored
    assert main(["ingest", str(SEEDS[0]), "--db", str(db)]) == 0  # unchanged is fine too
    (tmp_path / "empty").mkdir()
    assert main(["ingest", str(tmp_path / "empty"), "--db", str(db)]) == 1
    assert "no files to ingest" in capsys.readouterr().err
    # a read command in the wrong folder says so, and makes no empty database there
    missing = tmp_path / "elsewhere" / "vnplans.db"
    for cmd in (["list"], ["show", "x"], ["agencies"], ["metrics"], ["compare", "smartphone-adults"], ["audit"],
                ["export", "--format", "csv", "--out", str(tmp_path / "out")]):
        assert main([*cmd, "--db", str(missing)]) == 1, cmd
        assert "no database here" in capsys.readouterr().err
    assert not missing.exists() and not missing.parent.exists()


def test_read_commands_never_write_and_sqlite_errors_are_one_line(tmp_path, capsys):
    import hashlib

    db = tmp_path / "t.db"
    assert main(["ingest", str(SEEDS[0]), "--db", str(db)]) == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for cmd in (["list"], ["show", SEEDS[0].name], ["agencies"], ["metrics"], ["compare", "smartphone-adults"],
                ["audit"], ["export", "--format", "csv", "--out", str(tmp_path / "out")]):
        assert main([*cmd, "--db", str(db)]) in (0, 1), cmd
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    store = Store.existing(db)
    assert store.readonly
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
        store.conn.execute("DELETE FROM documents")
    store.close()
    capsys.readouterr()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database, a text file someone named .db\n" * 100)
    assert main(["list", "--db", str(junk)]) == 1
    assert capsys.readouterr().err == f"error: {junk}: file is not a database\n"


@pytest.mark.slow  # SQLite waits its 5 s busy timeout first
def test_a_locked_database_is_one_line(tmp_path, capsys):
    db = tmp_path / "t.db"
    assert main(["ingest", str(SEEDS[0]), "--db", str(db)]) == 0
    locker = sqlite3.connect(db, isolation_level=None)  # another program holds the write lock
    locker.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["ingest", str(SEEDS[1]), "--db", str(db)]) == 1
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == f"error: {db}: database is locked"


def test_a_full_disk_fails_one_document_and_the_next_one_is_stored(tmp_path, capsys):
    from vnplans.pipeline.ingest.local import Summary, save
    from vnplans.pipeline.stages import process, to_extraction
    from vnplans.pipeline.store_records import DocumentRecords

    store = Store(tmp_path / "t.db")
    docs = [process(p) for p in SEEDS[:3]]
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up
    summary = Summary()
    assert not save(store, summary, None, str(SEEDS[1]), docs[1].source.sha256, DocumentRecords.of(to_extraction(docs[1])),
                    docs[1].source.text, "v", None)
    assert "database or disk is full" in summary.failed[0][1]
    store.conn.execute("PRAGMA max_page_count = 1073741823")  # space again
    assert save(store, summary, None, str(SEEDS[2]), docs[2].source.sha256, DocumentRecords.of(to_extraction(docs[2])),
                docs[2].source.text, "v", None)  # no stale agency id from the failed one
    assert [d["source"] for d in listings.documents(store)] == [SEEDS[2].name]
    store.close()


def test_every_listing_comes_as_json_or_csv(tmp_path, capsys):
    import csv
    import io

    db = str(tmp_path / "t.db")
    assert main(["ingest", str(SEEDS[0]), str(SEEDS[2]), "--db", db]) == 0
    capsys.readouterr()
    assert main(["list", "--json", "--db", db]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert {d["doc_number"] for d in docs} == {"4876/KH-UBND", "382/KH-UBND"} and docs[0]["warnings"] == []
    assert "body" not in docs[0]
    for cmd, key in ((["agencies"], "lead"), (["agencies", "--unknown"], None), (["metrics"], "targets"),
                     (["metrics", "--unlinked"], "text"), (["agencies", "Sở Tài chính"], "due_from"),
                     (["list", "--failed"], None)):
        assert main([*cmd, "--csv", "--db", db]) == 0, cmd
        out = capsys.readouterr().out
        rows = list(csv.DictReader(io.StringIO(out)))
        if key:
            assert rows and key in rows[0], (cmd, out[:200])
        assert main([*cmd, "--json", "--db", db]) == 0
        assert isinstance(json.loads(capsys.readouterr().out), list)


def test_show_as_json_and_csv(corpus_db, capsys):
    import csv
    import io

    assert main(["show", "004_c147", "--json", "--targets", "--db", str(corpus_db)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["document"]["source"].startswith("004_c147") and isinstance(shown["document"]["warnings"], list)
    assert shown["sections"] and shown["targets"] and "body" not in shown["document"]
    assert main(["show", "004_c147", "--csv", "--db", str(corpus_db)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == shown["document"]["n_rows"] and {"stt", "text", "lead", "deadline_raw"} <= set(rows[0])
    assert main(["show", "004_c147", "--csv", "--targets", "--db", str(corpus_db)]) == 0
    targets = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [t["quote"] for t in targets] == [t["quote"] for t in shown["targets"]]


def test_extract_several_files_in_order_as_a_json_array_and_one_bad_file_named(capsys, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    assert main(["extract", str(SEEDS[1]), str(bad), str(SEEDS[0]), "--to", "json"]) == 3  # PARTIAL
    out = capsys.readouterr()
    extractions = json.loads(out.out)
    assert [e["source"] for e in extractions] == [SEEDS[1].name, SEEDS[0].name]  # the order given
    assert f"error: {bad}:" in out.err and len(out.err.strip().splitlines()) == 1
    assert main(["extract", str(bad)]) == 1


def test_extract_from_standard_input_as_json_lines(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SEEDS[0].read_bytes())))
    assert main(["extract", "-", "--to", "jsonl"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    ex = json.loads(line)
    assert ex["source"] == "stdin" and ex["document"]["doc_number"] == "4876/KH-UBND" and len(ex["rows"]) == 63


def test_extract_to_markdown_files_in_a_folder(tmp_path, capsys):
    out = tmp_path / "md"
    assert main(["extract", str(SEEDS[0]), "--to", "md", "--out", str(out)]) == 0
    md = (out / f"{SEEDS[0].stem}.md").read_text("utf-8")
    assert md.startswith("# Nâng cao xếp hạng chuyển đổi số của tỉnh Bình Dương")
    assert "## I. MỤC ĐÍCH, YÊU CẦU" in md and "| Số | 4876/KH-UBND |" in md
    header = next(line for line in md.splitlines() if line.startswith("| STT (theo bộ chỉ số DTI)"))
    assert "Cơ quan chủ trì" in header and "| 2.8 | Ban hành chính sách tỷ lệ chi" in md
    assert "## Chỉ tiêu trích xuất (targets)" in md
    assert main(["extract", str(SEEDS[0]), str(SEEDS[1]), "--to", "jsonl", "--out", str(out)]) == 0
    assert len((out / "extractions.jsonl").read_text("utf-8").splitlines()) == 2


def test_the_same_plan_in_two_files_is_kept_twice_and_counted_once(tmp_path, capsys):
    docx = SEEDS[0].parent.parent / "renditions" / "docx" / f"{SEEDS[0].stem}.docx"
    once, twice = tmp_path / "once.db", tmp_path / "twice.db"
    assert main(["ingest", str(SEEDS[0]), "--db", str(once)]) == 0
    capsys.readouterr()
    assert main(["ingest", str(SEEDS[0]), str(docx), "--db", str(twice)]) == 0
    assert "the same plan (4876/KH-UBND) in 2 files, counted once" in capsys.readouterr().out
    main(["list", "--db", str(twice)])
    listing = capsys.readouterr().out
    assert SEEDS[0].name in listing and docx.name in listing and "stored too, counted once" in listing
    for command in (["agencies"], ["metrics"], ["compare", "--matrix"], ["audit", "--as-of", "2024-01-01"]):
        main([*command, "--db", str(once)])
        alone = capsys.readouterr().out
        main([*command, "--db", str(twice)])
        assert capsys.readouterr().out == alone, command
    store = Store(twice)
    (counted,) = store.query("SELECT id FROM documents WHERE duplicate_of IS NULL")
    store._delete(counted["id"])  # the counted file goes: the other rendition is counted now
    assert store.query("SELECT count(*) AS n FROM documents WHERE duplicate_of IS NULL")[0]["n"] == 1


def test_the_shell_completes_commands_and_options(tmp_path):
    """What bash or zsh get once `eval "$(register-python-argcomplete vnplans)"` is in the user's profile."""
    import os
    import subprocess
    import sys

    def complete(line: str) -> set[str]:
        out = tmp_path / "completions"
        env = {**os.environ, "_ARGCOMPLETE": "1", "COMP_LINE": line, "COMP_POINT": str(len(line)),
               "_ARGCOMPLETE_STDOUT_FILENAME": str(out)}
        subprocess.run([sys.executable, "-m", "vnplans"], env=env, check=True, timeout=60)
        return set(out.read_text().split("\v"))

    assert complete("vnplans ex") == {"extract", "export"}
    assert {"--to", "--timeout"} <= complete("vnplans extract --t")
    assert complete("vnplans extract a.txt --to ") == {"text", "json", "jsonl", "md"}


def test_every_subcommand_and_option_says_what_it_does():
    import argparse

    from vnplans.pipeline.cli import build_parser

    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    described = {c.dest: c.help for c in sub._choices_actions}
    missing = [name for name in sub.choices if not described.get(name)]
    missing += [f"{name} {a.option_strings or a.dest}" for name, p in sub.choices.items() for a in p._actions
                if not isinstance(a, argparse._HelpAction) and not a.help]
    assert not missing


def test_an_output_folder_that_cannot_be_made_is_one_line(tmp_path, capsys):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert main(["extract", str(SEEDS[0]), "--to", "md", "--out", str(blocked / "md")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and str(blocked) in err and len(err.splitlines()) == 1
