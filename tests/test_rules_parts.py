"""Which categories a whole may list, and shares after "trong đó"."""

from __future__ import annotations

import pytest

from extractor.models import Figure
from extractor.document import document_from_text
from extractor.pipeline import extract_document
from extractor.rules.parts import item_owner, listed_part_of, may_contain, share_of, share_owner


@pytest.mark.parametrize(
    ("whole", "part", "ok"),
    [("officials", "leaders", True), ("commune_officials", "officials", True), ("public_employees", "officials", False),
     (None, "officials", True), ("total", "public_employees", True)],
)
def test_rules_parts_may_contain(whole: str | None, part: str, ok: bool) -> None:
    assert may_contain(whole, part) is ok


def _fig(text: str, start: int, id: str, unit: str = "biên chế") -> Figure:
    return Figure(id=id, start=start, end=start + len(text), text=text, kind="level", value=float(text.split()[0].replace(".", "")),
                  unit=unit, category="officials", org=None, year=None)


@pytest.mark.parametrize(("glue", "linked"), [(", trong đó ", True), (", gồm ", False), (", vượt ", False)])
def test_rules_parts_share_of(glue: str, linked: bool) -> None:
    text = f"2.150 biên chế{glue}1.200 biên chế cấp tỉnh"
    whole = _fig("2.150 biên chế", 0, "f1")
    share = _fig("1.200 biên chế", text.index("1.200"), "f2")
    share_of(text, share, share.start, "quota", [whole])
    assert (share.parent, share.partial) == (("f1", True) if linked else (None, False))


@pytest.mark.parametrize(
    ("text", "whole", "owner"),
    [
        ("24.560 biên chế, gồm: khối Đảng, đoàn thể 560 biên chế; khối chính quyền 1.900 biên chế", 0, "khối chính quyền"),
        ("gồm: Sở A 50 biên chế, Sở Tài chính 60 biên chế", 0, "Sở Tài chính"),
        ("gồm 88 xã và 14 phường", 0, None),
        ("gồm: biên chế đã phân bổ 1.900 biên chế", 0, None),
        ("34 tỉnh. Trong đó, 52 tỉnh, thành phố trực thuộc Trung ương sẽ được sáp nhập thành 23 tỉnh", 0, None),
    ],
)
def test_rules_parts_item_owner(text: str, whole: int, owner: str | None) -> None:
    assert item_owner(text, whole, text.rindex(next(w for w in reversed(text.split()) if w[0].isdigit()))) == owner


def test_rules_parts_share_is_never_more_than_its_whole() -> None:
    text = "34 tỉnh. Trong đó, 52 tỉnh"
    whole, share = _fig("34 tỉnh", 0, "f1", unit="tỉnh"), _fig("52 tỉnh", text.index("52"), "f2", unit="tỉnh")
    share_of(text, share, share.start, "area", [whole], since=text.index("Trong"))
    assert share.parent is None


def _parts(text: str) -> list[tuple[float, str | None, str | None, bool]]:
    figures = extract_document(document_from_text(text), "rules").figures
    return [(f.value, f.parent, f.category, f.partial) for f in figures]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tổng biên chế của tỉnh năm 2025 là 3.450 biên chế, bao gồm: biên chế công chức 1.200 biên chế, "
         "biên chế viên chức 2.250 biên chế.",
         [(3450, None, "total", False), (1200, "f1", "officials", False), (2250, "f1", "public_employees", False)]),
        ("Số người làm việc được giao năm 2025 là 12.300 người, trong đó: sự nghiệp giáo dục 9.800 người, "
         "sự nghiệp y tế 1.900 người.",
         [(12300, None, "public_employees", False), (9800, "f1", "public_employees", True),
          (1900, "f1", "public_employees", True)]),
        ("Tổng số cán bộ, công chức, viên chức của tỉnh là 28.456 người. Trong đó: cán bộ, công chức 4.456 người; "
         "viên chức 24.000 người.",
         [(28456, None, "total", False), (4456, "f1", "officials", True), (24000, "f1", "public_employees", True)]),
        ("Cả nước còn 34 tỉnh. Trong đó, 52 tỉnh sẽ được sáp nhập.", [(34, None, None, False), (52, None, None, False)]),
        ("Số cán bộ, công chức, viên chức có mặt của tỉnh là 25.640 người. Cụ thể: cán bộ, công chức 3.210 người; "
         "viên chức 22.430 người.",
         [(25640, None, "total", False), (3210, "f1", "officials", False), (22430, "f1", "public_employees", False)]),
        ("Huyện A có 96 xã (ngoại trừ 2 xã đảo).", [(96, None, None, False), (2, None, None, False)]),
        ("Tổng số cán bộ, công chức, viên chức của huyện là 2.450 người (cán bộ, công chức: 210 người; "
         "viên chức: 2.240 người).",
         [(2450, None, "total", False), (210, "f1", "officials", False), (2240, "f1", "public_employees", False)]),
        ("Năm 2025, tỉnh được giao 3.000 biên chế, trong đó: biên chế công chức là 1.200 biên chế và số lượng người làm "
         "việc là 1.800 người.", [(3000, None, "total", False), (1200, "f1", "officials", True),
                                 (1800, "f1", "public_employees", True)]),
        ("Biên chế công chức giao năm 2025 gồm:\n- Khối Đảng, đoàn thể: 450 biên chế;\n- Khối chính quyền: 1.550 biên chế.\n"
         "Tổng cộng: 2.000 biên chế.", [(450, "f3", "officials", False), (1550, "f3", "officials", False),
                                       (2000, None, "officials", False)]),
        ("Hiện cả nước có 2.234.720 cán bộ, công chức, viên chức, trong đó có 255.000 cán bộ, công chức; 1.979.720 viên chức.",
         [(2234720, None, "total", False), (255000, "f1", "officials", True), (1979720, "f1", "public_employees", True)]),
        ("Toàn tỉnh có 1.530 thôn, tổ dân phố, trong đó có 1.200 thôn và 330 tổ dân phố.",
         [(1530, None, None, False), (1200, "f1", None, True), (330, "f1", None, True)]),
        ("Năm 2025, tỉnh đã tinh giản 286 người, gồm 41 công chức, 233 viên chức và 12 người lao động hợp đồng. "
         "Trong đó, nghỉ hưu trước tuổi 198 người.",
         [(-286, None, "total", False), (-41, "f1", "officials", False), (-233, "f1", "public_employees", False),
          (-12, "f1", "contract_workers", False), (-198, "f1", None, True)]),
        ("Năm 2024, tỉnh được giao 25.340 biên chế, gồm: 2.310 biên chế công chức, 22.980 biên chế viên chức và "
         "50 chỉ tiêu hợp đồng lao động.",
         [(25340, None, "total", False), (2310, "f1", "officials", False), (22980, "f1", "public_employees", False),
          (50, "f1", "contract_workers", False)]),
        ("Biên chế sự nghiệp giáo dục năm 2025 là 12.500 người. Trong đó: mầm non 3.200 người; tiểu học 4.800 người.",
         [(12500, None, "public_employees", False), (3200, "f1", "public_employees", True),
          (4800, "f1", "public_employees", True)]),
        ("Khối chính quyền được giao 2.100 biên chế (cấp tỉnh 1.200, cấp huyện 900).",
         [(2100, None, "total", False), (1200, "f1", "total", False), (900, "f1", "total", False)]),
        ("Bộ có 8 Tổng cục (An ninh 1, An ninh 2, Cảnh sát).", [(8, None, None, False)]),
        ("Năm 2025, Sở Y tế được giao 45 biên chế công chức, Sở Tài chính được giao 60 biên chế công chức; "
         "tổng cộng 105 biên chế công chức.",
         [(45, "f3", "officials", False), (60, "f3", "officials", False), (105, None, "officials", False)]),
        ("Giao 1.250 biên chế công chức năm 2025, gồm: a) cấp tỉnh 830 biên chế; b) cấp huyện 420 biên chế.",
         [(1250, None, "officials", False), (830, "f1", "officials", False), (420, "f1", "officials", False)]),
        ("Năm 2025, tổng biên chế được giao 3.400, trong đó công chức 1.200, viên chức 2.200.",
         [(3400, None, "total", False), (1200, "f1", "officials", True), (2200, "f1", "public_employees", True)]),
        ("Số lượng người làm việc giao năm 2025: 12.500 người (giảm 250 người so với năm 2024), gồm: giáo dục 10.200 người; "
         "y tế 1.800 người.", [(12500, None, "public_employees", False), (-250, None, "public_employees", False),
                              (10200, "f1", "public_employees", False), (1800, "f1", "public_employees", False)]),
        ("Giai đoạn 2022 - 2026, tỉnh tinh giản 120 biên chế, trong đó: năm 2022 giảm 70 biên chế; năm 2023 giảm 50 biên chế.",
         [(-120, None, "total", False), (-70, "f1", "total", True), (-50, "f1", "total", True)]),
        ("Năm 2024 có 20 xã; năm 2025 còn 15 xã, 2 thị trấn, tổng cộng 17 đơn vị hành chính cấp xã.",
         [(20, None, None, False), (15, "f4", None, False), (2, "f4", None, False), (17, None, None, False)]),
    ],
)
def test_rules_parts_lists_and_shares_in_prose(text: str, expected: list[tuple[float, str | None, str | None, bool]]) -> None:
    assert _parts(text) == expected


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("85 biên chế, trong đó văn phòng Sở 60 biên chế", "văn phòng Sở"),
        ("8.240 biên chế; trong đó: các cơ quan thuộc Chính phủ 8.240 biên chế", "các cơ quan thuộc Chính phủ"),
        ("300 người, trong đó nữ 120 người", None),
        ("300 người, trong đó dân tộc thiểu số 120 người", None),
        ("1.102 đơn vị; trong đó, đơn vị tự chủ chi thường xuyên là 145 đơn vị", None),
        ("120 xã, trong đó các xã biên giới 14 xã", None),
        ("12.400 người, trong đó: sự nghiệp giáo dục 10.100 người", "sự nghiệp giáo dục"),
    ],
)
def test_rules_parts_share_owner_names_a_body_only(text: str, owner: str | None) -> None:
    unit = "đơn vị" if text.endswith("đơn vị") else text.split()[-1]  # the counted noun
    assert share_owner(text, 0, text.rindex(next(w for w in reversed(text.split()) if w[0].isdigit())), unit) == owner


@pytest.mark.parametrize(
    ("text", "value", "parent", "org"),
    [
        ("1.250 biên chế. Cụ thể như sau: Sở Y tế 420 biên chế", 420, "f1", "Sở Y tế"),
        ("1.250 biên chế. Cụ thể: Sở Y tế 1.420 biên chế", 1420, None, None),
        ("1.250 biên chế. Trong đó: Sở Y tế 420 biên chế", 420, None, None),
        ("1.250 biên chế. Cụ thể: năm 2025 giảm 20 biên chế, Sở Y tế 420 biên chế", 420, None, None),
    ],
)
def test_rules_parts_listed_part_of_a_list_opening(text: str, value: float, parent: str | None, org: str | None) -> None:
    whole = _fig("1.250 biên chế", 0, "f1")
    whole.category = None
    at = text.rindex(f"{value:,.0f}".replace(",", "."))
    part = _fig(f"{value:,.0f} biên chế".replace(",", "."), at, "f2")
    part.category = None
    listed_part_of(text, part, at, "quota", whole, since=text.index(".", 6) + 2)
    assert (part.parent, part.org) == (parent, org)


def test_rules_parts_a_lead_line_with_figures_of_its_own_lends_no_category() -> None:
    text = ("Tổng biên chế của tỉnh năm 2024 (không bao gồm cán bộ, công chức cấp xã) là 1.400 biên chế. Trong đó:\n"
            "- Các cơ quan của Đảng là 400 biên chế;\n- Chính quyền địa phương là 1.000 biên chế.")
    assert "commune_officials" not in {f.category for f in extract_document(document_from_text(text), "rules").figures}


@pytest.mark.parametrize(("items", "parented"), [("1. Sở Nội vụ: 55 biên chế.\n2. Sở Tài chính: 92 biên chế.\n", True),
                                                ("- Sở Nội vụ: 55 biên chế.\n- Sở Tài chính: 92 biên chế.\n", True)])
def test_rules_parts_numbered_items_under_a_lead_line_are_its_parts(items: str, parented: bool) -> None:
    text = "Điều 1. Giao biên chế công chức năm 2026 cho các cơ quan của tỉnh là 147 biên chế, cụ thể:\n" + items + "Điều 2. Hiệu lực."
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.parent is not None, f.category) for f in figures[1:]] == [(parented, "officials")] * 2


def test_rules_parts_numbered_lines_after_a_plain_line_stay_clauses() -> None:
    text = "Tình hình như sau:\n1. Sở Nội vụ: 55 biên chế.\n2. Sở Tài chính: 92 biên chế.\n"
    assert [f.parent for f in extract_document(document_from_text(text), "rules").figures] == [None, None]


@pytest.mark.parametrize(("district", "errors"), [("222", 0), ("232", 1)])
def test_rules_parts_bullets_under_a_numbered_item_are_its_parts_and_the_items_the_lead_lines(district: str, errors: int) -> None:
    text = ("Điều 1. Giao biên chế năm 2026 cho các cơ quan đảng tỉnh là 412 biên chế, cụ thể:\n"
            "1. Cấp tỉnh: 190 biên chế, trong đó:\n- Văn phòng Tỉnh ủy: 45 biên chế;\n- Ban Tổ chức Tỉnh ủy: 145 biên chế.\n"
            f"2. Cấp huyện: {district} biên chế.\nĐiều 2. Hiệu lực.")
    result = extract_document(document_from_text(text), "rules")
    by_id = {f.id: f.value for f in result.figures}
    assert [(f.value, by_id.get(f.parent or ""), f.year) for f in result.figures] == [
        (412, None, 2026), (190, 412, 2026), (45, 190, 2026), (145, 190, 2026), (float(district), 412, 2026)]
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors


def test_rules_parts_shares_of_a_shortfall_are_shortfalls_too() -> None:
    text = ("Tính đến hết năm 2024, toàn ngành giáo dục của tỉnh còn thiếu 1.245 giáo viên so với định mức, "
            "trong đó mầm non thiếu 620 người, tiểu học thiếu 410 người.")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.kind, f.parent, f.year) for f in figures] == [
        (1245, "count", None, 2024), (620, "count", "f1", 2024), (410, "count", "f1", 2024)]


def test_rules_parts_numbered_items_under_a_lead_of_no_figure_take_its_year_and_staff() -> None:
    text = ("Giao biên chế công chức năm 2026 cho các cơ quan như sau:\n1. Sở Nội vụ: 55 biên chế;\n"
            "2. Sở Tư pháp: 40 biên chế.\nTổng cộng: 95 biên chế.")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.year, f.category, f.org, f.parent) for f in figures] == [
        (55, 2026, "officials", "Sở Nội vụ", "f3"), (40, 2026, "officials", "Sở Tư pháp", "f3"), (95, 2026, "officials", None, None)]


def test_rules_parts_shares_labelled_by_their_year_are_shares_of_a_periods_change() -> None:
    text = "Giai đoạn 2021-2025, toàn tỉnh đã tinh giản được 1.458 người, trong đó: năm 2021 là 302 người, năm 2022 là 289 người."
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.kind, f.parent, f.year) for f in figures] == [
        (-1458, "change", None, None), (-302, "change", "f1", 2021), (-289, "change", "f1", 2022)]


def test_rules_parts_a_changes_bracketed_breakdown_lists_changes_of_it() -> None:
    got = _parts("Tỉnh đã giảm 12 đầu mối cấp phòng (trong đó: 5 phòng thuộc sở, 7 phòng thuộc UBND cấp huyện).")
    assert got == [(-12, None, None, False), (-5, "f1", None, False), (-7, "f1", None, False)]


@pytest.mark.parametrize(
    ("total", "parented", "errors"),
    [("tổng cộng 3 năm giảm 157 người", True, 0), ("tổng cộng 3 năm giảm 167 người", True, 1),
     ("năm 2025 giảm 157 người", False, 0)],
)
def test_rules_parts_a_total_after_yearly_changes_sums_them(total: str, parented: bool, errors: int) -> None:
    text = f"Năm 2022 giảm 45 người, năm 2023 giảm 52 người, năm 2024 giảm 60 người; {total}."
    result = extract_document(document_from_text(text), "rules")
    assert [f.parent for f in result.figures[:3]] == (["f4"] * 3 if parented else [None] * 3)
    assert len([x for x in result.all_findings() if x.severity == "error"]) == errors


def test_rules_parts_changes_of_one_year_twice_have_no_total() -> None:
    figures = extract_document(document_from_text("Năm 2023 giảm 12 biên chế, năm 2023 giảm 5 biên chế; tổng cộng giảm 17 biên chế."), "rules").figures
    assert [f.parent for f in figures] == [None, None, None]


def test_rules_parts_shares_in_the_next_sentence_are_of_the_count_before_a_bracketed_change() -> None:
    got = _parts("Đến nay, toàn tỉnh có 1.245 thôn, tổ dân phố (giảm 312 thôn, tổ dân phố so với năm 2019). "
                 "Trong đó có 1.020 thôn và 225 tổ dân phố.")
    assert [(value, parent, partial) for value, parent, _, partial in got] == [
        (1245, None, False), (-312, None, False), (1020, "f1", True), (225, "f1", True)]


def test_rules_parts_shares_by_school_level_name_no_org() -> None:
    text = "Năm 2024, Sở Giáo dục và Đào tạo có mặt 14.875 người, trong đó: tiểu học 5.600 người, THCS 4.125 người."
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.parent, f.org) for f in figures] == [
        (14875, None, "Sở Giáo dục và Đào tạo"), (5600, "f1", "Sở Giáo dục và Đào tạo"), (4125, "f1", "Sở Giáo dục và Đào tạo")]


def test_rules_parts_items_below_a_merger_are_parts_of_what_it_became() -> None:
    text = ("Theo đó, sắp xếp 64 đơn vị hành chính cấp xã thành 7 đơn vị hành chính cấp xã, cụ thể:\n\n"
            "- Thành phố A có 3 phường.\n- Thị xã B có 2 phường và 1 xã.\n- Huyện C có 1 xã.\n")
    result = extract_document(document_from_text(text), "rules")
    assert [(f.value, f.parent) for f in result.figures] == [(64, None), (7, None), (3, "f2"), (2, "f2"), (1, "f2"), (1, "f2")]
    assert not result.all_findings()


def test_rules_parts_inhabitants_are_no_part_of_a_count_of_units() -> None:
    got = _parts("Tỉnh X được chia thành 5 tổng, 17 xã với dân số 257.154 người (trong đó, dân số thị xã Y là 40.000 người).")
    assert [value for value, *_ in got] == [17]


@pytest.mark.parametrize(("items", "parent"), [("- Huyện A có 3 xã.\n- Huyện B có 4 xã.\n", "f2"),
                                               ("- Huyện A có 3 xã.\n- Huyện B có 61 xã.\n", "f1"),
                                               ("- Huyện A có 3 xã.\n- Huyện B có 5 xã.\n", None)])
def test_rules_parts_items_below_a_merger_list_the_whole_they_add_up_to(items: str, parent: str | None) -> None:
    text = "Theo đó, sắp xếp 64 đơn vị hành chính cấp xã thành 7 đơn vị hành chính cấp xã, cụ thể:\n\n" + items
    result = extract_document(document_from_text(text), "rules")
    assert [f.parent for f in result.figures[2:]] == [parent, parent]
    assert not [x for x in result.all_findings() if x.severity == "error"]


@pytest.mark.parametrize(("lead", "basis"), [("Giao số lượng người làm việc năm 2025 cho các đơn vị như sau:", "assigned"),
                                             ("Dự kiến số lượng người làm việc năm 2026 của các đơn vị như sau:", "planned")])
def test_rules_parts_people_listed_under_a_quota_lead_are_that_quota(lead: str, basis: str) -> None:
    text = f"{lead}\na) Bệnh viện A: 620 người;\nb) Trung tâm B: 85 người.\nTổng cộng: 705 người.\n"
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.kind, f.unit, f.org, f.basis, f.parent) for f in figures] == [
        (620, "level", "người làm việc", "Bệnh viện A", basis, "f3"), (85, "level", "người làm việc", "Trung tâm B", basis, "f3"),
        (705, "level", "người làm việc", None, basis, None)]


def test_rules_parts_people_listed_under_a_lead_of_no_quota_stay_no_figures() -> None:
    text = "Danh sách đoàn công tác như sau:\na) Đoàn A: 12 người;\nb) Đoàn B: 8 người.\n"
    assert extract_document(document_from_text(text), "rules").figures == []


@pytest.mark.parametrize(
    ("text", "parented"),
    [
        ("Tỉnh có 1.200 biên chế (gồm 20 phòng, 15 chi cục).", []),
        ("Tỉnh có 1.200 biên chế (gồm 1.000 biên chế công chức, 200 biên chế viên chức).", [1000.0, 200.0]),
        ("Huyện có 120 xã (trong đó 45 xã miền núi).", [45.0]),
    ],
)
def test_rules_parts_bracket_of_units_beside_staff_is_no_part(text: str, parented: list[float]) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert [f.value for f in figures if f.parent] == parented
    assert all(f.kind == "count" for f in figures if f.unit in ("phòng", "chi cục"))


@pytest.mark.parametrize(
    ("cue", "partial", "errors"),
    [("cụ thể:", False, 1), ("trong đó", True, 0)],
)
def test_rules_parts_change_broken_down_by_year_is_the_whole_of_the_yearly_changes(cue: str, partial: bool, errors: int) -> None:
    text = (f"Tổng số dự kiến cắt giảm trong giai đoạn là 143 biên chế, {cue} năm 2026 giảm 25 biên chế, "
            "năm 2027 giảm 30 biên chế, năm 2028 giảm 29 biên chế, năm 2029 giảm 30 biên chế và năm 2030 giảm 30 biên chế.")
    result = extract_document(document_from_text(text), "rules")
    total, *items = result.figures
    assert (total.kind, total.value, total.year) == ("change", -143.0, None)
    assert [(f.year, f.parent, f.partial) for f in items] == [(y, total.id, partial) for y in range(2026, 2031)]
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors  # 25 + 30 + 29 + 30 + 30 = 144


def test_rules_parts_shares_in_the_next_sentence_and_a_bracket_of_another_basis() -> None:
    text = ("Tỉnh được giao 2.345 biên chế công chức, có mặt 2.298 người, chưa sử dụng 47 biên chế. "
            "Trong đó: cấp tỉnh được giao 1.286 biên chế (có mặt 1.259 người).")
    figures = {f.value: f for f in extract_document(document_from_text(text), "rules").figures}
    assert (figures[1286].parent, figures[1286].org) == (figures[2345].id, "cấp tỉnh")
    assert (figures[1259].parent, figures[1259].basis) == (None, "actual")  # no part of the assigned 1.286


def test_rules_parts_whole_named_before_its_staff_ends_the_sentence() -> None:
    text = "Tỉnh được giao 2.345 biên chế công chức. Trong đó: cấp tỉnh 1.286 biên chế, cấp huyện 1.059 biên chế."
    whole, *shares = extract_document(document_from_text(text), "rules").figures
    assert [(f.parent, f.org) for f in shares] == [(whole.id, "cấp tỉnh"), (whole.id, "cấp huyện")]
