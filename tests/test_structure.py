"""Structure: numbered sections and their spans, tables as rows × cells with column roles."""

from __future__ import annotations

import pytest

from extractor.annotated import Section, Table
from extractor.rules.dates import find_dates, find_periods, find_years
from extractor.structure.sections import find_sections, sections_at
from extractor.structure.tables import find_tables, numbering_depth

OUTLINE = (
    "I. Khối cơ quan Đảng\n"
    "Phần này nói về khối Đảng.\n"
    "1. Văn phòng Tỉnh ủy\n"
    "Văn phòng có nhiều phòng.\n"
    "2.1. Năm 2024\n"
    "Sở Nội vụ được giao 45 biên chế.\n"
    "2.2. Năm 2025\n"
    "Sở Nội vụ được giao 44 biên chế.\n"
    "a) Cấp xã\n"
    "Xã được giao thêm.\n"
    "II. Khối chính quyền\n"
    "Các sở được giao biên chế.\n"
)


def _sections(text: str) -> list[Section]:
    return find_sections(text, find_years(text), find_periods(text))


def test_structure_sections_levels_and_numbers() -> None:
    found = _sections(OUTLINE)
    assert [(s.number, s.level, s.title) for s in found] == [
        ("I", 1, "Khối cơ quan Đảng"), ("1", 2, "Văn phòng Tỉnh ủy"), ("2.1", 3, "Năm 2024"),
        ("2.2", 3, "Năm 2025"), ("a", 5, "Cấp xã"), ("II", 1, "Khối chính quyền"),
    ]
    for s in found:
        assert OUTLINE[s.start:s.end] == s.text


def test_structure_sections_body_end_at_next_heading_of_same_level() -> None:
    by_number = {s.number: s for s in _sections(OUTLINE)}
    assert by_number["I"].body_end == OUTLINE.index("II. Khối")
    assert by_number["2.1"].body_end == OUTLINE.index("2.2. Năm")
    # "a)" is deeper than 2.2: it does not end it, the next roman heading does
    assert by_number["2.2"].body_end == OUTLINE.index("II. Khối")
    assert by_number["II"].body_end == len(OUTLINE)


def test_structure_sections_heading_year() -> None:
    by_number = {s.number: s for s in _sections(OUTLINE)}
    assert (by_number["2.1"].year, by_number["2.2"].year, by_number["I"].year) == (2024, 2025, None)
    inside = OUTLINE.index("45 biên chế")
    assert [s.number for s in sections_at(_sections(OUTLINE), inside)] == ["I", "1", "2.1"]


@pytest.mark.parametrize(
    ("heading", "year"),
    [("2. Năm 2025\n", 2025), ("2. Khung kế hoạch năm học 2024 - 2025\n", None),
     ("2. Tổ chức khai giảng vào ngày 05 tháng 9 năm 2024.\n", None)],
)
def test_structure_sections_heading_year_not_from_period_or_full_date(heading: str, year: int | None) -> None:
    found = find_sections(heading, find_years(heading), find_periods(heading), find_dates(heading))
    assert [s.year for s in found] == [year]


@pytest.mark.parametrize(
    "line",
    ["1. Sở Nội vụ được giao biên chế công chức theo đúng quy định của Trung ương và của tỉnh trong năm 2024.",
     "1. 2024 là năm đầu", "1. Sở A | 40 | 38"],
)
def test_structure_sections_sentence_or_table_line_is_no_heading(line: str) -> None:
    assert _sections(f"Mở đầu.\n{line}\n") == []


def _one(text: str) -> Table:
    (table,) = find_tables(text)
    for row in table.rows:
        assert text[row.start:row.end] == row.text
        for cell in row.cells:
            assert text[cell.start:cell.end] == cell.text
            assert row.start <= cell.start <= cell.end <= row.end
    return table


MARKDOWN = (
    "Biên chế các sở năm 2024:\n\n"
    "| STT | Tên đơn vị | Biên chế được giao |\n"
    "|---|---|---|\n"
    "| 1 | Sở Nội vụ | 40 |\n"
    "| 2 | Sở Tài chính | 52 |\n"
)


def test_structure_tables_markdown_outer_pipes_and_separator() -> None:
    table = _one(MARKDOWN)
    assert table.header_rows == 1 and len(table.rows) == 2 and table.about_quota
    assert [c.label for c in table.columns] == ["STT", "Tên đơn vị", "Biên chế được giao"]
    assert [[c.text for c in r.cells] for r in table.rows] == [["1", "Sở Nội vụ", "40"], ["2", "Sở Tài chính", "52"]]
    assert [r.label for r in table.rows] == ["Sở Nội vụ", "Sở Tài chính"]
    assert table.columns[2].basis == "assigned"


PLAIN = (
    "Biên chế công chức các sở\n"
    "STT | Tên đơn vị | Năm 2024 | Năm 2025\n"
    "1 | Sở Công Thương | 40 | 38\n"
    "2 | Sở Tư pháp | 50 | 48\n"
    " | Tổng cộng | 90 | 86\n"
)


def test_structure_tables_no_outer_pipes_total_row_stays_aligned() -> None:
    table = _one(PLAIN)
    total = table.rows[-1]
    assert total.is_total and total.label == "Tổng cộng"
    assert [(c.column, c.text) for c in total.cells] == [(0, ""), (1, "Tổng cộng"), (2, "90"), (3, "86")]
    years = {c.index: c.year for c in table.columns}
    assert (years[2], years[3]) == (2024, 2025)
    assert [r.number for r in table.rows[:2]] == ["1", "2"]


SHARE_ROWS = (
    "STT | Cơ quan | Được giao | Có mặt | Ghi chú\n"
    "1 | Sở Nội vụ | 58 | 55 |\n"
    "| Trong đó: lãnh đạo | 11 | 11 |\n"
    "2 | Sở Y tế | 64 | 63 |\n"
    "| Trong đó: lãnh đạo | 12 | 12 |\n"
    "| Tổng cộng | 122 | 118 |\n"
    "| Trong đó: nữ | - | 59 |\n"
)


def test_structure_tables_rows_opening_with_a_pipe_are_not_outer_pipes() -> None:
    """Most rows open with "|" (an empty STT) yet the header does not: those pipes
    are cell borders, so "11" stays in the "Được giao" column."""
    table = _one(SHARE_ROWS)
    share = table.rows[1]
    assert [(c.column, c.text) for c in share.cells][:4] == [(0, ""), (1, "Trong đó: lãnh đạo"), (2, "11"), (3, "11")]
    assert table.rows[-2].is_total and table.rows[-2].cells[2].text == "122"


def test_structure_tables_row_number_never_taken_from_a_value_cell() -> None:
    table = _one(PLAIN)
    assert table.rows[-1].number is None and table.rows[-1].depth == -1
    table = _one("Biên chế năm 2024\nĐơn vị | Năm 2024\nSở Y tế | 40\nSở Xây dựng | 1.200\n")
    assert [r.number for r in table.rows] == [None, None]


MERGED = (
    "Biểu biên chế công chức\n"
    "Đơn vị | Biên chế được giao |  | Ghi chú\n"
    " | Công chức | Viên chức |\n"
    " | Người | Người |\n"
    "Sở Nội vụ | 40 | 12 |\n"
    "Sở Y tế | 30 | 300 |\n"
)


def test_structure_tables_two_row_header_and_units_row() -> None:
    table = _one(MERGED)
    assert table.header_rows == 3
    assert [r.label for r in table.rows] == ["Sở Nội vụ", "Sở Y tế"]
    assert table.columns[1].label.startswith("Biên chế được giao") and table.columns[1].basis == "assigned"
    assert (table.columns[1].unit, table.columns[2].unit) == ("người", "người")


def test_structure_tables_empty_header_cell_inherits_merged_label() -> None:
    table = _one("Biên chế năm 2024\nĐơn vị | Biên chế được giao |  | Ghi chú\nSở Nội vụ | 40 | 12 |\nSở Y tế | 30 | 9 |\n")
    assert table.columns[2].label == "Biên chế được giao" and table.columns[2].basis == "assigned"


def test_structure_tables_merged_header_reaches_labelled_subcolumns() -> None:
    table = _one(MERGED)
    assert table.columns[2].basis == "assigned"
    table = _one("Biên chế các sở\nĐơn vị | Năm 2024 |  | Năm 2025 | \n"
                 " | Được giao | Có mặt | Được giao | Có mặt\nSở A | 30 | 28 | 29 | 27\nSở B | 20 | 19 | 19 | 18\n")
    assert [c.year for c in table.columns[1:]] == [2024, 2024, 2025, 2025]


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("STT", "number"), ("TT", "number"), ("Đơn vị tính", "unit"), ("ĐVT", "unit"), ("Ghi chú", "note"),
        ("Tên đơn vị", "label"), ("Nội dung", "label"), ("Năm 2024", "value"), ("Số lượng", "value"),
        ("Chỉ tiêu", "label"),
    ],
)
def test_structure_tables_column_role(header: str, role: str) -> None:
    if header in ("STT", "TT"):
        text = f"Biên chế năm 2024\n{header} | Tên đơn vị | Năm 2025\n1 | Sở Nội vụ | 40\n2 | Sở Y tế | 30\n"
        assert _one(text).columns[0].role == role
        return
    cell = "Người" if role == "unit" else ""
    text = (f"Biên chế năm 2024\nSTT | Cơ quan | {header} | Năm 2025\n"
            f"1 | Sở Nội vụ | {cell} | 40\n2 | Sở Y tế | {cell} | 30\n")
    assert _one(text).columns[2].role == role


CHANGE = (
    "Tình hình biên chế các sở\n"
    "Đơn vị | Năm 2022 | Năm 2024 | Giảm so với năm 2022 | Tỷ lệ (%)\n"
    "Sở Công Thương | 50 | 45 | 5 | 10\n"
    "Sở Tư pháp | 40 | 38 | 2 | 5\n"
)


def test_structure_tables_change_column_base_year_and_rate_column() -> None:
    columns = _one(CHANGE).columns
    change, rate = columns[3], columns[4]
    assert change.change and change.base_year == 2022 and change.year == 2024
    assert rate.rate and not rate.change
    assert not any(c.rate for c in columns[:4])
    assert (columns[1].year, columns[2].year) == (2022, 2024) and not columns[1].change


@pytest.mark.parametrize(
    ("number", "depth"),
    [("A.", 0), ("B.", 0), ("I", 1), ("IV.", 1), ("1", 2), ("2.", 2), ("1.1", 3), ("2.3.1", 4), ("a)", 6), ("đ)", 6),
     ("-", 7), ("+", 7),
     (None, -1), ("", -1)],
)
def test_structure_tables_numbering_depth(number: str | None, depth: int) -> None:
    assert numbering_depth(number) == depth


@pytest.mark.xfail(strict=True, reason="find_tables on a line with trailing whitespace ('... | 12 | ') puts the empty "
                   "last cell after the row's end (row end uses line.rstrip(), cells do not)")
def test_structure_tables_cells_inside_row_with_trailing_space() -> None:
    _one("Biên chế năm 2024\nĐơn vị | Năm 2024 | Ghi chú\nSở Nội vụ | 40 | \nSở Y tế | 30 | \n")


def test_structure_tables_prose_and_single_line_are_no_table() -> None:
    assert find_tables("Sở Nội vụ được giao 40 biên chế.\nMột dòng | có dấu gạch\nVăn bản tiếp.") == []


@pytest.mark.parametrize(
    "table",
    [
        "| STT | Chỉ tiêu | Đơn vị tính | Số lượng |\n|---|---|---|---|\n| 1. | Tổng số biên chế được giao | | |\n"
        "| 1.1. | Biên chế công chức | Biên chế | 120 |\n",
        "STT | Chỉ tiêu | Đơn vị tính | Số lượng\n1. | Tổng số biên chế được giao | |\n"
        "1.1. | Biên chế công chức | Biên chế | 120\n",
    ],
)
def test_structure_tables_numbered_row_without_figure_is_body(table: str) -> None:
    (found,) = find_tables(table)
    assert [r.label for r in found.rows] == ["Tổng số biên chế được giao", "Biên chế công chức"]
    assert found.header_rows == 1


def test_structure_tables_units_row_under_markdown_rule_is_header() -> None:
    (found,) = find_tables("| Đơn vị | Năm 2024 |\n|---|---|\n| | Người |\n| Sở Y tế | 40 |\n")
    assert found.header_rows == 2 and [r.label for r in found.rows] == ["Sở Y tế"]


def test_structure_tables_key_value_list_has_no_header() -> None:
    rows = "".join(f"| Mục {i} | giá trị {i} |\n" for i in range(6)) + "| Mã điện thoại | 239 |\n"
    (found,) = find_tables(rows)
    assert found.header_rows == 0 and len(found.rows) == 7
