"""Which figures may be parts of which: the categories a whole may list
(patterns/categories.yaml ``contains``) and shares named after "trong đó"."""

from __future__ import annotations

from functools import cache

import regex

from extractor.models import Figure
from extractor.patterns import compiled, load_file, rx
from extractor.rules.spans import bounded_match
from extractor.rules.units import unit_group

SHARE_REACH = 1000
"""How far after its whole a share may stand."""


@cache
def _contains() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in load_file("categories").get("contains", {}).items()}


def may_contain(whole: str | None, part: str) -> bool:
    """Whether a whole of category ``whole`` may list a part of category ``part``
    (patterns/categories.yaml ``contains``; a whole of none or ``total`` holds any)."""
    if whole is None or whole not in _contains():
        return True
    return part in _contains()[whole]


def share_of(text: str, fig: Figure, number_start: int, group: str, heads: list[Figure], since: int | None = None) -> None:
    """"2.150 biên chế, trong đó 1.200 biên chế cấp tỉnh và 950 …": a share named after
    "trong đó" is a part of the figure before the list, an open one (``partial``).
    ``heads``: the sentence's figures so far; ``group``: the unit group of ``fig``;
    ``since``: where the text read for the cue starts when the whole ended the sentence
    before ("… 28.456 người. |Trong đó: …"), else right after the whole. A share is never
    more than its whole ("34 tỉnh. Trong đó, 52 tỉnh … sẽ được sáp nhập": no share)."""
    whole = next((h for h in reversed(heads) if not h.parent), None)  # the whole, past its listed parts
    if whole is not None and since is None and whole.kind == "change" and abs(fig.value) > abs(whole.value):
        whole, since = _level_past_change(text, whole, heads)  # "là 18.540 người, giảm 312 người so với năm 2025; trong đó: …"
    people = group == "person" and whole is not None and (whole.unit.startswith("người")  # "12.300 người làm việc, trong đó … 9.800 người"
                                                          or unit_group(whole.unit) == "quota" and fig.category not in (None, "total"))
    if whole is not None and whole.kind in ("level", "count") and whole.year and fig.year and whole.year != fig.year:
        return  # "… năm 2024 là 2.450 biên chế, trong đó …; năm 2025 là 2.400 biên chế": another year's level, no share
    if whole is None or whole.kind not in ("level", "count", "change") or (unit_group(whole.unit) != group and not people) \
            or number_start - whole.end >= SHARE_REACH or abs(fig.value) > abs(whole.value) \
            or fig.category not in (None, "total", whole.category) and not may_contain(whole.category, fig.category):
        return
    between = text[whole.end if since is None else since:number_start]
    gap = rx(r"(?<!\p{L})(thiếu|thừa|dôi\s+dư|vượt)\s*+$", regex.IGNORECASE).search(text, max(0, whole.start - 12), whole.start)
    if gap is not None:  # "thiếu 1.245 giáo viên …, trong đó mầm non thiếu 620 người": shares of one gap
        between = str(rx(r"(?<!\p{L})" + regex.escape(gap.group(1)) + r"(?!\p{L})", regex.IGNORECASE).sub("", between))
        between = str(rx(r"^[^,;.()\d]*?so\s+với\s+[^,;.()\d]{1,40}(?=[,;])", regex.IGNORECASE).sub("", between))  # the gap's own measure
    if compiled("figures", "figure.share_after").match(between):  # "vượt 17 người": no share
        fig.parent, fig.partial = whole.id, True
        if whole.kind == "change":  # "đã tinh giản 72.000 người, trong đó cán bộ, công chức là 12.000 người"
            fig.kind, fig.value = "change", -abs(fig.value) if whole.value < 0 else abs(fig.value)


def listed_part_of(text: str, fig: Figure, number_start: int, group: str, whole: Figure, since: int) -> None:
    """"… là 25.640 người. Cụ thể: cán bộ, công chức 3.210 người; viên chức …": an item of a
    list the sentence opens ("Cụ thể:", "Bao gồm:") is a part of the whole the sentence before
    ended with, when it counts the same kind of thing, is no more than it and may be in it."""
    people = group == "person" and whole.unit.startswith("người")
    if whole.kind not in ("level", "count") or (unit_group(whole.unit) != group and not people) \
            or abs(fig.value) > abs(whole.value) or fig.kind not in ("level", "count") \
            or fig.category not in (None, "total", whole.category) and not may_contain(whole.category, fig.category):
        return
    if compiled("figures", "figure.list_after_opening").match(text[since:number_start]):
        fig.parent = whole.id
        if fig.category is None:
            fig.org = item_owner(text, since, fig.start) or fig.org  # "Cụ thể: Sở Y tế 420 biên chế; …"


def _level_past_change(text: str, change: Figure, heads: list[Figure]) -> tuple[Figure | None, int | None]:
    """The level a change right after it qualifies, and where the cue text starts past the
    change and its base year; (None, None) when the change follows no level."""
    level = next((h for h in reversed(heads) if h.end <= change.start and not h.parent), None)  # the last: no scan of all
    if level is None or level.kind not in ("level", "count"):
        return None, None
    base = bounded_match(rx(r"\s*+(?:\([^()\n]{0,30}\)\s*+)?so\s+với\s+(?:năm\s+)?(?:19|20)\d{2}"), text, change.end)
    # anchored at pos (no "^"); "giảm 86 đơn vị (7,24%) so với năm 2021": past the rate in brackets too
    return level, base.end() if base else change.end


ITEM_WORDS = 12
"""Most words a list item's label may have to be read as the part's owner."""


def item_owner(text: str, lo: int, pos: int) -> str | None:
    """The label of the list item whose number starts at ``pos``, when it names who the
    part belongs to: "gồm: khối Đảng, đoàn thể 560 biên chế; khối chính quyền 1.900 …".
    The item starts after the last "(", ":" or ";" past ``lo``, and after the last ", "
    or "và" past an earlier number in it; None for none, a clause ("… sẽ được sáp nhập
    thành") or a long phrase."""
    item = max(lo, *(text.rfind(mark, lo, pos) + 1 for mark in "(:;"))
    segment = text[item:pos]
    digit = rx(r"\d[^\d]*$").search(segment)
    if digit is not None:  # "Sở A 50 biên chế, Sở B |60": after the earlier item
        cut = list(rx(r",|(?<!\p{L})và(?!\p{L})").finditer(segment, digit.start()))
        segment = segment[cut[-1].end():] if cut else ""
    label = str(rx(r"^[\s,]*(?:và\s+)?(?:(?:[a-zđ]|\d{1,2})\)\s+)?|[\s:,]*(?:(?<!\p{L})(?:là|có))?[\s:,]*$").sub("", segment))
    # "gồm: a) cấp tỉnh 830 biên chế": the item's marker is no part of its label
    lead = compiled("figures", "figure.subject_prefix").match(label)  # "(trong đó tỉnh X có 216 xã)"
    label = label[lead.end():].strip() if lead else label
    label = str(compiled("figures", "figure.basis_tail").sub("", label)).strip(" ,")  # "Trong đó: cấp tỉnh được giao 1.286"
    if not label or len(label.split()) > ITEM_WORDS or compiled("figures", "figure.org_fragment").search(label) \
            or compiled("figures", "figure.item_clause").search(label):
        return None
    return label


def share_owner(text: str, lo: int, pos: int, unit: str = "") -> str | None:
    """The body a share listed after "trong đó" counts: "85 biên chế, trong đó văn phòng
    Sở 60 biên chế, Chi cục B 25 …" → "văn phòng Sở"; None for a trait ("trong đó nữ 300")
    or for a kind of the units counted ("1.102 đơn vị; trong đó, đơn vị tự chủ … là 145 đơn vị")."""
    label = item_owner(text, lo, pos)
    kind = unit and str(rx(r"\s+").sub(" ", label or "")).lower().removeprefix("các ").startswith(unit.lower() + " ")
    return label if label and not kind and compiled("figures", "figure.share_owner").match(label) else None
