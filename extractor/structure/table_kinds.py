"""A second label column naming the kind of staff of each row, under an org that spans
its rows ("| 1 | Sở Y tế | Công chức | 45 |" then "| | | Viên chức | 1.200 |"): each row
keeps its org and gets its kind; and a value column that only numbers the rows."""

from __future__ import annotations

from extractor.annotated import TableCell, TableColumn, TableRow
from extractor.assemble.cues import category_of
from extractor.patterns import compiled
from extractor.rules.numbers import parse_number

ORDINALS = 3
"""Fewest consecutive row numbers (1, 2, 3 …) that make a column a numbering one."""


def _kind_column(rows: list[TableRow], columns: list[TableColumn]) -> int | None:
    """The column after the label column whose cells all name a kind of staff (two rows or more)."""
    labels = [c.index for c in columns if c.role == "label"]
    if not labels:
        return None
    for col in columns:
        if col.index <= labels[0] or col.role in ("label", "number"):
            continue
        texts = [c.text for r in rows for c in r.cells if c.column == col.index and c.text]
        if len(texts) >= 2 and all(parse_number(t.replace(" ", "")) is None for t in texts) \
                and all(category_of(t, total_words=False) for t in texts):
            return col.index
    return None


def kind_rows(rows: list[TableRow], columns: list[TableColumn]) -> list[TableRow]:
    """The rows with their kind of staff; a row whose org cell is empty continues the org
    of the row above at the same depth ("| | | Viên chức | 1.200 |")."""
    col = _kind_column(rows, columns)
    if col is None:
        return rows
    out: list[TableRow] = []
    previous: TableRow | None = None
    for row in rows:
        kind = next((c.text for c in row.cells if c.column == col and c.text), None)
        if kind is None:
            out.append(row)
            previous = None
            continue
        if row.label == kind and previous is not None:
            row = row.model_copy(update={"kind": kind, "label": previous.label, "depth": previous.depth,
                                         "number": None})
        else:
            row = row.model_copy(update={"kind": kind})
        out.append(row)
        previous = row
    return out


def ordinal_columns(columns: list[TableColumn], body: list[list[TableCell]]) -> None:
    """A value column whose digits run 1, 2, 3 … down the rows (and nothing else) numbers
    them, whatever its header says when it names no measure ("| 6 | Trần Văn A | Ủy viên …"
    under a header shifted by a lost cell): it becomes a number column (in place)."""
    for col in columns:
        if col.role != "value" or compiled("tables", "table.measure_word").search(col.label) or category_of(col.label):
            continue
        texts = [row[col.index].text for row in body if col.index < len(row) and row[col.index].text]
        digits = [t for t in texts if t.isdigit()]
        if len(digits) >= ORDINALS and [int(t) for t in digits] == list(range(1, len(digits) + 1)) \
                and all(t.isdigit() or parse_number(t.replace(" ", "")) is None for t in texts):
            col.role = "number"


def numbers_are_values(columns: list[TableColumn], body: list[list[TableCell]]) -> None:
    """A second "label" column whose cells are numbers ("Trong đó | Xã" over 11, 10, 2)
    holds values: its header names what it counts, not the rows (in place)."""
    from extractor.structure.tables import is_number  # the table reader's own cell test; it imports this module

    labels = [c for c in columns if c.role == "label"]
    for col in labels[1:]:
        cells = [row[col.index].text for row in body if col.index < len(row) and row[col.index].text]
        if cells and sum(is_number(t) for t in cells) * 2 > len(cells):
            col.role = "value"
