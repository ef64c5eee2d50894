#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine and runs it.
# System packages (root only; without them the PDF-font and browser tests skip):
#   fonts-dejavu-core  a Unicode TTF font for the generated sample PDFs
#   chromium, chromium-driver  headless browser for the HTML report test
#   tesseract-ocr, tesseract-ocr-vie  OCR of scanned PDFs and images (Vietnamese model)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  missing=""
  for pkg in fonts-dejavu-core chromium chromium-driver tesseract-ocr tesseract-ocr-vie; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) \
      || echo "note: could not install$missing; the tests that need them will skip"
  fi
  # installed here, so a missing browser is a failure, not a skip
  command -v chromium >/dev/null 2>&1 && export BIENCHE_REQUIRE_BROWSER=1
  command -v tesseract >/dev/null 2>&1 && export BIENCHE_REQUIRE_OCR=1
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[dev]'
exec .venv/bin/python -m pytest "$@"
