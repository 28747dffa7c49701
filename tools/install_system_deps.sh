#!/usr/bin/env bash
# System programs vnplans needs beyond PyPI, installed with apt (Debian/Ubuntu) when missing:
#   always     Tesseract with its Vietnamese data, for OCR of scanned plans;
#   --browser  Chromium, for the end-to-end test that drives `vnplans serve` and for tools/screenshot.py.
# Elsewhere it says what to install.
set -euo pipefail
want=(tesseract-ocr tesseract-ocr-vie)
if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie; then
  want=()
fi
if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  want+=(chromium)
fi
if [ ${#want[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if command -v apt-get >/dev/null 2>&1; then
  echo "installing ${want[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${want[@]}" >/dev/null
else
  echo "please install: ${want[*]} (Debian package names)" >&2
  exit 1
fi
