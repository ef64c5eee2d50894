"""Numbers as counts: a thousands comma where three digits follow."""

from __future__ import annotations

import pytest

from extractor.rules.numbers import as_count, find_numbers, parse_number


@pytest.mark.parametrize(("written", "value"), [("1,250", 1250.0), ("2,5", 2.5), ("12.300", 12300.0)])
def test_rules_numbers_as_count_reads_a_thousands_comma_only_where_three_digits_follow(written: str, value: float) -> None:
    read = parse_number(written)
    assert read is not None and as_count(read, written) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Có 52/63 tỉnh thực hiện", [("52/63", 52.0)]), ("34/34 tỉnh", [("34/34", 34.0)]),
     ("đứng thứ 12/63 tỉnh", []), ("bằng 1/2 tổ chức", []), ("Số 174/1 Tỉnh lộ 8", [("8", 8.0)]),
     ("theo Thông tư 60/2021 quy định", [])],
)
def test_rules_numbers_a_part_of_a_whole_is_its_part_and_a_rank_fraction_or_address_none(
        text: str, expected: list[tuple[str, float]]) -> None:
    assert [(n.text, n.value) for n in find_numbers(text)] == expected
