"""One XLSX workbook for clerks: Figures, Citations, Findings, Documents, Errors.

Every sheet has a frozen header row and an autofilter; numbers are stored as
numbers; document text is always written as a string, never as a formula or a
link (the workbook is created with ``strings_to_formulas`` and
``strings_to_urls`` off, and text goes through ``write_string``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from extractor.export.csv import (
    CITATION_COLUMNS,
    FIGURE_COLUMNS,
    Cell,
    citation_rows,
    figure_rows,
    plain,
)
from extractor.models import Citation, DocumentResult, Figure, Finding

FINDING_COLUMNS: tuple[str, ...] = (
    "source", "rule", "severity", "message", "stated", "computed", "suggestion",
    "spans", "page", "bbox", "sentence",
)  # fmt: skip
DOCUMENT_COLUMNS: tuple[str, ...] = (
    "source", "sha256", "format", "pages", "chars", "citations", "figures",
    "findings", "errors", "warnings", "self",
)  # fmt: skip
ERROR_COLUMNS: tuple[str, ...] = ("source", "level", "code", "message")

_MAX_ROWS = 1_048_576
_MAX_STRING = 32_767
_MAX_WIDTH = 60
_WRAPPED = {"sentence": 90, "message": 60, "suggestion": 40}
"""Columns shown wrapped, with their fixed widths."""


@dataclass(frozen=True)
class _Sheet:
    name: str
    columns: tuple[str, ...]
    rows: list[list[Cell]]


def _finding_context(
    result: DocumentResult, finding: Finding
) -> tuple[int | None, str]:
    """Page and sentence of the mention at the finding's first span, if any is known."""
    if not finding.spans:
        return None, ""
    start, end = finding.spans[0]
    mentions: list[Figure | Citation] = [*result.figures, *result.citations]
    for mention in mentions:
        if (mention.start, mention.end) == (start, end):
            return mention.page, mention.sentence
    for mention in mentions:
        if mention.start <= start < mention.end or start <= mention.start < end:
            return mention.page, mention.sentence
    return None, ""


def _finding_rows(results: Iterable[DocumentResult]) -> Iterator[list[Cell]]:
    for result in results:
        for finding in result.all_findings():  # a root cause's related findings get rows too
            page, sentence = _finding_context(result, finding)
            spans = "; ".join(f"{start}-{end}" for start, end in finding.spans)
            yield [
                result.source, finding.rule, finding.severity, finding.message,
                plain(finding.stated), plain(finding.computed), finding.suggestion,
                spans, finding.page or page, plain(finding.bbox), sentence,
            ]  # fmt: skip


def _document_rows(results: Iterable[DocumentResult]) -> Iterator[list[Cell]]:
    for result in results:
        yield [
            result.source, result.sha256, result.format, result.pages, result.chars,
            len(result.citations), len(result.figures), len(result.findings),
            len(result.errors), len(result.warnings),
            result.self_.id if result.self_ else None,
        ]  # fmt: skip


def _error_rows(results: Iterable[DocumentResult]) -> Iterator[list[Cell]]:
    for result in results:
        for error in result.errors:
            yield [result.source, "error", error.code, error.message]
        for warning in result.warnings:
            yield [result.source, "warning", warning.code, warning.message]


def _width(column: str, rows: Sequence[Sequence[Cell]], index: int) -> int:
    """A column width that fits the header and most values, capped."""
    if column in _WRAPPED:
        return _WRAPPED[column]
    longest = len(column)
    for row in rows[:2000]:
        cell = row[index]
        if cell is not None:
            longest = max(longest, len(str(cell)))
    return min(longest + 2, _MAX_WIDTH)


def _write_cell(sheet: Worksheet, row: int, col: int, value: Cell, fmt: Format) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float) and math.isfinite(value):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, str(value)[:_MAX_STRING], fmt)


def _write_sheet(
    book: xlsxwriter.Workbook, spec: _Sheet, header: Format, top: Format, wrap: Format
) -> None:
    sheet = book.add_worksheet(spec.name)
    formats = [wrap if name in _WRAPPED else top for name in spec.columns]
    for col, name in enumerate(spec.columns):
        sheet.write_string(0, col, name, header)
        sheet.set_column(col, col, _width(name, spec.rows, col))
    for row_index, row in enumerate(spec.rows, start=1):
        for col, value in enumerate(row):
            _write_cell(sheet, row_index, col, value, formats[col])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(spec.rows), len(spec.columns) - 1)


def write_xlsx(results: Iterable[DocumentResult], out: Path) -> Path:
    """Write the five-sheet workbook to ``out``; returns ``out``."""
    kept = list(results)
    sheets = (
        _Sheet("Figures", FIGURE_COLUMNS, list(figure_rows(kept))),
        _Sheet("Citations", CITATION_COLUMNS, list(citation_rows(kept))),
        _Sheet("Findings", FINDING_COLUMNS, list(_finding_rows(kept))),
        _Sheet("Documents", DOCUMENT_COLUMNS, list(_document_rows(kept))),
        _Sheet("Errors", ERROR_COLUMNS, list(_error_rows(kept))),
    )
    for spec in sheets:
        if len(spec.rows) >= _MAX_ROWS:
            raise ValueError(
                f"sheet {spec.name}: {len(spec.rows)} rows do not fit in XLSX; use the CSV export"
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(str(out), options)
    try:
        header = book.add_format({"bold": True, "bottom": 1, "valign": "top"})
        top = book.add_format({"valign": "top"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        for spec in sheets:
            _write_sheet(book, spec, header, top, wrap)
    finally:
        book.close()
    return out
