"""Which categories a whole may list, and shares after "trong đó"."""

from __future__ import annotations

import pytest

from extractor.models import Figure
from extractor.rules.parts import may_contain, share_of


@pytest.mark.parametrize(
    ("whole", "part", "ok"),
    [("officials", "leaders", True), ("commune_officials", "officials", True), ("public_employees", "officials", False),
     (None, "officials", True), ("total", "public_employees", True)],
)
def test_rules_parts_may_contain(whole: str | None, part: str, ok: bool) -> None:
    assert may_contain(whole, part) is ok


def _fig(text: str, start: int, id: str, unit: str = "biên chế") -> Figure:
    return Figure(id=id, start=start, end=start + len(text), text=text, kind="level", value=float(text.split()[0].replace(".", "")),
                  unit=unit, category="officials", org=None, year=None)


@pytest.mark.parametrize(("glue", "linked"), [(", trong đó ", True), (", gồm ", False), (", vượt ", False)])
def test_rules_parts_share_of(glue: str, linked: bool) -> None:
    text = f"2.150 biên chế{glue}1.200 biên chế cấp tỉnh"
    whole = _fig("2.150 biên chế", 0, "f1")
    share = _fig("1.200 biên chế", text.index("1.200"), "f2")
    share_of(text, share, share.start, "quota", [whole])
    assert (share.parent, share.partial) == (("f1", True) if linked else (None, False))
