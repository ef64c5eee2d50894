#!/usr/bin/env bash
# Sets up bienche on a fresh Debian machine: system packages (root only), then the venv.
#   tesseract-ocr, tesseract-ocr-vie  OCR of scanned PDFs and images (Vietnamese model)
#   fonts-dejavu-core                 a Unicode TTF font for the generated sample PDFs
# Elsewhere (not root, no apt-get) they are left out: scanned pages then get an
# error that says how to install them, and everything else works.
# Extra Debian packages can be named in BIENCHE_APT (the test command adds Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  missing=""
  for pkg in tesseract-ocr tesseract-ocr-vie fonts-dejavu-core ${BIENCHE_APT:-}; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) \
      || echo "note: could not install$missing; OCR (and the tests that need them) will not run" >&2
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e "${BIENCHE_EXTRAS:-.}"
# byte-compile the package now: an editable install is otherwise compiled on first use by each
# process (and on every start where PYTHONDONTWRITEBYTECODE is set), ~0.2 s of every start-up
.venv/bin/python -m compileall -q extractor >/dev/null || true
