"""Category phrases at and before a position."""

from __future__ import annotations

import pytest

from extractor.rules.categories import category_at, category_before


@pytest.mark.parametrize(("text", "pos", "category"), [("210 công chức", 3, "officials"), ("210 người; viên chức", 9, None),
                                                       ("45 viên chức", 2, "public_employees")])
def test_rules_categories_category_at(text: str, pos: int, category: str | None) -> None:
    found = category_at(text, pos)
    assert (found[0] if found else None) == category


@pytest.mark.parametrize(("text", "category"), [("(trong đó: cán bộ, công chức 210", "officials"),
                                                ("; viên chức 2.240", "public_employees"), ("; Sở Y tế 45", None)])
def test_rules_categories_category_before(text: str, category: str | None) -> None:
    assert category_before(text, 0, text.rindex(" ") + 1) == category
