"""`vnplans serve`: Datasette on the store, on localhost, with our metadata, facets and canned queries."""
from __future__ import annotations

import asyncio
import ipaddress
from importlib import resources
from pathlib import Path

import yaml

from extractors.errors import VnplansError
from pipeline.store import Store

SETTINGS = {"sql_time_limit_ms": 5000, "default_page_size": 50, "facet_time_limit_ms": 500,
            "default_facet_size": 20, "allow_download": False}


class ServeError(VnplansError):
    pass


def metadata(db: str | Path) -> dict:
    """schemas/datasette.yaml with its `database` section under the served database's name."""
    meta = yaml.safe_load(resources.files("schemas").joinpath("datasette.yaml").read_text("utf-8"))
    meta["databases"] = {Path(db).stem: meta.pop("database")}
    return meta


def app(db: str | Path):
    """The Datasette instance (its views created or brought up to date first)."""
    from datasette.app import Datasette

    path = Path(db)
    if not path.exists():
        raise ServeError(f"{db}: no database yet (run: vnplans ingest PATH --db {db})")
    Store(path).close()  # migrations and views, before Datasette reads the schema
    ds = Datasette([str(path)], metadata=metadata(path), settings=SETTINGS)
    asyncio.new_event_loop().run_until_complete(ds.invoke_startup())
    return ds


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    import uvicorn

    ds = app(db)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
