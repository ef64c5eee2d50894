"""Thresholds and norms of legal texts are conditions, not quota figures."""

from __future__ import annotations

import pytest

from extractor.document import document_from_text
from extractor.models import Figure
from extractor.pipeline import extract_document
from extractor.rules.norms import is_threshold, speaks_of_staff



def _figures(text: str) -> list[Figure]:
    document = document_from_text(text)
    figures = extract_document(document, "rules").figures
    for f in figures:
        assert document.text[f.start:f.end] == f.text
    return figures


@pytest.mark.parametrize(
    "text",
    [
        "Phòng thuộc sở có từ 15 biên chế trở lên thì được thành lập tổ chuyên môn.",
        "Trường hợp đơn vị có từ trên 20 người đến 40 người thì được bố trí thêm một cấp phó.",
        "Ngoài số trên, cứ 50 biên chế tăng thêm thì được bố trí thêm 01 phó trưởng phòng.",
        "Mỗi 30 biên chế được bố trí một kế toán.",
        "Trường hợp xã hình thành sau sắp xếp thì được tăng thêm 1 người.",
        "Đơn vị có từ 10 đến 14 biên chế được bố trí 01 cấp phó.",
        "Đơn vị sự nghiệp có dưới 10 biên chế thì không thành lập phòng.",
        "Sở bố trí tối thiểu 07 biên chế công chức đối với phòng có chức năng tham mưu tổng hợp.",
        "Số lượng tối đa cán bộ, công chức cấp xã là 22 người đối với xã loại I, 20 người đối với xã loại II.",
        "Về du lịch, tỉnh Hòa Lâm là 1 trong 12 tỉnh, thành phố có nhiều di tích nhất.",
        "Truy cập 11/04/2019.^ Tập bản đồ hành chính, 34 tỉnh, thành phố.",
        "Theo Nghị định, mỗi phòng thuộc sở có tối thiểu 7 biên chế công chức.",
        "Pháp luật cho phép tối đa mỗi thôn có 3 người hoạt động không chuyên trách.",
        "1. Số lượng cán bộ, công chức cấp xã được bố trí theo loại đơn vị hành chính cấp xã như sau:\n"
        "a) Loại I: tối đa 23 người;\nb) Loại II: tối đa 21 người.",
        "Trung tâm thuộc sở có từ 15 người làm việc trở lên được thành lập tối đa 03 phòng chuyên môn.",
        "Xã có diện tích tự nhiên từ 300 km² trở lên được bố trí thêm 02 công chức.",
        "Cơ quan có từ 50 biên chế trở lên thì cứ thêm 25 biên chế được bổ sung 01 hợp đồng lao động.",
    ],
)
def test_norms_threshold_is_no_figure(text: str) -> None:
    assert _figures(text) == []


def test_norms_minimum_reduction_rate_is_a_figure() -> None:
    (fig,) = _figures("Đến năm 2026, tỉnh phấn đấu giảm tối thiểu 20% biên chế so với năm 2021.")
    assert (fig.kind, fig.value, fig.approx) == ("rate", -20.0, "at_least")


@pytest.mark.parametrize(
    ("text", "kind", "value", "org", "basis"),
    [
        ("Năm 2024, Sở Nội vụ được giao 45 biên chế công chức.", "level", 45.0, "Sở Nội vụ", "assigned"),
        ("Trong năm 2024, toàn tỉnh đã tinh giản 38 người theo quy định.", "change", -38.0, None, None),
        ("Năm 2025, Sở Y tế giảm 12 biên chế viên chức so với năm 2024.", "change", -12.0, None, "assigned"),
        ("Số người hoạt động không chuyên trách cấp xã hiện có là 1.347 người.", "level", 1347.0, None, "actual"),
        ("Số lượng ước tính theo thống kê của Bộ là 45.000 nhân sự.", "count", 45000.0, None, None),
    ],
)
def test_norms_statements_stay_figures(text: str, kind: str, value: float, org: str | None, basis: str | None) -> None:
    (fig,) = _figures(text)
    assert (fig.kind, fig.value, fig.basis) == (kind, value, basis)
    if org is not None:
        assert fig.org == org


@pytest.mark.parametrize(
    "text",
    ["Chỉ huy trưởng: 01 người.", "Đoàn kiểm tra gồm 05 người do Phó Chủ tịch làm trưởng đoàn.",
     "Hội nghị có 120 người tham dự.",
     "Trường hợp xã có dân số trên 20.000 người thì cứ thêm 5.000 người được bố trí thêm 01 công chức.",
     "Đại đội được biên chế 3 trung đội, mỗi trung đội có 30 chiến sĩ; tổng quân số 120 người."],
)
def test_norms_people_outside_staffing_are_no_figure(text: str) -> None:
    assert _figures(text) == []


@pytest.mark.parametrize(
    ("text", "number", "kind", "expected"),
    [
        ("Phòng có từ 15 biên chế trở lên.", "15 biên chế", "level", True),
        ("Cứ 50 biên chế thì thêm một cấp phó.", "50 biên chế", "level", True),
        ("Từ trên 20 người đến 40 người.", "40 người", "level", True),
        ("Sở Nội vụ được giao 45 biên chế.", "45 biên chế", "level", False),
        ("Tỉnh giảm 25 biên chế so với năm 2022.", "25 biên chế", "change", False),
        # a change "từ … đến" is not a threshold after it
        ("Biên chế giảm 25 biên chế đến năm 2026.", "25 biên chế", "change", False),
    ],
)
def test_norms_is_threshold(text: str, number: str, kind: str, expected: bool) -> None:
    start = text.index(number)
    assert is_threshold(text, 0, len(text), start, start + len(number), kind) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Số người nghỉ hưu trong năm là 12 người.", True), ("Đã tuyển dụng 5 người.", True),
     ("Tổng quân số 29 người.", False), ("Chỉ huy trưởng: 01 người.", False)],
)
def test_norms_speaks_of_staff(text: str, expected: bool) -> None:
    assert speaks_of_staff(text, 0, len(text)) is expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Trường hợp công chức bỏ việc được tính giảm 1,5% chi phí đền bù.",
        "Kinh phí cử công chức đi đào tạo chi trả theo thực tế cho 01 người tham gia khóa đào tạo.",
        "Hội đồng gồm: b) 01 công chức phụ trách đào tạo, bồi dưỡng.",
    ],
)
def test_norms_money_rates_and_single_seats_are_no_figures(sentence: str) -> None:
    assert extract_document(document_from_text(sentence), "rules").figures == []



@pytest.mark.parametrize(
    "sentence",
    ["Tổng thu ngân sách nhà nước cả năm ước đạt 6.794 tỷ đồng, tăng 12,1% so với cùng kỳ năm trước.",
     "Năm 2017, toàn tỉnh có 100% đơn vị cấp xã đạt chuẩn phổ cập giáo dục, xóa mù chữ.",
     "Phấn đấu ít nhất 85% người trong độ tuổi hoàn thành cấp trung học phổ thông.",
     "Dân số trung bình năm 2020 của tỉnh đạt 913.481 người, tăng 5.240 người so với năm 2019.",
     "So với cùng kỳ năm trước giảm 5 vụ, số người chết giảm 11 người."],
)
def test_norms_rates_outside_staffing_are_no_figures(sentence: str) -> None:
    assert extract_document(document_from_text(sentence), "rules").figures == []


@pytest.mark.parametrize(
    ("sentence", "value"),
    [("So với năm 2015, biên chế công chức giảm 10,01%.", -10.01),
     ("Theo Kết luận 127, dự kiến giảm 50% đơn vị hành chính cấp tỉnh.", -50.0),
     ("Giảm 15% số lượng đầu mối bên trong.", -15.0)],
)
def test_norms_staffing_and_reorganisation_rates_stay_figures(sentence: str, value: float) -> None:
    (rate,) = extract_document(document_from_text(sentence), "rules").figures
    assert (rate.kind, rate.value) == ("rate", value)


def test_norms_vu_counts_departments_outside_incidents() -> None:
    figures = extract_document(document_from_text("Bộ Tài chính giảm 5 vụ và 12 cục."), "rules").figures
    assert [(f.value, f.unit) for f in figures] == [(-5.0, "vụ"), (-12.0, "cục")]


@pytest.mark.parametrize(("text", "values"), [("Có 52/63 tỉnh, thành phố thực hiện sắp xếp.", [52.0]),
                                              ("Toàn tỉnh có 131/262 xã có nhà văn hóa.", [])])
def test_norms_a_share_of_units_counts_only_in_a_sentence_on_reorganising(text: str, values: list[float]) -> None:
    assert [f.value for f in extract_document(document_from_text(text), "rules").figures] == values


@pytest.mark.parametrize(("text", "values"), [("Hợp nhất 13 trường trung cấp thành 5 trường cao đẳng.", [13.0, 5.0]),
                                              ("Tỉnh đã sáp nhập 5 trung tâm thành 1 trung tâm.", [5.0, 1.0]),
                                              ("Năm 2025, tỉnh xây mới hoặc cải tạo 100 trường.", []),
                                              ("Toàn tỉnh có 485 trường học, trong đó có 43 trường THPT.", [])])
def test_norms_facilities_count_only_where_they_are_reorganised(text: str, values: list[float]) -> None:
    assert [f.value for f in extract_document(document_from_text(text), "rules").figures] == values


@pytest.mark.parametrize(("text", "values"), [("Đến nay, 100% đơn vị hành chính cấp xã mới đã đi vào hoạt động ổn định.", []),
                                              ("Sau sắp xếp, tỉnh giảm 15% đầu mối.", [-15.0])])
def test_norms_all_units_having_done_something_is_no_rate(text: str, values: list[float]) -> None:
    assert [f.value for f in extract_document(document_from_text(text), "rules").figures] == values


@pytest.mark.parametrize("text", [
    "Số lượng cán bộ, công chức cấp xã được bố trí theo loại như sau: a) Đối với phường: loại I là 23 người; loại II là 21 người.",
    "Số lượng người làm việc tại trường mầm non được xác định theo định mức: 2 giáo viên/nhóm trẻ."])
def test_norms_a_number_per_class_or_per_unit_in_a_norm_is_none(text: str) -> None:
    assert extract_document(document_from_text(text), "rules").figures == []


def test_norms_a_unit_written_with_a_slash_is_no_per_unit_norm() -> None:
    text = "Nhu cầu vaccine sẽ được ước tính trên cơ sở đăng ký nhu cầu của 34 tỉnh/ thành phố sau sắp xếp."
    assert [f.value for f in extract_document(document_from_text(text), "rules").figures] == [34]


def test_norms_facilities_listed_after_counted_bodies_count_too() -> None:
    text = ("Bộ cần phải tái cơ cấu ngay bộ máy lên tới hàng vạn người từ 30 Cục, Vụ, 10 trường đại học, 22 trường cao đẳng, "
            "11 tập đoàn, tổng công ty Nhà nước.")
    assert [f.value for f in extract_document(document_from_text(text), "rules").figures] == [30, 10, 22, 11]
