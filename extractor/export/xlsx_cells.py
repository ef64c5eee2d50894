"""Cells of the clerk workbook: typed values, their number and date formats, print setup.

Text is always written with ``write_string`` (never a formula, never a link); numbers
as numbers with a thousands separator; ISO dates of issue as real date cells.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # types only: the run index needs this module, a --jsonl run not xlsxwriter
    import xlsxwriter
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

Style = Literal["text", "wrap", "plain", "num", "dec", "auto", "date"]
"""How a column shows its values: text, wrapped text, a number as is (years, pages),
``#,##0``, ``#,##0.00``, either of the two by the value, ``dd/mm/yyyy``."""

NUM, DEC, DATE = "#,##0", "#,##0.00", "dd/mm/yyyy"
MAX_STRING = 32_767
MAX_ROWS = 1_048_576
"""Rows of one XLSX sheet, its header included."""
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_QUARTERS = {"1": "I", "2": "II", "3": "III", "4": "IV"}


@dataclass(frozen=True)
class Styled:
    """A value with a style of its own, overriding its column's."""

    value: str | int | float | None
    style: Style


XCell = str | int | float | bool | dt.date | Styled | None
"""One cell of the workbook; None is an empty cell."""


def date_cell(iso: str | None) -> dt.date | str | None:
    """An ISO date as written in the records: a day (2022-07-18) becomes a date; a month
    (2022-07) or a quarter (2023-Q1) stays text in the Vietnamese way ("07/2022",
    "quý I/2023"); anything else is kept as it is."""
    if not iso:
        return None
    if m := _ISO_DAY.match(iso):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return iso
    if m := _ISO_MONTH.match(iso):
        return f"{m[2]}/{m[1]}"
    if m := _ISO_QUARTER.match(iso):
        return f"quý {_QUARTERS[m[2]]}/{m[1]}"
    return iso


def date_text(iso: str | None) -> str:
    """An ISO date as a Vietnamese reader writes it: 2023-08-11 → 11/08/2023."""
    value = date_cell(iso)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value or ""


def number_style(value: float) -> Style:
    """``num`` for a whole number, ``dec`` for one with decimals."""
    return "num" if float(value).is_integer() else "dec"


class Formats:
    """The workbook's cell formats, made once per combination of properties."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self._book = book
        self._made: dict[tuple[tuple[str, object], ...], Format] = {}

    def get(self, style: Style, **extra: object) -> Format:
        """The format of ``style`` with ``extra`` properties (bold, indent, bg_color …)."""
        props: dict[str, object] = {"valign": "top", **extra}
        if props.get("indent"):
            props["align"] = "left"  # an indent shows only on left-aligned cells
        if style == "wrap":
            props["text_wrap"] = True
        elif style in ("num", "dec", "date"):
            props["num_format"] = {"num": NUM, "dec": DEC, "date": DATE}[style]
        key = tuple(sorted(props.items()))
        if key not in self._made:
            self._made[key] = self._book.add_format(props)
        return self._made[key]


def write_cell(
    sheet: Worksheet, row: int, col: int, value: XCell, style: Style, formats: Formats, **extra: object
) -> None:
    """Write one cell: text with ``write_string``, numbers with their format, dates as dates."""
    if isinstance(value, Styled):
        style = value.style
        value = value.value
    if isinstance(value, bool):
        value = "có" if value else None
    if value is None or value == "":
        if extra:
            sheet.write_blank(row, col, None, formats.get("text", **extra))
        return
    if isinstance(value, dt.date):
        day = dt.datetime(value.year, value.month, value.day)
        sheet.write_datetime(row, col, day, formats.get("date", **extra))
    elif isinstance(value, int | float) and math.isfinite(value):
        if style == "auto":
            style = number_style(value)
        sheet.write_number(row, col, value, formats.get(style, **extra))
    else:
        text_style: Style = "wrap" if style == "wrap" else "text"
        sheet.write_string(row, col, str(value)[:MAX_STRING], formats.get(text_style, **extra))


def print_setup(sheet: Worksheet, last_row: int, last_col: int) -> None:
    """Landscape A4, one page wide, header row repeated on every page, frozen and filtered."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header("&L&A")
    sheet.set_footer("&CTrang &P/&N")
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(last_row, 0), max(last_col, 0))


_LINE_HEIGHT = 15.0
_MAX_HEIGHT = 409.0


def wrapped_lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` characters wide."""
    per_line = max(int(width) - 1, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def fit_row_height(sheet: Worksheet, row: int, cells: list[tuple[XCell, float]]) -> None:
    """Give ``row`` the height of its longest wrapped text, (cell, column width) pairs;
    spreadsheet programs do not all grow a row for wrapped text on their own."""
    lines = 1
    for value, width in cells:
        text = value.value if isinstance(value, Styled) else value
        if isinstance(text, str) and text:
            lines = max(lines, wrapped_lines(text, width))
    if lines > 1:
        sheet.set_row(row, min(lines * _LINE_HEIGHT, _MAX_HEIGHT))


def forget_written_rows(sheet: Worksheet) -> None:
    """Drop what a ``constant_memory`` sheet keeps of the rows it has written out
    (their heights, twice): xlsxwriter keeps it to the end, growing with every row.
    Only images and comments, which bienche never adds, would still look at it."""
    for kept in (sheet.row_info, sheet.row_sizes):
        done = [row for row in kept if row < sheet.previous_row]
        for row in done:
            del kept[row]
