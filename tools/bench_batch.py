#!/usr/bin/env python3
"""Batch benchmark: build the synthetic corpus (tools/synth.py), ingest it into a fresh database with
1 and with 2 worker processes, and report documents/s, MB/s, peak memory (the writer and its workers
together, sampled) and the time per stage summed over the workers.
usage: tools/bench_batch.py [--count 1000] [--workers 1,2] [--json FILE]
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import psutil  # noqa: E402

import synth  # noqa: E402
from vnplans.pipeline.ingest import ingest  # noqa: E402


class PeakMemory:
    """Largest resident memory of a process (this one by default) and all its children together, sampled every
    `every` seconds; and the largest any one of them reached."""

    def __init__(self, root: "psutil.Process | None" = None, every: float = 0.05) -> None:
        self.peak = self.largest = 0
        self._root, self._every = root, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = self._root or psutil.Process()
        while not self._stop.is_set():
            total = 0
            try:
                tree = [me, *me.children(recursive=True)]
            except psutil.Error:  # the root has ended
                tree = []
            for p in tree:
                try:
                    size = p.memory_info().rss
                except psutil.Error:
                    continue
                total += size
                self.largest = max(self.largest, size)
            self.peak = max(self.peak, total)
            self._stop.wait(self._every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run(files: list[Path], workers: int, work: Path) -> dict:
    db = work / f"bench-{workers}.db"
    for f in work.glob(f"bench-{workers}.db*"):
        f.unlink()
    out, err = io.StringIO(), io.StringIO()
    with PeakMemory() as mem:
        start = time.perf_counter()
        summary = ingest(files, str(db), out, err, workers=workers, progress=False)
        seconds = time.perf_counter() - start
    size = sum(f.stat().st_size for f in files)
    stages = dict(sorted(summary.stages.items(), key=lambda kv: -kv[1]))
    return {"workers": workers, "documents": len(files), "ingested": len(summary.ingested),
            "failed": len(summary.failed), "seconds": round(seconds, 2),
            "documents_per_s": round(len(summary.ingested) / seconds, 1), "mb_per_s": round(size / 1e6 / seconds, 2),
            "peak_memory_mb": round(mem.peak / 1e6), "stage_seconds": {k: round(v, 2) for k, v in stages.items()},
            "slowest_stage": next(iter(stages), None), "failures": summary.failed[:5]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="vnplans-bench-") as tmp:
        work = Path(tmp)
        files = synth.build(work / "corpus", args.count)
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"synthetic corpus: {len(files)} documents, {size:.1f} MB (tools/synth.py)")
        results = []
        for n in (int(x) for x in args.workers.split(",")):
            r = run(files, n, work)
            results.append(r)
            total = sum(r["stage_seconds"].values()) or 1
            share = ", ".join(f"{k} {v:.1f} s ({100 * v / total:.0f}%)" for k, v in r["stage_seconds"].items())
            print(f"{n} worker(s): {r['ingested']} ingested, {r['failed']} failed in {r['seconds']} s -> "
                  f"{r['documents_per_s']} documents/s, {r['mb_per_s']} MB/s, peak memory {r['peak_memory_mb']} MB")
            print(f"    stages (summed over workers): {share}")
            for path, reason in r["failures"]:
                print(f"    failed: {path}: {reason}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
