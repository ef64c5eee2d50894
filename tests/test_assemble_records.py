"""Record assembly defaults: the basis a decision giving quotas lends its figures, and biên chế as an assigned quota."""

from __future__ import annotations

import pytest

from extractor.document import document_from_text
from extractor.pipeline import extract_document

_DECISION = ("ỦY BAN NHÂN DÂN TỈNH AN HÒA\n\nSố: 12/QĐ-UBND\n\nAn Hòa, ngày 20 tháng 12 năm 2025\n\n"
             "QUYẾT ĐỊNH\n\nVề việc giao số lượng người làm việc năm 2026\n\n"
             "Điều 1. Số lượng người làm việc của các đơn vị là 2.450 người và 120 hợp đồng lao động.\n")
_REPORT = ("ỦY BAN NHÂN DÂN TỈNH AN HÒA\n\nSố: 12/BC-UBND\n\nAn Hòa, ngày 20 tháng 12 năm 2025\n\n"
           "BÁO CÁO\n\nTình hình đội ngũ năm 2025\n\n"
           "Số lượng người làm việc của các đơn vị là 2.450 người và 120 hợp đồng lao động.\n")


@pytest.mark.parametrize(("text", "basis"), [(_DECISION, "assigned"), (_REPORT, None)])
def test_assemble_records_decision_giving_quotas_lends_assigned(text: str, basis: str | None) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert sorted(f.value for f in figures) == [120, 2450]
    assert {f.basis for f in figures} == {basis}


@pytest.mark.parametrize(
    ("sentence", "basis"),
    [
        ("Tổng biên chế công chức của tỉnh năm 2024 là 1.250 biên chế.", "assigned"),
        ("Số công chức có mặt năm 2024 là 1.190 biên chế.", "actual"),
        ("Dự kiến biên chế công chức năm 2026 là 1.200 biên chế.", "planned"),
    ],
)
def test_assemble_records_bien_che_level_without_cue_is_assigned(sentence: str, basis: str) -> None:
    (figure,) = extract_document(document_from_text(sentence), "rules").figures
    assert figure.basis == basis


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("Quyết định quy định cụ thể 09 Thuế cơ sở thuộc Thuế tỉnh Đồng Tháp như sau.", "Thuế tỉnh Đồng Tháp"),
        ("Miền Bắc có 28 tỉnh; trong khi đó ở miền Nam bao gồm 44 tỉnh thành.", "miền Nam"),
        ("Trước sắp xếp, huyện Phú Lộc có 18 xã. Sau sắp xếp, huyện còn 10 xã.", "huyện Phú Lộc"),
        ("Theo đó, số lượng tỉnh, thành ở Việt Nam được xác định là 34.", "Việt Nam"),
        ("Sau hơn 3 năm thực hiện, cả nước đã giảm được 146.000 biên chế.", "cả nước"),
        ("Theo Bộ Nội vụ, sau 5 năm thực hiện Nghị quyết số 39-NQ/TW, cả nước đã tinh giản được 116.895 người.", "cả nước"),
        ("Năm 2025, UBND tỉnh giao 1.250 chỉ tiêu biên chế công chức cho các sở, ngành.", "các sở, ngành"),
        ("Tỉnh Bạc Liêu ban đầu chỉ có 2 quận: Vĩnh Lợi và Vĩnh Châu.", "Tỉnh Bạc Liêu"),
        ("Hiện nay, ở vùng Bắc Trung Bộ có 6 phường là: Thuận Hóa, Hạc Thành.", "vùng Bắc Trung Bộ"),
        ("Theo Bộ Nội vụ, hiện cả nước có 2.234.720 cán bộ, công chức, viên chức.", "cả nước"),
        ("Cả nước có 63 tỉnh, thành phố trực thuộc Trung ương và 705 đơn vị hành chính cấp huyện.", "Cả nước"),
    ],
)
def test_assemble_records_owner_and_territory_of_unit_counts(text: str, org: str) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert org in {f.org for f in figures}


def test_assemble_records_connective_is_no_org() -> None:
    text = "Số tỉnh được xác định là 34. Trong khi đó, địa giới hành chính cấp xã được giữ nguyên là 39 đơn vị."
    figures = extract_document(document_from_text(text), "rules").figures
    assert not [f for f in figures if f.org and f.org.lower().startswith("trong khi")]


def test_assemble_records_staff_to_work_at_a_body_are_its_staff() -> None:
    text = ("Tuyển dụng 40 chỉ tiêu công chức ở vị trí việc làm chuyên viên vào làm việc tại các vụ, cục "
            "thuộc Bộ Công Thương, gồm 30 chỉ tiêu thi tuyển và 10 chỉ tiêu xét tuyển.")
    figures = extract_document(document_from_text(text), "rules").figures
    whole = next(f for f in figures if f.value == 40)
    parts = [f for f in figures if f.value in (30, 10)]
    assert whole.org == "Bộ Công Thương"
    assert [(p.parent, p.org) for p in parts] == [(whole.id, "Bộ Công Thương")] * 2


@pytest.mark.parametrize(
    ("text", "whole", "parts", "open_parts"),
    [
        ("Năm 2024, Sở có 70 công chức, gồm 60 công chức chuyên môn và 10 công chức hợp đồng.", 70, [60, 10], False),
        ("Năm 2024, Sở có 70 công chức làm việc tại các phòng, gồm 60 công chức chuyên môn và 10 công chức hợp đồng.",
         70, [60, 10], False),
        ("Tổng biên chế công chức năm 2025 của tỉnh là 2.150 biên chế, trong đó 1.200 biên chế cấp tỉnh và 950 biên chế "
         "cấp huyện.", 2150, [1200, 950], True),
        ("Tổng biên chế công chức năm 2025 của tỉnh là 2.150 biên chế, trong đó: cấp tỉnh 1.200 biên chế, cấp huyện 950 "
         "biên chế.", 2150, [1200, 950], True),
        ("Số người làm việc năm 2026 là 18.540 người, giảm 312 người so với năm 2025; trong đó: sự nghiệp giáo dục "
         "14.200 người, sự nghiệp y tế 4.340 người.", 18540, [14200, 4340], True),
    ],
)
def test_assemble_records_listed_parts_and_open_shares(text: str, whole: int, parts: list[int], open_parts: bool) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    head = next(f for f in figures if f.value == whole)
    rest = [f for f in figures if f is not head and f.kind != "change"]  # a change of the whole is beside it
    assert [(f.value, f.parent, f.partial, f.year) for f in rest] == [(v, head.id, open_parts, head.year) for v in parts]


def test_assemble_records_shares_never_make_an_error() -> None:
    text = "Số công chức có mặt là 355 người, trong đó 67 người giữ chức vụ lãnh đạo, quản lý và 159 người là nữ."
    result = extract_document(document_from_text(text), "rules")
    assert [f.parent for f in result.figures] == [None, "f1", "f1"]
    assert result.findings == []  # 67 + 159 ≠ 355: shares overlap, they need not add up


def test_assemble_records_comparison_after_a_share_is_no_share() -> None:
    text = ("Tổng số có mặt là 460 người (gồm 140 cán bộ, 145 công chức và 175 người hoạt động không chuyên trách); "
            "trong đó số cán bộ, công chức cấp xã là 285 người, vượt 17 người so với số lượng tối đa.")
    by_value = {f.value: f for f in extract_document(document_from_text(text), "rules").figures}
    assert by_value[285].parent == by_value[460].id and by_value[17].parent is None


def test_assemble_records_modal_before_the_verb_is_no_part_of_the_org() -> None:
    text = "Năm 2026, UBND tỉnh dự kiến giao 2.100 biên chế công chức, giảm 50 biên chế so với năm 2025."
    figures = extract_document(document_from_text(text), "rules").figures
    assert {f.org for f in figures} == {"UBND tỉnh"} and {f.basis for f in figures} == {"planned"}


@pytest.mark.parametrize(("base", "findings"), [("18.630", 0), ("18.640", 1)])
def test_assemble_records_bracketed_base_level_measures_what_the_change_measures(base: str, findings: int) -> None:
    text = f"Số lượng người làm việc năm 2025 là 18.420 người, giảm 210 người so với năm 2024 ({base} người)."
    result = extract_document(document_from_text(text), "rules")
    level = result.figures[-1]
    assert (level.kind, level.unit, level.category, level.year) == ("level", "người làm việc", "public_employees", 2024)
    assert len(result.findings) == findings  # 18.420 − 18.640 ≠ −210 is flagged


def test_assemble_records_rate_unit_is_percent_and_category_the_staff() -> None:
    (fig,) = extract_document(document_from_text("Đến năm 2026, giảm tối thiểu 20% công chức so với năm 2021."), "rules").figures
    assert (fig.kind, fig.unit, fig.category, fig.value) == ("rate", "%", "officials", -20.0)


@pytest.mark.parametrize("cue", ["thiếu", "vượt", "thấp hơn"])
def test_assemble_records_gap_between_measures_is_a_count_of_no_basis(cue: str) -> None:
    text = f"Năm 2025, số công chức có mặt là 3.985 người, {cue} 135 người so với số được giao."
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.kind, f.basis) for f in figures] == [(3985, "level", "actual"), (135, "count", None)]


_PLAN = ("KẾ HOẠCH\nTinh giản biên chế giai đoạn 2022 - 2026\n\n1. Biên chế công chức\n"
         "Năm 2021, tổng biên chế được giao là 2.100 biên chế. Đến năm 2026 còn 1.995 biên chế, giảm 105 biên chế.\n"
         "2. Số lượng người làm việc\nNăm 2021 là 24.500 người; đến năm 2026 còn 22.050 người, giảm 2.450 người.\n"
         "3. Biên chế công chức, viên chức\nNăm 2021 là 26.600 biên chế.\n")


def test_assemble_records_numbered_headings_give_category_and_staff_sense() -> None:
    figures = extract_document(document_from_text(_PLAN), "rules").figures
    assert [(f.value, f.year, f.category) for f in figures] == [
        (2100, 2021, "officials"), (1995, 2026, "officials"), (-105, 2026, "officials"),
        (24500, 2021, "public_employees"), (22050, 2026, "public_employees"), (-2450, 2026, "public_employees"),
        (26600, 2021, "total"),  # a heading naming two categories gives none
    ]


def test_assemble_records_stage_words_are_no_org_and_a_change_is_its_after_units() -> None:
    text = "Tỉnh Bắc An có 120 xã, phường, thị trấn; sau sắp xếp còn 45 xã, phường (giảm 75 đơn vị, tương ứng 62,5%)."
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.org) for f in figures] == [(120, "Tỉnh Bắc An"), (45, "Tỉnh Bắc An"), (-75, "Tỉnh Bắc An")]
    assert figures[-1].rate_percent == -62.5


def test_assemble_records_national_breakdown_of_a_measure_subject() -> None:
    text = ("Tổng số cán bộ, công chức, viên chức trong cả nước là 2.023.123 người, trong đó cán bộ, công chức là "
            "258.000 người, viên chức là 1.765.123 người.")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.kind, f.category, f.org, f.parent) for f in figures] == [
        ("level", "total", "cả nước", None), ("level", "officials", "cả nước", "f1"), ("level", "public_employees", "cả nước", "f1")]


def _fields(text: str) -> list[tuple[float, str | None, str | None, str | None]]:
    return [(f.value, f.unit, f.category, f.org) for f in extract_document(document_from_text(text), "rules").figures]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Giao biên chế công chức trong các cơ quan hành chính của tỉnh năm 2025 là 2.345 biên chế, cụ thể:\n"
         "- Sở Tài chính: 78 biên chế;\n- Sở Nội vụ: 60 biên chế.",
         [(2345, "biên chế", "officials", "các cơ quan hành chính của tỉnh"), (78, "biên chế", "officials", "Sở Tài chính"),
          (60, "biên chế", "officials", "Sở Nội vụ")]),
        ("Tổng biên chế công chức được giao là 1.950 biên chế, số công chức hiện có là 1.874 người.",
         [(1950, "biên chế", "officials", None), (1874, "người", "officials", None)]),
        ("Số lượng người làm việc trong các đơn vị sự nghiệp công lập được giao là 18.230 người; số có mặt là 17.502 người.",
         [(18230, "người làm việc", "public_employees", "các đơn vị sự nghiệp công lập"),
          (17502, "người làm việc", "public_employees", "các đơn vị sự nghiệp công lập")]),
        ("Cán bộ, công chức cấp xã của tỉnh Hòa An trước sắp xếp là 3.586 người; sau sắp xếp đã bố trí 3.190 người "
         "vào các chức danh tại các xã, phường mới, số dôi dư là 396 người.",
         [(3586, "người", "commune_officials", "tỉnh Hòa An"), (3190, "người", "commune_officials", "tỉnh Hòa An"),
          (396, "người", "commune_officials", "tỉnh Hòa An")]),
    ],
)
def test_assemble_records_later_figures_of_a_sentence_measure_the_same_staff(
        text: str, expected: list[tuple[float, str | None, str | None, str | None]]) -> None:
    assert _fields(text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2024 đã tinh giản 46 người, đạt 2,4% so với biên chế được giao năm 2021.",
        "Năm 2024 đã tinh giản 46 người (đạt 2,4%) so với năm 2021.",
    ],
)
def test_assemble_records_rate_reached_by_a_change_and_its_base_year(sentence: str) -> None:
    (change,) = extract_document(document_from_text(sentence), "rules").figures
    assert (change.value, change.rate_percent, change.base_year) == (-46, -2.4, 2021)


_STEPS_PLAN = ("KẾ HOẠCH\nTinh giản biên chế giai đoạn 2022 - 2026 của tỉnh Phú An\n"
         "Năm 2022 giảm 45 biên chế công chức; năm 2023 giảm 40 biên chế và năm 2024 giảm 38 biên chế. "
         "Năm 2021 đã giảm 30 biên chế công chức.\n")


def test_assemble_records_plan_steps_are_planned_of_the_first_named_staff_and_the_title_province() -> None:
    figures = extract_document(document_from_text(_STEPS_PLAN), "rules").figures
    assert [(f.value, f.category, f.basis, f.org) for f in figures[:3]] == [
        (-45, "officials", "planned", "tỉnh Phú An"), (-40, "officials", "planned", "tỉnh Phú An"),
        (-38, "officials", "planned", "tỉnh Phú An")]
    assert figures[3].basis != "planned"  # "đã giảm": done, not planned


@pytest.mark.parametrize(
    ("sentence", "org", "year"),
    [
        ("Bộ Nội vụ đề nghị giao 2.100 biên chế công chức cho các cơ quan của tỉnh trong năm 2026.", "các cơ quan của tỉnh", 2026),
        ("Theo báo cáo của Bộ Nội vụ, năm 2024 cả nước đã tinh giản 72.000 người.", "cả nước", 2024),
        ("Năm 2024, tỉnh Hòa An đã tinh giản 720 người.", "tỉnh Hòa An", 2024),
    ],
)
def test_assemble_records_whose_staff_a_given_or_reduced_quota_is(sentence: str, org: str, year: int) -> None:
    (figure,) = extract_document(document_from_text(sentence), "rules").figures
    assert (figure.org, figure.year) == (org, year)


@pytest.mark.parametrize("text", [
    "Đến năm 2026, tinh giản tối thiểu 5% biên chế công chức và tối thiểu 10% biên chế viên chức so với năm 2022.",
    "Biên chế công chức giảm ít nhất 5%, biên chế viên chức hưởng lương từ ngân sách giảm ít nhất 10% so với năm 2022.",
])
def test_assemble_records_rates_joined_by_va_share_the_base_year(text: str) -> None:
    assert [f.base_year for f in extract_document(document_from_text(text), "rules").figures] == [2022, 2022]


def test_assemble_records_the_document_speaking_of_itself_is_its_own_unit() -> None:
    text = "ỦY BAN NHÂN DÂN\nTỈNH VĨNH AN\nBÁO CÁO\nNăm 2025, toàn tỉnh đã tinh giản 354 người.\n"
    (figure,) = extract_document(document_from_text(text), "rules").figures
    assert figure.org == "tỉnh Vĩnh An"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Tại Sở Nội vụ, số công chức có mặt là 52 người.", [("Sở Nội vụ", "officials")]),
        ("Đối với khối Đảng, đoàn thể: biên chế được giao là 620 biên chế, có mặt 598 người.",
         [("khối Đảng, đoàn thể", "total"), ("khối Đảng, đoàn thể", "total")]),
        ("Năm 2025, Sở Y tế được giao 120 biên chế công chức; hiện có 112 công chức, còn 8 biên chế chưa tuyển dụng.",
         [("Sở Y tế", "officials")] * 3),
        ("Theo Quyết định số 15/QĐ-UBND, biên chế công chức của Văn phòng Ủy ban nhân dân tỉnh là 45 biên chế.",
         [("Văn phòng Ủy ban nhân dân tỉnh", "officials")]),
        ("Bộ Nội vụ thông tin, tổng số biên chế công chức của các bộ, ngành Trung ương năm 2025 là 98.500 biên chế.",
         [("các bộ, ngành Trung ương", "officials")]),
        ("Hỏi: Huyện Tân Phú được giao bao nhiêu biên chế? Trả lời: Theo Quyết định số 45/QĐ-UBND của UBND tỉnh, "
         "huyện Tân Phú được giao 215 biên chế công chức.", [("huyện Tân Phú", "officials")]),
        ("Biên chế công chức của Sở Tài chính là 85 biên chế, trong đó văn phòng Sở 60 biên chế, "
         "Chi cục Tài chính doanh nghiệp 25 biên chế.",
         [("Sở Tài chính", "officials"), ("văn phòng Sở", "officials"), ("Chi cục Tài chính doanh nghiệp", "officials")]),
        ("Năm 2025, Sở Y tế được Ủy ban nhân dân tỉnh giao 245 biên chế công chức.", [("Sở Y tế", "officials")]),
        ("Thực hiện Kết luận số 40-KL/TW, ngày 18/7/2022 của Bộ Chính trị, biên chế của Sở Nội vụ năm 2024 là 45 biên chế.",
         [("Sở Nội vụ", "total")]),
    ],
)
def test_assemble_records_leads_that_name_a_place_a_source_or_a_speaker(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.org, f.category) for f in extract_document(document_from_text(sentence), "rules").figures] == expected


def test_assemble_records_who_a_figure_is_quoted_from_is_not_whose_it_is() -> None:
    text = "Theo Bộ Nội vụ, sau sắp xếp, cả nước còn 3.321 đơn vị hành chính cấp xã, gồm 2.621 xã và 700 phường."
    assert {f.org for f in extract_document(document_from_text(text), "rules").figures} == {"cả nước"}


def test_assemble_records_basis_named_in_the_comparison_is_the_bases() -> None:
    (rate,) = extract_document(document_from_text("Năm 2025 giảm 10% biên chế so với số được giao năm 2021."), "rules").figures
    assert (rate.basis, rate.base_year) == (None, 2021)


def test_assemble_records_a_modal_alone_is_no_org() -> None:
    text = "ỦY BAN NHÂN DÂN\nTỈNH HÒA LÂM\n\nBÁO CÁO\n\nDự kiến năm 2026 giao 2.402 biên chế công chức."
    assert [f.org for f in extract_document(document_from_text(text), "rules").figures] == ["tỉnh Hòa Lâm"]


def test_assemble_records_present_state_of_an_undated_page_holds_for_its_latest_cited_act() -> None:
    text = ("# Danh sách xã sau sáp nhập\n\nCăn cứ Nghị định 226/2025/NĐ-CP và Nghị quyết 81/2023/QH15, "
            "sau sáp nhập tỉnh có 64 xã.\n\nNăm 1831, tỉnh có 2 phủ.")
    assert [(f.value, f.year) for f in extract_document(document_from_text(text), "rules").figures] == [(64, 2025), (2, 1831)]


@pytest.mark.parametrize(
    ("text", "year", "org"),
    [
        ("Từ năm 2022 đến nay, toàn tỉnh Hòa An đã tinh giản được 1.023 người.", None, "toàn tỉnh Hòa An"),
        ("- Nghỉ hưu trước tuổi: 45 người;\n- Thôi việc ngay: 12 người.", None, None),
    ],
)
def test_assemble_records_running_totals_and_ways_of_leaving(text: str, year: int | None, org: str | None) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert {(f.year, f.org) for f in figures} == {(year, org)}


def test_assemble_records_a_province_page_counts_its_own_units_in_its_infobox() -> None:
    text = ("# Bắc Ninh\n\n| Tỉnh | | |\n|---|---|---|\n| Vùng | Đồng bằng sông Hồng | |\n"
            "| Phân chia hành chính | 33 phường, 66 xã | |\n\nNgày 12/6/2025, Quốc hội ban hành Nghị quyết sắp xếp.\n")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.org, f.year) for f in figures] == [(33, "tỉnh Bắc Ninh", 2025), (66, "tỉnh Bắc Ninh", 2025)]


def test_assemble_records_a_rate_after_a_level_is_of_its_staff() -> None:
    text = "Năm 2022, tổng biên chế công chức của các cơ quan hành chính là 253.046 biên chế, giảm 10,01% so với năm 2015."
    rate = next(f for f in extract_document(document_from_text(text), "rules").figures if f.kind == "rate")
    assert (rate.category, rate.base_year) == ("officials", 2015)


@pytest.mark.parametrize(("cut", "errors"), [("120", 0), ("110", 1)])
def test_assemble_records_a_plans_levels_of_two_years_and_their_change(cut: str, errors: int) -> None:
    text = ("KẾ HOẠCH\nTinh giản biên chế\n\n1. Biên chế công chức: năm 2021 được giao 2.400 biên chế; "
            f"đến năm 2026 còn 2.280 biên chế, giảm {cut} biên chế.")
    result = extract_document(document_from_text(text), "rules")
    change = next(f for f in result.figures if f.kind == "change")
    target = next(f for f in result.figures if f.value == 2280)
    assert (change.year, change.base_year, target.basis) == (2026, 2021, "planned")
    assert len([f for f in result.all_findings() if f.severity == "error"]) == errors


@pytest.mark.parametrize(
    ("sentence", "bases"),
    [("Trong năm 2025, Bộ đã tuyển dụng 12 công chức và thực hiện tinh giản 9 người.", [None, None]),
     ("Số công chức đã tuyển dụng là 1.200 người.", ["actual"]),
     ("Số người hoạt động không chuyên trách hiện có là 1.347 người, giảm 64 người so với năm 2023.", ["actual", "actual"]),
     ("Ngoài ra, năm 2025 tỉnh giảm 1.065 người làm việc so với năm 2021.", ["assigned"]),
     ("Ngoài số biên chế được giao, các cơ quan còn ký 45 hợp đồng lao động làm công việc hỗ trợ.", [None]),
     ("Số người làm việc được giao: Trường A 45 người, Trường B 60 người.", ["assigned", "assigned"]),
     ("Các sở đã tuyển dụng mới 17 công chức thông qua thi tuyển và tiếp nhận 4 viên chức.", [None, None]),
     ("Kế hoạch biên chế năm 2026 của Sở Y tế: 1.240 người làm việc.", ["planned"]),
     ("UBND tỉnh giao kế hoạch biên chế năm 2026 cho Sở Y tế là 1.240 người làm việc.", ["assigned"])],
)
def test_assemble_records_basis_of_recruits_headcounts_and_their_changes(sentence: str, bases: list[str | None]) -> None:
    assert [f.basis for f in extract_document(document_from_text(sentence), "rules").figures] == bases


def test_assemble_records_a_change_fronted_by_its_base_year_continues_the_level_before() -> None:
    text = "Năm 2025, Sở Y tế được giao 3.120 người làm việc. So với năm 2024, giảm 62 người."
    change = extract_document(document_from_text(text), "rules").figures[-1]
    assert (change.value, change.unit, change.category, change.org, change.base_year) == (
        -62, "người làm việc", "public_employees", "Sở Y tế", 2024)


def test_assemble_records_a_plans_capitalised_den_nam_reaches_a_planned_level() -> None:
    text = ("TỈNH ỦY LONG AN\n\nSố 210-KH/TU\n\nKẾ HOẠCH\nThực hiện Quyết định số 72-QĐ/TW\n\nI. MỤC TIÊU\n"
            "1. Đến năm 2026, tổng biên chế của hệ thống chính trị tỉnh là 37.512 biên chế.\n")
    figure = extract_document(document_from_text(text), "rules").figures[0]
    assert (figure.year, figure.basis) == (2026, "planned")


def test_assemble_records_a_lead_line_until_a_year_dates_its_items() -> None:
    text = "- Đến năm 2021:\n\n(4) Giảm tối thiểu 10% biên chế so với năm 2015.\n"
    figure = extract_document(document_from_text(text), "rules").figures[0]
    assert (figure.kind, figure.year, figure.base_year) == ("rate", 2021, 2015)


def test_assemble_records_clauses_of_no_subject_keep_the_sentences_and_a_listed_measure_its_basis() -> None:
    text = ("Theo báo cáo của Sở Nội vụ, năm 2024 tỉnh Quảng Trị đã tinh giản 412 người, vượt 12% so với kế hoạch; "
            "tổng số biên chế công chức hiện có là 2.876 người, viên chức là 21.340 người.")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.org, f.basis) for f in figures] == [
        (-412, "tỉnh Quảng Trị", None), (2876, "tỉnh Quảng Trị", "actual"), (21340, "tỉnh Quảng Trị", "actual")]


def test_assemble_records_all_the_bodies_together_are_the_documents_unit_and_a_bracketed_change_its_counts_year() -> None:
    text = ("ỦY BAN NHÂN DÂN TỈNH LONG AN\n\nSố: 1/BC-UBND\n\nLong An, ngày 1 tháng 7 năm 2025\n\nBÁO CÁO\n\n"
            "Sau sắp xếp, các cơ quan còn 11 chi cục (giảm 7 chi cục) và 34 đơn vị sự nghiệp công lập trực thuộc.")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.org, f.year) for f in figures] == [
        (11, "tỉnh Long An", 2025), (-7, "tỉnh Long An", 2025), (34, "tỉnh Long An", 2025)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ủy ban nhân dân tỉnh đề nghị Bộ Nội vụ thẩm định, giao 2.980 biên chế công chức năm 2026 cho tỉnh.",
         [(2980, "planned", 2026)]),
        ("Xét đề nghị của Giám đốc Sở Nội vụ, Ủy ban nhân dân tỉnh giao 2.980 biên chế công chức năm 2026.",
         [(2980, "assigned", 2026)]),
        ("Dự kiến sau sắp xếp năm 2025, tỉnh còn 102 đơn vị hành chính cấp xã, giảm 97 đơn vị.",
         [(102, "planned", 2025), (-97, "planned", 2025)]),
        ("Năm 2025, huyện hiện đang quản lý 1.560 viên chức.", [(1560, "actual", 2025)]),
        ("Biên chế công chức được cấp có thẩm quyền phân bổ năm 2025 là 1.420 biên chế; số công chức hiện có 1.398 người.",
         [(1420, "assigned", 2025), (1398, "actual", 2025)]),
    ],
)
def test_assemble_records_basis_of_proposals_projections_and_headcounts(text: str, expected: list[tuple[float, str, int | None]]) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.basis, f.year) for f in figures] == expected


@pytest.mark.parametrize("text", [
    "Kế hoạch tinh giản biên chế giai đoạn 2022-2026 của tỉnh đặt mục tiêu giảm tối thiểu 5% biên chế công chức so với năm 2021.",
    "TỈNH ỦY LONG AN\n\nSố 10-KH/TU\n\nKẾ HOẠCH\nTinh giản biên chế giai đoạn 2022-2026\n\nI. MỤC TIÊU\n"
    "Giảm tối thiểu 5% biên chế công chức so với năm 2021.",
])
def test_assemble_records_a_plans_rate_of_no_year_is_a_target_for_its_periods_end(text: str) -> None:
    (figure,) = extract_document(document_from_text(text), "rules").figures
    assert (figure.kind, figure.year, figure.period, figure.base_year) == ("rate", 2026, "2022-2026", 2021)


def test_assemble_records_a_compared_measure_in_brackets_is_no_part_and_a_plan_compared_with_no_title() -> None:
    text = ("Số lượng viên chức có mặt đến ngày 31/12/2024 là 21.340 người, thấp hơn 1.120 người so với số được giao "
            "(22.460 người). Giai đoạn 2021-2025, toàn tỉnh đã tinh giản được 1.458 người, đạt 102% so với kế hoạch; "
            "trong đó năm 2021 tinh giản 302 người.")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.parent, f.year) for f in figures] == [
        (21340, None, 2024), (1120, None, 2024), (22460, None, 2024), (-1458, None, None), (-302, None, 2021)]


def test_assemble_records_a_bracketed_base_level_of_a_staff_change_is_of_that_staff() -> None:
    text = "Năm 2025, tỉnh được giao 371 biên chế công chức, giảm 9 biên chế so với năm 2024 (380 biên chế)."
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.category, f.year) for f in figures] == [(371, "officials", 2025), (-9, "officials", 2025),
                                                                 (380, "officials", 2024)]


def test_assemble_records_staff_joined_by_va_after_one_verb_share_its_basis() -> None:
    figures = extract_document(document_from_text("Toàn tỉnh hiện có 1.845 công chức và 21.336 viên chức."), "rules").figures
    assert [(f.value, f.kind, f.basis) for f in figures] == [(1845, "level", "actual"), (21336, "level", "actual")]


def test_assemble_records_people_of_a_plans_two_years_are_one_measure_and_parts_keep_their_wholes_basis() -> None:
    text = ("KẾ HOẠCH\nTinh giản biên chế giai đoạn 2025 - 2030\n\n"
            "2. Số lượng người làm việc\nNăm 2025 được giao 26.500 người; đến năm 2030 còn 23.850 người, giảm 2.650 người.\n"
            "Năm 2024, toàn tỉnh đã tinh giản 245 người, trong đó: công chức 32 người, viên chức 198 người.")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.kind, f.basis) for f in figures] == [
        (26500, "level", "assigned"), (23850, "level", "planned"), (-2650, "change", "planned"),
        (-245, "change", None), (-32, "change", None), (-198, "change", None)]
    assert figures[2].before_after == (figures[0].id, figures[1].id) and figures[2].base_year == 2025


def test_assemble_records_a_headcount_of_a_quota_written_x_of_y_is_actual() -> None:
    text = "Đến ngày 31/12/2024, tổng số biên chế công chức có mặt là 2.150/2.245 biên chế được giao."
    (fig,) = extract_document(document_from_text(text), "rules").figures
    assert (fig.value, fig.basis) == (2150, "actual")


def test_assemble_records_past_a_shares_clause_people_are_of_the_wholes_staff() -> None:
    text = ("Năm 2025, Bộ được giao 520 biên chế công chức, trong đó lãnh đạo, quản lý 85 người; hiện có 504 người, "
            "còn 16 biên chế chưa tuyển dụng.")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.category) for f in figures] == [(520, "officials"), (85, "leaders"), (504, "officials"), (16, "officials")]


@pytest.mark.parametrize(("text", "org"), [
    ("Phường Quang Trung được thành lập theo Nghị quyết của Ủy ban Thường vụ Quốc hội trên cơ sở sáp nhập quy mô dân số "
     "của 3 phường Bắc Sơn, Ngọc Trạo, Phú Sơn cùng xã Quang Trung từng thuộc thị xã Bỉm Sơn.", "thị xã Bỉm Sơn"),
    ("Năm 2024, UBND tỉnh quy hoạch khu du lịch trên địa bàn 4 phường: Hoa Lư, Tây Hoa Lư, Nam Hoa Lư, Yên Sơn thuộc tỉnh "
     "Ninh Bình.", "tỉnh Ninh Bình")])
def test_assemble_records_units_belong_to_the_place_named_after_them_not_to_a_body_before(text: str, org: str) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert [f.org for f in figures] == [org]


def test_assemble_records_a_change_past_the_shares_is_the_wholes() -> None:
    text = ("Năm 2025 giao cho tỉnh Hòa An 3.215 biên chế công chức, trong đó cấp tỉnh 1.890 biên chế, cấp huyện 1.325 biên chế; "
            "giảm 65 biên chế so với năm 2024.")
    figures = extract_document(document_from_text(text), "rules").figures
    assert (figures[-1].value, figures[-1].org) == (-65, figures[0].org) and figures[-1].org != "cấp huyện"


def test_assemble_records_a_rate_and_its_count_after_a_level_are_that_levels() -> None:
    text = ("Sở Nội vụ đề xuất năm 2026 giao 1.180 biên chế công chức cho các cơ quan hành chính, giảm 2% so với năm 2025 "
            "(giảm 24 biên chế).")
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.org, f.basis) for f in figures] == [
        (1180, "các cơ quan hành chính", "planned"), (-2, "các cơ quan hành chính", "planned"),
        (-24, "các cơ quan hành chính", "planned")]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Vào ngày 14 tháng 2 năm 2025, Bộ Chính trị kết luận. Thủ tướng cho biết dự kiến giảm 50% đơn vị hành chính cấp tỉnh.", 2025),
        ("Thủ tướng cho biết dự kiến giảm 50% đơn vị hành chính cấp tỉnh.", None),
    ],
)
def test_assemble_records_rate_takes_the_narrative_year(text: str, year: int | None) -> None:
    (figure,) = extract_document(document_from_text(text), "rules").figures
    assert (figure.kind, figure.year) == ("rate", year)


def test_assemble_records_part_without_category_takes_its_wholes() -> None:
    text = "Tuyển dụng 70 chỉ tiêu công chức, gồm 60 chỉ tiêu tuyển dụng theo hình thức thi tuyển và 10 chỉ tiêu tuyển dụng theo hình thức xét tuyển."
    figures = extract_document(document_from_text(text), "rules").figures
    assert [(f.value, f.category, bool(f.parent)) for f in figures] == [
        (70.0, "officials", False), (60.0, "officials", True), (10.0, "officials", True)]


def test_assemble_records_clause_with_its_own_measure_takes_no_org_of_the_clause_before() -> None:
    text = ("Năm 2025, số cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh giảm từ 17 cơ quan xuống còn 13 cơ quan; "
            "số đơn vị sự nghiệp công lập giảm 28 đơn vị so với năm 2024.")
    result = extract_document(document_from_text(text), "rules")
    change = next(f for f in result.figures if f.value == -28)
    assert change.org != "Ủy ban nhân dân tỉnh"
    assert not [f for f in result.all_findings() if f.severity == "error"]


def test_assemble_records_a_summary_reports_cut_off_date_dates_the_present_state_of_a_news_page() -> None:
    text = ("# Cả nước giảm hơn 309 nghìn người\n\n*Thời sự - Thứ Năm, 08/01/2026 09:15*\n\n"
            "Theo báo cáo tổng kết công tác năm 2025 của Bộ Nội vụ, đến ngày 31/12/2025 tổng số cán bộ, công chức, "
            "viên chức trong cả nước là 2.143.560 người.\n\nỞ cấp cơ sở, cả nước hiện có 3.318 đơn vị hành chính cấp xã.\n")
    years = {f.value: f.year for f in extract_document(document_from_text(text), "rules").figures}
    assert years[3318] == 2025


def test_assemble_records_a_change_against_a_base_year_holds_to_the_cut_off_date() -> None:
    text = ("*Thời sự - Thứ Năm, 08/01/2026 09:15*\n\nTheo báo cáo tổng kết công tác năm 2025 của Bộ Nội vụ, đến ngày "
            "31/12/2025 tổng số cán bộ, công chức, viên chức trong cả nước là 2.143.560 người.\n\n"
            "So với năm 2015, biên chế công chức giảm 10,1%.\n")
    rate = next(f for f in extract_document(document_from_text(text), "rules").figures if f.kind == "rate")
    assert (rate.year, rate.base_year) == (2025, 2015)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Tổng số 2.143.560 người nêu trên gồm 241.320 cán bộ, công chức và 1.902.240 viên chức.", ["level"] * 3),
        ("Năm 2024 có 486 người nghỉ hưu, gồm 100 công chức và 386 viên chức.", ["count"] * 3),
    ],
)
def test_assemble_records_a_total_of_people_listed_by_staff_category_is_a_staffing_level(text: str, kinds: list[str]) -> None:
    figures = extract_document(document_from_text(text), "rules").figures
    assert [f.kind for f in figures] == kinds
    assert [bool(f.parent) for f in figures] == [False, True, True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Năm 2025 tỉnh đã tinh giản 128 người, gồm 41 công chức và 87 viên chức.", [None, "officials", "public_employees"]),
        ("Tỉnh được giao 2.118 biên chế công chức, trong đó cấp tỉnh 1.137 biên chế và chính quyền cấp xã 981 biên chế.",
         ["officials", "officials", "commune_officials"]),
    ],
)
def test_assemble_records_staff_of_parts(text: str, expected: list[str | None]) -> None:
    categories = [f.category for f in extract_document(document_from_text(text), "rules").figures]
    assert categories == ["total" if c is None else c for c in expected[:1]] + expected[1:]
