"""vnplans: Vietnamese provincial plans -> a queryable database of commitments.

    import vnplans
    ex = vnplans.extract("plan.docx")          # the Extraction model: ex.to_json(), ex.rows_frame(), ex.targets_frame()
    with vnplans.open("outputs/vnplans.db") as db:
        db.commitments                         # pandas DataFrames of the store's views
        db.compare("smartphone-adults")        # what `vnplans compare` prints, as objects

The repository's rooms (pipeline/, extractors/, schemas/) install as vnplans.pipeline, vnplans.extractors and
vnplans.schemas.
"""
from importlib.metadata import PackageNotFoundError, version as _version

from vnplans.api import Database, extract, open, read_export

try:
    __version__ = _version("vnplans")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["Database", "extract", "open", "read_export", "__version__"]
