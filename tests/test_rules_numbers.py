"""Numbers as counts: a thousands comma where three digits follow."""

from __future__ import annotations

import pytest

from extractor.rules.numbers import as_count, parse_number


@pytest.mark.parametrize(("written", "value"), [("1,250", 1250.0), ("2,5", 2.5), ("12.300", 12300.0)])
def test_rules_numbers_as_count_reads_a_thousands_comma_only_where_three_digits_follow(written: str, value: float) -> None:
    read = parse_number(written)
    assert read is not None and as_count(read, written) == value
