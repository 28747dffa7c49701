"""Batch ingest at scale: worker processes that store what they extract, crash safety, failures and retries, Dask shards."""
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import HELDOUT, ROOT, SEEDS
from vnplans.pipeline.ingest import CRASHED
from vnplans.pipeline.cli import main

PLANS = SEEDS + HELDOUT


def _content(db) -> dict:
    """What a database holds, independent of row ids and ingest times."""
    conn = sqlite3.connect(db)
    out = {
        "documents": sorted(conn.execute("SELECT id, doc_number, province FROM documents")),
        "rows": sorted(conn.execute("SELECT doc_id, idx, stt, text, deadline_end, metric_id FROM rows")),
        "targets": sorted(conn.execute("SELECT doc_id, idx, metric_id, comparator, value, year FROM targets")),
        "assignments": sorted(conn.execute(
            "SELECT x.doc_id, r.idx, x.role, x.position, x.canonical_id FROM assignments x JOIN rows r ON r.id = x.row_id")),
    }
    conn.close()
    return out


def _copies(tmp_path, n: int) -> list:
    """n distinct plans: the corpus plans with a counter appended (so each has its own content id)."""
    folder = tmp_path / "plans"
    folder.mkdir(exist_ok=True)
    out = []
    for i in range(n):
        src = PLANS[i % len(PLANS)]
        f = folder / f"{i:03d}_{src.name}"
        f.write_text(src.read_text("utf-8") + f"\n\n(bản sao {i})\n", "utf-8")
        out.append(f)
    return out


def test_parallel_ingest_stores_exactly_what_a_serial_one_does(tmp_path, capsys):
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    assert main(["ingest", *map(str, PLANS), "--db", str(serial), "--workers", "1"]) == 0
    assert main(["ingest", *map(str, PLANS), "--db", str(parallel), "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "7 ingested, 0 unchanged, 0 failed" in out
    assert _content(serial) == _content(parallel)
    assert main(["ingest", *map(str, PLANS), "--db", str(parallel), "--workers", "2"]) == 0
    assert "0 ingested, 7 unchanged, 0 failed" in capsys.readouterr().out


@pytest.mark.slow
def test_sigkill_mid_batch_leaves_a_consistent_database_and_a_rerun_finishes(tmp_path):
    files = _copies(tmp_path, 80)
    db = tmp_path / "t.db"
    cmd = [sys.executable, "-m", "vnplans", "ingest", str(tmp_path / "plans"), "--db", str(db), "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            conn = sqlite3.connect(db, timeout=1)
            stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            continue
        if stored >= 5:
            break
    assert proc.poll() is None, "the batch finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the writer and its workers, with no chance to clean up
    proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    done = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 5 <= done < len(files)
    # every stored document is whole: its rows, targets and path are there
    for (doc_id,) in conn.execute("SELECT id FROM documents").fetchall():
        assert conn.execute("SELECT count(*) FROM sources WHERE doc_id = ?", (doc_id,)).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM sections WHERE doc_id = ?", (doc_id,)).fetchone()[0] > 0
    conn.close()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0
    assert f"{len(files) - done} ingested, {done} unchanged, 0 failed" in result.stdout
    clean = tmp_path / "clean.db"
    assert main(["ingest", str(tmp_path / "plans"), "--db", str(clean), "--workers", "2", "--no-progress"]) == 0
    assert _content(db) == _content(clean)  # no duplicates, nothing missing


def _kill_the_busy_worker(db: Path, proc, others: int, times: int, deadline: float) -> int:
    """Once the `others` quick files are stored, SIGKILL the pool's workers (the one left busy holds the slow
    file), `times` times, each in the fresh pool the retry starts; the number of kills."""
    import psutil

    def stored() -> int:
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            return 0

    kills, seen = 0, set()
    while kills < times and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if stored() < others:
            continue
        # workers are the fork server's children; one that has run for a second is extracting
        workers = [w for c in psutil.Process(proc.pid).children() for w in c.children()
                   if w.pid not in seen and time.time() - w.create_time() > 1.0]
        if workers:
            for w in workers:
                seen.add(w.pid)
                w.kill()
            kills += 1
    return kills


@pytest.mark.slow
@pytest.mark.parametrize("kills, stored", [(1, True), (2, False)])
def test_a_file_whose_worker_is_killed_is_retried_once_then_recorded(tmp_path, kills, stored):
    """A worker killed (out of memory, kill -9) while it holds a file: that file gets one more try in a fresh
    pool; killed again, it is recorded as failed with the reason. Every other file is stored."""
    plans = tmp_path / "plans"
    plans.mkdir()
    scan = plans / "scan.pdf"  # a scanned plan: OCR keeps its worker busy for seconds
    shutil.copy(ROOT / "corpus" / "renditions" / "scan" / "004_c147d9c3ca0a32b7.pdf", scan)
    for p in PLANS[:4]:
        shutil.copy(p, plans / p.name)
    db = tmp_path / "t.db"
    cmd = [sys.executable, "-m", "vnplans", "ingest", str(plans), "--db", str(db), "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _kill_the_busy_worker(db, proc, 4, kills, time.time() + 120) == kills
    out, err = proc.communicate(timeout=600)
    conn = sqlite3.connect(db)
    sources = {Path(p).name for (p,) in conn.execute("SELECT path FROM sources")}
    failures = conn.execute("SELECT path, reason FROM failures").fetchall()
    conn.close()
    assert {p.name for p in PLANS[:4]} <= sources
    if stored:
        assert proc.returncode == 0 and "scan.pdf" in sources and not failures
        assert "5 ingested, 0 unchanged, 0 failed" in out
    else:
        assert proc.returncode == 3 and "scan.pdf" not in sources
        assert [(Path(p).name, r) for p, r in failures] == [("scan.pdf", CRASHED)]
        assert f"scan.pdf: {CRASHED}" in err and "4 ingested, 0 unchanged, 1 failed" in out


def test_failed_files_are_skipped_until_changed_or_retried(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    good = tmp_path / "good.txt"
    good.write_text(SEEDS[2].read_text("utf-8"), "utf-8")
    db = str(tmp_path / "t.db")
    assert main(["ingest", str(tmp_path), "--db", db]) == 3
    captured = capsys.readouterr()
    assert f"error: {bad}: binary data, not text" in captured.err
    assert "1 ingested, 0 unchanged, 1 failed" in captured.out and f"  {bad}: binary data, not text" in captured.out
    assert main(["list", "--failed", "--db", db]) == 0
    assert f"{bad}: binary data, not text" in capsys.readouterr().out
    assert main(["ingest", str(tmp_path), "--db", db]) == 3
    out = capsys.readouterr().out
    assert f"skipped    {bad}: failed before (binary data, not text)" in out and "1 skipped (failed before)" in out
    assert main(["ingest", str(tmp_path), "--db", db, "--retry-failed"]) == 3
    assert "0 ingested, 1 unchanged, 1 failed" in capsys.readouterr().out
    bad.write_text(SEEDS[4].read_text("utf-8"), "utf-8")  # fixed by its owner
    assert main(["ingest", str(tmp_path), "--db", db]) == 0
    assert "1 ingested, 1 unchanged, 0 failed" in capsys.readouterr().out
    assert main(["list", "--failed", "--db", db]) == 0
    assert "0 failed file(s)" in capsys.readouterr().out


def test_progress_bar_on_a_terminal(tmp_path):
    """Under a pseudo-terminal the batch shows a bar with rate and failures instead of one line per file."""
    import pty

    files = _copies(tmp_path, 4)
    (tmp_path / "plans" / "junk.txt").write_bytes(os.urandom(3000))
    db = tmp_path / "t.db"
    pid, fd = pty.fork()
    if pid == 0:  # child: stdout and stderr are the terminal
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "vnplans", "ingest", str(tmp_path / "plans"),
                                  "--db", str(db), "--workers", "2"])
    chunks = []
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "doc/s" in screen and "failed=1" in screen and "5/5" in screen, screen
    assert "ingested   " not in screen  # no per-file lines on a terminal
    assert "4 ingested, 0 unchanged, 1 failed" in screen and len(files) == 4


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c.scheduler_address


def test_dask_executor_writes_shards_that_load_idempotently(dask_cluster, tmp_path, capsys):
    shards, db, local = tmp_path / "shards", tmp_path / "dask.db", tmp_path / "local.db"
    args = ["ingest", *map(str, PLANS), "--executor", "dask", "--address", dask_cluster, "--shards", str(shards)]
    assert main(args + ["--db", str(db)]) == 0
    assert "7 ingested, 0 unchanged, 0 failed" in capsys.readouterr().out
    written = sorted(shards.glob("shard-*.jsonl"))
    assert len(written) >= 2  # spread over both workers
    assert sum(1 for f in written for _ in f.open(encoding="utf-8")) == 7
    assert main(["ingest", *map(str, PLANS), "--db", str(local), "--workers", "1"]) == 0
    assert _content(db) == _content(local)
    assert main(["load", str(shards), "--db", str(db)]) == 0  # loading again changes nothing
    assert "0 ingested, 7 unchanged, 0 failed" in capsys.readouterr().out
    assert _content(db) == _content(local)
    fresh = tmp_path / "fresh.db"  # shards alone rebuild the database elsewhere
    assert main(["load", *map(str, written), "--db", str(fresh)]) == 0
    assert _content(fresh) == _content(local)


def test_a_bad_shard_record_is_skipped_and_the_rest_load(tmp_path, capsys):
    import json

    from vnplans.pipeline.ingest.dask import extract_shard

    shard = tmp_path / "shard-test.jsonl"
    extract_shard([(str(p), None) for p in PLANS[:3]], str(shard))
    good = shard.read_text("utf-8").splitlines()
    other_schema = json.dumps({"path": "x.txt", "doc_id": "abc", "extractor": "v", "error": None,
                               "extraction": {"title": "a record of some other tool"}, "body": "x"})
    no_body = json.loads(good[0])
    del no_body["body"]
    shard.write_text("\n".join([good[0], other_schema, json.dumps(no_body), "{not json", "[1, 2]", *good[1:]]) + "\n",
                     "utf-8")
    assert main(["load", str(shard), "--db", str(tmp_path / "t.db")]) == 3  # some loaded, some failed
    captured = capsys.readouterr()
    assert "3 ingested, 0 unchanged, 4 failed" in captured.out
    for n, why in ((2, "ValidationError"), (3, "missing 'body'"), (4, "JSONDecodeError"), (5, "TypeError")):
        assert f"{shard}:{n}: not a vnplans shard record ({why})" in captured.err


def test_dask_without_a_reachable_scheduler_is_a_clear_error(tmp_path, capsys):
    assert main(["ingest", str(SEEDS[0]), "--executor", "dask", "--db", str(tmp_path / "t.db")]) == 1
    assert "needs --address" in capsys.readouterr().err


def test_workers_store_what_they_extract_and_send_back_only_a_note(tmp_path):
    """With a pool, a worker stores its documents itself: what reaches the batch is the note of what was stored,
    not the records and the text, unless another worker was storing at that moment (then the records come back
    for the batch to store). Either way the database ends up as a serial ingest's."""
    from vnplans.pipeline.ingest import extract_all
    from vnplans.pipeline.stages import extractor_version
    from vnplans.pipeline.store import Store
    from vnplans.pipeline.store_records import store_document

    db = tmp_path / "t.db"
    store = Store(db)
    todo = [(str(p), None) for p in PLANS]
    outcomes = list(extract_all(todo, 2, for_store=True, store=(str(db), extractor_version())))
    assert sorted(o.path for o in outcomes) == sorted(p for p, _ in todo)
    for o in outcomes:
        assert o.error is None
        if o.stored is None:  # handed back: another worker held the database
            assert o.records is not None
            o.stored = store_document(store, o.path, o.records, o.body, extractor_version())
        else:
            assert o.records is None and o.body is None
        assert re.search(r"\d+ sections, \d+ rows, \d+ targets", o.stored.summary)
        assert o.stored.bytes == len(Path(o.path).read_text("utf-8").encode("utf-8"))
    store.close()
    serial = tmp_path / "serial.db"
    assert main(["ingest", *map(str, PLANS), "--db", str(serial), "--workers", "1", "--no-progress"]) == 0
    assert _content(db) == _content(serial)


def test_a_worker_that_finds_another_storing_hands_its_document_back(tmp_path, monkeypatch):
    """The store's turn taken (another worker is storing): the records come back unstored, with the text, at once.
    The turn free: the worker stores the document and lets the turn go."""
    import multiprocessing

    from vnplans.pipeline.ingest import workers
    from vnplans.pipeline.stages import extractor_version
    from vnplans.pipeline.store import Store

    db = tmp_path / "t.db"
    Store(db).close()
    turn = multiprocessing.get_context("forkserver").Lock()
    monkeypatch.setattr(workers, "_worker_store", workers._WorkerStore(Store.attach(db), extractor_version(), turn))
    turn.acquire()
    busy = workers._extract_in_worker(str(PLANS[0]), None, workers.Limits(), False, True)
    assert busy.stored is None and busy.records is not None and busy.body
    turn.release()
    free = workers._extract_in_worker(str(PLANS[0]), None, workers.Limits(), False, True)
    assert free.stored is not None and free.records is None and free.body is None
    assert turn.acquire(block=False)  # let go after storing
    turn.release()
    workers._worker_store.store.close()
    assert sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0] == 1


@pytest.mark.slow  # a 14-page PDF read twice, once in a worker
def test_pages_read_inside_a_document_reach_the_progress_display():
    # a 14-page plan: its pages are reported as they are read, in this process and from workers
    from vnplans.pipeline.ingest import extract_all

    root = ROOT / "corpus" / "renditions"
    pdf = str(root / "pdf" / "004_c147d9c3ca0a32b7.pdf")
    heard: list[tuple[str, int, int]] = []
    outcomes = list(extract_all([(pdf, None)], 1, lambda path, done, total: heard.append((path, done, total))))
    assert outcomes[0].error is None
    assert heard == [(pdf, k, 14) for k in range(14)]
    heard.clear()
    other = str(root / "pdf" / "000_6f49e80e59cad2c1.pdf")
    outcomes = list(extract_all([(pdf, None), (other, None)], 2, lambda path, done, total: heard.append((path, done, total))))
    assert all(o.error is None for o in outcomes)
    assert {(path, total) for path, _, total in heard} >= {(pdf, 14)}


def _ingest_cmd(tmp_path: Path, db: Path, workers: int) -> list[str]:
    """`vnplans ingest` of the copies _copies made, as a user types it."""
    return [sys.executable, "-m", "vnplans", "ingest", str(tmp_path / "plans"), "--db", str(db), "--workers",
            str(workers), "--no-progress"]


@pytest.mark.slow
def test_ctrl_c_mid_batch_says_how_far_it_got_in_one_line(tmp_path):
    _copies(tmp_path, 80)
    db = tmp_path / "t.db"
    cmd = _ingest_cmd(tmp_path, db, 2)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                if conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= 3:
                    break
        except sqlite3.Error:
            continue
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.strip().count("\n") == 0 and re.match(r"interrupted: \d+ stored, \d+ not stored yet; run the same command",
                                                     err.strip()), err
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    conn.close()
    assert stored == int(re.search(r"interrupted: (\d+) stored", err).group(1))


@pytest.mark.slow
def test_two_ingests_on_one_database_take_turns(tmp_path):
    """Each waits for the other, says so, and the later one skips what the earlier stored instead of extracting it
    again. The test holds the lock itself until both are waiting, so no ingest can finish before the other starts."""
    import fcntl

    _copies(tmp_path, 12)
    db = tmp_path / "t.db"
    cmd = _ingest_cmd(tmp_path, db, 1)
    with open(f"{db}.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        runs = []
        for name in ("a", "b"):
            out, err = tmp_path / f"{name}.out", tmp_path / f"{name}.err"
            with open(out, "w") as fo, open(err, "w") as fe:
                runs.append((subprocess.Popen(cmd, cwd=ROOT, stdout=fo, stderr=fe), out, err))
        deadline = time.time() + 120
        while time.time() < deadline and not all("waiting:" in err.read_text() for _, _, err in runs):
            time.sleep(0.05)
        fcntl.flock(held, fcntl.LOCK_UN)
    for proc, _, _ in runs:
        assert proc.wait(timeout=600) == 0
    for _, _, err in runs:
        assert "waiting: another vnplans ingest or load is writing to" in err.read_text()
    said = sorted(re.search(r"\d+ ingested, \d+ unchanged", out.read_text()).group(0) for _, out, _ in runs)
    assert said == ["0 ingested, 12 unchanged", "12 ingested, 0 unchanged"]


def test_a_storing_turn_left_held_by_a_dead_worker_delays_the_store_only_briefly(monkeypatch):
    """The batch's process holds the pool's turn while it stores a handed-back document; a turn nobody will let go
    (its worker died storing) is waited for TURN_WAIT, then the store goes ahead, and the turn is not released by
    the one who never held it."""
    import multiprocessing

    from vnplans.pipeline.ingest import workers

    monkeypatch.setattr(workers, "TURN_WAIT", 0.2)
    turn = multiprocessing.get_context("forkserver").Lock()
    outcome = workers.Outcome("plan.txt", None, turn=turn)
    with workers.storing_turn(outcome):
        assert not turn.acquire(block=False)  # held while storing
    assert turn.acquire(block=False)  # and let go after
    started = time.monotonic()
    with workers.storing_turn(outcome):  # held by "a dead worker" (this test) all along
        pass
    assert 0.15 < time.monotonic() - started < 5
    assert not turn.acquire(block=False)  # still the dead worker's
