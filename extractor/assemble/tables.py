"""Table cells to figure records: the row label gives the org or the measure, the
column header gives the year, category and basis, the unit row or unit column the
unit; total rows of org tables are the wholes of the rows above them, "Trong đó"
rows the parts of the row before."""

from __future__ import annotations

import regex

from extractor.annotated import Table, TableColumn, TableRow
from extractor.assemble.cues import basis_of, category_of
from extractor.models import Basis, Figure, FigureKind
from extractor.patterns import compiled
from extractor.rules.numbers import parse_number
from extractor.structure.tables import is_number

_STAFF = regex.compile(r"biên\s+chế|công\s+chức|viên\s+chức|người|cán\s+bộ|lao\s+động|hợp\s+đồng", regex.IGNORECASE)
_UNITS = regex.compile(r"(?<!\p{L})(?P<u>đơn\s+vị\s+hành\s+chính(?:\s+cấp\s+(?:xã|huyện|tỉnh))?|xã|phường|thị\s+trấn|đơn\s+vị|cơ\s+quan|tổ\s+chức|đầu\s+mối|phòng)(?!\p{L})", regex.IGNORECASE)


def _unit(table: Table, row: TableRow, col: TableColumn) -> str | None:
    label = f"{row.label or ''} {col.label}"
    written = row.unit or col.unit
    if written and written not in ("%",) and not written.strip("()").isdigit():
        return written
    if regex.search(r"biên\s+chế", label, regex.IGNORECASE):
        return "biên chế"
    if _STAFF.search(label) or table.about_quota:
        return "biên chế" if table.about_quota else "người"
    unit = _UNITS.search(label)
    return unit.group("u").lower() if unit else None


def _kind_and_sign(row: TableRow, col: TableColumn, unit: str) -> tuple[FigureKind, float]:
    change = compiled("tables", "table.change_label").search(row.label or "")
    if col.change or change:
        verb = (change.group("verb").lower() if change else "")
        negative = verb and not verb.startswith(("tăng", "bổ"))
        return "change", -1.0 if negative else 1.0
    return ("level" if unit in ("biên chế", "người làm việc", "người") else "count"), 1.0


def _is_measure_table(table: Table) -> bool:
    labels = [r.label for r in table.rows if r.label and not r.is_total]
    measures = sum(1 for label in labels if compiled("tables", "table.measure_label").match(label))
    return bool(labels) and measures * 2 >= len(labels)


def table_figures(tables: list[Table], first_id: int, text: str) -> list[Figure]:
    """Figure records from every table that counts staff or units; ids from ``f<first_id>``.

    A basis no header or row states comes from the words just before the table
    ("… giao biên chế … như sau:")."""
    out: list[Figure] = []
    for table in tables:
        out += _table(table, first_id + len(out), basis_of(text[max(0, table.start - 200):table.start]))
    return out


def _table(table: Table, first_id: int, basis: Basis | None = None) -> list[Figure]:
    values = [c for c in table.columns if c.role == "value"]
    if not values or not (table.about_quota or any(c.year or c.category for c in values)):
        return []
    measures = _is_measure_table(table)
    figures: list[Figure] = []
    by_cell: dict[tuple[int, int], Figure] = {}
    for r, row in enumerate(table.rows):
        for cell in row.cells:
            col = table.columns[cell.column] if cell.column < len(table.columns) else None
            if col is None or col.role != "value" or not cell.text or not is_number(cell.text):
                continue
            unit = _unit(table, row, col)
            if unit is None:
                continue
            value = parse_number(cell.text.replace(" ", ""))
            assert value is not None
            kind, sign = _kind_and_sign(row, col, unit)
            label = row.label or ""
            is_org = not measures and not row.is_total and bool(label)
            fig = Figure(id=f"f{first_id + len(figures)}", start=cell.start, end=cell.end, text=cell.text,
                         kind=kind, value=sign * value, unit=unit,
                         category=col.category or category_of(label if not is_org else "") or ("total" if unit == "biên chế" else None),
                         org=label if is_org else None, year=col.year,
                         basis=col.basis or basis_of(label) or basis, sentence=row.text)
            figures.append(fig)
            by_cell[(r, cell.column)] = fig
    _link_parts(table, by_cell, measures)
    return figures


def _link_parts(table: Table, by_cell: dict[tuple[int, int], Figure], measures: bool) -> None:
    """Parents: "Trong đó"/bulleted rows under the row before; in org tables, total
    rows over the top-level rows since the last total."""
    for (r, c), fig in by_cell.items():
        row = table.rows[r]
        if row.label and compiled("tables", "table.part_row").match(row.label):
            head = next((by_cell[(i, c)] for i in range(r - 1, -1, -1) if (i, c) in by_cell
                         and not compiled("tables", "table.part_row").match(table.rows[i].label or "")), None)
            if head is not None and head.kind == fig.kind:
                fig.parent = head.id
    if measures:
        return
    columns = {c for _, c in by_cell}
    for c in columns:
        since = 0
        for r, row in enumerate(table.rows):
            total = by_cell.get((r, c))
            if not row.is_total or total is None:
                continue
            parts = [by_cell[(i, c)] for i in range(since, r) if (i, c) in by_cell and by_cell[(i, c)].parent is None
                     and not table.rows[i].is_total]
            top = min((table.rows[i].depth for i in range(since, r) if (i, c) in by_cell), default=0)
            parts = [p for p in parts if table.rows[next(i for i in range(since, r) if by_cell.get((i, c)) is p)].depth == top]
            if len(parts) >= 2 and total.parent is None:
                for p in parts:
                    p.parent = total.id
            since = r + 1
