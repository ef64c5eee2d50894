"""A percentage as the rate of its change; a change's before and after levels."""

from __future__ import annotations

import pytest

from extractor.models import Figure, NumberMention
from extractor.document import document_from_text
from extractor.pipeline import extract_document
from extractor.rules.figure_links import before_after, link_rate


def _fig(id: str, text: str, start: int, kind: str, value: float, unit: str, parent: str | None = None) -> Figure:
    return Figure(id=id, start=start, end=start + len(text), text=text, kind=kind, value=value, unit=unit,
                  category=None, org=None, year=None, parent=parent)


@pytest.mark.parametrize(("glue", "rate"), [(" (", -1.94), (", tương ứng giảm ", -1.94), (" và giảm thêm ", None)])
def test_rules_figure_links_link_rate(glue: str, rate: float | None) -> None:
    text = f"giảm 25 biên chế{glue}1,94%"
    change = _fig("f1", "25 biên chế", 5, "change", -25, "biên chế")
    start = text.index("1,94")
    n = NumberMention(start=start, end=start + 5, text="1,94%", value=1.94, number_start=start, percent=True)
    assert link_rate(text, text[:start], n, change, []) is (rate is not None)
    assert change.rate_percent == rate


@pytest.mark.parametrize(("glue", "linked"), [(" để thành lập ", True), (" và ", False)])
def test_rules_figure_links_before_after_of_a_merger(glue: str, linked: bool) -> None:
    text = f"sắp xếp 125 đơn vị hành chính cấp xã{glue}48 xã, phường, giảm 77 đơn vị"
    before = _fig("f1", "125 đơn vị hành chính cấp xã", text.index("125"), "count", 125, "đơn vị hành chính cấp xã")
    after = _fig("f2", "48 xã", text.index("48"), "count", 48, "xã")
    change = _fig("f3", "77 đơn vị", text.index("77"), "change", -77, "đơn vị")
    assert before_after(text, change, [before, after]) == (("f1", "f2") if linked else None)


def _links(text: str) -> list[tuple[float, float] | None]:
    figures = extract_document(document_from_text(text), "rules").figures
    ids = {f.id: f.value for f in figures}
    return [None if f.before_after is None else (ids[f.before_after[0]], ids[f.before_after[1]])
            for f in figures if f.kind == "change"]


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("Tỉnh Lâm Hà sắp xếp 102 đơn vị hành chính cấp xã để thành lập 37 đơn vị hành chính cấp xã mới (31 xã, 6 phường); "
         "sau sắp xếp tỉnh có 42 đơn vị hành chính cấp xã (35 xã, 7 phường), giảm 60 đơn vị.", [(102, 42)]),
        ("Tỉnh có 102 đơn vị hành chính cấp xã, 37 đơn vị hành chính cấp xã mới và 42 đơn vị hành chính cấp xã cũ, "
         "giảm 60 đơn vị.", [None]),  # three counts, no word says which is after: nothing is checked
        ("Tỉnh Bình Sơn giảm từ 210 xuống còn 96 đơn vị hành chính cấp xã, giảm 114 đơn vị.", [(210, 96)]),
        ("Tỉnh có 9 đơn vị hành chính cấp huyện, 145 đơn vị hành chính cấp xã. Sau sắp xếp, tỉnh còn 58 đơn vị "
         "hành chính cấp xã, giảm 87 đơn vị.", [(145, 58)]),
        ("Tỉnh có 145 đơn vị hành chính cấp xã. Năm 2026 có 58 đơn vị hành chính cấp xã, giảm 87 đơn vị.", [None]),
    ],
)
def test_rules_figure_links_before_after_of_reorganisation_blocks(text: str, pairs: list[tuple[float, float] | None]) -> None:
    assert _links(text) == pairs


def test_rules_figure_links_an_ambiguous_pair_makes_no_error() -> None:
    text = ("Tỉnh Lâm Hà sắp xếp 102 đơn vị hành chính cấp xã để thành lập 37 đơn vị hành chính cấp xã mới; "
            "sau sắp xếp tỉnh có 42 đơn vị hành chính cấp xã, giảm 60 đơn vị.")
    result = extract_document(document_from_text(text), "rules")
    assert not [f for f in result.all_findings() if f.severity == "error"]


@pytest.mark.parametrize(("total", "change", "errors"), [("150", "98", 0), ("150", "97", 1), ("160", "98", 2)])
def test_rules_figure_links_labelled_lines_before_after_and_their_change(total: str, change: str, errors: int) -> None:
    text = (f"1. Tỉnh A\nTrước sắp xếp: 120 xã, 20 phường, 10 thị trấn ({total} đơn vị).\n"
            f"Sau sắp xếp: 40 xã, 12 phường (52 đơn vị).\nGiảm: {change} đơn vị.\n")
    result = extract_document(document_from_text(text), "rules")
    by_value = {f.value: f for f in result.figures}
    assert [by_value[v].parent for v in (120, 20, 10)] == ["f4"] * 3 and by_value[52].parent is None
    assert by_value[-float(change)].before_after == ("f4", "f7")
    assert (by_value[float(total)].role, by_value[52].role) == ("before", "after")
    assert len([x for x in result.all_findings() if x.severity == "error"]) == errors


def test_rules_figure_links_a_change_of_one_unit_kind_is_not_the_mergers() -> None:
    from extractor.document import document_from_text
    from extractor.pipeline import extract_document
    text = ("Sắp xếp 27 đơn vị hành chính cấp xã thành 09 xã mới, giảm 18 đơn vị hành chính cấp xã; "
            "sau sắp xếp huyện không còn thị trấn (giảm 03 thị trấn).")
    result = extract_document(document_from_text(text), "rules")
    towns = next(f for f in result.figures if f.value == -3)
    assert towns.before_after is None
    assert not [f for f in result.all_findings() if f.severity == "error"]
