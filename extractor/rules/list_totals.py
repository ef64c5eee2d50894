"""A total line right after list items ("Tổng cộng: 2.460 biên chế") and the items it sums."""

from __future__ import annotations

from extractor.models import Figure
from extractor.patterns import compiled
from extractor.rules.subjects import LIST_MARKER


def list_totals(text: str, figures: list[Figure]) -> None:
    """"- Khối Đảng: 560 biên chế;\n- Khối chính quyền: 1.900 biên chế;\nTổng cộng: 2.460 biên
    chế.": a total line right after list items sums the items' figures of its unit (they
    become its parts), when two or more items stand above it and none is a part already; it
    takes their one year and their one staff category."""
    by_line: dict[int, list[Figure]] = {}
    for fig in figures:
        by_line.setdefault(text.rfind("\n", 0, fig.start) + 1, []).append(fig)
    for start, line_figs in by_line.items():
        total = line_figs[0]
        if total.kind not in ("level", "count") or total.parent is not None \
                or not compiled("figures", "figure.total_line").fullmatch(text, start, total.start):
            continue
        items = _items_above(text, start, by_line, total)
        if len(items) >= 2 and all(f.parent is None for f in items):
            for item in items:
                item.parent = total.id
            years = {f.year for f in items}
            total.year = total.year or (years.pop() if len(years) == 1 else None)  # the items' one year
            staff = {f.category for f in items}
            if total.category in (None, "total") and len(staff) == 1 and None not in staff:
                total.category = staff.pop()  # items all of one staff: so is their total


def _items_above(text: str, start: int, by_line: dict[int, list[Figure]], total: Figure) -> list[Figure]:
    items: list[Figure] = []
    line_end = start - 1
    while line_end > 0:
        line_start = text.rfind("\n", 0, line_end) + 1
        if not LIST_MARKER.match(text[line_start:line_end]):
            break
        figs = [f for f in by_line.get(line_start, []) if f.kind == total.kind and f.unit == total.unit]
        if not figs:
            break
        items.append(figs[0])
        line_end = line_start - 1
    return items[::-1]
