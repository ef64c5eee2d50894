"""One XLSX workbook for clerks, in Vietnamese.

Sheets, in order: "Tổng hợp biên chế" (per document, unit × category rows with one
column per year, parts indented under their whole, a sum check), "Số liệu",
"Trích dẫn", "Phát hiện", "Văn bản", "Lỗi đọc tệp" and "Giải thích cột" (each
column's header, JSONL field and meaning).

Every sheet has a frozen, filtered header row that repeats on every printed page,
prints landscape one page wide; numbers are numbers (``#,##0``, ``#,##0.00`` for
rates), dates of issue are date cells (``dd/mm/yyyy``). Document text is always
written as a string, never as a formula or a link (the workbook is created with
``strings_to_formulas`` and ``strings_to_urls`` off, and text goes through
``write_string``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import xlsxwriter

from extractor.export.index import RunIndex
from extractor.export.labels import COLUMNS, SHEETS
from extractor.export.staging import Staged, drive
from extractor.export.xlsx_cells import (
    MAX_ROWS, Formats, Styled, XCell, fit_row_height, forget_written_rows, print_setup, write_cell,
)
from extractor.export.xlsx_sheets import DOCUMENT_SHEETS, Spec, dictionary_table
from extractor.export.xlsx_summary import Block, SummarySheet, document_rows, heading, summary_headers
from extractor.models import DocumentResult

SHEET_NAMES: tuple[str, ...] = tuple(SHEETS.values())
"""The sheet names, in workbook order."""

_MAX_WIDTH = 60
_FIT_ROWS = 2000
"""Rows a fitted column width looks at."""
_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "constant_memory": True}


def _cell_length(cell: XCell) -> int | None:
    """How wide a cell's value reads, for a fitted column (None: empty)."""
    value = cell.value if isinstance(cell, Styled) else cell
    if value is None:
        return None
    return 12 if not isinstance(value, str | int | float) else len(str(value))


class ListSheet:
    """One list sheet written row by row; fitted column widths (from the first
    2000 rows) are set when it is finished. Wrapped columns need a fixed width."""

    def __init__(self, book: xlsxwriter.Workbook, formats: Formats, key: str, spec: Spec) -> None:
        self.name = SHEETS[key]
        self._sheet = book.add_worksheet(self.name)
        self._formats = formats
        self._spec = spec
        headers = [COLUMNS[key][name].header for name, _, _ in spec]
        self._styles = [style for _, style, _ in spec]
        self._fixed = [width for _, _, width in spec]
        if any(style == "wrap" and width is None for _, style, width in spec):
            raise ValueError(f"sheet {self.name}: a wrapped column needs a fixed width")
        self._longest = [len(header) for header in headers]
        header_format = formats.get("wrap", bold=True, bottom=1)
        for col, header in enumerate(headers):
            self._sheet.write_string(0, col, header, header_format)
        # a fitted width is at least the header's, so the header wraps the same at the least width
        least = [width or min(len(header) + 2, _MAX_WIDTH) for header, width in zip(headers, self._fixed, strict=True)]
        fit_row_height(self._sheet, 0, list(zip(headers, least, strict=True)))
        self.rows = 0
        """Rows written under the header."""

    def add(self, rows: Iterable[list[XCell]]) -> None:
        """Write ``rows`` after those already written."""
        sheet, formats, styles = self._sheet, self._formats, self._styles
        for row in rows:
            self.rows += 1
            if self.rows <= _FIT_ROWS:
                for col, cell in enumerate(row):
                    length = _cell_length(cell)
                    if length is not None and length > self._longest[col]:
                        self._longest[col] = length
            wrapped: list[tuple[XCell, float]] = [(v, w) for v, w, style in zip(row, self._fixed, styles, strict=True) if style == "wrap" and w]
            fit_row_height(sheet, self.rows, wrapped)
            for col, value in enumerate(row):
                write_cell(sheet, self.rows, col, value, styles[col], formats)
        forget_written_rows(sheet)

    def finish(self) -> None:
        """Set the column widths and the print setup."""
        for col, width in enumerate(self._fixed):
            self._sheet.set_column(col, col, width or min(self._longest[col] + 2, _MAX_WIDTH))
        print_setup(self._sheet, self.rows, len(self._spec) - 1)


def _check_rows(index: RunIndex) -> None:
    for key, count in index.row_counts().items():
        if count >= MAX_ROWS:
            raise ValueError(f"sheet {SHEETS[key]}: {count} rows do not fit in XLSX; use the CSV export")


class XlsxSink:
    """The seven-sheet workbook written as documents pass, in xlsxwriter's
    ``constant_memory`` mode: every sheet is added first (headers and year columns
    from ``index``), then each document's rows go to the end of each sheet.

    Raises ValueError (naming the sheet) when a sheet would have more rows than XLSX holds."""

    def __init__(self, out: Path, index: RunIndex) -> None:
        _check_rows(index)
        self._split = index.split()
        columns = index.year_columns()
        self._staged = Staged(out)
        self._book = xlsxwriter.Workbook(str(self._staged.temp), _OPTIONS)
        self._open = True
        formats = Formats(self._book)
        self._summary = SummarySheet(self._book, formats, columns)
        self._lists = [(ListSheet(self._book, formats, key, spec), rows) for key, spec, rows in DOCUMENT_SHEETS]
        dictionary = dictionary_table(summary_headers(columns))
        self._dictionary = ListSheet(self._book, formats, dictionary.key, dictionary.spec)
        self._dictionary.add(dictionary.rows)

    def add(self, result: DocumentResult) -> None:
        """Write the summary block and the list rows of ``result``."""
        rows = document_rows(result, self._split)
        if rows:
            self._summary.add(Block(heading(result), rows))
        for sheet, rows_of in self._lists:
            sheet.add(rows_of((result,)))

    def finish(self) -> list[Staged]:
        """Finish every sheet and close the workbook; returns it staged."""
        self._summary.finish()
        for sheet, _ in self._lists:
            sheet.finish()
        self._dictionary.finish()
        self._open = False
        self._book.close()
        return [self._staged]

    def abort(self) -> None:
        """Drop the workbook: closed (xlsxwriter's temporary files go) and removed."""
        if self._open:
            self._open = False
            try:
                self._book.close()
            except Exception:  # noqa: BLE001, S110 - it is removed next either way
                pass
        self._staged.discard()


def write_xlsx(results: Iterable[DocumentResult], out: Path) -> Path:
    """Write the seven-sheet workbook to ``out``; returns ``out``.

    Raises ValueError (naming the sheet) when a sheet has more rows than XLSX holds;
    ``out`` is then left as it was."""
    kept = list(results)
    index = RunIndex(corpus=False)
    for result in kept:
        index.add(result)
    drive(kept, [XlsxSink(out, index)])
    return out
