"""Relations along a table row: the cells that add up to a total cell ("Công chức |
Viên chức | Tổng số", a merged header's "Cộng", a "Chia ra" split) and the rate cells of
changes ("Tỷ lệ (%)", "Giảm (%)")."""

from __future__ import annotations

import regex

from extractor.annotated import Table, TableColumn
from extractor.assemble.table_units import kind_column, org_column, split_whole
from extractor.models import Figure
from extractor.patterns import compiled, rx
from extractor.rules.numbers import parse_number


def reduces(change: regex.Match[str] | None) -> bool:
    """Whether a change word of a row label or header reduces ("giảm", "tinh giản"), not adds ("tăng", "bổ sung")."""
    return change is not None and not change.group("verb").lower().startswith(("tăng", "bổ"))


def row_totals(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """Columns to totals: in each row, the cells under category columns ("Công chức",
    "Viên chức") add up to the cell under the "Tổng số" column of the same year,
    basis and stage; each gets that cell as its ``row_total``."""
    _group_totals(table, by_cell)
    _year_totals(table, by_cell)
    grouped = {f.row_total for f in by_cell.values() if f.row_total} | {f.id for f in by_cell.values() if f.row_total}
    groups: dict[tuple[int, object, object, str], list[tuple[TableColumn, Figure]]] = {}
    for (r, c), fig in sorted(by_cell.items()):
        if fig.id in grouped:
            continue  # summed within its header group already
        col = table.columns[c]
        groups.setdefault((r, col.year, col.stage, fig.kind), []).append((col, fig))
    for cells in groups.values():
        totals = [(col, fig) for col, fig in cells if col.category == "total"]
        parts = [fig for col, fig in cells if col.category not in (None, "total")]
        bases = {col.basis for col, _ in cells if col.category not in (None, "total")}
        if not parts:  # "Số xã | Số phường | Tổng": columns of unit kinds add up to the total column
            parts = [fig for col, fig in cells if col.category is None and kind_column(col)]
            if len({f.unit for f in parts}) != len(parts):
                continue
            if not parts:  # "| Loại | Sở Y tế | Sở Giáo dục | Cộng |": the bodies' columns add up to the total column
                parts = [fig for col, fig in cells if org_column(col)] \
                    or [fig for col, fig in cells if compiled("tables", "table.leaving_header").match(col.label)]  # ways to leave
                totals = totals or [(col, fig) for col, fig in cells if compiled("tables", "table.total_row").match(col.label)]
                if len(parts) != len(cells) - len(totals):
                    continue
        elif any(col.category is None for col, _ in cells) or len({col.label for col, _ in cells}) != len(cells):
            continue  # a sibling column of no known category ("Cán bộ | Công chức | … | Tổng"): no sum to check
        if len(totals) != 1 or len(parts) < 2:
            continue
        if len(bases) > 1 or totals[0][0].basis not in (None, *bases):
            continue
        shares = any(rx(r"^\W*trong\s+đó", regex.IGNORECASE).match(col.label) for col, fig in cells if fig in parts)
        for fig in parts:
            fig.row_total = totals[0][1].id
            fig.partial = fig.partial or shares  # "Tổng số | Trong đó: Công chức | Viên chức": shares, not all of it
        if totals[0][1].basis is None and len(bases) == 1:
            totals[0][1].basis = next(iter(bases))  # the sum of assigned parts is assigned


_GROUP_TOTAL = regex.compile(r"^(?P<group>.+?)\s+(?:tổng\s+cộng|tổng\s+số|cộng|tổng)$", regex.IGNORECASE)


def _group_totals(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """Under a merged header, a "Cộng" column ("Cán bộ, công chức cấp xã | Cán bộ | Công
    chức | Cộng") is the total of that header's other columns in each row; so is the
    column a "Chia ra" split divides."""
    _split_totals(table, by_cell)
    for t, col in enumerate(table.columns):
        found = _GROUP_TOTAL.match(col.label) if col.role == "value" else None
        if found is None:
            continue
        members = [c for c, other in enumerate(table.columns) if c != t and other.role == "value"
                   and other.label.startswith(found.group("group") + " ") and other.year == col.year]
        for r in range(len(table.rows)):
            total, parts = by_cell.get((r, t)), [by_cell[(r, c)] for c in members if (r, c) in by_cell]
            if total is not None and len(parts) >= 2 and all(p.kind == total.kind for p in parts):
                for part in parts:
                    part.row_total = total.id


def _year_totals(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """"Năm 2022 | Năm 2023 | … | Cộng": flows counted per year (people streamlined, changes)
    add up to the row's total column; levels of different years never do."""
    total_row = compiled("tables", "table.total_row")
    totals = [c for c, col in enumerate(table.columns) if col.role == "value" and total_row.match(col.label)]
    years = {c: col.year for c, col in enumerate(table.columns)
             if c not in totals and col.role == "value" and col.year is not None and not col.rate}
    if len(totals) != 1 or len(years) < 2 or len(set(years.values())) != len(years):
        return
    for r in range(len(table.rows)):
        total, parts = by_cell.get((r, totals[0])), [by_cell[(r, c)] for c in years if (r, c) in by_cell]
        if total is None or len(parts) < 2 or total.kind not in ("change", "count") \
                or any(p.kind != total.kind or p.unit != total.unit or p.row_total for p in parts):
            continue
        for part in parts:
            part.row_total = total.id


def _split_totals(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """In each row, the cells of a "Chia ra" split add up to the cell of the column they
    split; "Trong đó" columns are shares of it (``partial``)."""
    members: dict[int, list[int]] = {}
    for c, col in enumerate(table.columns):
        whole = split_whole(table, col) if col.role == "value" else None
        if whole is not None:
            members.setdefault(whole.index, []).append(c)
    for t, cols in members.items():
        shares = table.columns[cols[0]].label.lower().startswith("trong")
        for r in range(len(table.rows)):
            total, parts = by_cell.get((r, t)), [by_cell[(r, c)] for c in cols if (r, c) in by_cell]
            if total is not None and len(parts) >= 2 and all(p.kind == total.kind and p.unit == total.unit for p in parts):
                for part in parts:
                    part.row_total, part.partial = total.id, part.partial or shares


def rates(table: Table, by_cell: dict[tuple[int, int], Figure]) -> None:
    """A percentage cell in a "Tỷ lệ (%)" column is the rate of the row's change."""
    for r, row in enumerate(table.rows):
        changes = [f for (i, _), f in sorted(by_cell.items()) if i == r and f.kind == "change"]
        for cell in row.cells:
            col = table.columns[cell.column] if cell.column < len(table.columns) else None
            value = parse_number(cell.text.replace(" ", "")) if col is not None and col.rate else None
            if value is None or not changes:
                continue
            change = changes[-1]
            change.rate_percent = -abs(value) if change.value < 0 else abs(value)
            change.rate_span = (cell.start, cell.end)


def lone_rates(table: Table, by_cell: dict[tuple[int, int], Figure], first_id: int) -> list[Figure]:
    """A "Giảm (%)" cell in a row with no change of its own is a rate of its own: against the
    row's earliest year column, for its latest ("Biên chế năm 2022 | năm 2026 | Giảm (%)")."""
    out: list[Figure] = []
    for r, row in enumerate(table.rows):
        own = [(table.columns[c], f) for (i, c), f in sorted(by_cell.items()) if i == r]
        if not own or any(f.kind == "change" for _, f in own):
            continue
        years = sorted({col.year for col, f in own if col.year and f.kind == "level"})
        for cell in row.cells:
            col = table.columns[cell.column] if cell.column < len(table.columns) else None
            value = parse_number(cell.text.replace(" ", "")) if col is not None and col.rate else None
            verb = compiled("tables", "table.change_label").search(col.label) if col is not None else None
            if col is None or value is None or verb is None:
                continue  # "Tỷ lệ (%)" beside "Kế hoạch | Thực hiện": how much of a plan was done, no rate of staff
            negative = reduces(verb)
            staff = next(f for _, f in own)
            out.append(Figure(id=f"f{first_id + len(out)}", start=cell.start, end=cell.start + len(cell.text.strip()),
                              text=cell.text.strip(), kind="rate", value=-value if negative else value, unit="%",
                              category=staff.category, org=staff.org, year=years[-1] if len(years) > 1 else None,
                              base_year=years[0] if years else None, sentence=row.text))
    return out
