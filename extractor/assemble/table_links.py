"""Links between the figures of one table: changes to their years and basis, parts to
their wholes (nesting, "Trong đó" rows, total rows), changes to their before and after."""

from __future__ import annotations

from extractor.annotated import Table, TableColumn
from extractor.models import Figure
from extractor.patterns import compiled, rx
from extractor.rules.categories import category_in
from extractor.structure.tables import signed_value, stage_of


def link_changes(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """The basis and the years of change cells, from the level columns beside them."""
    _change_basis(table, by_cell)
    _change_years(table, by_cell)


def _change_years(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """A change column naming no year right after two year columns ("Biên chế giao năm
    2024 | … năm 2025 | Tăng (+), giảm (-)") is the change from the first year to the second;
    after three or more year columns which two it compares is not known: none. In a table
    whose level columns name just two years, a change column of the later year or of none
    compares them wherever it stands ("Biên chế năm 2025 | Giảm đến năm 2030 | Biên chế năm 2030")."""
    levels = [x for x in table.columns if x.role == "value" and not x.change and not x.rate]
    both = sorted({x.year for x in levels if x.year})
    for c, col in enumerate(table.columns):
        if not col.change or col.base_year:
            continue
        values = [x for x in table.columns[:c] if x.role == "value" and not x.change and not x.rate]
        if len({x.year for x in values if x.year}) > 2:
            continue  # "2021 | 2025 | 2026 | Tăng, giảm": against 2021 or 2025?
        before = values[-2:]
        years = (before[0].year, before[1].year) if len(before) == 2 else (None, None)
        if not (years[0] and years[1] and years[0] < years[1]) and len(both) == 2:
            years = (both[0], both[1])
        if not (years[0] and years[1] and years[0] < years[1]) \
                or col.year not in (None, years[1]):  # a header year of its own is the later one's, if any
            continue
        for (_, cc), fig in by_cell.items():
            if cc == c and fig.kind == "change":
                fig.year, fig.base_year = years[1], years[0]


def _change_basis(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """A change column ("Giảm so với năm 2022") between columns of one basis
    ("Biên chế giao năm 2022 | … năm 2024") changes that basis."""
    bases = {table.columns[c].basis for (_, c), f in by_cell.items() if f.kind != "change"}
    if len(bases) != 1 or None in bases:
        return
    for (_, c), fig in by_cell.items():
        if fig.kind == "change" and fig.basis is None and table.columns[c].change:
            fig.basis = next(iter(bases))


def link_before_after(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """A change cell in a row with a before and an after cell is that pair's difference;
    likewise down a column of measure rows ("Số xã trước sắp xếp | 152", "Số xã sau sắp xếp
    | 64", "Số xã giảm | 88"), when the three rows stand together and count one unit."""
    for r in range(len(table.rows)):
        sides: dict[str, list[Figure]] = {}
        for (i, _), f in sorted(by_cell.items()):
            if i == r:
                sides.setdefault(f.role or ("change" if f.kind == "change" else ""), []).append(f)
        before, after, change = (_side(sides.get(k, [])) for k in ("before", "after", "change"))
        if before is not None and after is not None and change is not None:
            change.before_after = (before.id, after.id)
    for c in {c for _, c in by_cell}:
        column = [(r, by_cell[(r, c)]) for r in range(len(table.rows)) if (r, c) in by_cell]
        for (r1, before), (r2, after), (r3, change) in zip(column, column[1:], column[2:]):
            if r3 - r1 != 2 or change.kind != "change" or change.before_after or before.unit != after.unit \
                    or not change.unit.startswith(before.unit.split()[0]):
                continue
            if stage_of(table.rows[r1].label or "") == "before" and stage_of(table.rows[r2].label or "") == "after":
                change.before_after = (before.id, after.id)



def _side(cells: list[Figure]) -> Figure | None:
    """The one cell of a row's side ("Trước sắp xếp"): its only cell, else its total
    ("Tổng số | Xã | Phường"), else none (which cell is the side's is not known)."""
    if len(cells) == 1:
        return cells[0]
    totals = [f for f in cells if f.category == "total"]
    return totals[0] if len(totals) == 1 else None


def link_parts(table: Table, by_cell: dict[tuple[int, int], Figure], enclosing: list[list[int]], measures: bool) -> None:
    """Parents by nesting and "Trong đó" rows; then total rows of org tables over their rows."""
    part_row = compiled("tables", "table.part_row")
    for (r, c), fig in sorted(by_cell.items()):
        label = table.rows[r].label or ""
        if part_row.match(label):
            head = next((by_cell[(i, c)] for i in range(r - 1, -1, -1) if (i, c) in by_cell
                         and not part_row.match(table.rows[i].label or "")), None)
            above = next((i for i in range(r - 1, -1, -1) if not part_row.match(table.rows[i].label or "")), -1)
            fig.partial = any((table.rows[i].label or "").lower().startswith("trong đó") for i in range(above + 1, r + 1))
            # "Trong đó: - Cán bộ, công chức" then "- Viên chức": every bullet of the share list is a share
            if head is not None and fig.org is None:
                fig.org = head.org  # the share is of the row above's unit
        else:
            head = next((by_cell[(i, c)] for i in reversed(enclosing[r]) if (i, c) in by_cell), None)
        if head is not None and not table.rows[r].is_total and fig.kind != "rate" and head.kind != "rate":
            fig.parent = head.id
            if head.kind == "change" and fig.kind != "change":
                fig.kind, fig.value = "change", -abs(fig.value) if head.value < 0 else fig.value
    _named_sums(table, by_cell)
    if not measures:
        _totals(table, by_cell)
    _unread_cells(table, by_cell)


def _unread_cells(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """A total whose rows hold a cell that writes digits no figure was read from ("60 (1)")
    cannot be proved: its parts in that column become open (``partial``), so no sum of
    them is checked."""
    read_columns = {c for _, c in by_cell}
    unread = {(r, cell.column) for r, row in enumerate(table.rows) for cell in row.cells
              if cell.column in read_columns and (r, cell.column) not in by_cell and rx(r"\d").search(cell.text)
              and (signed_value(cell.text) or (1.0, False))[0] != 0}  # a "0" cell adds nothing
    if not unread:
        return
    at = {fig.id: key for key, fig in by_cell.items()}
    parts: dict[str, list[tuple[int, Figure]]] = {}
    for (r, c), fig in by_cell.items():
        if fig.parent in at and at[fig.parent][1] == c:
            parts.setdefault(fig.parent, []).append((r, fig))
    for whole, listed in parts.items():
        w_row, c = at[whole]
        rows = [r for r, _ in listed] + [w_row]
        if any(min(rows) <= r <= max(rows) and col == c for r, col in unread):
            for _, fig in listed:
                fig.partial = True


def _named_sums(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """"Tổng cộng (I+II)": a total row that names the rows it adds is their whole, in every
    column where each named row has a figure that is no one's part yet."""
    numbered = {(row.number or "").strip(" .)").upper(): r for r, row in enumerate(table.rows) if row.number}
    for r, row in enumerate(table.rows):
        named = compiled("tables", "table.named_sum").search(row.label or "") if row.is_total else None
        terms = [t.strip().upper() for t in named.group("terms").split("+")] if named else []
        if len(terms) < 2 or any(t not in numbered for t in terms):
            continue
        for c in {c for i, c in by_cell if i == r}:
            parts = [by_cell.get((numbered[t], c)) for t in terms]
            if all(p is not None and p.parent is None for p in parts) and by_cell[(r, c)].parent is None:
                for part in parts:
                    part.parent = by_cell[(r, c)].id  # type: ignore[union-attr]


def _totals(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """Each total row is the whole of the plain rows since the last total ("Cộng huyện
    X" under its communes); a total right after two or more such sub-totals, with no
    plain row between, is the whole of those sub-totals ("Tổng cộng toàn tỉnh")."""
    for c in {c for _, c in by_cell}:
        since = 0
        subtotals: list[Figure] = []
        for r, row in enumerate(table.rows):
            total = by_cell.get((r, c))
            if not row.is_total or total is None:
                continue
            rows = [by_cell[(i, c)] for i in range(since, r) if (i, c) in by_cell and by_cell[(i, c)].parent is None
                    and not table.rows[i].is_total]
            parts = rows if len(rows) >= 2 else (subtotals if not rows and len(subtotals) >= 2 else [])
            if parts and total.parent is None:
                for part in parts:
                    part.parent = total.id
                subtotals = [*subtotals, total] if parts is rows else []
            since = r + 1
        _total_first(table, by_cell, c)


def _total_first(table: Table, by_cell: dict[tuple[int, int], Figure], c: int) -> None:
    """A total row above every other row of column ``c`` ("Tổng cộng (I + II + III)" first)
    is the whole of the rows below it that are no one's part (the groups, or sub-totals)."""
    filled = [r for r in range(len(table.rows)) if (r, c) in by_cell]
    if not filled or not table.rows[filled[0]].is_total:
        return
    total = by_cell[(filled[0], c)]
    parts = [by_cell[(r, c)] for r in filled[1:] if by_cell[(r, c)].parent is None]
    if total.parent is None and len(parts) >= 2:
        for part in parts:
            part.parent = total.id


def link_years(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """A change cell with a year and a base year is the difference of the level cells of
    those two years beside it: in its row ("2024 | 2025 | -15"), else in its column (years
    as rows, "Giảm so với năm 2022" below them); only where each year has one such cell.
    A change column that names no staff nor unit ("So sánh tăng (+), giảm (-)") counts what
    the two levels count."""
    rows: dict[int, list[Figure]] = {}
    columns: dict[int, list[Figure]] = {}
    for (r, c), fig in sorted(by_cell.items()):
        rows.setdefault(r, []).append(fig)
        columns.setdefault(c, []).append(fig)
    for (r, c), change in by_cell.items():
        if change.kind != "change" or change.year is None or change.base_year is None or change.before_after:
            continue
        plain = c < len(table.columns) and _names_no_measure(table.columns[c])
        for line in (rows[r], columns[c]):
            levels = [f for f in line if f.kind == "level" and (plain or f.unit == change.unit and f.category == change.category)]
            before = [f for f in levels if f.year == change.base_year]
            after = [f for f in levels if f.year == change.year]
            if len(before) == 1 and len(after) == 1 and (before[0].unit, before[0].category) == (after[0].unit, after[0].category):
                change.before_after = (before[0].id, after[0].id)
                change.unit, change.category = before[0].unit, before[0].category
                break


def _names_no_measure(column: TableColumn) -> bool:
    """Whether a column's header names neither a unit nor a staff ("Tăng (+), giảm (-)")."""
    return column.unit is None and category_in(column.label) is None \
        and not compiled("tables", "table.measure_word").search(column.label)
