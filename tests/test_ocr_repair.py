"""OCR-damaged document numbers and dates: repaired to the canonical id or date,
the OCR'd text kept as the mention's text, nothing invented."""

from __future__ import annotations

import pytest

from extractor.document import document_from_text
from extractor.models import DocumentResult
from extractor.pipeline import extract_document
from extractor.rules.ocr_repair import citation_repairs, date_repairs, repair_code, repair_digits, type_codes


def _extract(text: str) -> tuple[DocumentResult, str]:
    doc = document_from_text(text)
    return extract_document(doc), doc.text


@pytest.mark.parametrize(
    ("text", "ident"),
    [
        ("Quyết định số 7l-QĐ/TW của Bộ Chính trị", "71-QĐ/TW"),
        ("Quyết định số 7I-QĐ/TW", "71-QĐ/TW"),
        ("Kết luận số 4O-KL/TW", "40-KL/TW"),
        ("Kế hoạch số 123-KHlTU của Ban Thường vụ", "123-KH/TU"),
        ("Kế hoạch số 123-KHITU", "123-KH/TU"),
        ("Kế hoạch số 123-KH1TU", "123-KH/TU"),
        ("Kế hoạch số 123-KH|TU", "123-KH/TU"),
        ("Kế hoạch số 12-KHATU", "12-KH/TU"),
        ("Nghị quyết số 18-NQ/TVV", "18-NQ/TW"),
        ("Quyết định số 71-QD/TVV", "71-QĐ/TW"),
        ("Quyết định 71_QĐ/TW", "71-QĐ/TW"),
        ("Hướng dẫn số 5-HD/HDND", "5-HD/HĐND"),
        ("Kế hoạch số 45-KH/TJ", "45-KH/TU"),
        ("Nghị định số 01/ 2020/NĐ- CP", "01/2020/NĐ-CP"),
        ("Nghị định số 6O/2O21/ND-CP", "60/2021/NĐ-CP"),
        ("Nghị định 60l2021lNĐ-CP", "60/2021/NĐ-CP"),
        ("Quyết định 1234/QĐ- UBND", "1234/QĐ-UBND"),
        ("Quyết định 1234IQĐ-UBND", "1234/QĐ-UBND"),
        ("Quyết định l234/QD-TTg", "1234/QĐ-TTg"),
        ("Tờ trình số 3O/TTr-UBND", "30/TTr-UBND"),
        ("Thông tư 28/2O25/TT-BTC", "28/2025/TT-BTC"),
        ("Luật số 22/2OO8/QH12", "22/2008/QH12"),
    ],
)
def test_ocr_repair_damaged_symbol_gives_canonical_id(text: str, ident: str) -> None:
    result, normalised = _extract(text)
    assert [c.id for c in result.citations] == [ident]
    c = result.citations[0]
    assert c.text == normalised[c.start:c.end]
    assert citation_repairs(c.text), "a repaired citation says what was repaired"


@pytest.mark.parametrize(
    ("text", "ident"),
    [
        ("S6: ....45.../QĐ-UBND\nBình Định, ngày 2O tháng 9 năm 2O23", "45/QĐ-UBND"),
        ("Sô: 12-KH/TU\nLong An, ngày 5 tháng 3 năm 2024", "12-KH/TU"),
        ("So: 7_QĐ/TU\nngày 5 tháng 3 năm 2024", "7-QĐ/TU"),
        ("Số: ___l2___/QĐ-UBND", "12/QĐ-UBND"),
    ],
)
def test_ocr_repair_header_label_and_handwritten_number(text: str, ident: str) -> None:
    result, normalised = _extract(text)
    own = [c for c in result.citations if c.is_self]
    assert [c.id for c in own] == [ident]
    assert own[0].text == normalised[own[0].start:own[0].end]


@pytest.mark.parametrize(
    "text",
    [
        "giai đoạn 2O22-2O26",
        "lO/ABC",
        "Số: ....../QĐ-UBND",
        "Số: ______/QĐ-UBND ngày ...... tháng ..... năm 2O23",
        "Kế hoạch số 12-KHlXYZ",
        "Quyết định số lO-XQ/TW",
        "văn bản 12-ABATU",
        "ngày l8/O7/2O22-2O23 số 1.234/QĐ",
        "trong 123lQĐ-ABC",
        "So sánh 12-KH với năm trước",
        "năm 6012021/NĐ-CP",
    ],
)
def test_ocr_repair_negatives_yield_no_citation(text: str) -> None:
    result, _ = _extract(text)
    assert [c.id for c in result.citations if c.id] == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("ngày 1 8 tháng 7 năm 2O22", "2022-07-18"),
        ("ngày l8 tháng O7 năm 2022", "2022-07-18"),
        ("ngày 18 tháng 7 năm 2O2 2", "2022-07-18"),
        ("ngay 18 thang 7 nam 2022", "2022-07-18"),
        ("ban hành ngày 18/07/2O22", "2022-07-18"),
        ("ngày l8/7/2022", "2022-07-18"),
        ("ngày 1O-1O-2O2O", "2020-10-10"),
        ("Hà Nội, ngày 3O tháng 4 năm 2O25", "2025-04-30"),
    ],
)
def test_ocr_repair_damaged_date_gives_iso_date(text: str, date: str) -> None:
    result, normalised = _extract(text)
    days = [d for d in result.dates if d.precision == "day"]
    assert [d.date for d in days] == [date]
    assert days[0].text == normalised[days[0].start:days[0].end]
    assert date_repairs(days[0].text)


@pytest.mark.parametrize(
    "text",
    [
        "giai đoạn 2O22-2O26",
        "ngày 3l tháng 2 năm 2O23",
        "ngày l/l/2O22",
        "ngày 18 tháng 7 năm 2O2",
        "ngày 18/07/3O22",
        "ngày ...... tháng ..... năm 2O23",
    ],
)
def test_ocr_repair_negatives_yield_no_date(text: str) -> None:
    result, _ = _extract(text)
    assert [d.date for d in result.dates if d.precision == "day"] == []


def test_ocr_repair_period_is_not_repaired() -> None:
    result, _ = _extract("trong giai đoạn 2O22-2O26 tỉnh giảm biên chế")
    assert result.citations == [] and [d for d in result.dates if d.precision == "day"] == []


def test_ocr_repair_citation_takes_a_repaired_date() -> None:
    result, _ = _extract("Kết luận số 4O-KL/TW, ngày l8 tháng 7 năm 2O22 của Bộ Chính trị")
    assert [(c.id, c.date) for c in result.citations] == [("40-KL/TW", "2022-07-18")]


@pytest.mark.parametrize(
    "text",
    ["Quyết định số 71-QĐ/TW", "Nghị định 60/2021/NĐ-CP", "Hướng dẫn Số 38 - HD/BTCTW", "Quyết định 1234/QD-UBND"],
)
def test_ocr_repair_clean_symbol_reports_no_repair(text: str) -> None:
    result, _ = _extract(text)
    assert len(result.citations) == 1
    assert citation_repairs(result.citations[0].text) == []


def test_ocr_repair_clean_date_reports_no_repair() -> None:
    result, _ = _extract("ngày 18 tháng 7 năm 2022 và ngày 25/10/2017")
    assert [date_repairs(d.text) for d in result.dates] == [[], []]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2O2l", "2021"), ("I|O", "110"), ("1 8", "18"), ("2X22", None), ("S5", None)],
)
def test_ocr_repair_digits_only_from_the_confusion_set(raw: str, expected: str | None) -> None:
    fixed = repair_digits(raw, "number")
    assert (fixed[0] if fixed else None) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("QD", "QĐ"), ("ND", "NĐ"), ("KH", "KH"), ("HD", "HD"), ("XQ", None)],
)
def test_ocr_repair_code_prefers_the_stroked_d_only_where_known(raw: str, expected: str | None) -> None:
    fixed = repair_code(raw, lambda c: c in type_codes(), "code")
    assert (fixed[0] if fixed else None) == expected


@pytest.mark.parametrize(
    ("text", "idents"),
    [
        ("- Nghị định số 131/2013/NĐ-CP\n- Nghị định số 99/2013/NĐ-CP", ["131/2013/NĐ-CP", "99/2013/NĐ-CP"]),
        ("Nghị định 156/2004/NĐ-CP - Thành phố", ["156/2004/NĐ-CP"]),
        ("Thông tư 10/2021/TT- BXD", ["10/2021/TT-BXD"]),
        ("Thông tư 02/2021/TT- BGDĐT", ["02/2021/TT-BGDĐT"]),
    ],
)
def test_ocr_repair_never_crosses_a_line_or_restyles_an_unlisted_code(text: str, idents: list[str]) -> None:
    result, _ = _extract(text)
    assert [c.id for c in result.citations] == idents
