"""vnplans: Vietnamese provincial plans -> a queryable database of commitments.

    import vnplans
    ex = vnplans.extract("plan.docx")          # the Extraction model: ex.to_json(), ex.rows_frame(), ex.targets_frame()
    with vnplans.open("outputs/vnplans.db") as db:
        db.commitments                         # pandas DataFrames of the store's views
        db.compare("smartphone-adults")        # what `vnplans compare` prints, as objects

The repository's rooms (pipeline/, extractors/, schemas/) install as vnplans.pipeline, vnplans.extractors and
vnplans.schemas.
"""
__all__ = ["Database", "extract", "open", "read_export", "__version__"]


def __getattr__(name: str):
    """The API is imported on first use, so that `vnplans` on the command line does not pay for it."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("vnplans")
        except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
            return "0+unknown"
    if name in ("Database", "extract", "open", "read_export"):
        from vnplans import api

        return getattr(api, name)
    raise AttributeError(f"module 'vnplans' has no attribute {name!r}")
