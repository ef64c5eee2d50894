"""A reduction stated apart from the merger it results from: "… sắp xếp 52 ĐVHC cấp tỉnh
để hình thành 23 ĐVHC cấp tỉnh mới." and later "… đã sắp xếp đối với 52/63 ĐVHC cấp
tỉnh (giảm được 29 đơn vị)": the change right after the merged count is the difference
between that count and what the one merger of that count in the text formed."""

from __future__ import annotations

from extractor.models import Figure
from extractor.patterns import compiled
from extractor.check.sums import unit_group as measure_group

GAP = 40
"""Characters between the merged count and the change in brackets after it."""


def _mergers(text: str, figures: list[Figure]) -> dict[float, list[tuple[Figure, Figure]]]:
    """(merged, formed) count pairs of administrative units one sentence states, by the merged value."""
    out: dict[float, list[tuple[Figure, Figure]]] = {}
    units = [f for f in figures if f.kind == "count" and f.parent is None and measure_group(f.unit) == "area"]
    for before, after in zip(units, units[1:]):
        if before.sentence == after.sentence \
                and compiled("figures", "figure.merger_into").fullmatch(text, before.end, after.start):
            out.setdefault(before.value, []).append((before, after))
    return out


def link_mergers(text: str, figures: list[Figure]) -> None:
    """Set ``before_after`` of a change in brackets right after a merged count to that
    count and the one count its merger formed (only where one merger of that value is stated)."""
    mergers = _mergers(text, figures)
    if not mergers:
        return
    for before, change in zip(figures, figures[1:]):
        if change.kind != "change" or change.before_after is not None or change.value >= 0 or before.kind != "count" \
                or measure_group(change.unit) != "area" or change.start - before.end > GAP \
                or not compiled("figures", "figure.merger_reduction").fullmatch(text, before.end, change.start):
            continue
        pairs = mergers.get(before.value, [])
        if len(pairs) == 1 and pairs[0][1].id != before.id:
            change.before_after = (before.id, pairs[0][1].id)
