"""Quota figures from sentences written for the tests (not the seed texts)."""

from __future__ import annotations

import pytest

from extractor.document import document_from_text
from extractor.models import Figure
from extractor.pipeline import extract_document

PLAN = """1. Kết quả năm 2023
Tổng biên chế hệ thống chính trị tỉnh Bình Định năm 2023 là 20.000 biên chế. Trong đó:
- Khối Đảng, đoàn thể là 900 biên chế (bao gồm 800 cán bộ, công chức, 100 viên chức); giảm 10 biên chế so với năm 2022 (tỷ lệ giảm 1,1%).
- Chính quyền địa phương là 19.100 biên chế:
+ Cán bộ, công chức là 2.100 biên chế, giảm 20 biên chế so với năm 2022.
+ Viên chức hưởng lương từ ngân sách nhà nước là 17.000 biên chế.
2.1. Năm 2024
Tổng biên chế hệ thống chính trị tỉnh Bình Định năm 2024 là 19.900 biên chế, giảm 100 biên chế so với năm 2023.
"""


def _figures(text: str) -> list[Figure]:
    document = document_from_text(text)
    result = extract_document(document)
    for f in result.figures:
        assert document.text[f.start:f.end] == f.text
    return result.figures


def _key(f: Figure) -> tuple[object, ...]:
    return (f.kind, f.value, f.category, f.year, f.base_year)


def test_figures_plan_levels_changes_and_parts() -> None:
    got = {_key(f) for f in _figures(PLAN)}
    expected = {
        ("level", 20000, "total", 2023, None),
        ("level", 900, "total", 2023, None),
        ("level", 800, "officials", 2023, None),
        ("level", 100, "public_employees", 2023, None),
        ("change", -10, "total", 2023, 2022),
        ("level", 19100, "total", 2023, None),
        ("level", 2100, "officials", 2023, None),
        ("change", -20, "officials", 2023, 2022),
        ("level", 17000, "public_employees", 2023, None),
        ("level", 19900, "total", 2024, None),
        ("change", -100, "total", 2024, 2023),
    }
    assert got == expected


def test_figures_hierarchy_and_rate() -> None:
    figs = {f.value: f for f in _figures(PLAN)}
    assert figs[900].parent == figs[20000].id
    assert figs[800].parent == figs[900].id
    assert figs[2100].parent == figs[19100].id
    assert figs[2100].org == "Chính quyền địa phương"
    assert figs[-10].rate_percent == pytest.approx(-1.1)
    assert figs[20000].org == "hệ thống chính trị tỉnh Bình Định"


@pytest.mark.parametrize(
    ("text", "value", "kind", "approx"),
    [
        ("tổng biên chế giai đoạn 2022 - 2026 đến hết năm 2.234.720 biên chế", 2234720, "level", "exact"),
        ("mỗi năm cử đi bồi dưỡng khoảng 400 cán bộ", 400, "count", "about"),
        ("đã giảm trên 25 nghìn cán bộ lãnh đạo quản lý", -25000, "change", "over"),
        ("tinh giản ít nhất 5% biên chế cán bộ, công chức", -5, "rate", "at_least"),
        ("toàn hệ thống đã ban hành 2.526 danh mục vị trí việc làm", 2526, "count", "exact"),
        ("biên chế tối đa 05 biên chế", 5, "level", "at_most"),
    ],
)
def test_figures_vietnamese_numbers(text: str, value: float, kind: str, approx: str) -> None:
    figs = _figures(text)
    assert [(f.value, f.kind, f.approx) for f in figs] == [(value, kind, approx)]


def test_figures_thousands_grouped_number_is_never_a_year() -> None:
    figs = _figures("đến hết năm 2.234.720 biên chế")
    assert figs[0].year is None and figs[0].value == 2234720


def test_figures_malformed_number_is_reported_not_read() -> None:
    result = extract_document(document_from_text("Giao 1.2.3 biên chế cho Sở Nội vụ."))
    assert result.figures == []
    assert any(w.code == "W_NUMBER_MALFORMED" and "1.2.3" in w.message for w in result.warnings)


TABLE = """Phụ lục: biên chế giao các cơ quan
STT | Cơ quan, đơn vị | Biên chế năm 2024 | Biên chế năm 2025
1 | Sở Nội vụ | 45 | 44
2 | Sở Tài chính | 60 | 58
3 | Sở Y tế | 1.200 | 1.180
 | Tổng cộng | 1.305 | {total}
"""


def test_figures_table_rows_become_levels_by_year() -> None:
    figs = _figures(TABLE.format(total="1.282"))
    got = {(f.org, f.year, f.value) for f in figs}
    assert ("Sở Nội vụ", 2024, 45) in got and ("Sở Y tế", 2025, 1180) in got and (None, 2025, 1282) in got
    totals = {f.id: f for f in figs if f.org is None}
    assert all(f.parent in totals for f in figs if f.org is not None)


def test_figures_table_total_is_checked() -> None:
    result = extract_document(document_from_text(TABLE.format(total="1.292")))
    sums = [f for f in result.findings if f.rule == "sum"]
    assert len(sums) == 1 and sums[0].stated == 1292 and sums[0].computed == 1282
    assert not [f for f in extract_document(document_from_text(TABLE.format(total="1.282"))).findings if f.severity == "error"]


def test_figures_table_without_quota_words_is_ignored() -> None:
    assert _figures("STT | Tỉnh | Dân số năm 2024\n1 | A | 45\n2 | B | 60\n") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Năm 2024, giao 1.520 biên chế công chức, giảm 15 biên chế so với năm 2023.", [("level", 1520, "officials", 2024, None), ("change", -15, "officials", 2024, 2023)]),
        ("Tổng số người làm việc trong các đơn vị sự nghiệp công lập năm 2024 là 25.100 người, giảm 300 người so với năm 2023.",
         [("level", 25100, "public_employees", 2024, None), ("change", -300, "public_employees", 2024, 2023)]),
        ("Sở Y tế được giao 120 biên chế công chức và 3.400 người làm việc.", [("level", 120, "officials", None, None), ("level", 3400, "public_employees", None, None)]),
    ],
)
def test_figures_other_wordings(text: str, expected: list[tuple[object, ...]]) -> None:
    assert [_key(f) for f in _figures(text)] == expected


def test_figures_org_after_bien_che_cua() -> None:
    figs = _figures("Bộ Chính trị giao tổng biên chế của hệ thống chính trị giai đoạn 2022-2026 là 2.234.720 biên chế.")
    assert figs[0].org == "hệ thống chính trị" and figs[0].period == "2022-2026"


@pytest.mark.parametrize(
    ("text", "org"),
    [("Kế hoạch biên chế năm 2026 của Sở Y tế: 1.240 người làm việc.", "Sở Y tế"),
     ("Kết quả tinh giản biên chế của tỉnh như sau: năm 2022 giảm 45 người.", "tỉnh"),
     ("Sau sắp xếp, tỉnh Quảng Trị mới có 78 đơn vị hành chính cấp xã.", "tỉnh Quảng Trị"),
     ("Thời kỳ Hồng Bàng, nước Văn Lang được chia làm 15 bộ, bộ Vũ Ninh ở phía bắc.", "nước Văn Lang")],
)
def test_figures_org_after_a_year_and_before_an_announced_list(text: str, org: str) -> None:
    assert _figures(text)[0].org == org


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tỉnh giảm 20 biên chế công chức, 35 biên chế viên chức và 12 hợp đồng.",
         [(-20, None), (-35, None), (-12, None)]),
        ("Bộ đã tinh giản 27 người (gồm 11 công chức, 16 viên chức).", [(-27, None), (-11, "f1"), (-16, "f1")]),
        ("Tỉnh đã tinh giản 142 biên chế, trong đó 100 công chức và 42 viên chức.",
         [(-142, None), (-100, "f1"), (-42, "f1")]),
        ("Bộ giảm 6 tổng cục và gần 60 đơn vị cấp Cục, 300 đơn vị cấp Phòng.", [(-6, None), (-60, None), (-300, None)]),
        ("Sau sắp xếp giảm 290 đơn vị, còn 120 đơn vị.", [(-290, None), (120, None)]),
    ],
)
def test_figures_one_verb_over_a_list_gives_siblings_not_parts(text: str, expected: list[tuple[float, str | None]]) -> None:
    result = extract_document(document_from_text(text), "rules")
    assert [(f.value, f.parent) for f in result.figures] == expected
    assert [x for x in result.all_findings() if x.severity == "error"] == []


def test_figures_trong_do_bao_gom_lists_parts_of_a_split_territory() -> None:
    result = extract_document(document_from_text(
        "Tỉnh Hòa Bắc được chia ra thành 69 đơn vị hành chính cấp xã, trong đó bao gồm 60 xã và 9 phường."), "rules")
    assert [(f.value, f.parent, f.org) for f in result.figures] == [
        (69, None, "Tỉnh Hòa Bắc"), (60, "f1", "Tỉnh Hòa Bắc"), (9, "f1", "Tỉnh Hòa Bắc")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số Sở, ban thuộc Ủy ban nhân dân cấp tỉnh là 21.", [(21, "count", None)]),
        ("Năm 2018, toàn ngành có 14.231 biên chế (chưa tính số hợp đồng 68).",
         [(14231, "level", None), (68, "level", None)]),
        ("Năm 2018, tỉnh có 1.231 biên chế (chưa tính 68 hợp đồng lao động).", [(1231, "level", None), (68, "level", None)]),
        ("Theo Quyết định số 12 năm 2020, số điện thoại 239.", []),
    ],
)
def test_figures_noun_before_number_and_left_out_brackets(text: str, expected: list[tuple[float, str, str | None]]) -> None:
    result = extract_document(document_from_text(text), "rules")
    assert [(f.value, f.kind, f.parent) for f in result.figures] == expected


def test_figures_news_teaser_lines_hold_no_figures() -> None:
    text = ("**Mới: 16683 cán bộ khi sắp xếp văn phòng được bố trí về xã**\n\n**>> Sáp nhập 12 đơn vị sự nghiệp**\n\n"
            "Năm 2025, tỉnh được giao 1.200 biên chế.")
    result = extract_document(document_from_text(text), "rules")
    assert [f.value for f in result.figures] == [1200]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Danh sách 08 Chi nhánh Văn phòng đăng ký đất đai của tỉnh Hòa Lâm.", [(8, "tỉnh Hòa Lâm")]),
        ("Thuế cơ sở 1 tỉnh Hòa Lâm đặt tại thành phố.", []),
    ],
)
def test_figures_zero_padded_count_before_a_capitalised_name_counts(text: str, expected: list[tuple[int, str]]) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.org) for f in figures] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Đến nay, 34/34 tỉnh, thành phố đã triển khai.", [(34, "34/34 tỉnh, thành phố")]),
     ("Ngày 12/12 vừa qua, tỉnh họp.", []), ("Nghị định 60/2021 quy định 3 xã.", [(3, "3 xã")])],
)
def test_figures_all_of_them_n_of_n(text: str, expected: list[tuple[int, str]]) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.text) for f in figures] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Phường Sóc Trăng được thành lập trên cơ sở Phường 1 Phường 2 Phường 3 Phường 4.",
        "Sáp nhập Quận 3 và Quận 10 thành phường mới.",
    ],
)
def test_figures_number_after_capitalised_unit_noun_is_a_name(text: str) -> None:
    assert [f.value for f in _figures(text)] == []


def test_figures_count_after_lowercase_unit_noun_still_counts() -> None:
    assert [f.value for f in _figures("Thành phố có 5 phường và 3 xã.")] == [5, 3]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Danh sách 36 BHXH cơ sở TPHCM từ ngày 01/7/2025.", [36]),
        ("Tổ chức lại 35 BHXH khu vực thành 34 BHXH tỉnh, thành phố.", [35, 34]),
    ],
)
def test_figures_branches_of_a_vertical_agency_are_counted(text: str, values: list[int]) -> None:
    assert [f.value for f in _figures(text)] == values


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("Bộ giảm 5 tổng cục, 12 phòng và 3 chi cục.", ["tổng cục", "phòng", "chi cục"]),
        ("Cả nước giảm từ 63 tỉnh thành xuống còn 34 tỉnh, thành phố.", ["tỉnh thành", "tỉnh, thành phố"]),
        ("Thành phố có 5 quận và 2 thị xã.", ["quận", "thị xã"]),
        ("Tổng biên chế năm 2024 là 900 biên chế.", ["biên chế"]),
        ("Số công chức có mặt là 355 người (gồm 196 công chức nam và 159 công chức nữ).", ["người", "công chức", "công chức"]),
        ("Đã tinh giản 354 người (gồm 58 cán bộ, công chức và 296 viên chức).", ["người", "cán bộ, công chức", "viên chức"]),
        ("Năm 2023 là 27.697 biên chế (bao gồm 2.273 cán bộ, công chức, 24.424 viên chức).", ["biên chế"] * 3),
    ],
)
def test_figures_unit_is_the_counted_noun_as_written(text: str, units: list[str]) -> None:
    assert [f.unit for f in _figures(text)] == units


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Số có mặt là 496 người, còn 23 biên chế công chức chưa sử dụng.", "count"),
        ("Sở còn 06 biên chế chưa tuyển dụng.", "count"),
        ("Tổng biên chế năm 2024 còn 410 biên chế.", "level"),
    ],
)
def test_figures_unfilled_posts_are_a_count_of_vacancies(text: str, kind: str) -> None:
    figure = [f for f in _figures(text) if f.unit == "biên chế"][-1]
    assert figure.kind == kind and (figure.basis is None or kind == "level")


def test_figures_each_year_of_a_sequence_owns_its_number() -> None:
    text = "Biên chế công chức của tỉnh năm 2022 là 890 biên chế, năm 2023 là 880 biên chế, năm 2024 là 872 biên chế."
    assert [(f.value, f.year) for f in _figures(text)] == [(890, 2022), (880, 2023), (872, 2024)]


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("Năm 2024, tổng số biên chế công chức được giao là 1.250 biên chế.", ["officials"]),
        ("Tổng số cán bộ, công chức, viên chức của huyện là 2.450 người (trong đó: cán bộ, công chức 210 người; "
         "viên chức 2.240 người).", ["total", "officials", "public_employees"]),
        ("Năm 2024, tỉnh có cán bộ, công chức 3.210 người; viên chức 22.430 người.", ["officials", "public_employees"]),
    ],
)
def test_figures_category_named_before_the_number(text: str, categories: list[str]) -> None:
    assert [f.category for f in _figures(text)] == categories


@pytest.mark.parametrize(
    ("text", "rate", "base_year"),
    [
        ("Năm 2025, biên chế công chức của tỉnh là 2.180 biên chế, giảm 45 biên chế, tương ứng giảm 2,02% so với năm 2024.", -2.02, 2024),
        ("Năm 2026, tổng số biên chế của tỉnh là 25.430 biên chế, giảm 312 biên chế (tương ứng 1,21%) so với năm 2025.", -1.21, 2025),
        ("Năm 2025 tỉnh giảm 210 biên chế công chức (giảm 8,5%).", -8.5, None),
        ("Năm 2025, biên chế công chức là 2.280 biên chế, giảm 120 biên chế so với năm 2022, tương ứng giảm 5%.", -5.0, 2022),
    ],
)
def test_figures_rate_right_after_a_change_is_its_rate(text: str, rate: float, base_year: int | None) -> None:
    (change,) = [f for f in _figures(text) if f.kind == "change"]
    assert (change.rate_percent, change.base_year) == (rate, base_year)
    assert not [f for f in _figures(text) if f.kind == "rate"]


@pytest.mark.parametrize("lead", ["Đến ngày 31 tháng 12 năm 2025, ", "Tính đến 31/12/2025, ", "Năm 2025, "])
def test_figures_opening_date_is_no_part_of_the_subject(lead: str) -> None:
    (fig, _) = _figures(lead + "số công chức có mặt là 557 người, còn 16 biên chế chưa sử dụng.")
    assert (fig.category, fig.basis, fig.year, fig.org) == ("officials", "actual", 2025, None)


def test_figures_level_reached_by_a_year_takes_that_year() -> None:
    text = "Số lượng người làm việc năm 2021 là 24.500 người; đến năm 2026 còn 22.050 người, giảm 2.450 người."
    assert [(f.value, f.kind, f.unit, f.year) for f in _figures(text)] == [
        (24500, "level", "người làm việc", 2021), (22050, "level", "người làm việc", 2026), (-2450, "change", "người làm việc", 2026)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Biên chế công chức năm 2025: 1.250.", [(1250, "level", "biên chế", 2025)]),
        ("Tổng biên chế công chức được giao năm 2024 là 1.980, giảm 20 so với năm 2023.",
         [(1980, "level", "biên chế", 2024), (-20, "change", "biên chế", 2024)]),
        ("- Tổng số biên chế được giao: 2.345;\n- Số có mặt: 2.210;\n- Số chưa sử dụng: 135.",
         [(2345, "level", "biên chế", None), (2210, "level", "biên chế", None), (135, "count", "biên chế", None)]),
        ("Dân số: 2.210;\n- Số có mặt: 35.", []),  # no list item before names a unit
    ],
)
def test_figures_numbers_whose_unit_is_named_before_or_by_the_item_before(
        text: str, expected: list[tuple[float, str, str, int | None]]) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.kind, f.unit, f.year) for f in figures] == expected


@pytest.mark.parametrize(
    ("total", "errors"),
    [("2.460", 0), ("2.470", 1)],
)
def test_figures_total_line_after_list_items_sums_them_in_the_lead_year(total: str, errors: int) -> None:
    text = f"Biên chế giao năm 2025:\n- Khối Đảng: 560 biên chế;\n- Khối quản lý nhà nước: 1.900 biên chế;\nTổng cộng: {total} biên chế.\n"
    result = extract_document(document_from_text(text), "rules")
    assert [(f.parent, f.year) for f in result.figures] == [("f3", 2025), ("f3", 2025), (None, 2025)]
    assert len([x for x in result.all_findings() if x.severity == "error"]) == errors


@pytest.mark.parametrize(
    "text",
    [
        "Kết quả:\n- Sở Y tế giảm 5 biên chế;\n- Sở Tài chính giảm 3 biên chế.\nTổng cộng: 8 biên chế.\n",  # changes, a level
        "Các đơn vị:\n- Sở Y tế: 45 biên chế;\nGhi chú: tạm tính.\n- Sở Tài chính: 30 biên chế.\nTổng số: 75 biên chế.\n",
    ],
)
def test_figures_total_line_sums_only_the_unbroken_items_of_its_kind(text: str) -> None:
    assert [f.parent for f in extract_document(document_from_text(text), "rules").figures] == [None, None, None]


def test_figures_list_lead_year_is_not_a_bound() -> None:
    text = "Trước năm 2025, hệ thống gồm:\n- 34 viện kiểm sát cấp tỉnh;\n- 355 viện kiểm sát khu vực.\n"
    assert [(f.value, f.year) for f in extract_document(document_from_text(text), "rules").figures] == [(34, None), (355, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("So với năm 2015, biên chế công chức giảm 10,01%, biên chế viên chức giảm 11,67%.",
         [(-10.01, 2015, "officials"), (-11.67, 2015, "public_employees")]),
        ("Năm 2024 giảm 20 biên chế so với năm 2023, năm 2025 giảm 30 biên chế.",
         [(-20, 2023, "total"), (-30, None, "total")]),  # a base year after one change is not fronted for the next
    ],
)
def test_figures_base_year_fronted_before_the_changes_of_a_sentence(
        text: str, expected: list[tuple[float, int | None, str | None]]) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.base_year, f.category) for f in figures] == expected


def test_figures_share_without_a_unit_counts_the_quota_of_its_whole() -> None:
    text = ("Tổng số biên chế của hệ thống chính trị là 2.245.000 biên chế, trong đó biên chế công chức là 245.000, "
            "biên chế viên chức là 1.800.000 và cán bộ, công chức cấp xã là 200.000.")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.unit, f.parent, f.category) for f in figures][1:] == [
        (245000, "biên chế", "f1", "officials"), (1800000, "biên chế", "f1", "public_employees"),
        (200000, "biên chế", "f1", "commune_officials")]


def test_figures_lettered_items_under_a_decision_are_its_parts_with_their_labels_and_its_basis() -> None:
    text = ("Điều 1. Giao số lượng người làm việc hưởng lương từ ngân sách nhà nước năm 2025 cho các đơn vị sự nghiệp "
            "công lập thuộc Sở Y tế là 3.180 người, trong đó:\na) Bệnh viện Đa khoa tỉnh: 850 người;\n"
            "b) Trung tâm Kiểm soát bệnh tật: 210 người;\nc) Các đơn vị còn lại: 2.120 người.\n")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.parent, f.org, f.basis) for f in figures] == [
        (3180, None, "Sở Y tế", "assigned"), (850, "f1", "Bệnh viện Đa khoa tỉnh", "assigned"),
        (210, "f1", "Trung tâm Kiểm soát bệnh tật", "assigned"), (2120, "f1", "Các đơn vị còn lại", "assigned")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Năm 2026, tỉnh giảm 5% biên chế công chức (tương đương 109 biên chế) so với năm 2025.",
         [(-5, "rate", "%", 2025), (-109, "change", "biên chế", 2025)]),
        ("Đến năm 2026, biên chế công chức của tỉnh giảm 5%, tương ứng 98 biên chế so với năm 2021.",
         [(-5, "rate", "%", 2021), (-98, "change", "biên chế", 2021)]),
        ("Đến năm 2030, số người làm việc của huyện giảm ít nhất 10% so với năm 2025, tương ứng 215 người.",
         [(-10, "rate", "%", 2025), (-215, "change", "người", 2025)]),
        ("Sở Y tế được giao 3.180 chỉ tiêu người làm việc.", [(3180, "level", "người làm việc", None)]),
        ("Năm 2025, toàn ngành có 2.310 viên chức, trong đó 1.980 giáo viên.",
         [(2310, "count", "viên chức", None), (1980, "count", "giáo viên", None)]),
        ("Số lượng cấp phó của các phòng giảm từ 45 người xuống còn 30 người.",
         [(45, "count", "người", None), (30, "count", "người", None)]),
    ],
)
def test_figures_equivalent_counts_quota_slots_professions_and_deputies(
        text: str, expected: list[tuple[float, str, str, int | None]]) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.kind, f.unit, f.base_year) for f in figures] == expected


def test_figures_people_of_a_named_staff_are_a_level() -> None:
    assert [f.kind for f in _figures("Năm 2024, tỉnh có cán bộ, công chức 3.210 người; viên chức 22.430 người.")] \
        == ["level", "level"]


def test_figures_rates_joined_under_one_bound_share_it() -> None:
    text = "Giai đoạn 2022-2026, tỉnh tinh giản tối thiểu 5% biên chế công chức và 5% biên chế viên chức so với năm 2021."
    assert [(f.value, f.approx, f.base_year) for f in _figures(text)] == [(-5.0, "at_least", 2021), (-5.0, "at_least", 2021)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Năm 2023, Bộ Nội vụ đã tham mưu Chính phủ giao biên chế công chức năm 2024 cho 18 bộ, ngành với tổng số "
         "97.350 biên chế.", [(97350.0, "level", "officials", 2024)]),
        ("Tính đến ngày 31/12/2024, tổng số biên chế trong cả nước là 1.925.000 người, trong đó: cán bộ, công chức từ "
         "cấp huyện trở lên 255.000 người; viên chức 1.465.000 người.",
         [(1925000.0, "level", "total", 2024), (255000.0, "level", "officials", 2024),
          (1465000.0, "level", "public_employees", 2024)]),
    ],
)
def test_figures_year_and_staff_of_a_named_quota(text: str, expected: list[tuple[float, str, str, int]]) -> None:
    assert [(f.value, f.kind, f.category, f.year) for f in _figures(text)] == expected


@pytest.mark.parametrize(
    "text",
    ["Theo đó, căn cứ Phụ lục số 02 ban hành kèm theo Công văn, tỉnh sắp xếp tổ chức bộ máy.",
     "Năm 2024, thanh tra tỉnh phát hiện 12 vụ việc vi phạm trong sắp xếp tổ chức.",
     "Sở Nội vụ đã tổ chức 5 hội nghị về sắp xếp tổ chức bộ máy.",
     "Năm 2020, trên địa bàn tỉnh đã xảy ra 89 vụ tai nạn giao thông khi sắp xếp lại tổ chức.",
     "Trong 6 tháng đầu năm 2012, các nhiệm vụ được tập trung chỉ đạo, đạt 97% chỉ tiêu Hội đồng nhân dân tỉnh giao."],
)
def test_figures_words_that_only_begin_with_a_body_noun_count_nothing(text: str) -> None:
    assert _figures(text) == []


def test_figures_ministries_counted_in_a_list() -> None:
    text = "Sau sắp xếp, Chính phủ còn 22 đầu mối, gồm 14 bộ và 3 cơ quan ngang bộ, 5 cơ quan thuộc Chính phủ."
    assert [(f.value, f.unit) for f in _figures(text)][1:3] == [(14, "bộ"), (3, "cơ quan ngang bộ")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Dự kiến sắp xếp giảm 60 - 70% đơn vị hành chính cấp cơ sở.", [(-70.0, "rate", "about")]),
     ("Sau sắp xếp, số đơn vị hành chính cấp xã giảm còn khoảng 60 - 70% so với hiện nay.", [(70.0, "rate", "about")])],
)
def test_figures_a_range_of_percentages_is_one_rate(text: str, expected: list[tuple[float, str, str]]) -> None:
    assert [(f.value, f.kind, f.approx) for f in _figures(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Biên chế công chức của tỉnh qua các năm: năm 2022 là 2.450; năm 2023 là 2.420.",
      [(2450.0, "level", "biên chế", 2022), (2420.0, "level", "biên chế", 2023)]),
     ("Số lượng người làm việc được giao năm 2025: 21.350.", [(21350.0, "level", "người làm việc", 2025)]),
     ("Tổng số biên chế được giao năm 2024 là 1.250, đã sử dụng 1.198.",
      [(1250.0, "level", "biên chế", 2024), (1198.0, "level", "biên chế", 2024)]),
     ("Số đơn vị hành chính cấp xã sau sắp xếp: 64 (giảm 88).",
      [(64.0, "count", "đơn vị hành chính cấp xã", None), (-88.0, "change", "đơn vị hành chính cấp xã", None)]),
     ("Biên chế công chức năm 2025 giảm 25 so với năm 2024.", [(-25.0, "change", "biên chế", 2025)])],
)
def test_figures_numbers_whose_unit_is_named_before_or_by_the_figure_before(text: str, expected: list[tuple[object, ...]]) -> None:
    assert [(f.value, f.kind, f.unit, f.year) for f in _figures(text)] == expected


@pytest.mark.parametrize(
    ("text", "category"),
    [("Đến năm 2026, biên chế công chức của tỉnh giảm 5%, tương ứng 98 biên chế so với năm 2021.", "officials"),
     ("Đến năm 2030, tổng số người làm việc trong các đơn vị sự nghiệp công lập của huyện giảm 10%, tương ứng 215 người.",
      "public_employees")],
)
def test_figures_rate_takes_the_staff_its_verbs_subject_names_and_lends_it_to_its_count(text: str, category: str) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert [f.category for f in figures] == [category, category]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Năm 2025, tỉnh được giao 1.870 biên chế công chức (giảm 45 biên chế so với năm 2024) và 25.640 người làm việc "
      "(giảm 512 người).",
      [(1870.0, "level"), (-45.0, "change"), (25640.0, "level"), (-512.0, "change")]),
     ("Năm 2025, tỉnh giảm 20 biên chế công chức, 35 biên chế viên chức.", [(-20.0, "change"), (-35.0, "change")]),
     ("Năm 2026, tỉnh giao 2.012 biên chế công chức, giảm 35 biên chế so với năm 2025; giao 22.470 người làm việc, "
      "giảm 520 người.", [(2012.0, "level"), (-35.0, "change"), (22470.0, "level"), (-520.0, "change")])],
)
def test_figures_a_change_in_closed_brackets_lends_its_verb_to_no_figure_after_them(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(f.value, f.kind) for f in _figures(text)] == expected


def test_figures_a_second_change_of_a_sentence_has_the_subject_before_its_own_verb() -> None:
    figures = _figures("Trong đó, khối Đảng giảm 12 biên chế (tỷ lệ 5,1%), khối chính quyền giảm 85 biên chế (tỷ lệ 4,8%).")
    assert [(f.value, f.org) for f in figures] == [(-12, "khối Đảng"), (-85, "khối chính quyền")]


def test_figures_a_fronted_base_year_is_every_change_of_its_sentence() -> None:
    figures = _figures("So với năm 2015, biên chế công chức năm 2025 giảm 312 biên chế (10,2%), biên chế viên chức giảm 2.840 người.")
    assert [(f.value, f.base_year) for f in figures] == [(-312, 2015), (-2840, 2015)]


def test_figures_count_reached_after_a_change_and_the_pair_after_an_owned_unit() -> None:
    figs = _figures("Thực hiện Nghị quyết số 18-NQ/TW, tỉnh đã giảm 12 sở, ban, ngành xuống còn 14 cơ quan chuyên môn; "
                    "giảm 45 phòng thuộc sở (từ 160 phòng xuống còn 115 phòng).")
    assert [(f.value, f.org) for f in figs[:2]] == [(-12, "tỉnh"), (14, "tỉnh")]
    assert figs[2].before_after == ("f4", "f5")


def test_figures_siblings_of_one_verb_share_the_base_year_after_the_second() -> None:
    figs = _figures("Cả nước giảm 2.476 biên chế công chức và 19.578 biên chế viên chức so với năm 2022.")
    assert [(f.value, f.category, f.base_year) for f in figs] == [(-2476, "officials", 2022), (-19578, "public_employees", 2022)]


@pytest.mark.parametrize(("text", "approx"), [("thấp hơn 230 người so với số lượng được giao", "exact"),
                                              ("vượt 17 người so với số lượng tối đa", "exact")])
def test_figures_a_gap_between_measures_is_exact(text: str, approx: str) -> None:
    figs = _figures(f"Số công chức có mặt là 4.320 người, {text}.")
    assert figs[1].approx == approx and figs[1].value in (230, 17)
