"""Writing output files so that a reader never sees half of one: a temporary file beside it, then a rename."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic(path: Path, mode: str = "w", **kw):
    """Yields an open file (or, with a binary mode, the temporary path to write); `path` appears whole or not
    at all, readable by others (0644)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if "b" in mode:
            yield tmp
        else:
            with open(tmp, mode, **kw) as f:
                yield f
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
