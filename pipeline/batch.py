"""Batch ingest: every file through the stages into the store, one transaction each.

A file whose content is already stored is skipped without parsing (its id is the
SHA-256 of its bytes). A bad file is reported in one line, recorded in
`failures`, and the batch goes on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from extractors.errors import VnplansError
from extractors.readers import content_id


@dataclass
class Summary:
    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.ingested or self.unchanged)


def ingest(files: list[Path], db_path: str, out: TextIO, err: TextIO) -> Summary:
    from pipeline.stages import extractor_version, process, to_extraction
    from pipeline.store import Store

    store = Store(db_path)
    summary = Summary()
    version = extractor_version()
    try:
        for f in files:
            path = str(f)
            try:
                doc_id = content_id(f)
            except OSError as exc:
                _fail(store, summary, err, path, f"cannot read: {exc.strerror}")
                continue
            if store.known(doc_id, version):
                if store.path_doc(path) != doc_id:
                    store.link_path(path, doc_id)
                summary.unchanged.append(path)
                print(f"unchanged  {path}", file=out)
                continue
            try:
                processed = process(f)
                ex = to_extraction(processed)
            except VnplansError as exc:
                _fail(store, summary, err, path, exc.reason, doc_id)
                continue
            except Exception as exc:  # an extractor bug must not stop the batch
                _fail(store, summary, err, path, f"internal error while extracting ({type(exc).__name__}: {exc})", doc_id)
                continue
            try:
                store.save(path, ex, processed.source.text, version)
            except Exception as exc:
                _fail(store, summary, err, path, f"could not store ({type(exc).__name__}: {exc})", doc_id)
                continue
            summary.ingested.append(path)
            d = ex.document
            print(f"ingested   {path}: {d.doc_type or '?'} {d.doc_number or d.doc_number_raw or '(no number)'}, "
                  f"{d.province or '?'}, {d.issued_date or d.issued_month or '?'} — {len(ex.sections)} sections, "
                  f"{len(ex.rows)} rows, {len(ex.targets)} targets, {len(ex.warnings)} warnings", file=out)
            for w in ex.warnings:
                print(f"           warning: {w}", file=out)
    finally:
        store.close()
    print(f"\n{len(summary.ingested)} ingested, {len(summary.unchanged)} unchanged, {len(summary.failed)} failed"
          f" -> {db_path}", file=out)
    return summary


def _fail(store, summary: Summary, err: TextIO, path: str, reason: str, doc_id: str | None = None) -> None:
    summary.failed.append((path, reason))
    print(f"error: {path}: {reason}", file=err)
    try:
        store.record_failure(path, reason, doc_id)
    except Exception:
        pass
