"""Record assembly: cue words, table rows as parts and totals, years and orgs from context."""

from __future__ import annotations

import pytest

from extractor.assemble.cues import basis_of, caption_basis, category_of
from extractor.document import document_from_text
from extractor.models import DocumentResult, Figure
from extractor.pipeline import extract_document


def _result(text: str) -> DocumentResult:
    return extract_document(document_from_text(text), "rules")


def _by_text(figures: list[Figure], text: str) -> Figure:
    (fig,) = [f for f in figures if f.text == text]
    return fig


@pytest.mark.parametrize(
    ("phrase", "basis"),
    [
        ("Biên chế được giao", "assigned"), ("giao", "assigned"), ("chỉ tiêu biên chế", "assigned"),
        ("phân bổ", "assigned"), ("Số có mặt", "actual"), ("hiện có", "actual"), ("đang làm việc", "actual"),
        ("Dự kiến năm 2026", "planned"), ("được giao nhưng hiện có", "actual"), ("Sở Nội vụ", None),
        ("Năm 2024", None), ("giao thông", None), ("bàn giao", None),
        ("dự kiến giao", "planned"), ("đề nghị giao", "planned"),
    ],
)
def test_assemble_basis_of(phrase: str, basis: str | None) -> None:
    assert basis_of(phrase) == basis


@pytest.mark.parametrize(
    ("phrase", "category"),
    [
        ("Công chức", "officials"), ("Viên chức", "public_employees"), ("cán bộ, công chức", "officials"),
        ("cán bộ, công chức cấp xã", "commune_officials"), ("hợp đồng lao động", "contract_workers"),
        ("Tổng số", "total"), ("Tổng cộng", "total"), ("biên chế", "total"), ("Sở Nội vụ", None), ("Năm 2024", None),
    ],
)
def test_assemble_category_of(phrase: str, category: str | None) -> None:
    assert category_of(phrase) == category


REPORT = (
    "Tình hình thực hiện biên chế như sau:\n\n"
    "| STT | Chỉ tiêu | Đơn vị tính | Số lượng |\n"
    "|---|---|---|---|\n"
    "| 1. | Tổng số biên chế được giao | Biên chế | 520 |\n"
    "| 1.1 | Biên chế công chức | Biên chế | 200 |\n"
    "| a) | Cấp tỉnh | Biên chế | 120 |\n"
    "| b) | Cấp huyện | Biên chế | 80 |\n"
    "| 1.2 | Biên chế viên chức | Biên chế | 320 |\n"
    "| 2. | Số có mặt | Người | 480 |\n"
    "| | Trong đó: nữ | Người | 210 |\n"
)


def test_assemble_report_table_nesting_and_partial() -> None:
    figures = _result(REPORT).figures
    v = {f.value: f for f in figures}
    assert v[200].parent == v[520].id and v[320].parent == v[520].id
    assert v[120].parent == v[200].id and v[80].parent == v[200].id
    assert v[210].parent == v[480].id and v[210].partial
    assert not v[200].partial and v[480].parent is None
    assert (v[520].basis, v[200].basis, v[480].basis) == ("assigned", "assigned", "actual")
    assert (v[200].category, v[320].category) == ("officials", "public_employees")
    assert all(f.org is None for f in figures)  # a report table's rows are measures, not orgs
    assert (v[480].unit, v[520].unit) == ("người", "biên chế")


def test_assemble_report_table_consistent_sums_no_error() -> None:
    assert [x for x in _result(REPORT).findings if x.rule == "sum"] == []


def _org_table(total: str) -> str:
    return ("Biên chế công chức các sở năm 2024\n\n"
            "STT | Tên đơn vị | Biên chế được giao\n"
            "1 | Sở Công Thương | 40\n2 | Sở Tư pháp | 50\n3 | Sở Khoa học và Công nghệ | 30\n"
            f" | Tổng cộng | {total}\n")


@pytest.mark.parametrize(("total", "errors"), [("120", 0), ("125", 1)])
def test_assemble_org_table_total_is_whole(total: str, errors: int) -> None:
    result = _result(_org_table(total))
    whole = _by_text(result.figures, total)
    parts = [f for f in result.figures if f.parent == whole.id]
    assert sorted(f.org or "" for f in parts) == ["Sở Công Thương", "Sở Khoa học và Công nghệ", "Sở Tư pháp"]
    assert whole.org is None and whole.basis == "assigned"
    sums = [x for x in result.findings if x.rule == "sum" and x.severity == "error"]
    assert len(sums) == errors
    if errors:
        assert sums[0].stated == 125 and sums[0].computed == 120


def test_assemble_org_table_without_numbering_has_no_nesting() -> None:
    result = _result("Biên chế công chức giao năm 2024 như sau:\n\nĐơn vị | Biên chế năm 2024\n"
                     "Sở Giáo dục và Đào tạo | 950\nSở Y tế | 1.200\nSở Nông nghiệp và Môi trường | 1.100\n")
    assert all(f.parent is None for f in result.figures)
    assert [x for x in result.findings if x.rule == "sum"] == []


def test_assemble_table_counting_units_without_year_gives_counts() -> None:
    result = _result("Cơ cấu tổ chức các chi cục như sau:\n\nSTT | Tên đơn vị | Số lượng phòng, đội | Số lượng trạm\n"
                     "1 | Chi cục Kiểm lâm vùng I | 03 | 2\n2 | Chi cục Kiểm lâm vùng II | 04 | 1\n")
    got = {(f.org, f.unit, f.kind): f.value for f in result.figures}
    assert got == {("Chi cục Kiểm lâm vùng I", "phòng", "count"): 3, ("Chi cục Kiểm lâm vùng II", "phòng", "count"): 4}


def test_assemble_assigned_and_actual_columns_give_basis() -> None:
    result = _result("Biên chế công chức các sở năm 2024\n\nSTT | Tên đơn vị | Được giao | Có mặt\n"
                     "1 | Sở Công Thương | 40 | 38\n2 | Sở Tư pháp | 50 | 47\n")
    got = {(f.org, f.basis): f.value for f in result.figures}
    assert got == {("Sở Công Thương", "assigned"): 40, ("Sở Công Thương", "actual"): 38,
                   ("Sở Tư pháp", "assigned"): 50, ("Sở Tư pháp", "actual"): 47}
    assert not [x for x in result.findings if x.rule == "actual_above_assigned"]


def test_assemble_heading_year_applies_under_it() -> None:
    figures = _result("II. Kết quả thực hiện\n2.1. Năm 2024\nSở Tư pháp được giao 42 biên chế công chức.\n"
                      "2.2. Năm 2025\nSở Tư pháp được giao 41 biên chế công chức.\n").figures
    assert [(f.value, f.year, f.org) for f in figures] == [(42, 2024, "Sở Tư pháp"), (41, 2025, "Sở Tư pháp")]


def test_assemble_own_year_beats_heading_year() -> None:
    (fig,) = _result("2.1. Năm 2024\nNăm 2023, Sở Tư pháp được giao 43 biên chế công chức.\n").figures
    assert fig.year == 2023


def test_assemble_report_title_year_for_yearless_figure() -> None:
    (fig,) = _result("Báo cáo tình hình quản lý biên chế năm 2025\n\nSở Xây dựng được giao 64 biên chế công chức.\n").figures
    assert fig.year == 2025


def test_assemble_report_title_on_two_lines() -> None:
    (fig,) = _result("BÁO CÁO\nTình hình quản lý biên chế năm 2025\n\nSở Xây dựng được giao 64 biên chế công chức.\n").figures
    assert fig.year == 2025


def test_assemble_no_title_no_year() -> None:
    (fig,) = _result("Sở Xây dựng được giao 64 biên chế công chức.\n").figures
    assert fig.year is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Năm 2024, các địa phương đã phân bổ biên chế 350 biên chế.", 350),
        ("Năm 2024, tổng số 126 xã được giao 1.500 biên chế.", 1500),
        ("Năm 2024, tổng số 126 xã được giao 1.500 biên chế.", 126),
        ("Năm 2024, Ủy ban Pháp luật thẩm tra 500 biên chế của các bộ.", 500),
    ],
)
def test_assemble_fragment_or_count_org_is_dropped(text: str, value: float) -> None:
    fig = next(f for f in _result(text).figures if f.value == value)
    assert fig.org is None
    assert fig.year == 2024


def test_assemble_recipient_is_whose_the_quota_is_not_the_clause_before() -> None:
    fig = next(f for f in _result("Năm 2024, các địa phương đã phân bổ biên chế 350 biên chế cho cấp xã.").figures)
    assert (fig.org, fig.year) == ("cấp xã", 2024)


def test_assemble_real_org_is_kept() -> None:
    (fig,) = _result("Năm 2024, Ủy ban nhân dân huyện Cần Giờ được giao 310 biên chế.").figures
    assert fig.org is not None and "Cần Giờ" in fig.org


def test_assemble_nested_row_takes_basis_of_row_above() -> None:
    result = _result("Kết quả năm 2025 theo biểu sau:\n\n| STT | Chỉ tiêu | Đơn vị tính | Số lượng |\n|---|---|---|---|\n"
                     "| 1. | Tổng số biên chế được giao năm 2025 | | |\n| 1.1. | Biên chế công chức | Biên chế | 120 |\n")
    assert [(f.value, f.basis, f.year) for f in result.figures] == [(120, "assigned", 2025)]


def test_assemble_caption_is_the_paragraph_before_the_table() -> None:
    result = _result("Năm 2024, tỉnh được giao 900 biên chế, gồm cán bộ, công chức, viên chức.\n\n"
                     "Biểu 1. Biên chế công chức của các sở\n\nĐơn vị tính: biên chế\n\n"
                     "| STT | Cơ quan | Năm 2024 |\n|---|---|---|\n| 1 | Sở Y tế | 40 |\n| 2 | Sở Tư pháp | 30 |\n")
    assert [(f.value, f.category) for f in result.figures if f.text in ("40", "30")] == [(40, "officials"), (30, "officials")]


def test_assemble_change_column_takes_basis_of_its_columns() -> None:
    result = _result("| STT | Cơ quan | Biên chế giao năm 2022 | Biên chế giao năm 2024 | Giảm so với năm 2022 |\n"
                     "|---|---|---|---|---|\n| 1 | Sở Y tế | 40 | 38 | 2 |\n")
    change = _by_text(result.figures, "2")
    assert (change.kind, change.value, change.basis) == ("change", -2, "assigned")


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Tháng 8 năm 2018, Bộ thực hiện sắp xếp bộ máy.\n\nBộ giảm 6 tổng cục và 60 đơn vị cấp cục.", [2018, 2018]),
        ("Năm 2019, tỉnh thực hiện sắp xếp. Sau đó, tỉnh còn 12 huyện.", [2019]),
        ("Năm 2019, tỉnh thực hiện sắp xếp.\n\n## 2. Hiện trạng\n\nTỉnh có 12 huyện.", [None]),
        ("Theo Nghị định số 1 năm 2019, tỉnh thực hiện sắp xếp. Tỉnh có 12 huyện.", [None]),
    ],
)
def test_assemble_narrative_year_holds_after_an_opening_date(text: str, years: list[int | None]) -> None:
    assert [f.year for f in _result(text).figures] == years


def test_assemble_listed_counts_share_the_territory() -> None:
    figures = _result("Hiện nay, tỉnh Hòa Bắc có 1 thành phố, 2 thị xã và 9 huyện.").figures
    assert [(f.value, f.org) for f in figures] == [(1, "tỉnh Hòa Bắc"), (2, "tỉnh Hòa Bắc"), (9, "tỉnh Hòa Bắc")]


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("Danh sách xã phường tại 34 tỉnh thành sau sáp nhập.", "cả nước"),
        ("Năm 1831, vua chia trấn Nghệ An thành 2 tỉnh.", "trấn Nghệ An"),
    ],
)
def test_assemble_provinces_counted_without_territory_are_national_or_the_split_unit(text: str, org: str | None) -> None:
    (fig,) = [f for f in _result(text).figures if "tỉnh" in f.text]
    assert fig.org == org


def test_assemble_unheaded_infobox_column_is_no_quota() -> None:
    text = ("| Tỉnh Hòa Bắc | |\n|---|---|\n| Chủ tịch UBND | Nguyễn Văn A |\n| Cán bộ | 54 đại biểu |\n"
            "| Mã điện thoại | 239 |\n| Biển số xe | 38 |\n")
    assert [f.value for f in _result(text).figures if f.value in (239, 38)] == []


def test_assemble_measure_subject_gives_category_not_org() -> None:
    (fig,) = _result("Tổng số cán bộ, công chức cấp xã trước sắp xếp là 3.586 người.").figures
    assert (fig.org, fig.category, fig.kind) == (None, "commune_officials", "level")


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("Số công chức có mặt là 496 người trên tổng số 519 biên chế công chức được giao.", "assigned"),
        ("Đến năm 2026, giảm tối thiểu 10% biên chế công chức được giao.", "planned"),
        ("Giai đoạn 2021 - 2025, tỉnh đã giảm ít nhất 10% biên chế công chức.", None),
    ],
)
def test_assemble_basis_cue_on_the_unit_and_reduction_targets(text: str, basis: str | None) -> None:
    fig = _result(text).figures[-1]
    assert fig.basis == basis


def test_assemble_province_block_names_the_org_of_its_unit_counts() -> None:
    figures = _result("- Tỉnh Quảng Ninh: sắp xếp 41 đơn vị hành chính cấp xã (30 xã, 11 phường) để hình thành "
                      "12 đơn vị, giảm 29 đơn vị.\n- Tỉnh Bắc Ninh: sắp xếp 50 đơn vị hành chính cấp xã.\n"
                      "Năm 2020, cả nước có 10.599 xã (trong đó tỉnh Hà Tĩnh có 216 xã).").figures
    assert [f.org for f in figures] == ["Tỉnh Quảng Ninh"] * 5 + ["Tỉnh Bắc Ninh", "cả nước", "tỉnh Hà Tĩnh"]


def test_assemble_caption_category_beats_a_bare_bien_che_header() -> None:
    result = _result("Biểu 1. Biên chế công chức của các cơ quan thuộc Bộ\n\n"
                     "| STT | Cơ quan | Biên chế giao năm 2022 | Tổng số năm 2024 |\n|---|---|---|---|\n| 1 | Văn phòng Bộ | 118 | 109 |\n")
    assert [(f.value, f.category) for f in result.figures] == [(118, "officials"), (109, "total")]


def test_assemble_bracketed_level_after_base_year_is_of_that_year() -> None:
    figures = _result("Năm 2024, Bộ được giao 729 biên chế công chức, giảm 62 biên chế so với năm 2022 (791 biên chế).").figures
    assert [(f.value, f.year) for f in figures] == [(729, 2024), (-62, 2024), (791, 2022)]


def test_assemble_page_without_head_date_takes_its_latest_full_date_year() -> None:
    lead = "Bài viết tổng hợp thông tin về việc sắp xếp đơn vị hành chính cấp xã trên địa bàn. " * 20
    body = ("Ngày 24/11/2025, Ủy ban nhân dân tỉnh Cà Mau ban hành quyết định công nhận xã An toàn khu theo "
            "Nghị quyết ngày 12/6/2025.\n\nHiện nay, tỉnh Cà Mau có 64 đơn vị hành chính cấp xã.\n\n"
            "Năm 1831, vua Minh Mạng chia trấn Nghệ An thành 2 tỉnh.")
    assert [(f.value, f.year) for f in _result(f"# Danh sách xã sau sáp nhập\n\n{lead}\n\n{body}").figures] == [(64, 2025), (2, 1831)]
    assert [(f.value, f.year) for f in _result(f"# Danh sách xã sau sáp nhập\n\n{lead}\n\nHiện nay, tỉnh Cà Mau có 64 xã.").figures] == [(64, None)]


def test_assemble_reign_year_opening_ends_the_narrative_year() -> None:
    figures = _result("Năm 1991, tỉnh được tái lập.\n\nNăm Quang Thuận thứ 7, trấn gồm 9 phủ và 25 huyện.").figures
    assert [(f.value, f.year) for f in figures] == [(9, None), (25, None)]


@pytest.mark.parametrize(("total", "errors"), [("38", 0), ("39", 1)])
def test_assemble_unit_kind_columns_add_up_to_the_total_column(total: str, errors: int) -> None:
    result = _result(f"| STT | Tỉnh | Số xã | Số phường | Tổng |\n|---|---|---|---|---|\n| 1 | Lai Châu | 36 | 2 | {total} |\n")
    whole = _by_text(result.figures, total)
    assert [f.row_total for f in result.figures if f.unit in ("xã", "phường")] == [whole.id, whole.id]
    assert len([x for x in result.all_findings() if x.severity == "error"]) == errors


@pytest.mark.parametrize(
    ("title", "org"),
    [("# Bộ Hàng hải (Việt Nam)", "Bộ Hàng hải"), ("# Bộ Hàng hải hướng dẫn sắp xếp bộ máy", None)],
)
def test_assemble_page_titled_with_a_body_gives_its_unit_counts_that_org(title: str, org: str | None) -> None:
    text = f"{title}\n\nNăm 2025, 8 tổng cục được sáp nhập lại thành 6 tổng cục."
    assert {f.org for f in _result(text).figures} == {org}


def test_assemble_count_without_cue_continues_the_passage_basis() -> None:
    text = ("Theo phương án, 52 tỉnh sẽ được sáp nhập thành 23 tỉnh. Cùng với 11 tỉnh giữ nguyên.\n\n"
            "# Phần khác\n\nTỉnh có 12 xã.")
    got = {(f.value, f.basis) for f in _result(text).figures}
    assert got == {(52, "planned"), (23, "planned"), (11, "planned"), (12, None)}


@pytest.mark.parametrize(
    ("text", "value", "org"),
    [
        ("Năm 1980, Hội đồng Chính phủ ban hành Quyết định về việc hợp nhất 2 huyện Đông Sơn, Tây Sơn "
         "(trừ 2 xã Bắc An và Nam An) của tỉnh Hòa Bình thành một huyện.", 2, "tỉnh Hòa Bình"),
        ("Năm 1985, thị trấn Ngan Lớn và 3 xã: Phú Lộc, Phú Hòa, Phú An thuộc huyện Vĩnh Lợi.", 3, "huyện Vĩnh Lợi"),
        ("Năm 1979, Hội đồng Chính phủ ban hành Quyết định về việc chia xã Bình An thuộc huyện Năm Sơn "
         "thành 3 xã: Bình Đông, Bình Tây, Bình Nam.", 3, "xã Bình An"),
    ],
)
def test_assemble_unit_count_org_is_its_owner_not_the_deciding_body(text: str, value: int, org: str) -> None:
    assert {f.org for f in _result(text).figures if f.value == value} == {org}


def test_assemble_subtotal_rows_and_grand_total_over_them() -> None:
    rows = "\n".join([
        "| STT | Đơn vị | Công chức | Viên chức | Tổng |", "|---|---|---|---|---|",
        "| I | Huyện Nam Hà | | | |", "| 1 | Xã An Lạc | 10 | 5 | 15 |", "| 2 | Xã An Bình | 11 | 6 | 17 |",
        "| | Cộng huyện Nam Hà | 21 | 11 | 32 |",
        "| II | Huyện Bắc Hà | | | |", "| 1 | Xã Bình Lạc | 9 | 4 | 13 |", "| 2 | Xã Bình An | 12 | 7 | 19 |",
        "| | Cộng huyện Bắc Hà | 21 | 11 | 32 |",
        "| | Tổng cộng toàn tỉnh | 42 | 22 | {total} |",
    ])
    good = _result("Biên chế cán bộ, công chức các xã năm 2024 như sau:\n\n" + rows.format(total=64))
    by_id = {f.id: f for f in good.figures}
    grand = next(f for f in good.figures if f.value == 42)
    assert sorted(f.org for f in good.figures if f.parent == grand.id) == ["huyện Bắc Hà", "huyện Nam Hà"]
    assert all(by_id[f.parent].org == "huyện Nam Hà" for f in good.figures if f.org in ("Xã An Lạc", "Xã An Bình") and f.parent)
    assert not [x for x in good.findings if x.severity == "error"]
    bad = _result("Biên chế cán bộ, công chức các xã năm 2024 như sau:\n\n" + rows.format(total=66))
    assert [(x.stated, x.computed) for x in bad.findings if x.rule == "sum" and x.severity == "error"] == [(66, 64)]


def test_assemble_row_total_with_an_uncategorised_sibling_column_is_not_checked() -> None:
    text = ("Số lượng cán bộ, công chức cấp xã năm 2024:\n\n| STT | Xã | Cán bộ | Công chức | Không chuyên trách | Tổng |\n"
            "|---|---|---|---|---|---|\n| 1 | Xã Kim Lộc | 11 | 12 | 16 | 39 |\n| 2 | Xã Kim Sơn | 10 | 11 | 14 | 35 |\n")
    assert not [x for x in _result(text).findings if x.severity == "error"]


REPORT_TABLE = "\n".join([
    "BÁO CÁO", "Kết quả thực hiện kế hoạch tinh giản biên chế năm 2025", "", "Kết quả như sau:", "",
    "| STT | Chỉ tiêu | Đơn vị tính | Kế hoạch | Thực hiện | Tỷ lệ (%) |", "|---|---|---|---|---|---|",
    "| A. | TINH GIẢN BIÊN CHẾ | Người | 50 | 45 | 90,00 |",
    "| I. | Cán bộ, công chức | | | | |",
    "| 1. | Số người tinh giản | Người | 20 | 18 | 90,00 |",
    "| 2. | Tỷ lệ giảm biên chế công chức so với năm 2021 | % | 10 | 9,5 | 95,00 |",
    "| II. | Viên chức | | | | |",
    "| 1. | Số người tinh giản | Người | 30 | 27 | 90,00 |",
    "| B. | KINH PHÍ | | | | |",
    "| 1. | Kinh phí thực hiện chính sách tinh giản biên chế | Triệu đồng | 9.000 | 8.100 | 90,00 |",
])


def test_assemble_report_table_plan_and_done_rates_and_money() -> None:
    figures = _result(REPORT_TABLE).figures
    got = {(f.value, f.kind, f.category, f.basis, f.year, f.base_year) for f in figures}
    assert got == {
        (-50, "change", "total", "planned", 2025, None), (-45, "change", "total", None, 2025, None),
        (-20, "change", "officials", "planned", 2025, None), (-18, "change", "officials", None, 2025, None),
        (-10, "rate", "officials", "planned", 2025, 2021), (-9.5, "rate", "officials", None, 2025, 2021),
        (-30, "change", "public_employees", "planned", 2025, None), (-27, "change", "public_employees", None, 2025, None),
    }
    by_id = {f.id: f for f in figures}
    assert {by_id[f.parent].value for f in figures if f.parent} == {-50, -45}  # "A." holds the rows under I. and II.


def test_assemble_after_column_counts_what_the_before_column_counts() -> None:
    text = ("Kết quả sắp xếp các sở năm 2025:\n\n| STT | Cơ quan | Số phòng trước sắp xếp | Sau sắp xếp | Số chi cục |\n"
            "|---|---|---|---|---|\n| 1 | Sở Nội vụ | 8 | 6 | 1 |\n| 2 | Sở Tài chính | 12 | 8 | - |\n")
    got = {(f.org, f.unit, f.role, f.value) for f in _result(text).figures}
    assert got == {("Sở Nội vụ", "phòng", "before", 8), ("Sở Nội vụ", "phòng", "after", 6), ("Sở Nội vụ", "chi cục", None, 1),
                   ("Sở Tài chính", "phòng", "before", 12), ("Sở Tài chính", "phòng", "after", 8)}


def test_assemble_dated_page_without_header_gives_present_state_its_date_year() -> None:
    text = ("Cập nhật ngày 24/11/2025\n\nBài viết tổng hợp thông tin.\n\n"
            "Sau sáp nhập, tỉnh Hòa Lâm có 64 đơn vị hành chính cấp xã.\n\nNăm 1991, tỉnh có 9 huyện.")
    assert {(f.value, f.year) for f in _result(text).figures} == {(64, 2025), (9, 1991)}


def test_assemble_an_era_opening_keeps_the_page_date_from_a_present_state() -> None:
    text = ("Cập nhật ngày 24/11/2025\n\nBài viết tổng hợp thông tin.\n\n"
            "Thời kỳ Hồng Bàng, nước Văn Lang có 15 bộ, bộ Vũ Ninh thuộc tỉnh Hòa Lâm hiện nay.")
    assert [(f.value, f.year) for f in _result(text).figures] == [(15, None)]


def test_assemble_staff_count_followed_by_a_body_is_that_body_s() -> None:
    figures = _result("Thông báo tuyển 45 công chức Thanh tra Chính phủ đợt 2 năm 2025.").figures
    assert [(f.value, f.org) for f in figures] == [(45, "Thanh tra Chính phủ")]


def test_assemble_lead_cut_off_date_gives_the_year_of_the_data() -> None:
    text = ("SỞ NỘI VỤ TỈNH HÒA LÂM\n\nSố: 12/BC-SNV\n\nHòa Lâm, ngày 10 tháng 01 năm 2025\n\n# PHỤ LỤC\n\n"
            "(Kèm theo Báo cáo số 12/BC-SNV ngày 10 tháng 01 năm 2025 của Sở Nội vụ)\n\n"
            "Số liệu là số có mặt đến ngày 31 tháng 12 năm 2024. Tổng số có mặt là 460 người.")
    assert [(f.value, f.year) for f in _result(text).figures] == [(460, 2024)]


@pytest.mark.parametrize(("second", "linked"), [("50", True), ("51", False)])
def test_assemble_prose_whole_over_the_tables_after_it(second: str, linked: bool) -> None:
    table = "| STT | Cơ quan | Công chức |\n|---|---|---|\n| 1 | {a} | {x} |\n| 2 | {b} | {y} |\n| | Cộng | {t} |\n"
    text = ("Năm 2025 giao 90 biên chế công chức, phân bổ như sau:\n\n### I. Khối Đảng\n\n"
            + table.format(a="Văn phòng Tỉnh ủy", b="Ban Tổ chức Tỉnh ủy", x=25, y=15, t=40)
            + "\n### II. Khối chính quyền\n\n"
            + table.format(a="Sở Nội vụ", b="Sở Y tế", x=30, y=20, t=second))
    result = _result(text)
    whole = next(f for f in result.figures if f.value == 90)
    assert sorted(f.value for f in result.figures if f.parent == whole.id) == ([40, 50] if linked else [])
    assert not [x for x in result.findings if x.severity == "error" and x.stated == 90]


def test_assemble_merger_table_with_trong_do_columns_and_dvhc() -> None:
    text = "\n".join([
        "PHƯƠNG ÁN SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP XÃ NĂM 2025", "",
        "| STT | Huyện | Số ĐVHC cấp xã hiện có | Trong đó | Trong đó | Số ĐVHC cấp xã sau sắp xếp | Số ĐVHC giảm |",
        "| STT | Huyện | Số ĐVHC cấp xã hiện có | Xã | Phường | Số ĐVHC cấp xã sau sắp xếp | Số ĐVHC giảm |",
        "|---|---|---|---|---|---|---|",
        "| 1 | Huyện Đông Hà | 12 | 11 | 1 | 4 | 8 |", "| 2 | Huyện Tây Hà | 10 | 10 | 0 | 3 | 7 |",
    ])
    figures = _result(text).figures
    row = {(f.unit, f.role, f.kind): f for f in figures if f.org == "Huyện Đông Hà"}
    assert {k: f.value for k, f in row.items()} == {
        ("đơn vị hành chính cấp xã", "before", "count"): 12, ("xã", None, "count"): 11, ("phường", None, "count"): 1,
        ("đơn vị hành chính cấp xã", "after", "count"): 4, ("đơn vị hành chính", None, "change"): -8}
    change = row[("đơn vị hành chính", None, "change")]
    assert change.before_after == (row[("đơn vị hành chính cấp xã", "before", "count")].id,
                                   row[("đơn vị hành chính cấp xã", "after", "count")].id)


STRUCTURE_PAGE = (
    "Ngày 10/3/2024, Chính phủ ban hành Nghị định 31/2024/NĐ-CP quy định chức năng, nhiệm vụ, "
    "quyền hạn và cơ cấu tổ chức của Bộ Thủy văn.\n\n"
    "Vụ Kế hoạch có 5 phòng. Vụ Pháp chế có 3 phòng.\n"
)


def test_assemble_structure_act_counts_are_assigned_in_its_year() -> None:
    figures = _result(STRUCTURE_PAGE).figures
    assert [(f.value, f.basis, f.year) for f in figures] == [(5, "assigned", 2024), (3, "assigned", 2024)]


def test_assemble_structure_year_needs_an_act_on_structure() -> None:
    page = STRUCTURE_PAGE.replace("quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức", "có hiệu lực")
    assert all(f.basis is None for f in _result(page).figures)


@pytest.mark.parametrize(
    ("caption", "basis"),
    [("Biên chế được giao năm 2025 như sau:", "assigned"), ("Số có mặt đến 31/12/2024:", "actual"),
     ("Dự kiến giao biên chế năm 2026:", "planned"),
     ("Sở quản lý 38 cơ sở, được giao 2.550 người làm việc; số có mặt là 2.460 người.", None),
     ("Biểu 1. Tổ chức bộ máy", None)],
)
def test_assemble_caption_basis_only_where_the_caption_names_one(caption: str, basis: str | None) -> None:
    assert caption_basis(caption) == basis
