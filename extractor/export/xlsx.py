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

from collections.abc import Iterable, Sequence
from pathlib import Path

import xlsxwriter

from extractor.export.labels import SHEETS
from extractor.export.xlsx_cells import Formats, Styled, XCell, fit_row_height, print_setup, write_cell
from extractor.export.xlsx_sheets import Table, list_tables
from extractor.export.xlsx_summary import summary_blocks, summary_headers, write_summary
from extractor.models import DocumentResult

SHEET_NAMES: tuple[str, ...] = tuple(SHEETS.values())
"""The sheet names, in workbook order."""

_MAX_ROWS = 1_048_576
_MAX_WIDTH = 60


def _width(header: str, rows: Sequence[Sequence[XCell]], index: int) -> int:
    """A column width that fits the header and most values, capped."""
    longest = len(header)
    for row in rows[:2000]:
        cell = row[index]
        value = cell.value if isinstance(cell, Styled) else cell
        if value is not None:
            longest = max(longest, 12 if not isinstance(value, str | int | float) else len(str(value)))
    return min(longest + 2, _MAX_WIDTH)


def _write_table(book: xlsxwriter.Workbook, formats: Formats, table: Table) -> None:
    sheet = book.add_worksheet(table.name)
    header_format = formats.get("wrap", bold=True, bottom=1)
    headers = table.headers()
    widths = [width or _width(header, table.rows, col) for col, (header, (_, _, width)) in
              enumerate(zip(headers, table.spec, strict=True))]  # fmt: skip
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, header_format)
        sheet.set_column(col, col, widths[col])
    fit_row_height(sheet, 0, list(zip(headers, widths, strict=True)))
    styles = [style for _, style, _ in table.spec]
    wrapped = [style == "wrap" for style in styles]
    for row_index, row in enumerate(table.rows, start=1):
        fit_row_height(sheet, row_index, [(v, w) for v, w, wrap in zip(row, widths, wrapped, strict=True) if wrap])
        for col, value in enumerate(row):
            write_cell(sheet, row_index, col, value, styles[col], formats)
    print_setup(sheet, len(table.rows), len(table.spec) - 1)


def write_xlsx(results: Iterable[DocumentResult], out: Path) -> Path:
    """Write the seven-sheet workbook to ``out``; returns ``out``.

    Raises ValueError (naming the sheet) when a sheet has more rows than XLSX holds."""
    kept = list(results)
    columns, blocks = summary_blocks(kept)
    tables = list_tables(kept, summary_headers(columns))
    summary_rows = sum(1 + len(block.rows) for block in blocks)
    for name, count in ((SHEETS["summary"], summary_rows), *((t.name, len(t.rows)) for t in tables)):
        if count >= _MAX_ROWS:
            raise ValueError(f"sheet {name}: {count} rows do not fit in XLSX; use the CSV export")
    out.parent.mkdir(parents=True, exist_ok=True)
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(str(out), options)
    try:
        formats = Formats(book)
        write_summary(book, formats, columns, blocks)
        for table in tables:
            _write_table(book, formats, table)
    finally:
        book.close()
    return out
