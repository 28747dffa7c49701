#!/usr/bin/env python3
"""Render the audit report and the Datasette pages to PNG, to look at them as a person would.

    python tools/make_screenshots.py [--db outputs/vnplans.db] [--out outputs/screenshots]

Writes outputs/audit.html (vnplans audit --html) and screenshots of it and of `vnplans serve`.
"""
from __future__ import annotations

import argparse
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshot import screenshot  # noqa: E402

from vnplans.pipeline import audit, html  # noqa: E402
from vnplans.pipeline.serve import running  # noqa: E402
from vnplans.pipeline.store import Store  # noqa: E402

PAGES = {  # name -> (path under the database URL, window height)
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
    args = ap.parse_args()
    out = Path(args.out)
    report = Path(args.db).parent / "audit.html"
    html.write_audit(audit.audit(Store(args.db)), report)
    print(screenshot(str(report), out / "audit-report.png", 1280, 2400))
    with running(args.db) as url:
        for name, (path, height) in PAGES.items():
            print(screenshot(url + path, out / f"{name}.png", 1280, height))
    return 0


if __name__ == "__main__":
    sys.exit(main())
