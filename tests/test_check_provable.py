"""Only provable mistakes are errors: parts that count the whole's unit, no competing
whole, no assigned quota against a headcount; actual above assigned is a warning."""

from __future__ import annotations

import pytest

from extractor.check import check_figures
from extractor.check.basis import actual_above_assigned
from extractor.check.changes import change_relations
from extractor.check.sums import compatible, sum_relations, unit_group
from extractor.document import document_from_text
from extractor.models import DocumentResult, Figure
from extractor.pipeline import extract_document

_POS = iter(range(0, 10**6, 20))


def _fig(id: str, value: float, unit: str = "biên chế", *, kind: str = "level", parent: str | None = None,
         basis: str | None = None, org: str | None = "Sở Y tế", year: int | None = 2024, **extra: object) -> Figure:
    start = next(_POS)
    text = f"{value:g}"
    return Figure(id=id, start=start, end=start + len(text), text=text, kind=kind, value=value, unit=unit,
                  category="total", org=org, year=year, parent=parent, basis=basis, **extra)


def _result(text: str) -> DocumentResult:
    return extract_document(document_from_text(text), "rules")


def _errors(result: DocumentResult, rule: str | None = None) -> list[str]:
    return [x.message for x in result.findings if x.severity == "error" and (rule is None or x.rule == rule)]


def test_check_two_parentheticals_each_own_whole() -> None:
    result = _result("Năm 2024, tỉnh đã rà soát 20 đơn vị (8 xã, 7 phường, 5 thị trấn); qua đó xác định "
                     "12 đơn vị (5 xã, 4 phường, 3 thị trấn) phải sắp xếp trong năm 2025.")
    by = {f.text: f for f in result.figures}
    assert by["7 phường"].parent == by["20 đơn vị"].id and by["4 phường"].parent == by["12 đơn vị"].id
    assert _errors(result, "sum") == []


def test_check_two_parentheticals_wrong_breakdown_is_error() -> None:
    result = _result("Năm 2024, tỉnh đã rà soát 20 đơn vị (8 xã, 7 phường, 6 thị trấn); qua đó xác định "
                     "12 đơn vị (5 xã, 4 phường, 3 thị trấn) phải sắp xếp trong năm 2025.")
    assert len(_errors(result, "sum")) == 1


@pytest.mark.parametrize(
    ("whole_unit", "part_units", "ok"),
    [
        ("biên chế", ["biên chế", "người"], True),
        ("biên chế", ["biên chế", "đơn vị"], False),
        ("đơn vị", ["xã", "phường"], True),
        ("biên chế", ["xã", "phường"], False),
    ],
)
def test_check_sum_parts_must_count_the_wholes_unit(whole_unit: str, part_units: list[str], ok: bool) -> None:
    whole = _fig("w", 100, whole_unit)
    parts = [_fig(f"p{i}", 10, u, parent="w") for i, u in enumerate(part_units)]
    figures = [whole, *parts]
    assert all(compatible(whole, p) for p in parts) is ok
    assert bool(sum_relations(figures)) is ok
    assert bool([x for x in check_figures(figures, "") if x.rule == "sum"]) is ok  # 100 ≠ 20 when checked


@pytest.mark.parametrize(("unit", "group"), [("biên chế", "staff"), ("người", "staff"), ("xã", "area"),
                                             ("đơn vị", "area"), ("cơ quan", "tổ chức"), ("tổng cục", "tổ chức"),
                                                 ("quận", "area"), ("tỉnh thành", "area"), ("công chức", "staff"),
                                             ("cán bộ, công chức", "staff"), ("người hoạt động không chuyên trách", "staff"),
                                             ("đơn vị sự nghiệp", "đơn vị sự nghiệp công lập")])
def test_check_unit_group(unit: str, group: str) -> None:
    assert unit_group(unit) == group


@pytest.mark.parametrize(("third_kind", "severity"), [("level", "error"), ("count", "warning")])
def test_check_sum_with_a_listed_part_left_out_is_no_error(third_kind: str, severity: str) -> None:
    whole = _fig("w", 460)
    parts = [_fig("a", 140, parent="w"), _fig("b", 145, parent="w"), _fig("c", 170, parent="w", kind=third_kind)]
    (relation,) = sum_relations([whole, *parts])
    assert relation.extra["severity"] == severity  # 460 ≠ 455 is provable only over every listed part


def test_check_sum_of_assigned_and_actual_parts_is_none() -> None:
    whole = _fig("w", 100, basis="assigned")
    parts = [_fig("a", 60, parent="w", basis="assigned"), _fig("b", 30, parent="w", basis="actual")]
    assert sum_relations([whole, *parts]) == []


def test_check_competing_whole_makes_sum_warning() -> None:
    whole = _fig("w", 100)
    other = _fig("o", 70)
    parts = [_fig("a", 60, parent="w"), _fig("b", 30, parent="w")]
    (finding,) = [x for x in check_figures([whole, other, *parts], "") if x.rule == "sum"]
    assert finding.severity == "warning"


@pytest.mark.parametrize(("actual", "warned"), [(320, True), (300, False), (280, False)])
def test_check_actual_above_assigned(actual: int, warned: bool) -> None:
    result = _result(f"Năm 2024, Sở Y tế được giao 300 biên chế. Năm 2024, Sở Y tế hiện có {actual} biên chế.")
    assert {f.basis for f in result.figures} == {"assigned", "actual"}
    found = [x for x in result.findings if x.rule == "actual_above_assigned"]
    assert len(found) == int(warned)
    if warned:
        assert found[0].severity == "warning" and found[0].stated == actual and found[0].computed == 300
    assert _errors(result) == []


@pytest.mark.parametrize(
    ("org", "year"),
    [("Sở Tài chính", 2024), ("Sở Y tế", 2025)],
)
def test_check_actual_above_assigned_needs_same_org_and_year(org: str, year: int) -> None:
    figures = [_fig("q", 300, basis="assigned"), _fig("h", 320, basis="actual", org=org, year=year)]
    assert actual_above_assigned(figures) == []
    same = [_fig("q", 300, basis="assigned"), _fig("h", 320, basis="actual")]
    assert [x.severity for x in actual_above_assigned(same)] == ["warning"]


def test_check_assigned_and_actual_never_make_a_change() -> None:
    figures = [_fig("q23", 300, basis="assigned", year=2023), _fig("h24", 280, basis="actual"),
               _fig("c", -5, kind="change", base_year=2023)]
    relations, findings, _ = change_relations(figures)
    assert relations == [] and findings == []
    assert check_figures(figures, "") == []


def test_check_assigned_levels_do_make_a_change() -> None:
    figures = [_fig("q23", 300, basis="assigned", year=2023), _fig("q24", 280, basis="assigned"),
               _fig("c", -5, kind="change", base_year=2023)]
    (finding,) = check_figures(figures, "")
    assert finding.rule == "change" and finding.severity == "error"


@pytest.mark.parametrize(("second", "errors"), [("hiện có", 0), ("được giao", 1)])
def test_check_quota_and_headcount_in_text_no_change_error(second: str, errors: int) -> None:
    result = _result(f"Năm 2023, Sở Y tế được giao 300 biên chế. Năm 2024, Sở Y tế {second} 280 biên chế, "
                     "giảm 5 biên chế so với năm 2023.")
    assert len(_errors(result, "change")) == errors
    assert len(_errors(result)) == errors


def test_check_one_typo_reported_once_with_the_relations_it_breaks() -> None:
    text = ("Năm 2023, Sở Công Thương được giao 1.050 biên chế.\n"
            "Năm 2024, Sở Công Thương được giao 1.010 biên chế (gồm 600 biên chế công chức, 400 biên chế viên chức), "
            "giảm 50 biên chế so với năm 2023.\n")
    result = extract_document(document_from_text(text), "rules")
    errors = [f for f in result.findings if f.severity == "error"]
    assert len(errors) == 1, [f.message for f in result.all_findings()]
    root = errors[0]
    assert root.suggestion and "1.010 → 1.000" in root.suggestion
    assert {f.rule for f in [root, *root.related]} == {"sum", "change"}


@pytest.mark.parametrize(("change", "errors"), [("77", 0), ("76", 1)])
def test_check_merger_before_after_change_across_unit_names(change: str, errors: int) -> None:
    result = _result(f"Tỉnh Đông Phong sắp xếp 125 đơn vị hành chính cấp xã (98 xã, 20 phường, 7 thị trấn) để thành lập "
                     f"48 xã, phường mới (36 xã, 12 phường), giảm {change} đơn vị.")
    assert len(_errors(result, "change")) == errors  # 48 − 125 = −77


@pytest.mark.parametrize(
    "text",
    [
        "Sau sắp xếp, tỉnh còn 9 đơn vị hành chính cấp huyện và 125 đơn vị hành chính cấp xã, giảm 2 huyện và 43 xã.",
        "Tỉnh có 125 xã và 48 phường; giảm 5 xã so với trước.",
    ],
)
def test_check_counts_side_by_side_are_no_before_and_after(text: str) -> None:
    assert _errors(_result(text)) == []


_REPORT = (
    "ỦY BAN NHÂN DÂN\nTỈNH THÁI SƠN\n\nBÁO CÁO\nKết quả thực hiện tinh giản biên chế năm 2025\n\n"
    'I. TÌNH HÌNH BIÊN CHẾ\n'
    '\n'
    '1. Biên chế công chức\n'
    '\n'
    'Năm 2025, tỉnh được giao 2.180 biên chế công chức, giảm 45 biên chế (2,02%) so với năm 2024 (2.225 biên chế). Đến ngày 30 tháng 11 năm 2025, số công chức có mặt là 2.096 người, còn 84 biên chế chưa sử dụng.\n'
    '\n'
    '2. Số lượng người làm việc\n'
    '\n'
    'Số lượng người làm việc hưởng lương từ ngân sách nhà nước được giao năm 2025 là 21.350 người, gồm: sự nghiệp giáo dục và đào tạo 16.420 người; sự nghiệp y tế 3.180 người; sự nghiệp khác 1.750 người. So với năm 2024, giảm 430 người.\n'
    '\n'
    'Tổng số cán bộ, công chức cấp xã là 3.450 người. Trong đó: cán bộ 1.620 người; công chức 1.830 người.\n'
    '\n'
    'II. KẾT QUẢ TINH GIẢN\n'
    '\n'
    'Năm 2025, toàn tỉnh đã tinh giản 312 người (gồm 48 cán bộ, công chức và 264 viên chức), đạt 104% kế hoạch.\n'
    '\n'
    'Bảng 1. Biên chế công chức giao năm 2025 của các sở, ngành\n'
    '\n'
    '| STT | Cơ quan, đơn vị | Năm 2024 | Năm 2025 | Tăng (+), giảm (-) |\n'
    '|---|---|---|---|---|\n'
    '| 1 | Văn phòng UBND tỉnh | 62 | 60 | -2 |\n'
    '| 2 | Sở Nội vụ | 58 | 57 | -1 |\n'
    '| 3 | Sở Tài chính | 95 | 93 | -2 |\n'
    '| | Cộng | 215 | 210 | -5 |\n'
    '\n'
    'III. SẮP XẾP ĐƠN VỊ HÀNH CHÍNH\n'
    '\n'
    'Trước sắp xếp, tỉnh có 152 đơn vị hành chính cấp xã (gồm 130 xã, 15 phường và 7 thị trấn). Sau sắp xếp, tỉnh còn 64 đơn vị hành chính cấp xã (gồm 50 xã và 14 phường), giảm 88 đơn vị.\n'
    '\n'
)
"""A report written for this test: prose wholes and parts, a base level, a share list, a
table with a "Cộng" row and a merger block, all consistent."""


def test_check_provable_consistent_report_has_no_error() -> None:
    assert [f.message for f in _result(_REPORT).all_findings() if f.severity == "error"] == []


@pytest.mark.parametrize(
    ("typo", "fixed", "rule"),
    [
        ("16.430", "16.420", "sum"),  # a part of a "gồm:" list
        ("131 xã", "130 xã", "sum"),  # a part of a merger's before count
        ("giảm 86", "giảm 88", "change"),  # the merger's change
        ("| 95 | 92 | -2 |", "| 95 | 93 | -2 |", "sum"),  # a table cell under its "Cộng" row
    ],
)
def test_check_provable_one_typo_in_the_report_is_an_error(typo: str, fixed: str, rule: str) -> None:
    assert fixed in _REPORT
    found = _result(_REPORT.replace(fixed, typo, 1)).all_findings()
    assert rule in {f.rule for f in found if f.severity == "error"}


@pytest.mark.parametrize(("glue", "severity"), [(" và ", "warning"), (", ", "warning"), ("), giảm ", "error")])
def test_check_provable_list_going_on_past_its_last_part_is_no_proof(glue: str, severity: str) -> None:
    sentence = f"đã tinh giản 286 người, gồm 41 công chức, 233 viên chức{glue}12 người lao động"
    def at(text: str, id: str, value: float, parent: str | None = None) -> Figure:
        start = sentence.index(text)
        return Figure(id=id, start=start, end=start + len(text), text=text, kind="change", value=value, unit="người",
                      category=None, org=None, year=2025, parent=parent, sentence=sentence)
    figures = [at("286 người", "f1", -286), at("41 công chức", "f2", -41, "f1"), at("233 viên chức", "f3", -233, "f1"),
               at("12 người", "f4", -12)]
    (relation,) = sum_relations(figures)
    assert relation.extra["severity"] == severity


@pytest.mark.parametrize(("after", "errors"), [("14.200", 0), ("14.210", 1)])
def test_check_provable_change_before_its_from_to_pair(after: str, errors: int) -> None:
    text = f"Biên chế viên chức năm 2025 của Sở Giáo dục giảm 120 biên chế, từ 14.320 biên chế xuống còn {after} biên chế."
    assert len(_errors(_result(text), "change")) == errors


@pytest.mark.parametrize(("cut", "errors"), [("94", 0), ("95", 1)])
def test_check_provable_change_against_the_state_before_in_brackets(cut: str, errors: int) -> None:
    text = f"Sau sắp xếp, tỉnh có 47 xã, phường (39 xã và 8 phường), giảm {cut} đơn vị so với trước sắp xếp (141 đơn vị)."
    assert len(_errors(_result(text), "change")) == errors


@pytest.mark.parametrize(("last", "findings"), [("18", []), ("19", ["warning"])])
def test_check_provable_a_share_that_completes_the_list_is_added(last: str, findings: list[str]) -> None:
    text = ("Năm 2023, toàn tỉnh đã thực hiện tinh giản 356 người, trong đó 48 công chức, 290 viên chức "
            f"và {last} người hợp đồng lao động.")
    assert [f.severity for f in _result(text).all_findings() if f.rule == "sum"] == findings


@pytest.mark.parametrize(("rate", "errors"), [("32,11", 0), ("22,11", 1)])
def test_check_provable_rate_of_a_from_to_change_is_against_its_own_before(rate: str, errors: int) -> None:
    text = ("ỦY BAN NHÂN DÂN TỈNH LONG AN\n\nSố: 1/BC-UBND\n\nLong An, ngày 1 tháng 7 năm 2025\n\nBÁO CÁO\n\n"
            "Tổng số phòng chuyên môn của các sở giảm từ 109 phòng xuống còn 74 phòng "
            f"(giảm 35 phòng, {rate}%).")
    result = _result(text)
    assert {f.year for f in result.figures} == {2025}  # the change ends in its after's year
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors


def test_check_provable_two_levels_of_one_measure_and_year_prove_no_rate() -> None:
    text = ("Năm 2025, Sở Y tế được giao 310 biên chế công chức.\n"
            "Năm 2025, biên chế công chức của Sở Y tế là 4.750 biên chế, giảm 250 biên chế (5%) so với năm 2024.")
    assert [f for f in _result(text).all_findings() if f.severity == "error"] == []


@pytest.mark.parametrize(
    ("tail", "severity"),
    [("22.980 biên chế viên chức.", "error"),
     ("22.980 biên chế viên chức và 50 người hợp đồng lao động.", "warning")],
)
def test_check_sum_of_a_list_that_goes_on_past_its_last_part_is_a_warning(tail: str, severity: str) -> None:
    result = _result(f"Năm 2024, tỉnh được giao 25.350 biên chế, gồm: 2.310 biên chế công chức, {tail}")
    assert [x.severity for x in result.findings if x.rule == "sum"] == [severity]


@pytest.mark.parametrize(("total", "errors"), [("105", 0), ("115", 1)])
def test_check_a_total_after_its_items_sums_them(total: str, errors: int) -> None:
    result = _result(f"Năm 2025, Sở Y tế được giao 45 biên chế công chức, Sở Tài chính được giao 60 biên chế công chức; "
                     f"tổng cộng {total} biên chế công chức.")
    assert len(_errors(result, "sum")) == errors


def test_check_a_change_against_a_bracketed_base_is_of_the_whole_not_of_its_last_part() -> None:
    result = _result("Năm 2025, tổng số cán bộ, công chức cấp xã là 4.250 người (cán bộ 2.050 người, công chức 2.200 người), "
                     "giảm 380 người so với năm 2024 (4.630 người).")
    assert _errors(result) == []
    (change,) = [f for f in result.figures if f.kind == "change"]
    assert change.before_after == ("f5", "f1")


@pytest.mark.parametrize("stated", ["50", "30"])
def test_check_a_change_right_after_a_share_is_no_error_whoever_it_is_of(stated: str) -> None:
    result = _result("Biên chế công chức năm 2024 là 2.450 biên chế, trong đó cấp tỉnh 1.450 biên chế; năm 2025 là 2.400 biên "
                     f"chế, trong đó cấp tỉnh 1.420 biên chế, giảm {stated} biên chế so với năm 2024.")
    assert _errors(result) == []
    levels = [(f.value, f.parent is None, f.org) for f in result.figures if f.kind == "level"]
    assert levels == [(2450, True, None), (1450, False, "cấp tỉnh"), (2400, True, None), (1420, False, "cấp tỉnh")]


@pytest.mark.parametrize(("before", "errors"), [("10.035", 0), ("10.053", 1)])
def test_check_a_change_with_its_before_in_brackets_after_it(before: str, errors: int) -> None:
    result = _result(f"Sau sắp xếp, cả nước có 3.321 đơn vị hành chính cấp xã (2.621 xã, 687 phường, 13 đặc khu), "
                     f"giảm 6.714 đơn vị (từ {before} đơn vị).")
    assert len(_errors(result)) == errors


@pytest.mark.parametrize(
    ("text", "severities"),
    [("Tỉnh X có 7 đơn vị hành chính cấp huyện, gồm thị xã Sóc Trăng (tỉnh lỵ), 2 thị trấn và 4 huyện.", []),
     ("Tỉnh X có 8 đơn vị hành chính cấp huyện, gồm thị xã Sóc Trăng (tỉnh lỵ), 2 thị trấn và 4 huyện.", ["warning"]),
     ("Tỉnh X có 8 đơn vị hành chính cấp huyện, gồm 3 thị xã: thị xã A, thị xã B, thị xã C và 4 huyện: D, E, F, G.",
      ["error"]),
     ("Tổng số 210 người, gồm 120 cán bộ, công chức (trong đó 45 nữ) và 80 viên chức.", ["error"])],
)
def test_check_a_member_named_without_a_count_is_one_of_the_whole(text: str, severities: list[str]) -> None:
    assert [x.severity for x in _result(text).findings if x.rule == "sum"] == severities


def test_check_a_bracketed_change_after_sibling_counts_pairs_with_none() -> None:
    result = _result("Sau sắp xếp, bộ máy Chính phủ còn 14 bộ và 3 cơ quan ngang bộ (giảm 5 bộ, 2 cơ quan ngang bộ), "
                     "5 cơ quan thuộc Chính phủ (giảm 3 cơ quan).")
    assert _errors(result) == []
    assert all(f.before_after is None for f in result.figures)


@pytest.mark.parametrize(("rate", "errors"), [("5", 0), ("6", 1)])
def test_check_a_rate_after_a_bracketed_base_level_is_the_changes(rate: str, errors: int) -> None:
    result = _result("Năm 2025, tỉnh được giao 2.280 biên chế công chức, giảm 120 biên chế so với năm 2021 (2.400 biên chế), "
                     f"tương ứng giảm {rate}%.")
    assert len(_errors(result, "rate")) == errors


@pytest.mark.parametrize(("total", "years", "errors"), [("1.120", 5, 0), ("1.130", 5, 1), ("1.130", 2, 0)])
def test_check_yearly_shares_covering_their_period_are_all_of_its_change(total: str, years: int, errors: int) -> None:
    steps = ["năm 2022 giảm 230 biên chế", "năm 2023 giảm 225 biên chế", "năm 2024 giảm 220 biên chế",
             "năm 2025 giảm 225 biên chế", "năm 2026 giảm 220 biên chế"][:years]
    result = _result(f"Giai đoạn 2022 - 2026, tỉnh tinh giản {total} biên chế, trong đó: {'; '.join(steps)}.")
    assert len(_errors(result, "sum")) == errors


@pytest.mark.parametrize("text", ["Năm 2024, số lượng người làm việc được giao là 1.250 người, có mặt 1.262 người.",
                                  "Số biên chế được giao năm 2025 là 2.100, số có mặt là 2.150."])
def test_check_actual_above_assigned_of_no_named_unit_in_one_sentence(text: str) -> None:
    assert [x.rule for x in _result(text).findings] == ["actual_above_assigned"]
