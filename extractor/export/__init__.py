"""Stage 6: DocumentResults out as JSON Lines, CSV tables and an XLSX workbook.

The writers are imported when first asked for: ``bienche extract --jsonl`` needs
neither xlsxwriter nor the report's imaging at start-up."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractor.export.csv import write_csv
    from extractor.export.jsonl import read_jsonl, write_jsonl
    from extractor.export.xlsx import write_xlsx

__all__ = ["read_jsonl", "write_csv", "write_jsonl", "write_xlsx"]

_HOMES = {"read_jsonl": "jsonl", "write_jsonl": "jsonl", "write_csv": "csv", "write_xlsx": "xlsx"}


def __getattr__(name: str) -> Any:
    """``read_jsonl``, ``write_csv``, ``write_jsonl`` and ``write_xlsx``, from their modules."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
