#!/usr/bin/env bash
# System programs vnplans needs beyond PyPI: Tesseract with its Vietnamese data, for OCR of scanned plans.
# Installs them with apt (Debian/Ubuntu) when missing; elsewhere says what to install.
set -euo pipefail
if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if command -v apt-get >/dev/null 2>&1; then
  echo "installing tesseract-ocr tesseract-ocr-vie (OCR of scanned plans)" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-vie >/dev/null
else
  echo "please install Tesseract with Vietnamese language data (Debian: tesseract-ocr tesseract-ocr-vie)" >&2
  exit 1
fi
