"""Stage 6: DocumentResults out as JSON Lines, CSV tables and an XLSX workbook."""

from __future__ import annotations

from extractor.export.csv import write_csv
from extractor.export.jsonl import read_jsonl, write_jsonl
from extractor.export.xlsx import write_xlsx

__all__ = ["read_jsonl", "write_csv", "write_jsonl", "write_xlsx"]
