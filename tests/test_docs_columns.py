"""docs/columns.md is the code's own column dictionary, regenerated on purpose only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_docs_columns_is_up_to_date() -> None:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "make_column_docs.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_docs_columns_names_every_sheet_and_csv_column() -> None:
    from extractor.export.csv import FIGURE_COLUMNS
    from extractor.export.labels import SHEETS

    text = (REPO / "docs" / "columns.md").read_text(encoding="utf-8")
    assert all(f"### {name}" in text for name in SHEETS.values())
    assert all(f"`{column}`" in text for column in FIGURE_COLUMNS)
