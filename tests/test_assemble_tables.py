"""Table cells to records: the unit line above a table, unit-count columns, per-unit norm columns, present staff."""

from __future__ import annotations

import pytest

from extractor.document import document_from_text
from extractor.models import DocumentResult
from extractor.pipeline import extract_document

_TABLE = ("| STT | Đơn vị | Cán bộ | Công chức | Tổng |\n|---|---|---|---|---|\n"
          "| 1 | Xã An Phú | 11 | 12 | 23 |\n| 2 | Xã Bình Lợi | 10 | 11 | 21 |\n| | Tổng cộng | 21 | 23 | 44 |\n")


def _result(text: str) -> DocumentResult:
    return extract_document(document_from_text(text), "rules")


@pytest.mark.parametrize(
    ("line", "unit"),
    [("Đơn vị tính: người\n\n", "người"), ("ĐVT: Biên chế\n\n", "biên chế"),
     ("Đơn vị tính: người (cột Số đơn vị: đơn vị)\n\n", "người"), ("", None)],
)
def test_assemble_tables_unit_line_gives_the_unit_of_staff_cells(line: str, unit: str | None) -> None:
    result = _result("Số lượng cán bộ, công chức cấp xã năm 2024 như sau:\n\n" + line + _TABLE)
    units = {f.unit for f in result.figures}
    assert len(result.figures) == 9 and all(f.kind == "level" for f in result.figures)
    assert units == ({unit} if unit else {"biên chế"})  # no unit line: the quota table's posts


def test_assemble_tables_unit_count_column_counts_units_without_the_staff_category() -> None:
    result = _result("Số lượng cán bộ, công chức cấp xã năm 2024\n\nĐơn vị tính: người\n\n"
                     "| STT | Phân loại | Số đơn vị | Số lượng tối đa/xã | Cán bộ, công chức |\n|---|---|---|---|---|\n"
                     "| 1 | Loại I | 38 | 23 | 833 |\n| 2 | Loại II | 57 | 21 | 1.163 |\n")
    got = {(f.value, f.unit, f.kind, f.category) for f in result.figures}
    assert got == {(38, "đơn vị", "count", None), (57, "đơn vị", "count", None),
                   (833, "người", "level", "commune_officials"), (1163, "người", "level", "commune_officials")}
    assert not [f for f in result.figures if f.value in (23, 21)]  # the per-commune maximum is a norm


def test_assemble_tables_present_staff_are_people_and_assigned_are_posts() -> None:
    result = _result("Tình hình biên chế năm 2025\n\n| STT | Cơ quan | Biên chế được giao | Số có mặt |\n|---|---|---|---|\n"
                     "| 1 | Sở Nội vụ | 58 | 55 |\n| 2 | Sở Tài chính | 97 | 93 |\n")
    got = {(f.value, f.basis, f.unit) for f in result.figures}
    assert got == {(58, "assigned", "biên chế"), (97, "assigned", "biên chế"), (55, "actual", "người"), (93, "actual", "người")}


def test_assemble_tables_share_row_names_its_own_category_and_header_noun_its_unit() -> None:
    result = _result("Biểu. Biên chế công chức năm 2025\n\n"
                     "| STT | Cơ quan | Biên chế công chức được giao | Số công chức có mặt |\n|---|---|---|---|\n"
                     "| 1 | Sở Nội vụ | 58 | 55 |\n| | Trong đó: lãnh đạo, quản lý | 11 | 10 |\n")
    got = {(f.value, f.category, f.unit) for f in result.figures}
    assert got == {(58, "officials", "biên chế"), (55, "officials", "công chức"),
                   (11, "leaders", "biên chế"), (10, "leaders", "công chức")}


@pytest.mark.parametrize("mark", ["(*)", "(**)", " (*)", "*"])
def test_assemble_tables_cell_with_a_footnote_mark_is_its_number(mark: str) -> None:
    table = _TABLE.replace("| 12 |", f"| 12{mark} |").replace("| 44 |", f"| 44{mark} |")
    result = _result("Số lượng cán bộ, công chức cấp xã năm 2024 như sau:\n\n" + table + "\n(*) Ghi chú.\n")
    marked = [f for f in result.figures if f.value in (12, 44)]
    assert [(f.value, f.text) for f in marked] == [(12, "12"), (44, "44")]
    total = next(f for f in result.figures if f.value == 44)
    for link in ("parent", "row_total"):  # the corner cell sums its column and its row
        assert sorted(f.value for f in result.figures if getattr(f, link) == total.id) == [21, 23]


@pytest.mark.parametrize(("cue", "basis"), [("chưa đề xuất", "assigned"), ("đề xuất", "planned")])
def test_assemble_tables_unmade_proposal_in_caption_is_no_plan(cue: str, basis: str) -> None:
    caption = f"Năm 2024, tỉnh giao biên chế cho các xã như sau; các xã khác {cue} nên để trống:\n\n"
    result = _result(caption + _TABLE)
    assert {f.basis for f in result.figures} == {basis}


_SIGNED = ("Biên chế công chức các sở như sau:\n\n"
           "| TT | Cơ quan | Biên chế giao năm 2024 | Biên chế giao năm 2025 | Tăng (+), giảm (-) |\n|---|---|---|---|---|\n"
           "| 1 | Sở Nội vụ | 45 | 44 | -1 |\n| 2 | Sở Tư pháp | 38 | 36 | {d} |\n| 3 | Sở Y tế | 50 | 53 | +3 |\n"
           "| | Tổng cộng | 133 | 133 | 0 |\n")


def test_assemble_tables_signed_change_cells_between_two_year_columns() -> None:
    result = _result(_SIGNED.format(d="-2"))
    changes = [(f.org, f.value, f.year, f.base_year) for f in result.figures if f.kind == "change" and f.org != "Tổng cộng"]
    assert changes[:3] == [("Sở Nội vụ", -1, 2025, 2024), ("Sở Tư pháp", -2, 2025, 2024), ("Sở Y tế", 3, 2025, 2024)]
    assert [x for x in result.findings if x.severity == "error"] == []


def test_assemble_tables_wrong_signed_change_is_an_error_that_leads() -> None:
    result = _result(_SIGNED.format(d="-3"))
    errors = [x for x in result.findings if x.severity == "error"]
    assert len(errors) == 1 and errors[0].rule == "change" and "36 − 38" in errors[0].message
    assert all(x.severity == "error" for x in result.findings if x.related)  # a root is never milder than what it explains


@pytest.mark.parametrize(("caption", "unit"), [("Số lượng người làm việc trong các đơn vị sự nghiệp", "người làm việc"),
                                               ("Biên chế của các đơn vị sự nghiệp", "biên chế")])
def test_assemble_tables_caption_names_the_quota_noun_of_year_columns(caption: str, unit: str) -> None:
    table = ("| STT | Đơn vị | Năm 2023 | Năm 2024 |\n|---|---|---|---|\n"
             "| 1 | Trường Cao đẳng Y tế | 120 | 118 |\n| 2 | Ban Quản lý dự án | 25 | 24 |\n| | Cộng | 145 | 142 |\n")
    result = _result(f"Phụ lục\n\n{caption}\n\n{table}")
    assert len(result.figures) == 6 and {f.unit for f in result.figures} == {unit}


@pytest.mark.parametrize("wrong", [False, True])
def test_assemble_tables_total_row_first_is_the_whole_of_the_groups(wrong: bool) -> None:
    first = "| | Tổng cộng (I + II) | 300 |\n" if not wrong else "| | Tổng cộng (I + II) | 310 |\n"
    table = ("| STT | Cơ quan | Biên chế công chức |\n|---|---|---|\n" + first +
             "| I | Khối Đảng | 100 |\n| 1 | Văn phòng Tỉnh ủy | 60 |\n| 2 | Ban Tổ chức | 40 |\n"
             "| II | Khối chính quyền | 200 |\n| 1 | Sở Nội vụ | 120 |\n| 2 | Sở Y tế | 80 |\n")
    result = _result("Biên chế công chức năm 2025 giao như sau:\n\n" + table)
    by_value = {f.value: f for f in result.figures}
    total = by_value[310 if wrong else 300]
    assert by_value[100].parent == total.id and by_value[200].parent == total.id
    assert by_value[60].parent == by_value[100].id
    assert len([x for x in result.findings if x.severity == "error"]) == int(wrong)


@pytest.mark.parametrize(("total", "errors"), [("833", 0), ("834", 1)])
def test_assemble_tables_cong_column_under_a_merged_header_sums_its_group(total: str, errors: int) -> None:
    table = ("| STT | Loại xã | Cán bộ, công chức cấp xã | Cán bộ, công chức cấp xã | Cán bộ, công chức cấp xã | Không chuyên trách |\n"
             "| STT | Loại xã | Cán bộ | Công chức | Cộng | Hiện có |\n|---|---|---|---|---|---|\n"
             f"| 1 | Loại I | 412 | 421 | {total} | 498 |\n| 2 | Loại II | 571 | 592 | 1.163 | 652 |\n")
    result = _result("Số cán bộ, công chức cấp xã hiện có năm 2024 như sau:\n\n" + table)
    by_value = {f.value: f for f in result.figures}
    assert by_value[412].row_total == by_value[421].row_total == by_value[float(total)].id
    assert by_value[498].row_total is None
    assert len([x for x in result.findings if x.severity == "error"]) == errors


def test_assemble_tables_years_as_rows_and_a_change_row_against_the_first() -> None:
    table = ("| Năm | Biên chế công chức | Số lượng người làm việc |\n|---|---|---|\n| 2022 | 2.100 | 24.000 |\n"
             "| Năm 2024 | 2.060 | 23.500 |\n| Giảm so với năm 2022 | 40 | 500 |\n")
    result = _result("Biên chế giao qua các năm như sau:\n\n" + table)
    assert [(f.value, f.year, f.base_year) for f in result.figures] == [
        (2100, 2022, None), (24000, 2022, None), (2060, 2024, None), (23500, 2024, None), (-40, 2024, 2022), (-500, 2024, 2022)]
    assert [f.unit for f in result.figures[:2]] == ["biên chế", "người làm việc"]


@pytest.mark.parametrize(("change", "flagged"), [("40", False), ("45", True)])
def test_assemble_tables_change_row_is_checked_against_its_year_rows(change: str, flagged: bool) -> None:
    table = ("| Năm | Biên chế công chức |\n|---|---|\n| 2022 | 2.100 |\n| 2023 | 2.080 |\n| 2024 | 2.060 |\n"
             f"| Giảm so với năm 2022 | {change} |\n")
    result = _result("Biên chế giao qua các năm như sau:\n\n" + table)
    found = [x for x in result.findings if x.rule == "change"]
    assert bool(found) is flagged and all(x.severity == "warning" for x in found)  # rows between: not provable


@pytest.mark.parametrize(("sub", "errors"), [("530", 0), ("531", 1)])
def test_assemble_tables_letter_groups_with_their_own_subtotals(sub: str, errors: int) -> None:
    table = ("| STT | Tên đơn vị | Số lượng người làm việc giao năm 2026 |\n|---|---|---|\n"
             "| A | Đơn vị thuộc Sở Y tế | |\n| 1 | Bệnh viện tỉnh | 450 |\n| 2 | Trung tâm Y tế | 80 |\n"
             f"| | Cộng A | {sub} |\n| B | Đơn vị thuộc Sở Giáo dục | |\n| 1 | Trường THPT chuyên | 95 |\n"
             f"| 2 | Trường THPT Lê Lợi | 70 |\n| | Cộng B | 165 |\n| | Tổng cộng | {695 + int(sub) - 530} |\n")
    result = _result("Giao số lượng người làm việc năm 2026 như sau:\n\n" + table)
    by_value = {f.value: f for f in result.figures}
    sub_a = by_value[float(sub)]
    assert (by_value[450].parent, by_value[80].parent) == (sub_a.id, sub_a.id) and sub_a.org == "Đơn vị thuộc Sở Y tế"
    assert sub_a.parent == by_value[165].parent and sub_a.parent is not None
    assert len([x for x in result.findings if x.severity == "error"]) == errors


def test_assemble_tables_cells_written_with_their_unit() -> None:
    table = ("| TT | Nội dung | Kế hoạch | Thực hiện |\n|---|---|---|---|\n"
             "| 1 | Số người tinh giản biên chế | 30 người | 31 người |\n| 2 | Số đơn vị sự nghiệp sáp nhập | 5 đơn vị | 4 đơn vị |\n")
    result = _result("BÁO CÁO Kết quả thực hiện năm 2025\n\n" + table)
    assert [(f.value, f.text, f.unit) for f in result.figures] == [
        (-30, "30", "người"), (-31, "31", "người"), (5, "5", "đơn vị"), (4, "4", "đơn vị")]


def test_assemble_tables_people_outside_staffing_are_no_figure() -> None:
    table = "| Chỉ tiêu | Số liệu |\n|---|---|\n| Diện tích | 29,22 km² |\n| Dân số | 32.808 người |\n"
    assert _result("Thông tin chung về phường\n\n" + table).figures == []


def test_assemble_tables_second_header_row_under_the_rule_gives_each_column_its_basis() -> None:
    text = ("Bảng: Số lượng người làm việc\n\n| TT | Đơn vị | Năm 2024 | | Năm 2025 | |\n|---|---|---|---|---|---|\n"
            "| | | Giao | Có mặt | Giao | Có mặt |\n| I | Sự nghiệp giáo dục | 9.000 | 8.800 | 8.900 | 8.750 |\n")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.year, f.basis) for f in figures] == [
        (9000, 2024, "assigned"), (8800, 2024, "actual"), (8900, 2025, "assigned"), (8750, 2025, "actual")]


_MEASURES = ("Biểu số 01: Tổng hợp số lượng cán bộ, công chức, viên chức năm 2025\nĐơn vị tính: người\n\n"
             "| STT | Nội dung | Biên chế được giao | Số có mặt |\n|---|---|---|---|\n"
             "| I | Cán bộ, công chức | 2.180 | 2.096 |\n| 1 | Cấp tỉnh | 1.250 | 1.210 |\n| 2 | Cấp xã | 930 | 886 |\n"
             "| II | Viên chức | 21.350 | 20.910 |\n| | Tổng cộng (I+II) | {total} | 23.006 |\n")


def test_assemble_tables_measure_rows_name_the_category_and_a_named_sum_adds_them() -> None:
    figures = extract_document(document_from_text(_MEASURES.format(total="23.530")), "rules").figures
    by_id = {f.id: f for f in figures}
    assert [(f.value, f.category, f.year) for f in figures[:2]] == [(2180, "officials", 2025), (2096, "officials", 2025)]
    assert by_id[figures[0].parent or ""].value == 23530 and by_id[figures[0].parent or ""].category == "total"
    assert {f.value for f in figures if f.parent == figures[0].id} == {1250, 930}


def test_assemble_tables_named_sum_that_does_not_add_up_is_an_error() -> None:
    result = extract_document(document_from_text(_MEASURES.format(total="23.540")), "rules")
    assert [f.rule for f in result.all_findings() if f.severity == "error"] == ["sum"]


def test_assemble_tables_change_in_a_note_cell_is_of_its_row_unit() -> None:
    text = ("| TT | Đơn vị | Số lượng người làm việc năm 2025 | Ghi chú |\n|---|---|---|---|\n"
            "| 1 | Trường THPT A | 85 | |\n| 2 | Trường THPT B | 72 | Giảm 3 người so với năm 2024 |\n")
    change = next(f for f in extract_document(document_from_text(text), "rules").figures if f.kind == "change")
    assert (change.value, change.org, change.base_year) == (-3, "Trường THPT B", 2024)


@pytest.mark.parametrize(("total", "errors"), [("24", 0), ("25", 2)])  # 25 is off down its column and along its row
def test_assemble_tables_total_row_total_column_adds_both_ways(total: str, errors: int) -> None:
    text = ("| STT | Đơn vị | Số xã | Số phường | Tổng |\n|---|---|---|---|---|\n| 1 | Huyện A | 12 | 2 | 14 |\n"
            f"| 2 | Huyện B | 10 | 0 | 10 |\n| | Toàn tỉnh | 22 | 2 | {total} |\n")
    result = extract_document(document_from_text(text), "rules")
    grand = result.figures[-1]
    assert (grand.value, grand.unit) == (float(total), "đơn vị hành chính cấp xã")
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors


def test_assemble_tables_country_total_row_is_the_country() -> None:
    text = ("| Đơn vị | Biên chế công chức |\n|---|---|\n| Cả nước | 250.000 |\n| Bộ, ngành Trung ương | 100.000 |\n"
            "| Địa phương | 150.000 |\n")
    assert [f.org for f in extract_document(document_from_text(text), "rules").figures] == [
        "cả nước", "Bộ, ngành Trung ương", "Địa phương"]


def test_assemble_tables_a_streamlining_caption_makes_its_cells_changes() -> None:
    text = ("Bảng: Kết quả tinh giản biên chế giai đoạn 2021-2023\n\n| Năm | Công chức | Viên chức |\n|---|---|---|\n"
            "| 2021 | 12 | 85 |\n| 2022 | 15 | 102 |\n")
    assert [(f.kind, f.value) for f in _result(text).figures] == [("change", -12), ("change", -85), ("change", -15),
                                                                  ("change", -102)]


def test_assemble_tables_unfilled_posts_column_is_a_gap_of_no_basis() -> None:
    text = ("| TT | Đơn vị | Biên chế được giao năm 2024 | Chưa sử dụng |\n|---|---|---|---|\n"
            "| 1 | Văn phòng Tỉnh ủy | 80 | 4 |\n")
    assert [(f.kind, f.basis) for f in _result(text).figures] == [("level", "assigned"), ("count", None)]


@pytest.mark.parametrize(("whole", "errors"), [("1,250", 0), ("1,260", 1)])
def test_assemble_tables_a_thousands_comma_counts_people(whole: str, errors: int) -> None:
    text = ("Biểu số 02: Số lượng người làm việc năm 2025\n\n| TT | Đơn vị | Số lượng người làm việc | | |\n"
            "|---|---|---|---|---|\n| | | Tổng số | Sự nghiệp giáo dục | Sự nghiệp y tế |\n"
            f"| 1 | Huyện A | {whole} | 1,100 | 150 |\n")
    result = _result(text)
    assert result.figures[0].value == float(whole.replace(",", ""))
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors


@pytest.mark.parametrize(("after", "errors"), [("64", 0), ("66", 1)])
def test_assemble_tables_measure_rows_of_units_and_their_before_after_change(after: str, errors: int) -> None:
    text = (f"| Nội dung | Đơn vị tính | Số lượng |\n|---|---|---|\n| Số xã trước sắp xếp | Xã | 152 |\n"
            f"| Số xã sau sắp xếp | Xã | {after} |\n| Số xã giảm | Xã | 88 |\n")
    result = _result(text)
    assert [(f.kind, f.unit) for f in result.figures] == [("count", "xã"), ("count", "xã"), ("change", "xã")]
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors


@pytest.mark.parametrize(("header", "rates"), [("Giảm (%)", [(-10.0, 2026, 2022)]), ("Tỷ lệ (%)", [])])
def test_assemble_tables_a_change_percent_column_beside_year_levels_is_a_rate(header: str, rates: list[tuple[float, int, int]]) -> None:
    text = (f"| STT | Bộ, ngành | Biên chế năm 2022 | Biên chế năm 2026 | {header} |\n|---|---|---|---|---|\n"
            "| 1 | Bộ Tài chính | 71.450 | 64.305 | 10 |\n")
    assert [(f.value, f.year, f.base_year) for f in _result(text).figures if f.kind == "rate"] == rates


def test_assemble_tables_a_bracketed_unit_row_counts_people() -> None:
    text = ("| STT | Cơ quan | Biên chế giao năm 2025 | Có mặt |\n|---|---|---|---|\n| | | (người) | (người) |\n"
            "| 1 | Sở Nội vụ | 45 | 43 |\n")
    assert [(f.kind, f.unit) for f in _result(text).figures] == [("level", "người"), ("level", "người")]


def test_assemble_tables_awards_after_a_paragraph_on_staff_count_no_staff() -> None:
    text = ("Nhiều cán bộ, giảng viên được tặng thưởng.\n\n| Đối tượng khen thưởng | Huân chương Lao động | |\n|---|---|---|\n"
            "| | Nhất | Nhì |\n| Đơn vị | 2 | 6 |\n| Cá nhân | 75 | 274 |\n")
    assert _result(text).figures == []


_STAGES = ("| STT | Tỉnh | Trước sắp xếp | | | Sau sắp xếp | | | Giảm |\n|---|---|---|---|---|---|---|---|---|\n"
           "| | | Tổng số | Xã | Phường | Tổng số | Xã | Phường | |\n| 1 | Tỉnh Hòa Bắc | 145 | 130 | 15 | 52 | 40 | 12 | {cut} |\n")


@pytest.mark.parametrize(("cut", "errors"), [("93", 0), ("99", 1)])
def test_assemble_tables_stage_groups_have_their_totals_and_a_change_of_them(cut: str, errors: int) -> None:
    result = _result(_STAGES.format(cut=cut))
    assert [(f.value, f.unit) for f in result.figures if not f.row_total] == [  # the parts add up to their stage's total
        (145, "đơn vị hành chính cấp xã"), (52, "đơn vị hành chính cấp xã"), (-float(cut), "đơn vị hành chính cấp xã")]
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors


def test_assemble_tables_a_change_column_counts_what_it_compares() -> None:
    text = ("| STT | Lĩnh vực | Số đơn vị năm 2024 | Số đơn vị năm 2025 | Tăng, giảm |\n|---|---|---|---|---|\n"
            "| 1 | Giáo dục | 420 | 398 | -22 |\n")
    assert [(f.kind, f.value, f.unit) for f in _result(text).figures][-1] == ("change", -22, "đơn vị")


def test_assemble_tables_classes_beside_staff_are_no_figures() -> None:
    text = ("| STT | Tên trường | Số lớp | Số người làm việc giao năm 2025 |\n|---|---|---|---|\n"
            "| 1 | Trường THPT Lê Lợi | 30 | 72 |\n")
    assert [f.value for f in _result(text).figures] == [72]


def test_assemble_tables_a_surplus_or_shortfall_column_is_a_gap() -> None:
    text = ("| STT | Đơn vị | Số cán bộ, công chức có mặt | Thừa (+)/Thiếu (-) |\n|---|---|---|---|\n| 1 | Xã An Hòa | 23 | +1 |\n")
    assert [(f.kind, f.basis) for f in _result(text).figures][-1] == ("count", None)


def test_assemble_tables_a_change_column_after_three_years_compares_no_known_pair() -> None:
    text = ("| STT | Đơn vị | Biên chế năm 2021 | Biên chế năm 2025 | Biên chế năm 2026 | Tăng, giảm |\n"
            "|---|---|---|---|---|---|\n| 1 | Sở Nội vụ | 50 | 46 | 45 | -5 |\n")
    assert [f for f in _result(text).all_findings() if f.severity == "error"] == []


@pytest.mark.parametrize(("header", "errors"), [("| Tổng số | Trong đó: công chức | Viên chức |", 0),
                                               ("| Tổng số | Công chức | Viên chức |", 1)])
def test_assemble_tables_columns_under_trong_do_are_shares_not_a_sum(header: str, errors: int) -> None:
    text = f"| STT | Đơn vị {header}\n|---|---|---|---|---|\n| 1 | Sở Y tế | 120 | 40 | 60 |\n"
    assert len([f for f in _result(text).all_findings() if f.severity == "error"]) == errors


def test_assemble_tables_a_streamlining_caption_leaves_level_columns_beside_a_change_column() -> None:
    text = ("Chỉ tiêu giảm biên chế công chức đến năm 2030 như sau:\n\n"
            "| STT | Cơ quan | Biên chế năm 2025 | Giảm đến năm 2030 | Biên chế năm 2030 |\n|---|---|---|---|---|\n"
            "| 1 | Sở Tư pháp | 40 | 2 | 38 |\n")
    assert [(f.kind, f.value, f.year, f.base_year) for f in _result(text).figures] == [
        ("level", 40, 2025, None), ("change", -2, 2030, 2025), ("level", 38, 2030, None)]


@pytest.mark.parametrize(("cut", "errors"), [("giảm 5", 0), ("giảm 6", 1)])
def test_assemble_tables_a_cell_written_with_its_change_word_compares_the_header_years(cut: str, errors: int) -> None:
    text = ("Biên chế được giao của huyện qua các năm:\n\n| Khối | Năm 2022 | Năm 2024 | So sánh 2024/2022 |\n|---|---|---|---|\n"
            f"| Khối Đảng, đoàn thể | 98 | 93 | {cut} |\n")
    result = _result(text)
    change = result.figures[-1]
    assert (change.kind, change.value, change.year, change.base_year) == ("change", -float(cut.split()[1]), 2024, 2022)
    assert change.text == cut.split()[1]  # the number alone: its word is no part of the mention
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors


def test_assemble_tables_a_before_after_change_is_of_the_after_year() -> None:
    text = ("HUYỆN ỦY THANH SƠN\n\nSố: 45-BC/HU\n\nThanh Sơn, ngày 30 tháng 6 năm 2025\n\n# BÁO CÁO\n\n"
            "| Nội dung | Trước sắp xếp | Sau sắp xếp | Giảm |\n|---|---|---|---|\n"
            "| Số đơn vị sự nghiệp công lập | 85 | 71 | 14 |\n")
    figures = _result(text).figures
    assert [(f.kind, f.value, f.year, f.org) for f in figures] == [
        ("count", 85, 2025, "huyện Thanh Sơn"), ("count", 71, 2025, "huyện Thanh Sơn"), ("change", -14, 2025, "huyện Thanh Sơn")]


def test_assemble_tables_a_contract_column_counts_people_not_posts() -> None:
    text = ("Biên chế và hợp đồng lao động được giao năm 2025 như sau:\n\n"
            "| TT | Đơn vị | Viên chức | HĐLĐ 111 |\n|---|---|---|---|\n| 1 | Bệnh viện Đa khoa tỉnh | 520 | 30 |\n")
    assert [(f.category, f.unit) for f in _result(text).figures][-1] == ("contract_workers", "người")


@pytest.mark.parametrize(("second", "errors"), [("4", 0), ("5", 1)])
def test_assemble_tables_a_split_counts_what_its_whole_counts_and_adds_up_to_it(second: str, errors: int) -> None:
    text = ("SỐ LƯỢNG CÁN BỘ, CÔNG CHỨC CẤP XÃ NĂM 2025\n\n"
            "| STT | Huyện | Tổng số xã | Chia ra | | | Số lượng cán bộ, công chức cấp xã |\n|---|---|---|---|---|---|---|\n"
            "| | | | Loại I | Loại II | Loại III | |\n"
            f"| 1 | Huyện Nam Lâm | 12 | 8 | {second} | 0 | 268 |\n")
    result = _result(text)
    assert [(f.kind, f.unit) for f in result.figures] == [("count", "xã")] * 4 + [("level", "biên chế")]
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors


@pytest.mark.parametrize("header", ["| Năm | Số công chức tinh giản | Số viên chức tinh giản |",
                                    "| Năm | Công chức | Viên chức |"])
def test_assemble_tables_people_streamlined_are_people_not_posts(header: str) -> None:
    text = f"Kết quả tinh giản biên chế giai đoạn 2022-2023\n\n{header}\n|---|---|---|\n| 2022 | 2 | 15 |\n| 2023 | 2 | 16 |\n"
    assert {(f.kind, f.unit) for f in _result(text).figures} == {("change", "người")}


@pytest.mark.parametrize(("cut", "errors"), [("30", 0), ("25", 1)])
def test_assemble_tables_a_change_against_the_year_before_is_checked_against_it(cut: str, errors: int) -> None:
    text = ("KẾ HOẠCH\n\nBiên chế công chức giao giai đoạn 2024 - 2026 của tỉnh Phú Yên:\n\n| Năm | 2024 | 2025 | 2026 |\n|---|---|---|---|\n"
            f"| Biên chế công chức | 1.810 | 1.790 | 1.760 |\n| Số giảm so với năm trước | - | 20 | {cut} |\n")
    result = _result(text)
    assert [(f.year, f.base_year) for f in result.figures if f.kind == "change"] == [(2025, 2024), (2026, 2025)]
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors


def test_assemble_tables_cap_xa_in_a_staff_header_counts_no_communes() -> None:
    text = ("Cán bộ, công chức cấp xã theo loại xã năm 2024:\n\nĐơn vị tính: người\n\n| STT | Loại | Số đơn vị | Cán bộ, công chức cấp xã |\n|---|---|---|---|\n"
            "| 1 | Loại I | 38 | 833 |\n")
    assert [f.unit for f in _result(text).figures][-1] == "người"


@pytest.mark.parametrize(("label", "unit"), [("Số lượng người làm việc (người)", "người"),
                                             ("Biên chế công chức (biên chế)", "biên chế"),
                                             ("Biên chế công chức", "biên chế")])
def test_assemble_tables_a_unit_in_brackets_ending_the_row_label_is_the_rows_unit(label: str, unit: str) -> None:
    result = _result(f"| Chỉ tiêu | Năm 2023 | Năm 2024 |\n|---|---|---|\n| {label} | 15.400 | 15.100 |\n")
    assert {(f.unit, f.year) for f in result.figures} == {(unit, 2023), (unit, 2024)}


def test_assemble_tables_the_captions_year_dates_a_column_of_none_beside_a_dated_one() -> None:
    result = _result("BIỂU TỔNG HỢP SỐ LƯỢNG NGƯỜI LÀM VIỆC NĂM 2025\n\n"
                     "| TT | Đơn vị | Số lượng người làm việc được giao | Số có mặt đến 31/12/2024 |\n|---|---|---|---|\n"
                     "| 1 | Sở Y tế | 1.200 | 1.150 |\n")
    assert {(f.value, f.basis, f.year) for f in result.figures} == {(1200, "assigned", 2025), (1150, "actual", 2024)}


def test_assemble_tables_a_unit_line_that_opens_the_document_counts() -> None:
    result = _result("Đơn vị tính: người\n\n| TT | Chỉ tiêu | Số lượng |\n|---|---|---|\n| A | Cán bộ, công chức cấp xã | 2.830 |\n")
    assert [(f.value, f.unit) for f in result.figures] == [(2830, "người")]


@pytest.mark.parametrize(("caption", "category"), [("Biên chế công chức năm 2025", "officials"),
                                                   ("Biên chế công chức, số lượng người làm việc năm 2025", "total")])
def test_assemble_tables_a_caption_naming_two_staffs_lends_none(caption: str, category: str) -> None:
    result = _result(f"{caption}\n\n| STT | Đơn vị | Giao |\n|---|---|---|\n| 1 | Sở Tư pháp | 35 |\n")
    assert [f.category for f in result.figures] == [category]


@pytest.mark.parametrize(("cell", "errors"), [("60 (1)", 0), ("60", 0), ("61", 1)])
def test_assemble_tables_a_total_over_a_cell_read_as_no_figure_proves_nothing(cell: str, errors: int) -> None:
    result = _result("Biên chế công chức năm 2025\n\n| STT | Đơn vị | Biên chế giao |\n|---|---|---|\n"
                     f"| 1 | Sở Y tế | 45 |\n| 2 | Sở Tài chính | {cell} |\n| | Tổng cộng | 105 |\n"
                     "| | Kinh phí (triệu đồng) | 1.200 |\n")
    assert len([x for x in result.findings if x.severity == "error"]) == errors


@pytest.mark.parametrize(("total", "errors"), [("4.250", 0), ("4.260", 1)])
def test_assemble_tables_columns_headed_by_bodies_are_their_orgs_and_add_up_to_the_total_column(total: str, errors: int) -> None:
    result = _result("Biên chế năm 2025 theo loại\n\n| Loại | Sở Y tế | Sở Giáo dục | Cộng |\n|---|---|---|---|\n"
                     f"| Công chức | 40 | 55 | 95 |\n| Viên chức | 1.800 | 2.450 | {total} |\n")
    assert [f.org for f in result.figures] == ["Sở Y tế", "Sở Giáo dục", None] * 2
    assert len([x for x in result.findings if x.severity == "error"]) == errors


@pytest.mark.parametrize(("total", "errors"), [("3.597", 0), ("3.607", 1)])
def test_assemble_tables_a_second_label_column_names_each_rows_staff_under_the_org_above(total: str, errors: int) -> None:
    result = _result("Biên chế năm 2025\n\n| STT | Đơn vị | Loại biên chế | Số lượng |\n|---|---|---|---|\n"
                     "| 1 | Sở Y tế | Công chức | 45 |\n| | | Viên chức | 1.200 |\n"
                     "| 2 | Sở Giáo dục và Đào tạo | Công chức | 52 |\n| | | Viên chức | 2.300 |\n"
                     f"| | Tổng cộng | | {total} |\n")
    rows = [(f.value, f.category, f.org) for f in result.figures[:4]]
    assert rows == [(45, "officials", "Sở Y tế"), (1200, "public_employees", "Sở Y tế"),
                    (52, "officials", "Sở Giáo dục và Đào tạo"), (2300, "public_employees", "Sở Giáo dục và Đào tạo")]
    assert {f.parent for f in result.figures[:4]} == {result.figures[4].id}
    assert len([x for x in result.findings if x.severity == "error"]) == errors


def test_assemble_tables_a_title_row_above_the_rule_is_the_caption_and_the_row_under_it_the_header() -> None:
    result = _result("| BIỂU TỔNG HỢP BIÊN CHẾ CÔNG CHỨC NĂM 2025 | | |\n|---|---|---|\n| STT | Đơn vị | Biên chế giao |\n"
                     "| 1 | Sở Y tế | 45 |\n| 2 | Sở Nội vụ | 60 |\n| | Tổng cộng | 105 |\n")
    assert [(f.value, f.category, f.year) for f in result.figures] == [
        (45, "officials", 2025), (60, "officials", 2025), (105, "officials", 2025)]


def test_assemble_tables_a_span_over_a_span_reaches_the_lowest_header_row() -> None:
    result = _result("| STT | Đơn vị | Biên chế được giao năm 2025 | | |\n|---|---|---|---|---|\n"
                     "| | | Tổng số | Trong đó | |\n| | | | Công chức | Hợp đồng 111 |\n| 1 | Sở Y tế | 48 | 45 | 3 |\n")
    assert [(f.value, f.year, f.basis) for f in result.figures] == [(48, 2025, "assigned"), (45, 2025, "assigned"),
                                                                     (3, 2025, "assigned")]


def test_assemble_tables_a_listing_of_files_counts_no_staff() -> None:
    result = _result("| file | bytes | 'biên chế' count |\n|---|---|---|\n| a1.md | 12551 | 3 |\n| b2.md | 5690 | 1 |\n")
    assert result.figures == []


@pytest.mark.parametrize(("first", "errors"), [("12", 0), ("13", 1)])
def test_assemble_tables_ways_of_leaving_add_up_to_the_total_column(first: str, errors: int) -> None:
    result = _result("Biểu 3: KẾT QUẢ TINH GIẢN BIÊN CHẾ NĂM 2024 THEO LÝ DO\n\n"
                     "| STT | Đơn vị | Tổng số | Nghỉ hưu trước tuổi | Thôi việc ngay | Chuyển công tác |\n|---|---|---|---|---|---|\n"
                     f"| 1 | Sở Y tế | {first} | 7 | 3 | 2 |\n")
    assert [f.row_total for f in result.figures] == [None, "f1", "f1", "f1"]
    assert len([x for x in result.findings if x.severity == "error"]) == errors


def test_assemble_tables_deputies_are_people_and_autonomy_groups_split_the_units() -> None:
    deputies = _result("Biểu 4: SỐ LƯỢNG CẤP PHÓ\n\n| STT | Cơ quan | Số cấp phó hiện có | Số cấp phó dôi dư |\n|---|---|---|---|\n"
                       "| 1 | Sở Tài chính | 5 | 2 |\n")
    assert [(f.value, f.unit, f.category) for f in deputies.figures] == [(5, "người", "leaders"), (2, "người", "leaders")]
    units = _result("Biểu 5: ĐƠN VỊ SỰ NGHIỆP CÔNG LẬP THEO MỨC ĐỘ TỰ CHỦ\n\n"
                    "| STT | Lĩnh vực | Tổng số đơn vị | Tự chủ chi thường xuyên | Nhà nước bảo đảm |\n|---|---|---|---|---|\n"
                    "| 1 | Giáo dục | 320 | 20 | 300 |\n")
    assert [(f.value, f.unit, f.row_total) for f in units.figures] == [(320, "đơn vị", None), (20, "đơn vị", "f1"),
                                                                      (300, "đơn vị", "f1")]


def test_assemble_tables_cells_in_markdown_emphasis_are_read_and_keep_their_offsets() -> None:
    text = ("Biên chế công chức năm 2025\n\n| **STT** | **Đơn vị** | **Biên chế giao** |\n|---|---|---|\n"
            "| 1 | Sở Y tế | 45 |\n| 2 | Sở Nội vụ<br>(kể cả Ban Thi đua) | 60 |\n| **Tổng cộng** | | **105** |\n")
    result = _result(text)
    assert [(f.value, f.parent, f.org) for f in result.figures] == [
        (45, "f3", "Sở Y tế"), (60, "f3", "Sở Nội vụ (kể cả Ban Thi đua)"), (105, None, None)]
    assert all(text[f.start:f.end] == f.text for f in result.figures)


def test_assemble_tables_one_blank_line_inside_a_table_does_not_end_it() -> None:
    result = _result("Biên chế công chức năm 2025\n\n| STT | Đơn vị | Biên chế giao |\n|---|---|---|\n| 1 | Sở Y tế | 45 (giảm 2) |\n"
                     "| 2 | Sở Nội vụ | 60 |\n\n| 3 | Sở Tài chính | 70 |\n| | Tổng cộng | 175 |\n\n"
                     "| STT | Đơn vị | Người làm việc |\n|---|---|---|\n| 1 | Trường A | 80 |\n")
    assert [(f.value, f.parent) for f in result.figures] == [(45, "f4"), (60, "f4"), (70, "f4"), (175, None), (80, None)]


def test_assemble_tables_measure_rows_of_people_working_and_of_contracts_count_them() -> None:
    result = _result("Biểu 1: BIÊN CHẾ GIAO NĂM 2025\n\n| STT | Nội dung | Số lượng |\n|---|---|---|\n"
                     "| 1 | Biên chế công chức | 2.150 |\n| 2 | Số lượng người làm việc | 24.300 |\n"
                     "| 3 | Hợp đồng lao động theo Nghị định 111 | 145 |\n")
    assert [(f.value, f.unit) for f in result.figures] == [(2150, "biên chế"), (24300, "người làm việc"), (145, "người")]


@pytest.mark.parametrize(
    "table",
    [("| Họ và tên | Mục | Chức vụ |\n|---|---|---|\n| Trần Văn A | 1 | Ủy viên |\n| Lê Văn B | 2 | Ủy viên |\n"
      "| Ngô Văn C | 3 | Ủy viên |\n"),
     "Cán bộ bị kỷ luật:\n\n09/2022 |\n6 | Trần Văn A | Ủy viên Ban chấp hành,\n01/2024 |\n7 | Lê Thị B | Ủy viên Ban chấp hành,\n"],
)
def test_assemble_tables_row_numbers_are_no_figures(table: str) -> None:
    assert _result("Về công tác cán bộ và biên chế.\n\n" + table).figures == []


def test_assemble_tables_a_measured_column_of_small_counts_keeps_its_figures() -> None:
    text = ("| TT | Đơn vị | Số phòng |\n|---|---|---|\n| 1 | Sở Nội vụ | 1 |\n| 2 | Sở Tài chính | 2 |\n"
            "| 3 | Sở Y tế | 3 |\n")
    assert [f.value for f in _result(text).figures] == [1, 2, 3]


def test_assemble_tables_a_column_over_a_period_holds_for_its_end() -> None:
    text = ("| TT | Đơn vị | Số lượng người làm việc năm 2024 | Tinh giản giai đoạn 2022-2026 |\n|---|---|---|---|\n"
            "| 1 | Sở Y tế | 1.200 | 60 |\n| 2 | Sở Văn hóa | 300 | 15 |\n")
    assert [(f.value, f.year) for f in _result(text).figures] == [(1200, 2024), (-60, 2026), (300, 2024), (-15, 2026)]


def test_assemble_tables_rows_of_people_who_left_count_people_and_bullets_under_trong_do_are_shares() -> None:
    text = ("| STT | Nội dung | Số lượng |\n|---|---|---|\n| 1 | Tổng số biên chế được giao | 5.420 |\n"
            "| | Trong đó: - Công chức | 820 |\n| | - Viên chức | 4.600 |\n| 2 | Số người đã nghỉ hưu trước tuổi | 45 |\n")
    got = [(f.value, f.kind, f.unit, f.basis, f.parent, f.partial) for f in _result(text).figures]
    assert got == [(5420, "level", "biên chế", "assigned", None, False), (820, "level", "biên chế", "assigned", "f1", True),
                   (4600, "level", "biên chế", "assigned", "f1", True), (45, "count", "người", None, None, False)]


def test_assemble_tables_giao_and_co_mat_columns_make_a_staffing_table() -> None:
    text = ("| TT | Đơn vị | Năm 2024 | |\n|---|---|---|---|\n| | | Giao | Có mặt |\n| 1 | Sở Nội vụ | 50 | 48 |\n"
            "| 2 | Sở Tư pháp | 40 | 39 |\n| | Tổng cộng | 90 | 87 |\n")
    got = [(f.value, f.basis, f.year, f.parent) for f in _result(text).figures]
    assert got == [(50, "assigned", 2024, "f5"), (48, "actual", 2024, "f6"), (40, "assigned", 2024, "f5"),
                   (39, "actual", 2024, "f6"), (90, "assigned", 2024, None), (87, "actual", 2024, None)]


def test_assemble_tables_a_total_column_over_a_split_of_unit_kinds_counts_units() -> None:
    text = ("| STT | Tên đơn vị | Tổng số | Chia ra | |\n|---|---|---|---|---|\n| | | | Xã | Phường |\n"
            "| 1 | Huyện A | 15 | 12 | 3 |\n| 2 | Thị xã B | 10 | 4 | 7 |\n")
    result = _result(text)
    assert [(f.value, f.unit, f.category, f.row_total) for f in result.figures[:3]] == [
        (15, "đơn vị hành chính cấp xã", "total", None), (12, "xã", None, "f1"), (3, "phường", None, "f1")]
    assert [x.rule for x in result.all_findings() if x.severity == "error"] == ["sum"]


@pytest.mark.parametrize(
    ("row", "summed"),
    [("| 1 | Số người tinh giản | 148 | 163 | 201 | 512 |", True),  # flows by year add up to the row's Cộng
     ("| 1 | Biên chế được giao | 148 | 163 | 201 | 512 |", False)],  # levels of different years never do
)
def test_assemble_tables_flows_by_year_add_up_to_the_total_column(row: str, summed: bool) -> None:
    text = "| STT | Nội dung | Năm 2022 | Năm 2023 | Năm 2024 | Cộng |\n|---|---|---|---|---|---|\n" + row + "\n"
    figures = _result(text).figures
    total = next(f for f in figures if abs(f.value) == 512)
    assert sorted(abs(f.value) for f in figures if f.row_total == total.id) == ([148, 163, 201] if summed else [])


def test_assemble_tables_bracketed_number_in_a_change_column_is_a_reduction() -> None:
    text = ("| STT | Đơn vị | Biên chế giao năm 2023 | Biên chế giao năm 2025 | So sánh (tăng/giảm) |\n|---|---|---|---|---|\n"
            "| 1 | Sở A | 96 | 91 | (5) |\n| 2 | Sở B | 58 | 71 | 13 |\n| | Tổng cộng | 154 | 162 | (8) |\n")
    result = _result(text)
    changes = [(f.value, f.text) for f in result.figures if f.kind == "change"]
    assert changes == [(-5.0, "5"), (13.0, "13"), (-8.0, "8")]
    assert [f.rule for f in result.all_findings() if f.severity == "error"]  # 8 stated, 162 − 154 = +8 and −5 + 13 = +8


def test_assemble_tables_bracketed_number_in_a_level_column_is_no_figure() -> None:
    text = "| STT | Đơn vị | Biên chế giao năm 2025 |\n|---|---|---|\n| 1 | Sở A | (5) |\n| 2 | Sở B | 71 |\n"
    assert [f.value for f in _result(text).figures] == [71.0]


def test_assemble_tables_bare_can_bo_column_under_a_merged_header_counts_officials() -> None:
    text = ("| STT | Đơn vị | Số có mặt | Số có mặt | Biên chế được giao | Biên chế được giao |\n"
            "| | | Cán bộ | Công chức | Cán bộ | Công chức |\n|---|---|---|---|---|---|\n"
            "| 1 | Khối Đảng | 28 | 141 | 30 | 146 |\n")
    assert [f.category for f in _result(text).figures] == ["officials"] * 4


def test_assemble_tables_narrative_sentence_above_a_title_lends_no_basis_and_money_rows_no_figures() -> None:
    text = ("Giai đoạn 2022 - 2025, tỉnh đã thực hiện tinh giản 927 người, đạt tỷ lệ 3,80% so với tổng biên chế "
            "được giao năm 2021 (24.380 biên chế).\n\nBiểu. Kết quả tinh giản biên chế theo năm\n\nĐơn vị tính: người\n\n"
            "| STT | Nội dung | Năm 2024 | Năm 2025 | Cộng |\n|---|---|---|---|---|\n"
            "| 1 | Số người tinh giản | 512 | 415 | 927 |\n| 2 | Kinh phí thực hiện (triệu đồng) | 21.605 | 63.118 | 84.723 |\n")
    cells = [f for f in _result(text).figures if f.sentence and f.sentence.startswith("|")]
    assert sorted(abs(f.value) for f in cells) == [415, 512, 927]
    assert {f.basis for f in cells} == {None}
