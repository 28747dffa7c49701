"""`vnplans serve`: Datasette on the store, on localhost, with our metadata, facets and canned queries."""
from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import subprocess
import sys
import time
import urllib.request
from importlib import resources
from pathlib import Path
from typing import Iterator

import yaml

from vnplans.extractors.errors import VnplansError
from vnplans.pipeline.store import Store

SETTINGS = {"sql_time_limit_ms": 5000, "default_page_size": 50, "facet_time_limit_ms": 500,
            "default_facet_size": 20, "allow_download": False}


class ServeError(VnplansError):
    pass


VIEWS = ("commitments", "commitment_matrix", "items", "agency_items")


def metadata(db: str | Path) -> dict:
    """schemas/datasette.yaml with its `database` section under the served database's name, and the home page
    listing, with links, the views to browse and the canned queries (Datasette's own index shows neither)."""
    from html import escape

    meta = yaml.safe_load(resources.files("vnplans.schemas").joinpath("datasette.yaml").read_text("utf-8"))
    name = Path(db).stem
    database = meta.pop("database")
    meta["databases"] = {name: database}

    def links(names, titles) -> str:
        return "".join(f'<li><a href="/{escape(name)}/{n}">{escape(titles[n].get("title", n))}</a></li>' for n in names)

    meta["description_html"] += (
        "<p>Xem · browse:</p><ul>" + links(VIEWS, database["tables"]) + "</ul>"
        "<p>Câu hỏi có sẵn · canned queries:</p><ul>" + links(database["queries"], database["queries"]) + "</ul>")
    compare = database["queries"]["compare_metric"]
    compare["description_html"] = f"<p>{escape(compare.pop('description'))}</p>" + _metric_choices(db, name)
    return meta


def _metric_choices(db: str | Path, name: str) -> str:
    """The metrics the stored plans commit to, each a link that runs the compare query on it: the choice
    Datasette's plain text box for :metric does not offer."""
    from html import escape
    from urllib.parse import quote

    store = Store.existing(db)
    try:
        rows = store.query("SELECT metric_id, metric_name, count(DISTINCT province) AS provinces FROM commitments"
                           " WHERE metric_id IS NOT NULL GROUP BY metric_id ORDER BY provinces DESC, metric_id")
    finally:
        store.close()
    if not rows:
        return ""
    items = "".join(f'<li><a href="/{escape(name)}/compare_metric?metric={quote(r["metric_id"])}">'
                    f'{escape(r["metric_id"])}</a> — {escape(r["metric_name"] or "")} ({r["provinces"]} tỉnh)</li>'
                    for r in rows)
    return f"<details><summary>Chọn chỉ tiêu · choose a metric ({len(rows)})</summary><ul>{items}</ul></details>"


def app(db: str | Path):
    """The Datasette instance (its views created or brought up to date first)."""
    from datasette.app import Datasette

    path = Path(db)
    Store.existing(path).close()  # migrations and views, before Datasette reads the schema
    templates = resources.files("vnplans.pipeline").joinpath("templates/datasette")
    ds = Datasette([str(path)], metadata=metadata(path), settings=SETTINGS, template_dir=str(templates))
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


@contextlib.contextmanager
def running(db: str | Path, port: int = 0, timeout: float = 90) -> Iterator[str]:
    """`vnplans serve` in a child process for as long as the block runs; yields the database's URL.

    For tests and tools/make_screenshots.py: the server runs exactly as a user starts it.
    """
    if not port:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "vnplans", "serve", "--port", str(port), "--db", str(db)],
                            cwd=Path(__file__).resolve().parent.parent,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    proc.kill()
                    raise ServeError("vnplans serve did not start: "
                                     + proc.stdout.read().decode("utf-8", "replace")) from None
                time.sleep(0.3)
        yield f"{base}/{Path(db).stem}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
