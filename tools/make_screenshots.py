#!/usr/bin/env python3
"""Render the audit report, a comparison page and the Datasette pages to PNG, to look at them as a person would.

    python tools/make_screenshots.py [--db outputs/vnplans.db] [--out outputs/screenshots] [--metric ID]

Writes outputs/audit.html (vnplans audit --html) and outputs/compare.html (vnplans compare METRIC --html), and
screenshots of them on a desktop (1400 px) and a phone (400 px), and of `vnplans serve`.
"""
from __future__ import annotations

import argparse
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshot import screenshot  # noqa: E402

from vnplans.pipeline import audit, compare, html  # noqa: E402
from vnplans.pipeline.serve import running  # noqa: E402
from vnplans.pipeline.store import Store  # noqa: E402

PAGES = {  # name -> (path under the database URL, window height)
    "datasette-home": ("/..", 1100),
    "datasette-database": ("", 1100),
    "datasette-commitments-smartphone": ("/commitments?metric_id=smartphone-adults", 1500),
    "datasette-compare-sme": ("/compare_metric?metric=sme-digital-platforms", 1000),
    "datasette-audit-no-lead": ("/audit_no_lead?plan=" + urllib.parse.quote("4876/KH-UBND"), 1000),
    "datasette-items-facets": ("/items?lead_state=none", 1400),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="outputs/vnplans.db")
    ap.add_argument("--out", default="outputs/screenshots")
    ap.add_argument("--metric", default="smartphone-adults", help="the metric of the comparison page")
    args = ap.parse_args()
    out = Path(args.out)
    store = Store.existing(args.db)
    report = Path(args.db).parent / "audit.html"
    html.write_audit(audit.audit(store), report)
    page = Path(args.db).parent / "compare.html"
    html.write_compare(compare.compare(store, args.metric), page)
    for name, path, width, height in (("audit-report", report, 1400, 2400), ("audit-report-phone", report, 400, 2400),
                                      ("compare", page, 1400, 1500), ("compare-phone", page, 400, 2000)):
        print(screenshot(str(path), out / f"{name}.png", width, height))
    with running(args.db) as url:
        for name, (path, height) in PAGES.items():
            print(screenshot(url + path, out / f"{name}.png", 1280, height))
    return 0


if __name__ == "__main__":
    sys.exit(main())
