"""Extraction in worker processes, bounded in memory and time: what one file gives, or why it failed.

Extraction (CPU-bound) runs in a process pool; PDFs and archives always run in a worker, so a crash or a
runaway document takes down only that worker, and the file is reported as failed.
"""
from __future__ import annotations

import contextlib
import gc
import logging
import logging.handlers
import multiprocessing
import os
import queue as queues
import signal
import stat
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Optional

from vnplans.extractors.errors import VnplansError
from vnplans.schemas.extraction import Extraction

if TYPE_CHECKING:
    from vnplans.pipeline.store import Store
    from vnplans.pipeline.store_records import DocumentRecords, Stored

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
    markdown: Optional[str] = None  # the document as Markdown, when asked for
    records: Optional[DocumentRecords] = None  # for the store, in place of the extraction (cheaper to send)
    stored: Optional[Stored] = None  # stored by the worker itself: what it gave (records and body are not sent)
    turn: Any = None  # handed back by a worker: the pool's storing turn, held by whoever stores the records here


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


def extract_file(path: str, doc_id: Optional[str], limits: Limits = Limits(), markdown: bool = False,
                 for_store: bool = False) -> Outcome:
    """Read and extract one file (in a worker). Never raises: a failure is an Outcome with its reason.
    `for_store`: the Outcome carries the store's records instead of the Extraction (ready to insert, and a
    tenth of the Extraction's unpickling time when they are sent on)."""
    from vnplans.pipeline.stages import process, to_extraction

    start = time.perf_counter()
    stages: dict[str, float] = {}
    try:
        with bounded(limits):
            processed = process(path, stages)
            t = time.perf_counter()
            ex = to_extraction(processed)
            records = None
            if for_store:
                from vnplans.pipeline.store_records import DocumentRecords

                records = DocumentRecords.of(ex)
            stages["assemble"] = time.perf_counter() - t
            rendition = None
            if markdown:
                from vnplans.pipeline import markdown as md

                rendition = md.render(processed, ex)
        return Outcome(path, doc_id or ex.doc_id, None if for_store else ex, processed.source.text, None,
                       time.perf_counter() - start, stages, rendition, records)
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


# Collect the youngest generation every 10,000 container allocations instead of Python's 700: extraction makes
# millions of short-lived objects and few cycles, and the default collects so often that it costs a tenth of
# the extraction time (measured on the synthetic batch; a worker holds about 10 MB more).
BATCH_GC_THRESHOLD = (10_000, 10, 10)


@contextlib.contextmanager
def batch_gc():
    """The batch's collection threshold in this process while a batch runs, Python's own afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@dataclass
class _WorkerStore:
    """The database a pool's worker stores its documents in, and the extractor version they are stored as."""

    store: "Store"
    version: str
    turn: "multiprocessing.synchronize.Lock"  # held by the worker storing a document


_worker_store: Optional[_WorkerStore] = None  # this worker process's, when its batch stores (set in _warm_up)


TURN_WAIT = 10  # seconds; a sibling's store takes milliseconds, a 200-page plan's a fraction of a second


@contextlib.contextmanager
def storing_turn(outcome: Outcome):
    """The pool's storing turn held while this process stores a document a worker handed back, so that no worker
    sleeps in SQLite's busy wait meanwhile. A turn held longer than any document's store (by a worker that died
    storing) is waited for TURN_WAIT seconds, then the store goes ahead: SQLite's own lock keeps it safe, the
    turn only saves waiting."""
    held = outcome.turn is not None and outcome.turn.acquire(timeout=TURN_WAIT)
    try:
        yield
    finally:
        if held:
            outcome.turn.release()


def _warm_up(pages: Optional["multiprocessing.Queue"] = None, store: Optional[tuple[str, str]] = None,
             turn: Optional["multiprocessing.synchronize.Lock"] = None) -> None:
    """Load the extraction code and models once per worker, before the first file; send its page records
    (readers log "page N of M") to the parent's progress display; open the batch's database, when it stores
    (`store`: its path and the extractor version)."""
    global _worker_store
    from vnplans.pipeline.stages import default_reference

    default_reference()
    gc.set_threshold(*BATCH_GC_THRESHOLD)  # the worker lives for this batch only
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no traceback per worker
    if pages is not None:
        _page_records(logging.handlers.QueueHandler(pages))
    if store is not None:
        from vnplans.pipeline.store import Store

        _worker_store = _WorkerStore(Store.attach(store[0]), store[1], turn)


def _extract_in_worker(path: str, doc_id: Optional[str], limits: Limits, markdown: bool, for_store: bool) -> Outcome:
    """`extract_file`, then, in a batch that stores, the document stored by this worker: its records go
    straight into SQLite rather than through a pipe to one writer, which had them unpickled and inserted on a
    core the extraction needed. SQLite lets one writer in at a time: when another worker is storing, this one
    does not wait (it would idle for a twentieth of its time) but sends the records on, for the batch's own
    process to store, and goes on to its next file."""
    outcome = extract_file(path, doc_id, limits, markdown, for_store)
    if _worker_store is not None and outcome.records is not None and _worker_store.turn.acquire(block=False):
        from vnplans.pipeline.store_records import could_not_store, store_document

        try:
            outcome.stored = store_document(_worker_store.store, path, outcome.records, outcome.body or "",
                                            _worker_store.version)
            outcome.records = outcome.body = None
        except Exception as exc:  # a full disk, a lock held too long: this file fails, the batch goes on
            outcome.error = could_not_store(exc)
        finally:
            _worker_store.turn.release()
    return outcome


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
                limits: Limits = Limits(), markdown: bool = False, for_store: bool = False,
                store: Optional[tuple[str, str]] = None) -> Iterator[Outcome]:
    """Outcomes in completion order. A file that kills its worker twice is reported as crashed. `on_page(path,
    done, total)` hears of pages read inside a document, from whichever process reads it. `store` (a database
    path and the extractor version; with `for_store`): files read in worker processes are stored there by
    their worker, and their Outcome says what that gave. The caller stores the others: those read in this
    process, and those a worker handed back because another was storing (holding `storing_turn` meanwhile)."""
    with batch_gc():  # this process extracts (one worker) or stores what the workers send
        yield from _outcomes(todo, workers, on_page, limits, markdown, for_store, store)


def _outcomes(todo: list[tuple[str, Optional[str]]], workers: int, on_page, limits: Limits, markdown: bool,
              for_store: bool, store: Optional[tuple[str, str]]) -> Iterator[Outcome]:
    if (workers <= 1 or len(todo) <= 1) and not any(_needs_a_worker(path) for path, _ in todo):
        if on_page is not None:
            _page_records(_PageHandler(on_page))
        try:
            for path, doc_id in todo:
                yield extract_file(path, doc_id, limits, markdown, for_store)
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
        # the workers' turns at storing: a fresh lock per pool, as a worker killed while storing keeps its pool's
        turn = ctx.Lock() if for_store and store else None
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm_up,
                                 initargs=(pages, store if turn else None, turn)) as pool:
            running: dict[Future, tuple[str, Optional[str]]] = {}
            try:
                while queue or running:
                    while queue and len(running) < 2 * workers:  # bounded: memory stays flat
                        item = queue.pop()
                        running[pool.submit(_extract_in_worker, *item, limits, markdown, for_store)] = item
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
                        if turn is not None and outcome.records is not None:
                            outcome.turn = turn
                        yield outcome
                    if broken:
                        raise BrokenProcessPool("a worker died")
            except KeyboardInterrupt:  # stop now: a worker's open transaction dies with it, so nothing is half-done
                workers_now = list((getattr(pool, "_processes", None) or {}).values())
                pool.shutdown(wait=False, cancel_futures=True)
                for proc in workers_now:
                    proc.terminate()
                for proc in workers_now:  # gone before the caller counts what is stored
                    proc.join(10)
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


