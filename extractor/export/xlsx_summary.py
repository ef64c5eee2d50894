"""The first sheet of the workbook, "Tổng hợp biên chế": the quota levels a clerk came for.

Per document a heading row (file, its own number and date), then one row per unit ×
category × unit of count, with one column per year (and basis where the text states
it: "2025 (được giao)", "2025 (có mặt)"). Parts sit indented under their whole,
following the figures' ``parent`` links, and a whole's row says whether its parts add
up ("khớp") or by how much they do not ("lệch 1.000"). Only figures of kind ``level``
are here: changes, rates and counts stay on the "Số liệu" sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extractor.check.numbers import close, vn
from extractor.export.labels import APPROX, BASIS, CATEGORY, COLUMNS, SHEETS
from extractor.export.xlsx_cells import (
    MAX_ROWS, Formats, XCell, date_text, fit_row_height, forget_written_rows, print_setup, write_cell,
)
from extractor.models import DocumentResult, Figure

if TYPE_CHECKING:  # types only: the run index imports this module, a --jsonl run needs no xlsxwriter
    import xlsxwriter

_BASIS_ORDER = {None: 0, "assigned": 1, "actual": 2, "planned": 3}
NO_ORG = "(không rõ đơn vị)"
MATCH = "khớp"

RowKey = tuple[str | None, str | None, str, object, int]
"""(org, category, unit, the key of the whole's row or None, n): a part whose names
equal its whole's still gets a row of its own; n counts the rows of one name that
a second value for one column opened."""


@dataclass(frozen=True, order=True)
class YearColumn:
    """One value column: a year (with basis), else the period, else "không rõ năm"."""

    sort: tuple[int, int, str, int]
    label: str


@dataclass
class SummaryRow:
    """One unit × category row of a document: its values by column and what to note."""

    org: str | None
    category: str | None
    unit: str
    depth: int
    values: dict[YearColumn, float] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checks: list[tuple[str, str, bool]] = field(default_factory=list)
    """(column label, status, whether it holds) per whole figure of this row."""
    bases: dict[str, list[str]] = field(default_factory=dict)
    """Basis → the columns whose value the text states on it (when the header does not)."""
    aliases: dict[str, list[str]] = field(default_factory=dict)
    """Other names of the unit in this row → the figures that use them."""

    def notes_text(self) -> str:
        """The notes cell: bases, other names of the unit, approximations, clashes."""
        notes = [f"{basis}: {', '.join(dict.fromkeys(cols))}" for basis, cols in self.bases.items()]
        notes += [f"{_alias(self.org or '', name)} ({', '.join(ids)})" for name, ids in self.aliases.items()]
        return "; ".join([*notes, *self.notes])

    def check_text(self) -> str:
        """"khớp" when every sum holds, else each column's status."""
        if not self.checks:
            return ""
        shown = [(label, status) for label, status, ok in self.checks if not (ok and status.endswith(MATCH))]
        if not shown:
            return MATCH
        if len(self.checks) == 1:
            return shown[0][1]
        text = "; ".join(f"{label}: {status}" for label, status in shown)
        return text + ("; còn lại khớp" if len(shown) < len(self.checks) else "")

    def category_label(self) -> str:
        """The category in Vietnamese, empty when unknown."""
        return CATEGORY.get(self.category, self.category) if self.category else ""


def _alias(name: str, other: str) -> str:
    """How ``other`` differs from the row's ``name``: words it drops or adds."""
    if other.casefold().startswith(name.casefold()):
        return f"cũng ghi thêm «{other[len(name):].strip(' ,')}»"
    if name.casefold().startswith(other.casefold()):
        return f"cũng ghi không có «{name[len(other):].strip(' ,')}»"
    return f"cũng ghi là «{other}»"


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Block:
    """The rows of one document under its heading."""

    heading: str
    rows: list[SummaryRow]


LevelKey = tuple[int | None, str | None, str | None]
"""(year, period, basis) of a quota level: all that decides its value column."""


def level_key(figure: Figure) -> LevelKey:
    """The (year, period, basis) of a level figure."""
    return figure.year, figure.period, figure.basis


def split_of(levels: Iterable[LevelKey]) -> frozenset[int | str | None]:
    """:func:`split_years` from the (year, period, basis) of every level figure."""
    bases: dict[int | str | None, set[str]] = {}
    for year, period, basis in levels:
        if basis:
            bases.setdefault(year if year is not None else period, set()).add(basis)
    return frozenset(year for year, seen in bases.items() if len(seen) > 1)


def split_years(results: Iterable[DocumentResult]) -> frozenset[int | str | None]:
    """The years (or periods) whose levels are stated on two different bases somewhere
    (assigned and actual never add up): only these get a column per basis."""
    return split_of(level_key(fig) for result in results for fig in result.figures if fig.kind == "level")


def column_of(figure: Figure, split: frozenset[int | str | None] = frozenset()) -> YearColumn:
    """The column a level figure's value goes into: its year, with its basis where
    the year is in ``split``."""
    return column_for(level_key(figure), split)


def column_for(level: LevelKey, split: frozenset[int | str | None] = frozenset()) -> YearColumn:
    """The column of a level with this (year, period, basis), as :func:`column_of`."""
    year, period, basis_code = level
    shown = basis_code if (year if year is not None else period) in split else None
    basis = _BASIS_ORDER.get(shown, 9)
    suffix = f" ({BASIS.get(shown, shown)})" if shown else ""
    if year is not None:
        return YearColumn((0, year, "", basis), f"{year}{suffix}")
    if period:
        end = period.rsplit("-", 1)[-1]
        end_year = int(end) if end.isdigit() else 9999
        return YearColumn((1, end_year, period, basis), f"giai đoạn {period}{suffix}")
    return YearColumn((2, 0, "", basis), f"không rõ năm{suffix}")


def heading(result: DocumentResult) -> str:
    """The document's heading row: file, then its type, number, date and issuer if known."""
    parts = [result.source]
    own = result.self_
    if own is not None:
        parts.append(f"{own.type} số {own.id}" if own.type else f"số {own.id}")
        if own.date:
            parts.append(f"ngày {date_text(own.date)}")
        if own.issuer:
            parts.append(own.issuer)
    return " — ".join(parts)


def same_unit(a: str | None, b: str | None) -> bool:
    """Whether two names of a unit are one name and that name with more words after
    it ("Các cơ quan … chính trị - xã hội" and "… chính trị - xã hội cấp tỉnh")."""
    if not a or not b or a == b:
        return False
    short, long = sorted((a.casefold(), b.casefold()), key=len)
    return long.startswith(short) and not long[len(short)].isalnum()


_SEARCH = 64
"""Rows tried before a figure's value opens a new row: enough for any real table,
and what keeps a pathological line of 10⁵ unit-less values linear."""


def _row_keys(levels: list[Figure], split: frozenset[int | str | None]) -> dict[str, RowKey]:
    """Each level figure's row key, following ``parent`` up (cycles cut). A second,
    different value for a row's column opens a row of its own (a table whose rows name
    no unit gives one row per value, not one crowded cell); a figure whose unit name
    is a sibling row's name with words added (or dropped) joins that row where its
    column is free."""
    by_id = {f.id: f for f in levels}
    keys: dict[str, RowKey] = {}
    cells: dict[RowKey, dict[YearColumn, float]] = {}
    alike: dict[tuple[object, ...], list[RowKey]] = {}  # rows by all but the unit name
    last: dict[tuple[object, ...], int] = {}  # the highest row index used per row without its index

    def fits(key: RowKey, column: YearColumn, value: float) -> bool:
        held = cells.get(key, {}).get(column)
        return held is None or close(held, value)

    def place(key: RowKey, column: YearColumn, value: float) -> RowKey:
        if key not in cells:
            near = alike.get(key[1:], [])[:_SEARCH]
            key = next((k for k in near if same_unit(k[0], key[0]) and fits(k, column, value)), key)
        for _ in range(_SEARCH):  # a free or equal cell in the next rows of this name …
            if fits(key, column, value):
                return key
            key = (key[0], key[1], key[2], key[3], key[4] + 1)
        return (*key[:4], last.get(key[:4], key[4]) + 1)  # … else a new row (a line of 10⁵ values stays linear)

    def record(key: RowKey, column: YearColumn, value: float) -> None:
        if key not in cells:
            alike.setdefault(key[1:], []).append(key)
        cells.setdefault(key, {}).setdefault(column, value)
        last[key[:4]] = max(last.get(key[:4], 0), key[4])

    def key_of(fig: Figure, seen: frozenset[str]) -> RowKey:
        if fig.id in keys:
            return keys[fig.id]
        parent = by_id.get(fig.parent) if fig.parent else None
        above = key_of(parent, seen | {fig.id}) if parent and parent.id not in seen else None
        column = column_of(fig, split)
        key = place((fig.org, fig.category, fig.unit, above, 0), column, fig.value)
        record(key, column, fig.value)
        keys[fig.id] = key
        return key

    for fig in levels:
        key_of(fig, frozenset())
    return keys


def _depth(key: RowKey) -> int:
    depth, above = 0, key[3]
    while isinstance(above, tuple):
        depth, above = depth + 1, above[3]
    return depth


def _status(whole: float, parts: list[Figure]) -> tuple[str, bool]:
    total = sum(p.value for p in parts)
    if any(p.partial for p in parts):
        if total <= whole or close(total, whole):
            return f"trong đó Σ phần {vn(total)} ≤ {vn(whole)}", True
        return f"lệch: Σ phần {vn(total)} vượt tổng {vn(whole)}", False
    if close(total, whole):
        return MATCH, True
    return f"lệch {vn(whole - total)} (Σ phần {vn(total)})", False


def _fill(row: SummaryRow, fig: Figure, split: frozenset[int | str | None]) -> None:
    column = column_of(fig, split)
    row.ids.append(fig.id)
    row.values.setdefault(column, fig.value)  # rows are keyed so that a column holds one value
    if fig.basis and column.label == column_of(fig).label:  # the column does not say it
        row.bases.setdefault(BASIS.get(fig.basis, fig.basis), []).append(column.label)
    if fig.org != row.org and fig.org:
        row.aliases.setdefault(fig.org, []).append(fig.id)
    if fig.approx != "exact":
        row.notes.append(f"{column.label}: {APPROX.get(fig.approx, fig.approx)} {vn(fig.value)}")


def document_rows(
    result: DocumentResult, split: frozenset[int | str | None] = frozenset()
) -> list[SummaryRow]:
    """The summary rows of one document, wholes before their parts (depth-first);
    ``split`` as :func:`split_years` gives it."""
    levels = [f for f in result.figures if f.kind == "level"]
    keys = _row_keys(levels, split)
    rows: dict[RowKey, SummaryRow] = {}
    children: dict[object, list[RowKey]] = {}
    for fig in levels:
        key = keys[fig.id]
        if key not in rows:
            rows[key] = SummaryRow(fig.org, fig.category, fig.unit, _depth(key))
            if not fig.org and fig.sentence:  # what the text says around it, to tell such rows apart
                rows[key].notes.append(f"câu: «{_clip(fig.sentence)}»")
            children.setdefault(key[3], []).append(key)
        _fill(rows[key], fig, split)
    parts_of: dict[tuple[str, str], list[Figure]] = {}
    for fig in levels:
        for link in ("parent", "row_total"):
            if getattr(fig, link) is not None:
                parts_of.setdefault((link, getattr(fig, link)), []).append(fig)
    for whole in levels:
        label = column_of(whole, split).label
        for prefix, link in (("", "parent"), ("hàng: ", "row_total")):
            parts = parts_of.get((link, whole.id), [])
            if parts:
                status, ok = _status(whole.value, parts)
                rows[keys[whole.id]].checks.append((label, prefix + status, ok))
    ordered: list[SummaryRow] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        key = stack.pop()
        ordered.append(rows[key])
        stack.extend(reversed(children.get(key, [])))
    return ordered


def summary_blocks(results: Iterable[DocumentResult]) -> tuple[list[YearColumn], list[Block]]:
    """The value columns of the whole workbook (sorted) and one block per document
    that states a level."""
    kept = list(results)
    split = split_years(kept)
    blocks: list[Block] = []
    columns: set[YearColumn] = set()
    for result in kept:
        rows = document_rows(result, split)
        if rows:
            blocks.append(Block(heading(result), rows))
            columns.update(col for row in rows for col in row.values)
    return sorted(columns), blocks


_FIXED = ("org", "category", "unit")
_TRAILING = ("check", "notes", "ids")
_WIDTHS = {"org": 44, "category": 20, "unit": 11, "check": 30, "notes": 30, "ids": 14}
_HEADING = {"bold": True, "bg_color": "#DDEBF7", "top": 1}


def summary_headers(columns: list[YearColumn]) -> list[str]:
    """The sheet's header row: unit, category, unit of count, the years, check, notes, ids."""
    labels = COLUMNS["summary"]
    return [
        *(labels[name].header for name in _FIXED),
        *(column.label for column in columns),
        *(labels[name].header for name in _TRAILING),
    ]


def _summary_cells(row: SummaryRow, columns: list[YearColumn]) -> list[XCell]:
    return [
        row.org or NO_ORG, row.category_label(), row.unit,
        *(row.values.get(column) for column in columns),
        row.check_text(), row.notes_text(), ", ".join(row.ids),
    ]  # fmt: skip


class SummarySheet:
    """The "Tổng hợp biên chế" sheet written block by block, rows in order (fit for
    xlsxwriter's ``constant_memory`` mode); the value ``columns`` are known up front."""

    def __init__(self, book: xlsxwriter.Workbook, formats: Formats, columns: list[YearColumn]) -> None:
        self._sheet = book.add_worksheet(SHEETS["summary"])
        self._formats, self._columns = formats, columns
        self._headers = summary_headers(columns)
        self._names = [*_FIXED, *(["year"] * len(columns)), *_TRAILING]
        self._widths = [_WIDTHS.get(name, max(len(header) + 2, 11)) for name, header in zip(self._names, self._headers, strict=True)]
        header_format = formats.get("wrap", bold=True, bottom=1)
        for col, header in enumerate(self._headers):
            self._sheet.write_string(0, col, header, header_format)
            self._sheet.set_column(col, col, self._widths[col])
        fit_row_height(self._sheet, 0, list(zip(self._headers, self._widths, strict=True)))
        self.rows = 0
        """Rows written under the header."""
        self._blocks = 0

    def add(self, block: Block) -> None:
        """Write one document's heading row and rows; ValueError past the XLSX row limit."""
        if self.rows + 1 + len(block.rows) >= MAX_ROWS:
            raise ValueError(f"sheet {SHEETS['summary']}: more than {MAX_ROWS - 1} rows do not fit in XLSX; use the CSV export")
        sheet, formats, names = self._sheet, self._formats, self._names
        self._blocks += 1
        self.rows += 1
        write_cell(sheet, self.rows, 0, block.heading, "text", formats, **_HEADING)
        for col in range(1, len(self._headers)):
            write_cell(sheet, self.rows, col, None, "text", formats, **_HEADING)
        for row in block.rows:
            self.rows += 1
            cells = _summary_cells(row, self._columns)
            indented = [w - 2 * row.depth if n in ("org", "category") else w for n, w in zip(names, self._widths, strict=True)]
            fit_row_height(sheet, self.rows, list(zip(cells, indented, strict=True)))
            for col, (name, value) in enumerate(zip(names, cells, strict=True)):
                if name in ("org", "category"):
                    write_cell(sheet, self.rows, col, value, "wrap", formats, indent=row.depth)
                else:
                    write_cell(sheet, self.rows, col, value, "auto" if name == "year" else "wrap", formats)
        forget_written_rows(sheet)

    def finish(self) -> int:
        """The closing note when no document had a level, and the print setup; returns
        the number of rows under the header."""
        if not self._blocks:
            self.rows += 1
            self._sheet.write_string(self.rows, 0, "Không có mức biên chế nào trong các văn bản đã đọc.")
        print_setup(self._sheet, self.rows, len(self._headers) - 1)
        return self.rows


def write_summary(
    book: xlsxwriter.Workbook, formats: Formats, columns: list[YearColumn], blocks: list[Block]
) -> int:
    """Add the "Tổng hợp biên chế" sheet of :func:`summary_blocks`; returns the number
    of rows under its header."""
    sheet = SummarySheet(book, formats, columns)
    for block in blocks:
        sheet.add(block)
    return sheet.finish()
