#!/usr/bin/env python3
"""Screenshot a page (URL or HTML file) with headless Chromium, as a person would see it.

Used by the Datasette end-to-end test and to look at the audit report before circulating it:
    python tools/screenshot.py outputs/audit.html outputs/screenshots/audit.png --height 2400
Needs Debian's `chromium` (tools/install_system_deps.sh --browser installs it).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Flags for a machine with no network: without the background-networking ones Chromium keeps
# trying to reach Google's services at start.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--virtual-time-budget=5000",
         "--allow-file-access-from-files"]  # a local page may read another (a probe frames the page it measures)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _target(page: str) -> str:
    return page if "://" in page else Path(page).resolve().as_uri()


def screenshot(page: str, out: str | Path, width: int = 1280, height: int = 1600, timeout: float = 90) -> Path:
    """Render `page` (URL or file) to a PNG at `out`."""
    exe = chromium()
    if exe is None:
        raise RuntimeError("no Chromium found (Debian: apt-get install chromium)")
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                        f"--screenshot={out}", _target(page)], check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not out.exists():
        raise RuntimeError(f"Chromium wrote no screenshot of {page}")
    return out


def dump_dom(page: str, timeout: float = 90, width: int = 1280, height: int = 1600) -> str:
    """The page's DOM after its scripts ran, as Chromium serialises it, laid out in a window of that size."""
    exe = chromium()
    if exe is None:
        raise RuntimeError("no Chromium found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                               "--dump-dom", _target(page)],
                              check=True, timeout=timeout, capture_output=True, text=True)
    return done.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("page", help="URL or HTML file")
    ap.add_argument("out", help="PNG to write")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=1600)
    args = ap.parse_args()
    print(screenshot(args.page, args.out, args.width, args.height))
    return 0


if __name__ == "__main__":
    sys.exit(main())
