"""Where a number's unit comes from when none follows it: the noun named before it
("Biên chế công chức năm 2025: 1.250"), the item before in a list ("- Số có mặt: 2.210"),
the quota of a "trong đó" list, the second number of a range ("từ 210 xuống còn 96 đơn vị")."""

from __future__ import annotations

from extractor.models import Figure, NumberMention, Sentence
from extractor.patterns import compiled
from extractor.rules.units import UnitAt, quota_units, unit_at, unit_group

SIBLING_REACH = 300
"""How far after the item before a list item naming only a state may stand."""
SHARE_REACH = 1000
"""Characters between a quota and a share of its "trong đó" list."""


def unit_before(text: str, start: int, pos: int, end: int) -> UnitAt | None:
    """"Số Sở, ban thuộc Ủy ban nhân dân cấp tỉnh là 21", "số hợp đồng 68": the
    counted noun named before a number that has none after it."""
    m = compiled("figures", "figure.measure_before").search(text, max(start, pos - 80), pos)
    found = unit_at(text, m.start("noun")) if m else None
    return UnitAt(found.group, found.unit, end) if found else None


def unit_of_sibling(text: str, sentence: Sentence, n: NumberMention, sibling: Figure | None) -> UnitAt | None:
    """"- Tổng số biên chế được giao: 2.345; - Số có mặt: 2.210": a list item that names
    only the state it counts counts what the item before it counts."""
    if sibling is None or n.start - sibling.end > SIBLING_REACH:
        return None
    if compiled("figures", "figure.state_label").search(text, max(sentence.start, n.start - 60), n.start) is None:
        return None
    return UnitAt(unit_group(sibling.unit), sibling.unit, n.end)


def unit_of_share(text: str, n: NumberMention, heads: list[Figure]) -> UnitAt | None:
    """"… là 2.245.000 biên chế, trong đó …, cán bộ, công chức cấp xã là 200.000": a share with
    no unit of its own, in the "trong đó" list of a quota, counts that quota."""
    whole = next((h for h in reversed(heads) if h.parent is None and h.kind in ("level", "count")), None)
    if whole is None or whole.unit not in quota_units() or n.number_start - whole.end > SHARE_REACH:
        return None
    if not compiled("figures", "figure.share_after").match(text[whole.end:n.number_start]):
        return None
    return UnitAt("quota", whole.unit, n.end)


def unit_of_range(text: str, end: int) -> UnitAt | None:
    """"giảm từ 210 xuống còn 96 đơn vị hành chính cấp xã": the first number of a range
    counts what the second names."""
    m = compiled("figures", "figure.range_to").match(text, end, min(len(text), end + 40))
    found = unit_at(text, m.end()) if m else None
    return UnitAt(found.group, found.unit, end) if found else None


def unit_of_list_item(text: str, n: NumberMention, heads: list[Figure]) -> UnitAt | None:
    """"2.100 biên chế (cấp tỉnh 1.200, cấp huyện 900)": an item of a labelled list with a
    bare number, in brackets or after "gồm", counts the staff the whole before the list counts."""
    whole = next((h for h in reversed(heads) if h.parent is None and h.kind in ("level", "count")), None)
    if whole is None or n.number_start - whole.end > SHARE_REACH or unit_group(whole.unit) == "thing":
        return None  # "8 Tổng cục (An ninh 1, An ninh 2, …)": units are named by numbers, staff are not
    if not compiled("figures", "figure.bare_list").match(text[whole.end:n.number_start]) \
            or not compiled("figures", "figure.bare_item_end").match(text, n.end):
        return None
    return UnitAt(unit_group(whole.unit), whole.unit, n.end)
