"""Batch ingest on this machine: files through the stages in worker processes, each storing what it extracts.

Every document is stored in one SQLite transaction (WAL), by the worker that extracted it when the database is
free, else by this process, which also stores what it read itself and records failures: no worker waits for
another's transaction. A crash or SIGKILL at any moment leaves every stored document whole and a re-run does
only what is left. A file whose content is already stored is skipped without parsing (its id is the SHA-256 of
its bytes); a file that failed before is skipped until its content or the extraction code changes, or
`--retry-failed` is given. A bad file is reported in one line, recorded in `failures`, and the batch goes on.
"""
from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, TextIO

from vnplans.extractors.errors import VnplansError
from vnplans.extractors.readers import check_file, content_id
from vnplans.pipeline.ingest.workers import Limits, extract_all, storing_turn
from vnplans.pipeline.store_records import DocumentRecords, Stored, could_not_store, store_document


@dataclass
class Summary:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # failed before, unchanged since
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, summed over the workers
    renditions: dict[str, tuple] = field(default_factory=dict)  # counted id -> (number, files): one plan, many files
    seconds: float = 0.0
    bytes: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.ingested or self.unchanged)

    def add_stages(self, stages: dict[str, float]) -> None:
        for stage, secs in stages.items():
            self.stages[stage] = self.stages.get(stage, 0.0) + secs


class Progress:
    """A bar (done, rate, ETA, failures) on a terminal; plain log lines otherwise."""

    def __init__(self, total: int, out: TextIO, err: TextIO, bar: Optional[bool] = None):
        self.out, self.err = out, err
        self.bar = None
        if total and (bar if bar is not None else err.isatty()):
            import shutil

            from tqdm import tqdm

            size = shutil.get_terminal_size((100, 24))  # a fresh pseudo-terminal reports 0 x 0
            self.bar = tqdm(total=total, file=err, unit="doc", ncols=size.columns or 100, nrows=size.lines or 24,
                            smoothing=0.1)
        self.failed = 0

    def log(self, line: str) -> None:
        if self.bar is None:
            print(line, file=self.out)

    def note(self, line: str) -> None:
        """A line worth seeing even under the bar (a warning)."""
        if self.bar is not None:
            self.bar.write(line, file=self.err)
        else:
            print(line, file=self.out)

    def error(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.err)
        else:
            print(line, file=self.err)

    def page(self, path: str, done: int, total: int) -> None:
        """Pages done inside the document being read: a 14-page scan shows 3/14, not 0/1 for a minute."""
        if self.bar is not None and total > 1:
            self.bar.set_postfix(failed=self.failed, page=f"{Path(path).name[:24]} {done}/{total}")

    def step(self, failed: bool = False) -> None:
        self.failed += failed
        if self.bar is not None:
            self.bar.set_postfix(failed=self.failed, refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextlib.contextmanager
def writer_lock(db_path: str, err: TextIO):
    """One writing batch per database at a time: a second `ingest` or `load` waits for the first, then skips
    what it stored (an advisory lock on DB.lock; readers never take it)."""
    import fcntl

    lock_path = Path(f"{db_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting: another vnplans ingest or load is writing to {db_path}; what it stores will be skipped",
                  file=err, flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a batch, with what was stored."""


def ingest(files: Iterable[Path], db_path: str, out: TextIO, err: TextIO, workers: Optional[int] = None,
           retry_failed: bool = False, progress: Optional[bool] = None, limits: Limits = Limits()) -> Summary:
    from vnplans.pipeline.stages import extractor_version
    from vnplans.pipeline.store import Store

    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    version = extractor_version()
    with writer_lock(db_path, err):
        store = Store(db_path)
        return _ingest(store, files, db_path, out, err, workers, version, retry_failed, progress, started, limits)


def _ingest(store, files, db_path: str, out: TextIO, err: TextIO, workers: int, version: str, retry_failed: bool,
            progress: Optional[bool], started: float, limits: Limits) -> Summary:
    summary = Summary()
    todo: list = []
    try:
        todo = plan_batch(store, [str(f) for f in files], version, retry_failed, summary, out, err)
        bar = Progress(len(todo), out, err, progress)
        try:
            for o in extract_all(todo, workers, bar.page, limits, for_store=True, store=(db_path, version)):
                summary.add_stages(o.stages)
                if o.error is not None:
                    record_failure(store, summary, bar, o.path, o.error, o.doc_id, version)
                    bar.step(failed=True)
                    continue
                if o.stored is None:  # read here, or its worker found another one storing
                    with storing_turn(o):
                        o.stored = save(store, summary, bar, o.path, o.doc_id, o.records, o.body, version)
                    if o.stored is None:
                        bar.step(failed=True)
                        continue
                else:
                    count_stored(summary, o.path, o.stored)
                bar.log(f"ingested   {o.path}: {o.stored.summary}")
                for w in o.stored.warnings:
                    bar.note(f"           warning: {w}" if bar.bar is None else f"warning: {o.path}: {w}")
                bar.step()
        finally:
            bar.close()
    except KeyboardInterrupt:  # every stored document is whole (one transaction each); the rest is not started
        # counted in the store: Ctrl-C may land between a commit and its tally
        stored = sum(1 for path, doc_id in todo if store.path_doc(path) == doc_id and store.known(doc_id, version))
        raise Interrupted(f"interrupted: {stored} stored, {len(todo) - stored} not stored yet; "
                          "run the same command to finish") from None
    finally:
        store.close()
    summary.seconds = time.perf_counter() - started
    print_summary(summary, db_path, out)
    return summary


def plan_batch(store, paths: list[str], version: str, retry_failed: bool, summary: Summary, out: TextIO,
          err: TextIO) -> list[tuple[str, Optional[str]]]:
    """What to extract: files not stored yet, not stored by this extractor version, or changed since."""
    from vnplans.pipeline.store_records import path_text

    failed = {f["path"]: f for f in store.query("SELECT * FROM failures")}
    todo = []
    for path in paths:
        try:
            check_file(path)  # missing, not a regular file (a FIFO, /dev/zero) or too large: refused unread
            doc_id = content_id(path)
        except OSError as exc:
            record_failure(store, summary, None, path, f"cannot read: {exc.strerror}", None, version, err)
            continue
        except VnplansError as exc:
            record_failure(store, summary, None, path, exc.reason, None, version, err)
            continue
        if store.stored(path, doc_id, version):
            summary.unchanged.append(path)
            print(f"unchanged  {path}", file=out)
            continue
        before = failed.get(path_text(path))  # failures hold paths as stored
        if before and not retry_failed and before["doc_id"] == doc_id and before.get("extractor") == version:
            summary.skipped.append((path, before["reason"]))
            print(f"skipped    {path}: failed before ({before['reason']}); unchanged since, --retry-failed to try again",
                  file=out)
            continue
        todo.append((path, doc_id))
    return todo


def save(store, summary: Summary, bar: Optional[Progress], path: str, doc_id: Optional[str],
         records: DocumentRecords, body: str, version: str, err: Optional[TextIO] = None) -> Optional[Stored]:
    """Store one extraction (one transaction) and count it; a failure to store is recorded like any other
    (None)."""
    try:
        stored = store_document(store, path, records, body, version)
    except Exception as exc:
        record_failure(store, summary, bar, path, could_not_store(exc), doc_id, version, err)
        return None
    count_stored(summary, path, stored)
    return stored


def count_stored(summary: Summary, path: str, stored: Stored) -> None:
    """A stored document in the batch's tally, whichever process stored it."""
    summary.ingested.append(path)
    summary.bytes += stored.bytes
    if stored.renditions:
        counted, number, files = stored.renditions
        summary.renditions[counted] = (number, files)


def record_failure(store, summary: Summary, bar: Optional[Progress], path: str, reason: str, doc_id: Optional[str],
          version: str, err: Optional[TextIO] = None) -> None:
    summary.failed.append((path, reason))
    line = f"error: {path}: {reason}"
    if bar is not None:
        bar.error(line)
    else:
        print(line, file=err or sys.stderr)
    try:
        store.record_failure(path, reason, doc_id, version)
    except Exception as exc:  # the batch goes on, but not silently
        print(f"error: {path}: the failure could not be recorded either ({type(exc).__name__}: {exc})",
              file=err or sys.stderr)


def print_summary(s: Summary, db_path: str, out: TextIO) -> None:
    rate = f"; {len(s.ingested) / s.seconds:.1f} documents/s" if s.ingested and s.seconds else ""
    print(f"\n{len(s.ingested)} ingested, {len(s.unchanged)} unchanged, {len(s.failed)} failed"
          + (f", {len(s.skipped)} skipped (failed before)" if s.skipped else "")
          + f" -> {db_path} ({s.seconds:.1f} s{rate})", file=out)
    for number, files in s.renditions.values():
        print(f"the same plan ({number}) in {len(files)} files, counted once (as {files[0]}): {', '.join(files[1:])}",
              file=out)
    if s.failed:
        print("failed:", file=out)
        for path, reason in s.failed:
            print(f"  {path}: {reason}", file=out)
