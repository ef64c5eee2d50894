"""Units named elsewhere than right after the number."""

from __future__ import annotations

import pytest

from extractor.models import Figure, NumberMention, Sentence
from extractor.rules.unit_sources import unit_before, unit_of_range, unit_of_share, unit_of_sibling


def _number(text: str, written: str) -> NumberMention:
    start = text.index(written)
    return NumberMention(start=start, end=start + len(written), text=written, value=float(written.replace(".", "")),
                         number_start=start)


def _figure(text: str, written: str, unit: str) -> Figure:
    start = text.index(written)
    return Figure(id="f1", start=start, end=start + len(written), text=written, kind="level", value=1.0, unit=unit,
                  category=None, org=None, year=None)


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [("Biên chế công chức năm 2025: 1.250.", "1.250", "biên chế"), ("chưa tính số hợp đồng 68", "68", "hợp đồng"),
     ("Dân số: 2.210", "2.210", None)],
)
def test_rules_unit_sources_unit_before(text: str, number: str, unit: str | None) -> None:
    n = _number(text, number)
    found = unit_before(text, 0, n.start, n.end)
    assert (found.unit if found else None) == unit


@pytest.mark.parametrize(("text", "unit"), [("từ 210 xuống còn 96 đơn vị hành chính cấp xã", "đơn vị hành chính cấp xã"),
                                            ("từ 210 xuống còn một nửa", None)])
def test_rules_unit_sources_unit_of_range(text: str, unit: str | None) -> None:
    found = unit_of_range(text, text.index("210") + 3)
    assert (found.unit if found else None) == unit


@pytest.mark.parametrize(("item", "unit"), [("- Số có mặt: 2.210", "biên chế"), ("- Sở Y tế: 2.210", None)])
def test_rules_unit_sources_unit_of_sibling(item: str, unit: str | None) -> None:
    text = f"- Tổng số biên chế được giao: 2.345;\n{item}"
    sentence = Sentence(start=text.index(item), end=len(text), text=item)
    found = unit_of_sibling(text, sentence, _number(text, "2.210"), _figure(text, "2.345", "biên chế"))
    assert (found.unit if found else None) == unit


@pytest.mark.parametrize(("glue", "unit"), [(", trong đó cán bộ, công chức cấp xã là ", "biên chế"), (", vượt ", None)])
def test_rules_unit_sources_unit_of_share(glue: str, unit: str | None) -> None:
    text = f"là 2.245.000 biên chế{glue}200.000"
    found = unit_of_share(text, _number(text, "200.000"), [_figure(text, "2.245.000 biên chế", "biên chế")])
    assert (found.unit if found else None) == unit
