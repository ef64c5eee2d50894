"""How a figure links to the ones before it in its sentence: a percentage to the change
it is the rate of, a change to the before and after levels it is the difference of."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extractor.check.sums import unit_group as measure_group
from extractor.models import Figure, NumberMention, YearMention
from extractor.patterns import compiled, rx

RATE_REACH = 200
"""How far after its change a rate written without "tỷ lệ" may stand."""


def link_rate(text: str, before: str, n: NumberMention, change: Figure, years_after: Sequence[YearMention]) -> bool:
    """Whether the percentage ``n`` is the rate of ``change`` ("(tỷ lệ giảm 1,94%)", ", tương
    ứng giảm 2,02%"); if so it is set on the change, with a base year right after it
    ("… 2,02% so với năm 2024"). ``before``: the text just before ``n``."""
    if change.rate_percent is not None:
        return False
    link = compiled("figures", "figure.rate_link").search(before)
    if link is None and n.start - change.end < RATE_REACH:
        link = compiled("figures", "figure.rate_after_change").match(text[change.end:n.start])
    if link is None:
        return False
    rate_sign = -1.0 if (link.group("verb") or "").lower() == "giảm" else 1.0
    if not link.group("verb"):
        rate_sign = -1.0 if change.value < 0 else 1.0
    change.rate_percent = rate_sign * n.value
    change.rate_span = (n.start, n.end)
    base = next((y for y in years_after if y.role == "base"), None)
    if base and change.base_year is None and base.year != change.year and not rx(r"\d").search(text, n.end, base.start):
        change.base_year = base.year  # "giảm 45 biên chế, tương ứng 2,02% so với năm 2024"
        change.base_year_span = (base.start, base.end)
    return True


def before_after(text: str, change: Figure, heads: list[Figure]) -> tuple[str, str] | None:
    """The ids of the two levels a change stated without years is the difference of: the
    sentence's last two of its unit, else a merger's before and after; None if neither."""
    pair = [h for h in heads if h.kind in ("level", "count") and _same_unit(h.unit, change.unit)]
    last = next((h for h in reversed(heads) if h.kind in ("level", "count")), None)
    if last is not None and len(pair) >= 2 and pair[-1] is last \
            and rx(r"[^\d()]{0,40}\(\s*+(?:giảm|tăng)\s+(?:được\s+)?", regex.IGNORECASE).fullmatch(text, last.end, change.start) \
            and not compiled("figures", "figure.becomes").search(text, pair[-2].end, last.start):
        return None  # "3 cơ quan ngang bộ (…), 5 cơ quan thuộc Chính phủ (giảm 3 cơ quan)": after only, its before unstated
    if len(pair) > 2:
        pair = _first_and_after(text, pair)
    elif len(pair) < 2:
        pair = _merger_pair(text, change, heads)
    return (pair[-2].id, pair[-1].id) if len(pair) >= 2 else None


LOOK_BACK = 12
"""How many of a sentence's figures before a change its pair is looked for among (a long
line of ";"-joined clauses is one sentence: looking at all of them would be quadratic)."""


def dated_pair(change: Figure, heads: list[Figure]) -> None:
    """"Năm 2021 được giao 2.400 biên chế; đến năm 2026 còn 2.280 biên chế, giảm 120 biên chế":
    a change right after two levels of its unit and staff, of two years, the later its own, is
    their difference: it gets the earlier year as its base and the two levels as its pair."""
    pair = [h for h in heads[-LOOK_BACK:] if h.kind in ("level", "count") and h.parent is None and h.end <= change.start]
    if len(pair) < 2 or change.year is None or pair[-2].kind != pair[-1].kind:
        return  # "… được giao 26.500 người; đến năm 2030 còn 23.850 người, giảm 2.650 người": people, one measure
    first, last = pair[-2], pair[-1]
    named = {first.category, last.category, change.category} - {None, "total"}
    if not (_same_unit(first.unit, change.unit) and _same_unit(last.unit, change.unit)) or len(named) > 1:
        return  # two staffs: not one measure
    if first.year is not None and last.year == change.year and first.year < last.year:
        change.base_year, change.before_after = first.year, (first.id, last.id)


def before_after_across(text: str, change: Figure, heads: list[Figure], earlier: list[Figure],
                        sentence_start: int) -> tuple[str, str] | None:
    """"Tỉnh có 145 đơn vị hành chính cấp xã (…). Sau sắp xếp, tỉnh còn 58 đơn vị …, giảm 87
    đơn vị": the one count of the change's unit the sentence before states, and the one this
    sentence says is the state after; None unless each is the only one."""
    now = [h for h in heads if h.kind in ("level", "count") and h.parent is None and _same_unit(h.unit, change.unit)]
    if len(now) != 1 or now[0].end > change.start:
        return None
    before = [h for h in earlier if h.unit == now[0].unit]  # "9 đơn vị … cấp huyện, 145 đơn vị … cấp xã": the same level
    if len(before) != 1:
        return None
    if compiled("figures", "figure.after_state").search(text, sentence_start, now[0].start) is None:
        return None
    return before[0].id, now[0].id


def pair_after_change(text: str, change: Figure, before: Figure | None, after: Figure) -> None:
    """"giảm 120 biên chế, từ 14.320 biên chế xuống còn 14.200 biên chế": the before and
    after levels stated right after a change are its pair (set on ``change.before_after``)."""
    if before is None or change.before_after is not None or before.start < change.end \
            or before.kind not in ("level", "count") or after.kind not in ("level", "count") \
            or not (_same_unit(before.unit, change.unit) and _same_unit(after.unit, change.unit)):
        return
    if compiled("figures", "figure.pair_opening").fullmatch(text, change.end, before.start) \
            and compiled("figures", "figure.until_reduced").search(text, before.end, after.start):
        change.before_after = (before.id, after.id)


def before_in_brackets(text: str, change: Figure, before: Figure, heads: list[Figure]) -> None:
    """"… có 47 xã, phường (…), giảm 94 đơn vị so với trước sắp xếp (141 đơn vị)": the count in
    brackets after "so với trước sắp xếp" is the before of the change, the sentence's whole of
    its unit before the change its after (set on ``change.before_after``)."""
    if change.before_after is not None or before.start < change.end \
            or not compiled("figures", "figure.before_state_bracket").fullmatch(text, change.end, before.start):
        return
    afters = [h for h in heads[-LOOK_BACK:] if h.kind in ("level", "count") and h.parent is None and h.end <= change.start
              and measure_group(h.unit) == measure_group(before.unit)]
    if afters:
        change.before_after = (before.id, afters[-1].id)
        before.category = before.category or change.category  # "…, giảm 1.125 người so với trước sắp xếp (2.967 người)"


def _first_and_after(text: str, counts: list[Figure]) -> list[Figure]:
    """"sắp xếp 102 đơn vị … để thành lập 37 đơn vị mới (…); sau sắp xếp tỉnh có 42 đơn vị,
    giảm 60": of three or more counts of the unit, the first and the last, when the text says
    the last is the state after; else none (the pair is not known, so nothing is checked)."""
    last, before_last = counts[-1], counts[-2]
    if compiled("figures", "figure.after_state").search(text, before_last.end, last.start) is None:
        return []
    return [counts[0], last]


def _same_unit(a: str, b: str) -> bool:
    return a == b or a.startswith(b) or b.startswith(a)


def _merger_pair(text: str, change: Figure, heads: list[Figure]) -> list[Figure]:
    """"sắp xếp 125 đơn vị hành chính cấp xã (…) để thành lập 48 xã, phường mới (…), giảm 77
    đơn vị": the last two counts of administrative units that are no listed part, where the
    text says the first became the second; else none."""
    units = [h for h in heads if h.kind in ("level", "count") and h.parent is None and measure_group(h.unit) == "area"]
    if measure_group(change.unit) != "area" or len(units) < 2:
        return []
    before, after = units[-2], units[-1]
    if change.unit in _KINDS and change.unit not in (before.unit, after.unit):
        return []  # "… thành 09 xã mới, giảm 18 đơn vị; … không còn thị trấn (giảm 03 thị trấn)": one kind's change
    return [before, after] if compiled("figures", "figure.becomes").search(text, before.end, after.start) else []


_KINDS = frozenset({"xã", "phường", "thị trấn", "đặc khu", "huyện", "quận", "thị xã"})
"""Kinds of administrative unit: a change counted in one of them is that kind's, not the merger's total."""


def share_base(text: str, fig: Figure, previous: Figure | None) -> None:
    """"giảm tối thiểu 5% biên chế công chức và tối thiểu 10% biên chế viên chức so với năm
    2022": two rates (or changes) joined by "và" or a comma share the base year after the second."""
    if previous is None or previous.base_year is not None or previous.kind != fig.kind or previous.end > fig.start:
        return
    if compiled("figures", "figure.joined_pair").fullmatch(text, previous.end, fig.start):
        previous.base_year, previous.base_year_span = fig.base_year, fig.base_year_span


def labelled_sides(text: str, figures: list[Figure]) -> None:
    """"Trước sắp xếp: … (150 đơn vị).", "Sau sắp xếp: … (52 đơn vị).", "Giảm: 98 đơn vị.": a
    change on its own line right below a line labelled before and one labelled after is the
    difference of the one whole count each line states (set on ``before_after`` and ``role``)."""
    lines: dict[int, list[Figure]] = {}
    for fig in figures:
        lines.setdefault(text.rfind("\n", 0, fig.start) + 1, []).append(fig)
    for start, on_line in lines.items():
        change = on_line[0]
        if change.kind != "change" or change.before_after is not None or len(on_line) != 1 or start < 2:
            continue
        after_start = text.rfind("\n", 0, start - 1) + 1
        before_start = text.rfind("\n", 0, max(0, after_start - 1)) + 1
        sides = []
        for line_start, label in ((before_start, "figure.before_line"), (after_start, "figure.after_line")):
            wholes = [f for f in lines.get(line_start, []) if f.kind == "count" and f.parent is None
                      and _same_unit(f.unit, change.unit)]
            if len(wholes) != 1 or not compiled("figures", label).match(text, line_start):
                break
            sides.append(wholes[0])
        if len(sides) == 2:
            change.before_after = (sides[0].id, sides[1].id)
            sides[0].role, sides[1].role = "before", "after"
