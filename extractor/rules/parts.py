"""Which figures may be parts of which: the categories a whole may list
(patterns/categories.yaml ``contains``) and shares named after "trong đó"."""

from __future__ import annotations

from functools import cache

from extractor.models import Figure
from extractor.patterns import compiled, load_file
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


def share_of(text: str, fig: Figure, number_start: int, group: str, heads: list[Figure]) -> None:
    """"2.150 biên chế, trong đó 1.200 biên chế cấp tỉnh và 950 …": a share named after
    "trong đó" is a part of the figure before the list, an open one (``partial``).
    ``heads``: the sentence's figures so far; ``group``: the unit group of ``fig``."""
    whole = next((h for h in reversed(heads) if not h.parent), None)  # the whole, past its listed parts
    if whole is None or whole.kind not in ("level", "count") or unit_group(whole.unit) != group \
            or number_start - whole.end >= SHARE_REACH \
            or fig.category not in (None, "total", whole.category) and not may_contain(whole.category, fig.category):
        return
    if compiled("figures", "figure.share_after").match(text[whole.end:number_start]):  # "vượt 17 người": no share
        fig.parent, fig.partial = whole.id, True
