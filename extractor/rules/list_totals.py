"""A total line right after list items ("Tổng cộng: 2.460 biên chế") and the items it sums,
and a total after the items of its own sentence ("…, Sở Tài chính 60 biên chế; tổng cộng 105")."""

from __future__ import annotations

from extractor.models import Figure
from extractor.patterns import compiled, rx
from extractor.rules.subjects import LIST_MARKER
from extractor.rules.units import unit_group


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


def sentence_totals(text: str, figures: list[Figure]) -> None:
    """"Sở Y tế được giao 45 biên chế, Sở Tài chính được giao 60 biên chế; tổng cộng 105 biên
    chế": a total after "tổng cộng" sums the items right before it in its sentence, two or
    more of its kind and unit group, of one year, none a part already, parted by plain list
    text only (no change, comparison or breakdown between them: see figure.item_gap_stop)."""
    for i, total in enumerate(figures):
        if total.kind not in ("level", "count") or total.parent is not None or i < 2 \
                or not compiled("figures", "figure.total_after_items").search(text, max(0, total.start - 40), total.start):
            continue
        items = _items_before(text, figures[:i], total)
        years = {f.year for f in items} - {None}
        if len(items) < 2 or len(years) > 1 or any(f.value > total.value for f in items):
            continue
        for item in items:
            item.parent = total.id
        total.year = total.year or (years.pop() if years else None)
        staff = {f.category for f in items} - {None, "total"}
        if total.category in (None, "total") and len(staff) == 1:
            total.category = staff.pop()  # "biên chế công chức của cấp tỉnh là 1.200 …, của cấp huyện là 900 …"


def yearly_change_totals(text: str, figures: list[Figure]) -> None:
    """"năm 2022 giảm 45 người, năm 2023 giảm 52 người; tổng cộng 2 năm giảm 97 người": a change
    after "tổng cộng … giảm" sums the changes right before it in its sentence, two or more of one
    direction and unit group, each of its own year (a year only once), none a part already."""
    for i, total in enumerate(figures):
        if total.kind != "change" or total.parent is not None or i < 2 or total.year is not None \
                or not compiled("figures", "figure.total_of_changes").search(text, max(0, total.start - 50), total.start):
            continue
        items: list[Figure] = []
        for fig in reversed(figures[:i]):
            if fig.parent is not None:
                continue
            if not _yearly_item(fig, total):
                break
            items.append(fig)
        if not _yearly_items(items, total):
            continue
        for item in items:
            item.parent = total.id
        staff = {f.category for f in items} - {None}
        total.category = total.category or (staff.pop() if len(staff) == 1 else None)


def yearly_change_breakdowns(text: str, figures: list[Figure]) -> None:
    """"cắt giảm … là 143 biên chế, cụ thể: năm 2026 giảm 25 biên chế, năm 2027 giảm 30 …": a
    change of no year opening "cụ thể / gồm / trong đó" is the whole of the changes listed
    after it in its sentence, two or more of one direction and unit group, each of its own
    year (once), none above it; after "trong đó" they are shares (``partial``), maybe not all."""
    for i, total in enumerate(figures):
        opener = compiled("figures", "figure.yearly_breakdown").match(text, total.end) \
            if total.kind == "change" and total.parent is None and total.year is None else None
        if opener is None:
            continue
        items: list[Figure] = []
        for fig in figures[i + 1:]:
            if fig.parent not in (None, total.id) or not _yearly_item(fig, total):
                break
            items.append(fig)
        if not _yearly_items(items, total):
            continue
        shares = opener.group("cue").lower().startswith("trong")
        for item in items:
            item.parent, item.partial = total.id, item.partial or shares


def _yearly_item(fig: Figure, total: Figure) -> bool:
    """Whether ``fig`` may be one year's change of ``total``: a dated change of its sentence, unit group and direction."""
    return fig.kind == "change" and fig.sentence == total.sentence and fig.year is not None \
        and unit_group(fig.unit) == unit_group(total.unit) and (fig.value < 0) == (total.value < 0)


def _yearly_items(items: list[Figure], total: Figure) -> bool:
    """Whether ``items`` can be the yearly changes of ``total``: two or more, each year once, none above it."""
    years = [f.year for f in items]
    return len(items) >= 2 and len(set(years)) == len(years) and all(abs(f.value) <= abs(total.value) for f in items)


def _items_before(text: str, before: list[Figure], total: Figure) -> list[Figure]:
    items: list[Figure] = []
    cut = text.rfind(",", 0, total.start)
    cut = max(cut, text.rfind(";", 0, total.start))
    at = cut
    for fig in reversed(before):
        if fig.parent is not None:
            continue  # a part of an item: the item itself stands before it
        gap = str(rx(r"\([^()]*\)").sub("", text[fig.end:at]))
        if fig.kind != total.kind or unit_group(fig.unit) != unit_group(total.unit) \
                or compiled("figures", "figure.item_gap_stop").search(gap) or fig.sentence != total.sentence:
            break
        items.append(fig)
        at = fig.start
    return items[::-1]


def whole_periods(figures: list[Figure]) -> None:
    """"Giai đoạn 2022 - 2026, … tinh giản 1.120 biên chế, trong đó: năm 2022 giảm 230 …; … năm
    2026 giảm 220 …": shares of a period's change, one for each year of the period and no
    more, are all of it (no longer open), so their sum is checked."""
    by_id = {f.id: f for f in figures}
    shares: dict[str, list[Figure]] = {}
    for f in figures:
        if f.partial and f.parent in by_id and f.kind == "change" and f.year is not None:
            shares.setdefault(f.parent, []).append(f)
    for whole_id, parts in shares.items():
        whole = by_id[whole_id]
        span = rx(r"^((?:19|20)\d\d)-((?:19|20)\d\d)$").match(whole.period or "")
        if whole.kind != "change" or span is None:
            continue
        first, last = int(span.group(1)), int(span.group(2))
        years = sorted(p.year for p in parts if p.year is not None)
        if years in (list(range(first, last + 1)), list(range(first + 1, last + 1))):
            for part in parts:
                part.partial = False


def merger_items(text: str, figures: list[Figure]) -> None:
    """"sắp xếp 64 đơn vị hành chính cấp xã thành 25 đơn vị …" then "- Huyện A có 3 xã.": the
    items listed below a merger count either what was merged or what was formed. They stay
    parts of the first count where they add up to it, become parts of the second where they
    add up to that, and are parts of neither otherwise (which whole they list is not known)."""
    for merged, formed in zip(figures, figures[1:]):
        if not (merged.kind == formed.kind == "count" and merged.sentence == formed.sentence
                and formed.start - merged.end < 80 and not rx(r"[;\d]").search(text, merged.end, formed.start)
                and compiled("figures", "figure.becomes").search(text, merged.end, formed.start)):
            continue
        items = [f for f in figures if f.parent == merged.id and f.start > formed.end and f.sentence != merged.sentence]
        total = sum(f.value for f in items)
        if not items or total == merged.value:
            continue
        for item in items:
            item.parent = formed.id if total == formed.value else None


def bracket_totals(text: str, figures: list[Figure]) -> None:
    """"Trước sắp xếp: 120 xã, 20 phường, 10 thị trấn (150 đơn vị).": a lone count of a
    general unit in brackets right after a run of counts of units is their total, no part of
    the last of them; the run becomes its parts."""
    for i, total in enumerate(figures):
        last = figures[i - 1] if i else None
        if last is None or total.parent != last.id or total.kind != "count" or last.kind != "count" \
                or not compiled("figures", "figure.general_unit").fullmatch(total.unit) \
                or not rx(r"\s*\(\s*").fullmatch(text, last.end, total.start) or not rx(r"\s*\)").match(text, total.end):
            continue
        run = [last]
        for fig in reversed(figures[:i - 1]):
            if fig.parent is not None or fig.kind != "count" or unit_group(fig.unit) != unit_group(last.unit) \
                    or fig.sentence != last.sentence or not rx(r"\s*(?:,|và)\s*").fullmatch(text, fig.end, run[-1].start):
                break
            run.append(fig)
        if len(run) < 2 or any(f.value >= total.value for f in run):
            continue
        total.parent = None
        for part in run:
            part.parent = total.id
