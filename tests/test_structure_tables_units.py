"""A table cell's number and the unit it is written with."""

from __future__ import annotations

import pytest

from extractor.structure.tables import cell_unit, is_number, number_part


@pytest.mark.parametrize(("cell", "number", "unit"), [("45 người", "45", "người"), ("2.100 biên chế", "2.100", "biên chế"),
                                                       ("9.528(**)", "9.528", ""), ("3 tháng", "3 tháng", ""), ("12", "12", "")])
def test_structure_tables_number_part_and_cell_unit(cell: str, number: str, unit: str) -> None:
    assert (number_part(cell), cell_unit(cell)) == (number, unit)
    assert is_number(cell) is (number != "3 tháng")
