"""Ingest beyond one machine: the same per-document extraction on a Dask distributed cluster.

Why Dask rather than Ray: extraction is embarrassingly parallel (file in, JSON out), so none of
Ray's actors or object store is needed; Dask's scheduler and workers are pure Python from PyPI,
start with one command each (`dask scheduler`, `dask worker tcp://HOST:8786`) and run under the
batch systems research groups already have (dask-jobqueue for SLURM/PBS, dask-kubernetes), and a
LocalCluster in the tests is the same code path as a real cluster.

Workers need vnplans installed and the input files at the same paths (shared storage). Each task
extracts a chunk of files and writes one JSON Lines shard, named by the content of its chunk and
the extractor version, under a temporary name then renamed: a shard is complete or absent, and a
re-run skips chunks whose shard exists. `load()` (`vnplans load SHARDS`) merges shards into the
database idempotently: a document already stored by the same extractor version is not written again.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Iterable, Optional, TextIO

from vnplans.pipeline.ingest.local import (Progress, Summary, plan_batch, print_summary, record_failure, save,
                                           writer_lock)
from vnplans.pipeline.ingest.workers import extract_file

CHUNK = 16  # files per task: large enough to amortise scheduling, small enough to balance OCR-heavy files


def shard_name(chunk: list[tuple[str, Optional[str]]], version: str) -> str:
    h = hashlib.sha256(version.encode())
    for path, doc_id in chunk:
        h.update(f"{path}\0{doc_id}\n".encode())
    return f"shard-{h.hexdigest()[:20]}.jsonl"


def extract_shard(chunk: list[tuple[str, Optional[str]]], shard: str) -> dict:
    """Run on a worker: extract each file of the chunk and write the results as one JSON Lines shard."""
    from vnplans.pipeline.stages import extractor_version

    target = Path(shard)
    if target.exists():
        return {"shard": shard, "files": len(chunk), "reused": True}
    version = extractor_version()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    failed = 0
    with open(tmp, "w", encoding="utf-8") as f:
        for path, doc_id in chunk:
            o = extract_file(path, doc_id)
            record = {"path": o.path, "doc_id": o.doc_id, "extractor": version, "error": o.error,
                      "seconds": round(o.seconds, 4), "stages": o.stages}
            if o.error is None:
                record["extraction"] = o.extraction.model_dump(mode="json")
                record["body"] = o.body
            else:
                failed += 1
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(tmp, target)
    return {"shard": shard, "files": len(chunk), "failed": failed, "reused": False}


def ingest_distributed(files: Iterable[Path], db_path: str, address: Optional[str], shards: str, out: TextIO,
                       err: TextIO, retry_failed: bool = False, load: bool = True) -> Summary:
    from dask.distributed import Client, as_completed

    from vnplans.extractors.errors import VnplansError
    from vnplans.pipeline.stages import extractor_version
    from vnplans.pipeline.store import Store

    if not address:
        raise VnplansError("--executor dask needs --address of the scheduler (e.g. tcp://10.0.0.5:8786)")
    started = time.perf_counter()
    version = extractor_version()
    shard_dir = Path(shards).resolve()
    shard_dir.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    store = Store(db_path)
    try:
        todo = [(str(Path(p).resolve()), d) for p, d in
                plan_batch(store, [str(f) for f in files], version, retry_failed, summary, out, err)]
    finally:
        store.close()
    try:
        client = Client(address, timeout="30s")
    except OSError as exc:
        raise VnplansError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    # at least two chunks per worker thread, so that a slow (OCR-heavy) chunk does not hold up the end
    slots = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()) or 1
    size = max(1, min(CHUNK, -(-len(todo) // (2 * slots))))
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    names = [str(shard_dir / shard_name(c, version)) for c in chunks]
    bar = Progress(len(chunks), out, err)
    try:
        futures = client.map(extract_shard, chunks, names, pure=False)
        for fut in as_completed(futures):
            r = fut.result()
            bar.log(f"shard      {r['shard']}: {r['files']} file(s)" + (" (already written)" if r["reused"] else ""))
            bar.step()
    finally:
        bar.close()
        client.close()
    if load:
        loaded = load_shards(names, db_path, out, err, report=False)
        summary.ingested, summary.failed = loaded.ingested, summary.failed + loaded.failed
        summary.unchanged += loaded.unchanged
        summary.stages, summary.bytes = loaded.stages, loaded.bytes
    summary.seconds = time.perf_counter() - started
    print_summary(summary, db_path, out)
    return summary


def _shard_files(paths: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out += sorted(p.glob("shard-*.jsonl")) if p.is_dir() else [p]
    return out


def load_shards(paths: Iterable[str], db_path: str, out: TextIO, err: TextIO, report: bool = True) -> Summary:
    """Merge shards into the database, one transaction per document; stored documents are not rewritten."""
    from vnplans.pipeline.store import Store

    started = time.perf_counter()
    summary = Summary()
    with writer_lock(db_path, err):
        _load(Store(db_path), paths, summary, out, err)
    summary.seconds = time.perf_counter() - started
    if report:
        print_summary(summary, db_path, out)
    return summary


def _load(store, paths: Iterable[str], summary: Summary, out: TextIO, err: TextIO) -> None:
    from vnplans.pipeline.store_records import DocumentRecords
    from vnplans.schemas.extraction import Extraction

    try:
        for shard in _shard_files(paths):
            try:
                lines = shard.open(encoding="utf-8")
            except OSError as exc:
                record_failure(store, summary, None, str(shard), f"cannot read shard: {exc.strerror}", None, "", err)
                continue
            with lines:
                for n, line in enumerate(lines, 1):
                    # the whole record is checked before anything is stored: one bad line is skipped, the rest load
                    try:
                        r = json.loads(line)
                        path, doc_id, version = r["path"], r["doc_id"], r["extractor"]
                        if not r.get("error"):
                            ex, body = Extraction.model_validate(r["extraction"]), r["body"]
                            if not isinstance(body, str):
                                raise TypeError("body is not text")
                    except (ValueError, KeyError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
                        why = f"missing {exc}" if isinstance(exc, KeyError) else type(exc).__name__
                        record_failure(store, summary, None, f"{shard}:{n}", f"not a vnplans shard record ({why})",
                                       None, "", err)
                        continue
                    summary.add_stages(r.get("stages") or {})
                    if r.get("error"):
                        record_failure(store, summary, None, path, r["error"], doc_id, version, err)
                    elif store.stored(path, doc_id, version):
                        summary.unchanged.append(path)
                    elif save(store, summary, None, path, doc_id, DocumentRecords.of(ex), body, version, err):
                        print(f"loaded     {path}", file=out)
    finally:
        store.close()
