"""Citations: ids, type words, dates, issuers, lists, partial references, self, keys."""

from __future__ import annotations

import pytest

from extractor.document import document_from_text
from extractor.pipeline import extract_document


def _cites(text: str) -> list[dict[str, object]]:
    result = extract_document(document_from_text(text))
    return [c.model_dump() for c in result.citations]


@pytest.mark.parametrize(
    ("text", "ident", "doc_type"),
    [
        ("theo Quyết định số 71-QĐ/TW của Bộ Chính trị", "71-QĐ/TW", "Quyết định"),
        ("Quy định số 70-QĐ/TW ngày 18/7/2022", "70-QĐ/TW", "Quy định"),
        ("Căn cứ Nghị định số 60/2021/NĐ-CP", "60/2021/NĐ-CP", "Nghị định"),
        ("Luật Cán bộ, công chức số 22/2008/QH12", "22/2008/QH12", None),
        ("Quyết định 1234/QĐ-UBND của UBND tỉnh", "1234/QĐ-UBND", "Quyết định"),
        ("Công văn số 4208/BNV-TCBC", "4208/BNV-TCBC", "Công văn"),
        ("Hướng dẫn Số 38 - HD/BTCTW", "38-HD/BTCTW", "Hướng dẫn"),
        ("văn bản 12-KL/TW", "12-KL/TW", "Kết luận"),
    ],
)
def test_citations_identifier_and_type(text: str, ident: str, doc_type: str | None) -> None:
    found = _cites(text)
    assert [c["id"] for c in found] == [ident]
    if doc_type:
        assert found[0]["type"] == doc_type


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Kết luận số 40-KL/TW, ngày 18/7/2022 của Bộ Chính trị", "2022-07-18"),
        ("Nghị quyết số 19-NQ/TW, ngày 25-10-2017 của Ban Chấp hành Trung ương", "2017-10-25"),
        ("Kế hoạch số 05-KH/TU ngày 11 tháng 8 năm 2023 của Ban Thường vụ Tỉnh ủy", "2023-08-11"),
        ("Kế hoạch số 05-KH/TU ngày 31/2/2023", None),
    ],
)
def test_citations_issue_date_beside_the_reference(text: str, date: str | None) -> None:
    assert _cites(text)[0]["date"] == date


def test_citations_issuer_shared_by_a_list() -> None:
    found = _cites("Tiếp tục thực hiện Nghị quyết số 18-NQ/TW, Nghị quyết số 19-NQ/TW của Ban Chấp hành Trung ương khóa XII.")
    assert [c["issuer"] for c in found] == ["Ban Chấp hành Trung ương khóa XII"] * 2


def test_citations_issuer_before_the_reference() -> None:
    found = _cites("Ban Tổ chức Trung ương đã tham mưu Bộ Chính trị ban hành Kết luận số 50-KL/TW về sắp xếp.")
    assert found[0]["issuer"] == "Bộ Chính trị"


def test_citations_partial_reference_never_invents_a_symbol() -> None:
    found = _cites("Hội nghị triển khai Kế hoạch số 12 của Ban Thường vụ Thành ủy Hà Nội.")
    assert len(found) == 1
    assert found[0]["partial"] is True and found[0]["id"] is None
    assert found[0]["number"] == "12" and found[0]["type"] == "Kế hoạch"


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("Thực hiện Công văn số 12-CV/TU của Ban Thường vụ Tỉnh ủy", "implements"),
        ("Tiếp tục thực hiện Nghị quyết số 18-NQ/TW", "continues"),
        ("Căn cứ Nghị định số 60/2021/NĐ-CP", "according_to"),
        ("Nghị định sửa đổi, bổ sung một số điều của Nghị định số 60/2021/NĐ-CP", "amends"),
        ("Quyết định này thay thế Quyết định số 12/2020/QĐ-UBND", "replaces"),
        ("Hội nghị quán triệt Kết luận số 40-KL/TW", "cites"),
    ],
)
def test_citations_relation_word(text: str, relation: str) -> None:
    assert _cites(text)[0]["relation"] == relation


def test_citations_local_symbol_key_is_scoped_by_province() -> None:
    text = (
        "Ngày 01/3/2024, Ban Thường vụ Tỉnh ủy Bình Định kí ban hành Kế hoạch số 45-KH/TU về biên chế của tỉnh Bình Định. "
        "Thực hiện Kết luận số 40-KL/TW của Bộ Chính trị."
    )
    result = extract_document(document_from_text(text))
    keys = {c.id: c.key for c in result.citations}
    assert keys["45-KH/TU"] == "45-KH/TU@tỉnh Bình Định@2024"  # the year of its own date
    assert keys["40-KL/TW"] == "40-KL/TW"
    assert result.self_ is not None
    assert result.self_.id == "45-KH/TU" and result.self_.date == "2024-03-01"


@pytest.mark.parametrize("text", ["giai đoạn 2022-2026", "ngày 18/7/2022", "1.263-1.247", "106/109 nhiệm vụ"])
def test_citations_numbers_and_dates_are_not_citations(text: str) -> None:
    assert _cites(text) == []


def test_citations_header_gives_self_identity_date_and_issuer() -> None:
    text = (
        "TỈNH ỦY BÌNH ĐỊNH\n*\nSố 130-KH/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nBình Định, ngày 20 tháng 9 năm 2023\n"
        "KẾ HOẠCH\nvề quản lý biên chế\nCăn cứ Kế hoạch số 81-KH/TU của Ban Thường vụ Tỉnh ủy.\n"
    )
    result = extract_document(document_from_text(text))
    assert result.self_ is not None
    assert (result.self_.id, result.self_.key, result.self_.date, result.self_.issuer) == (
        "130-KH/TU", "130-KH/TU@tỉnh Bình Định@2023", "2023-09-20", "Tỉnh ủy Bình Định",
    )
    other = next(c for c in result.citations if c.id == "81-KH/TU")
    assert other.key == "81-KH/TU@tỉnh Bình Định" and other.relation == "according_to"


def test_citations_plenum_issuer() -> None:
    found = _cites("Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII")
    assert found[0]["issuer"] == "Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII"
