"""Posts left unfilled as the gap between the quota and the headcount: "được giao 2.145
biên chế, có mặt 2.031 người, còn 114 biên chế chưa sử dụng" (and a table row's
"Giao | Có mặt | Chưa sử dụng" cells). Reads the assembled figures, the tables and the
text right after a figure; writes ``Figure.gap_of`` (the assigned and the actual level)."""

from __future__ import annotations

from extractor.annotated import AnnotatedDocument, Table
from extractor.assemble.bases import is_vacancy
from extractor.check.sums import unit_group
from extractor.models import Figure
from extractor.patterns import compiled, rx


def link_gaps(doc: AnnotatedDocument, figures: list[Figure]) -> None:
    """Set ``gap_of`` on each vacancy count whose one assigned and one actual level stand
    with it: in its sentence before it, or in its table row; same unit group, year and staff."""
    for fig in figures:
        if fig.kind != "count" or fig.approx != "exact" or unit_group(fig.unit) != "staff" or fig.value < 0:
            continue
        table = next((t for t in doc.tables or [] if t.start <= fig.start < t.end), None)
        if table is not None:
            peers = _row_peers(table, fig, figures)
        elif is_vacancy(doc, fig) or compiled("figures", "figure.vacancy_before").search(doc.text, max(0, fig.start - 40), fig.start):
            lo = _list_block_start(doc.text, fig.start)
            peers = [f for f in figures if (f.sentence == fig.sentence or lo <= f.start) and f.end <= fig.start]
        else:
            continue
        pair = _quota_and_headcount(fig, peers)
        if pair is not None:
            fig.gap_of = pair


_ITEM = rx(r"[ \t]*(?:[-+•*]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*[.)])[ \t]+")
"""A list item line's marker ("- ", "a) ", "2.1. ")."""


def _list_block_start(text: str, pos: int) -> int:
    """Where the run of list item lines ("- Số được giao: …", "- Số có mặt: …") that holds
    ``pos`` starts; ``pos``'s own line start when its line is no list item."""
    start = text.rfind("\n", 0, pos) + 1
    if not _ITEM.match(text, start):
        return pos
    while start > 0:
        above = text.rfind("\n", 0, start - 1) + 1
        if not _ITEM.match(text, above):
            break
        start = above
    return start


def _row_peers(table: Table, fig: Figure, figures: list[Figure]) -> list[Figure]:
    """The figures of ``fig``'s table row when its column counts unfilled posts, else none."""
    row = next((r for r in table.rows if r.start <= fig.start < r.end), None)
    cell = next((c for c in row.cells if c.start <= fig.start < c.end), None) if row is not None else None
    if row is None or cell is None or cell.column >= len(table.columns) \
            or not compiled("tables", "table.vacancy_header").search(table.columns[cell.column].label):
        return []
    return [f for f in figures if row.start <= f.start < row.end and f is not fig]


def _quota_and_headcount(fig: Figure, peers: list[Figure]) -> tuple[str, str] | None:
    """The ids of the one assigned and the one actual level among ``peers`` that measure
    what ``fig`` does (its year, its staff), or None where either is missing or not one."""
    levels = [p for p in peers if p.kind == "level" and p.approx == "exact" and unit_group(p.unit) == "staff"
              and p.year == fig.year and p.category in (fig.category, None, "total") and p.org == fig.org]
    assigned = [p for p in levels if p.basis == "assigned"]
    actual = [p for p in levels if p.basis == "actual"]
    if len(assigned) != 1 or len(actual) != 1 or assigned[0].category != actual[0].category:
        return None
    return assigned[0].id, actual[0].id
