"""The overlap resolver: each policy, ``taken`` spans, ``extend`` and ``outside``."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from extractor.overlap import crosses, extend, outside, resolve


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    name: str = ""


def _names(spans: list[Span]) -> list[str]:
    return [s.name for s in spans]


# "ngày 18 tháng 7 năm 2022": a long date over a month and a year inside it.
CANDIDATES = [Span(5, 12, "thang"), Span(0, 20, "ngay"), Span(16, 20, "nam"), Span(22, 30, "sau")]


@pytest.mark.parametrize(
    ("policy", "candidates", "expected"),
    [
        ("longest", CANDIDATES, ["ngay", "sau"]),
        ("longest", [Span(0, 4, "a"), Span(2, 10, "b"), Span(9, 12, "c")], ["b"]),
        # equal length: the earlier one wins
        ("longest", [Span(4, 8, "late"), Span(2, 6, "early")], ["early"]),
        ("earliest", [Span(3, 20, "long"), Span(0, 5, "first"), Span(6, 9, "mid")], ["first", "mid"]),
        # same start: the longer one wins
        ("earliest", [Span(0, 4, "short"), Span(0, 9, "long"), Span(9, 12, "next")], ["long", "next"]),
        ("first_listed", [Span(5, 12, "thang"), Span(0, 20, "ngay"), Span(22, 30, "sau")], ["thang", "sau"]),
        ("first_listed", [Span(10, 14, "b"), Span(0, 4, "a"), Span(3, 11, "x")], ["a", "b"]),
    ],
)
def test_overlap_resolve_policy(policy: str, candidates: list[Span], expected: list[str]) -> None:
    kept = resolve(candidates, policy)  # type: ignore[arg-type]
    assert _names(kept) == expected
    assert all(not crosses(a, b) for i, a in enumerate(kept) for b in kept[i + 1:])
    assert [s.start for s in kept] == sorted(s.start for s in kept)


@pytest.mark.parametrize("policy", ["longest", "earliest", "first_listed"])
def test_overlap_resolve_taken_blocks_candidates(policy: str) -> None:
    kept = resolve(CANDIDATES, policy, taken=[(18, 19)])  # type: ignore[arg-type]
    assert "ngay" not in _names(kept) and "nam" not in _names(kept)
    assert "sau" in _names(kept)
    assert all(not crosses(s, (18, 19)) for s in kept)


def test_overlap_resolve_taken_touching_is_not_crossing() -> None:
    kept = resolve([Span(0, 5, "a"), Span(5, 9, "b")], "longest", taken=[(9, 12)])
    assert _names(kept) == ["a", "b"]


def test_overlap_resolve_drops_empty_spans() -> None:
    assert _names(resolve([Span(3, 3, "empty"), Span(4, 2, "backwards"), Span(0, 2, "ok")], "earliest")) == ["ok"]


@pytest.mark.parametrize(
    ("keep", "add", "replace", "expected"),
    [
        # a non-crossing mention is added
        ([Span(0, 5, "rule")], [Span(6, 10, "model")], True, ["rule", "model"]),
        # a longer one containing a rule's mention replaces it ...
        ([Span(10, 15, "Long An")], [Span(0, 15, "Ủy ban nhân dân tỉnh Long An")], True, ["Ủy ban nhân dân tỉnh Long An"]),
        # ... and several at once
        ([Span(2, 4, "x"), Span(6, 8, "y")], [Span(0, 10, "big")], True, ["big"]),
        # ... but not without replace_contained
        ([Span(10, 15, "Long An")], [Span(0, 15, "Ủy ban nhân dân tỉnh Long An")], False, ["Long An"]),
        # a mention that only crosses (not contains) a kept one is dropped
        ([Span(0, 6, "rule")], [Span(4, 12, "model")], True, ["rule"]),
        # the same span is no replacement
        ([Span(0, 6, "rule")], [Span(0, 6, "model")], True, ["rule"]),
        # contains one, crosses another: dropped, both kept
        ([Span(2, 4, "x"), Span(8, 14, "y")], [Span(0, 10, "big")], True, ["x", "y"]),
    ],
)
def test_overlap_extend(keep: list[Span], add: list[Span], replace: bool, expected: list[str]) -> None:
    assert _names(extend(keep, add, replace_contained=replace)) == expected


def test_overlap_outside_drops_crossing_spans() -> None:
    spans = [Span(0, 3, "a"), Span(4, 8, "b"), Span(8, 9, "c")]
    assert _names(outside(spans, [(5, 6)])) == ["a", "c"]
    assert _names(outside(spans, [])) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [((0, 5), (5, 9), False), ((0, 5), (4, 9), True), ((2, 3), (0, 10), True), ((0, 1), (3, 4), False)],
)
def test_overlap_crosses(a: tuple[int, int], b: tuple[int, int], expected: bool) -> None:
    assert crosses(a, b) is expected
    assert crosses(Span(*a), Span(*b)) is expected
