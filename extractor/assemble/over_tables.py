"""A prose whole over the tables after it: "Tổng biên chế giao năm 2025 … là 1.640
biên chế (gồm 890 … công chức và 750 … viên chức), phân bổ cụ thể như sau:" followed
by one table per block, each with its "Cộng" row. The grand totals of those tables,
of the whole's category, are its parts, but only when they add up to it exactly: a
link that does not hold is left out, so nothing is ever flagged from a guess."""

from __future__ import annotations

from extractor.annotated import AnnotatedDocument, Table
from extractor.check.sums import compatible
from extractor.models import Figure

MIN_TABLES = 2
"""A single table under a prose total is read by its own total row, not linked here."""
REACH = 400
"""Characters from the prose whole to the first table it announces."""


def _grand_totals(table: Table, figures: list[Figure]) -> list[Figure]:
    """The cells of the table's total rows that are part of nothing (its grand totals)."""
    rows = [(r.start, r.end) for r in table.rows if r.is_total]
    return [f for f in figures if f.parent is None and f.kind == "level"
            and any(s <= f.start < e for s, e in rows)]


def _totals_of(whole: Figure, tables: list[Table], figures: list[Figure]) -> list[Figure] | None:
    """One grand total per table, of the whole's category, or None if a table has not exactly one."""
    picked: list[Figure] = []
    for table in tables:
        same = [f for f in _grand_totals(table, figures)
                if f.category == whole.category and compatible(whole, f) and f.year in (None, whole.year)]
        if len(same) != 1:
            return None
        picked.append(same[0])
    return picked


def link_prose_over_tables(doc: AnnotatedDocument, figures: list[Figure]) -> None:
    """Make the tables' grand totals parts of the prose whole before them where they add up (in place)."""
    tables = sorted(doc.tables or [], key=lambda t: t.start)
    has_parts = {f.parent for f in figures if f.parent}
    for whole in figures:
        if whole.kind != "level" or whole.id in has_parts or any(t.start <= whole.start < t.end for t in tables):
            continue
        after = [t for t in tables if t.start > whole.end]
        if not after or after[0].start - whole.end > REACH:
            continue
        for k in range(len(after), MIN_TABLES - 1, -1):
            parts = _totals_of(whole, after[:k], figures)
            if parts is not None and abs(sum(p.value for p in parts) - whole.value) < 0.5:
                for part in parts:
                    part.parent = whole.id
                break
