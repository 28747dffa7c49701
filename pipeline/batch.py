"""Batch ingest: files through the stages in worker processes, stored by one writer.

Extraction (CPU-bound) runs in a process pool; this process alone writes to SQLite (WAL), one
transaction per document, so a crash or SIGKILL at any moment leaves every stored document whole
and a re-run does only what is left. A file whose content is already stored is skipped without
parsing (its id is the SHA-256 of its bytes); a file that failed before is skipped until its
content or the extraction code changes, or `--retry-failed` is given. A bad file is reported in one
line, recorded in `failures`, and the batch goes on.
"""
from __future__ import annotations

import contextlib
import logging
import logging.handlers
import multiprocessing
import os
import queue as queues
import signal
import stat
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional, TextIO

from vnplans.extractors.errors import VnplansError
from vnplans.extractors.readers import check_file, content_id
from vnplans.schemas.extraction import Extraction

CRASHED = "the worker process died while extracting (a crash or out of memory)"


@dataclass
class Outcome:
    """What extracting one file gave: an extraction and its text, or the reason it failed."""

    path: str
    doc_id: Optional[str]
    extraction: Optional[Extraction] = None
    body: Optional[str] = None
    error: Optional[str] = None
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


@dataclass
class Summary:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # failed before, unchanged since
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, summed over the workers
    seconds: float = 0.0
    bytes: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.ingested or self.unchanged)

    def add_stages(self, stages: dict[str, float]) -> None:
        for stage, secs in stages.items():
            self.stages[stage] = self.stages.get(stage, 0.0) + secs


@dataclass(frozen=True)
class Limits:
    """What one document may take: memory beyond what the process holds already, and wall-clock time.
    A document past either is recorded as failed; the process and the rest of the batch go on."""
    memory_mb: int = 3072
    seconds: int = 600


class TookTooLong(Exception):
    pass


@contextlib.contextmanager
def bounded(limits: Limits):
    """Address space capped (soft RLIMIT_AS: allocations past it raise MemoryError, not the OOM killer) and an
    alarm after `seconds`, both lifted afterwards. The alarm needs the main thread, where workers run tasks."""
    import resource
    import threading

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        import psutil

        ceiling = psutil.Process().memory_info().vms + limits.memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            ceiling = min(ceiling, hard)
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    except (ValueError, OSError):  # a platform without RLIMIT_AS: time is still bounded
        pass
    timed = threading.current_thread() is threading.main_thread() and limits.seconds > 0

    def expire(signum, frame):
        raise TookTooLong()

    previous = signal.signal(signal.SIGALRM, expire) if timed else None
    if timed:
        signal.alarm(limits.seconds)
    try:
        yield
    finally:
        if timed:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        except (ValueError, OSError):
            pass


def extract_file(path: str, doc_id: Optional[str], limits: Limits = Limits()) -> Outcome:
    """Read and extract one file (in a worker). Never raises: a failure is an Outcome with its reason."""
    from vnplans.pipeline.stages import process, to_extraction

    start = time.perf_counter()
    stages: dict[str, float] = {}
    try:
        with bounded(limits):
            processed = process(path, stages)
            t = time.perf_counter()
            ex = to_extraction(processed)
            stages["assemble"] = time.perf_counter() - t
        return Outcome(path, doc_id or ex.doc_id, ex, processed.source.text, None,
                       time.perf_counter() - start, stages)
    except VnplansError as exc:
        return Outcome(path, doc_id, error=exc.reason, seconds=time.perf_counter() - start, stages=stages)
    except RecursionError:
        return Outcome(path, doc_id, error="structure nested too deeply to read", seconds=time.perf_counter() - start)
    except MemoryError:
        return Outcome(path, doc_id, error=f"out of memory while extracting (the limit is {limits.memory_mb} MB a "
                                           "document; --max-memory raises it)", seconds=time.perf_counter() - start)
    except TookTooLong:
        return Outcome(path, doc_id, error=f"took longer than {limits.seconds} s (--timeout raises the limit)",
                       seconds=time.perf_counter() - start)
    except Exception as exc:  # an extractor bug must not stop the batch
        return Outcome(path, doc_id, error=f"internal error while extracting ({type(exc).__name__}: {exc})",
                       seconds=time.perf_counter() - start, stages=stages)


def _warm_up(pages: Optional["multiprocessing.Queue"] = None) -> None:
    """Load the extraction code and models once per worker, before the first file; send its page records
    (readers log "page N of M") to the parent's progress display."""
    import vnplans.pipeline.stages  # noqa: F401

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no traceback per worker
    if pages is not None:
        _page_records(logging.handlers.QueueHandler(pages))


def _page_records(handler: logging.Handler) -> None:
    log = logging.getLogger("vnplans.pages")
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False


class _PageHandler(logging.Handler):
    """Page records of this process, straight to the progress display."""

    def __init__(self, on_page) -> None:
        super().__init__()
        self.on_page = on_page

    def emit(self, record: logging.LogRecord) -> None:
        _hear(self.on_page, record)


def _needs_a_worker(path: str) -> bool:
    """PDF and ZIP containers (DOCX, ODT) go through C libraries that abort rather than raise when memory runs
    out: they are read in a worker process even when one is enough, so that the batch outlives them."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the open; the reader refuses it
            return False
        with open(path, "rb") as fh:
            head = fh.read(5)
        return head.startswith((b"%PDF-", b"PK\x03\x04"))
    except OSError:
        return False


def extract_all(todo: list[tuple[str, Optional[str]]], workers: int, on_page=None,
                limits: Limits = Limits()) -> Iterator[Outcome]:
    """Outcomes in completion order. A file that kills its worker twice is reported as crashed. `on_page(path,
    done, total)` hears of pages read inside a document, from whichever process reads it."""
    if (workers <= 1 or len(todo) <= 1) and not any(_needs_a_worker(path) for path, _ in todo):
        if on_page is not None:
            _page_records(_PageHandler(on_page))
        try:
            for path, doc_id in todo:
                yield extract_file(path, doc_id, limits)
        finally:
            logging.getLogger("vnplans.pages").handlers.clear()
        return
    queue = list(reversed(todo))
    attempts: dict[str, int] = {}
    # workers start from a clean server process that has imported the pipeline, not as forks of this
    # one: they inherit neither the open database connection nor the progress bar
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["vnplans.pipeline.stages"])
    pages = ctx.Queue() if on_page is not None else None
    while queue:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm_up, initargs=(pages,)) as pool:
            running: dict[Future, tuple[str, Optional[str]]] = {}
            try:
                while queue or running:
                    while queue and len(running) < 2 * workers:  # bounded: memory stays flat
                        item = queue.pop()
                        running[pool.submit(extract_file, *item, limits)] = item
                    done, _ = wait(running, timeout=0.5 if pages is not None else None, return_when=FIRST_COMPLETED)
                    _drain(pages, on_page)
                    broken = False
                    for fut in done:
                        try:
                            outcome = fut.result()
                        except BrokenProcessPool:  # its worker died: the file stays in `running` for a retry
                            broken = True
                            continue
                        running.pop(fut)
                        yield outcome
                    if broken:
                        raise BrokenProcessPool("a worker died")
            except KeyboardInterrupt:  # stop now: the workers' documents are not stored, so nothing is half-done
                workers_now = list((getattr(pool, "_processes", None) or {}).values())
                pool.shutdown(wait=False, cancel_futures=True)
                for proc in workers_now:
                    proc.terminate()
                raise
            except BrokenProcessPool:
                for item in running.values():  # which one killed the pool is unknown: each gets one more try
                    attempts[item[0]] = attempts.get(item[0], 0) + 1
                    if attempts[item[0]] >= 2:
                        yield Outcome(item[0], item[1], error=CRASHED)
                    else:
                        queue.append(item)
                running.clear()
                workers = 1 if len(queue) <= 1 else workers


def _drain(pages, on_page) -> None:
    while pages is not None:
        try:
            record = pages.get_nowait()
        except queues.Empty:
            return
        _hear(on_page, record)


def _hear(on_page, record: logging.LogRecord) -> None:
    """A reader's "page N of M" record, to the progress display."""
    on_page(record.getMessage(), getattr(record, "page", 0), getattr(record, "pages", 0))


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
            for o in extract_all(todo, workers, bar.page, limits):
                summary.add_stages(o.stages)
                if o.error is not None:
                    record_failure(store, summary, bar, o.path, o.error, o.doc_id, version)
                if o.error is not None or not save(store, summary, bar, o.path, o.doc_id, o.extraction, o.body,
                                                   version):
                    bar.step(failed=True)
                    continue
                d = o.extraction.document
                bar.log(f"ingested   {o.path}: {d.doc_type or '?'} {d.doc_number or d.doc_number_raw or '(no number)'}, "
                        f"{d.province or '?'}, {d.issued_date or d.issued_month or '?'} — "
                        f"{len(o.extraction.sections)} sections, {len(o.extraction.rows)} rows, "
                        f"{len(o.extraction.targets)} targets, {len(o.extraction.warnings)} warnings")
                for w in o.extraction.warnings:
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
    from vnplans.pipeline.store import path_text

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


def save(store, summary: Summary, bar: Optional[Progress], path: str, doc_id: Optional[str], ex: Extraction,
         body: str, version: str, err: Optional[TextIO] = None) -> bool:
    """Store one extraction (one transaction) and count it; a failure to store is recorded like any other."""
    try:
        store.save(path, ex, body, version)
    except Exception as exc:
        record_failure(store, summary, bar, path, f"could not store ({type(exc).__name__}: {exc})", doc_id, version, err)
        return False
    summary.ingested.append(path)
    summary.bytes += len(body.encode("utf-8"))
    return True


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
    if s.failed:
        print("failed:", file=out)
        for path, reason in s.failed:
            print(f"  {path}: {reason}", file=out)
