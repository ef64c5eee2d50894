#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine and runs it.
# System packages (root only; without them the OCR, PDF-font and browser tests skip):
#   those of scripts/setup.sh (tesseract-ocr, tesseract-ocr-vie, fonts-dejavu-core), and
#   chromium, chromium-driver  headless browser for the HTML report test
set -euo pipefail
cd "$(dirname "$0")/.."
BIENCHE_APT="chromium chromium-driver" BIENCHE_EXTRAS=".[dev]" bash scripts/setup.sh
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  # installed by setup.sh, so a missing browser or OCR is a failure, not a skip
  command -v chromium >/dev/null 2>&1 && export BIENCHE_REQUIRE_BROWSER=1
  command -v tesseract >/dev/null 2>&1 && export BIENCHE_REQUIRE_OCR=1
fi
exec .venv/bin/python -m pytest "$@"
