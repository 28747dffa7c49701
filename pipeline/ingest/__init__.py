"""Ingest many files: on this machine's cores (`local`) or on a Dask cluster through shard files (`dask`).

Both run the same stages per file (`workers.extract_file`) and store each document the same way
(`store_records.store_document`): locally in the worker that extracted it, from Dask shards in `load`.
"""
from vnplans.pipeline.ingest.local import Interrupted, Summary, ingest
from vnplans.pipeline.ingest.workers import CRASHED, Limits, extract_all

__all__ = ["CRASHED", "Interrupted", "Limits", "Summary", "extract_all", "ingest"]
