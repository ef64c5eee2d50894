"""The issuing body read from a directive's printed header."""

from __future__ import annotations

import pytest

from extractor.annotated import AnnotatedDocument
from extractor.components.structure import context
from extractor.document import document_from_text
from extractor.rules.header import header_issuer


@pytest.mark.parametrize(
    ("header", "issuer"),
    [
        ("BỘ NỘI VỤ\n\nSố: 12/BC-BNV", "Bộ Nội vụ"),
        ("BỘ GIAO THÔNG VẬN TẢI\n\nSố: 5/KH-BGTVT", "Bộ Giao thông vận tải"),
        ("SỞ NỘI VỤ TỈNH TÂY NAM\n\nSố: 3/BC-SNV", "Sở Nội vụ tỉnh Tây Nam"),
        ("ỦY BAN NHÂN DÂN TỈNH TÂY NAM\nSỞ NỘI VỤ\n\nSố: 3/BC-SNV", "Sở Nội vụ tỉnh Tây Nam"),
        ("TỈNH ỦY LONG AN\nBAN TỔ CHỨC\n\nSố 7-BC/BTCTU", "Ban Tổ chức Tỉnh ủy Long An"),
        ("VĂN PHÒNG CHÍNH PHỦ\n\nSố: 1/TB-VPCP", "Văn phòng Chính phủ"),
        ("ỦY BAN NHÂN DÂN\nTỈNH LONG AN\n\nSố: 9/QĐ-UBND", "Ủy ban nhân dân tỉnh Long An"),
        ("TỔNG CỤC THUẾ\n\nSố: 2/CV-TCT", "Tổng cục Thuế"),
        ("UBND TỈNH LONG AN\n\nSố: 9/QĐ-UBND", "Ủy ban nhân dân tỉnh Long An"),
        ("HUYỆN ỦY NAM ĐÀN\n\nSố 7-BC/HU", "Huyện ủy Nam Đàn"),
        ("TỈNH ỦY NGHỆ AN\nHUYỆN ỦY NAM ĐÀN\n\nSố 7-BC/HU", "Huyện ủy Nam Đàn"),
        ("ỦY BAN NHÂN DÂN\nHUYỆN CẦN GIUỘC\n\nSố: 9/QĐ-UBND", "Ủy ban nhân dân huyện Cần Giuộc"),
        ("QUẬN ỦY BA ĐÌNH\n\nSố 2-KH/QU", "Quận ủy Ba Đình"),
        ("ĐẢNG CỘNG SẢN VIỆT NAM\n\nHà Nội, ngày 1 tháng 2 năm 2025", None),
        ("Bộ Nội vụ trả lời cử tri như sau:", None),
    ],
)
def test_header_issuer_named_bodies(header: str, issuer: str | None) -> None:
    assert header_issuer(header) == issuer


@pytest.mark.parametrize(
    ("header", "org"),
    [
        ("BỘ GIAO THÔNG VẬN TẢI\n\nSố: 5/BC-BGTVT\n\nBÁO CÁO", "Bộ Giao thông vận tải"),
        ("ỦY BAN NHÂN DÂN TỈNH TÂY NAM\nSỞ NỘI VỤ\n\nSố: 3/BC-SNV\n\nBÁO CÁO", "tỉnh Tây Nam"),
        ("CỤC THUẾ\n\nSố: 4/BC-CT\n\nBÁO CÁO", "Cục Thuế"),
        ("ĐẢNG BỘ TỈNH LONG AN\nHUYỆN ỦY CẦN GIUỘC\n\nSố 7-BC/HU\n\nBÁO CÁO", "huyện Cần Giuộc"),
        ("ỦY BAN NHÂN DÂN HUYỆN TÂN LẬP\n\nSố: 3/BC-UBND\n\nBÁO CÁO", "huyện Tân Lập"),
        ("THỊ ỦY SƠN TÂY\n\nSố 1-BC/TU\n\nBÁO CÁO", "thị xã Sơn Tây"),
        ("Bài viết\n\nBÁO CÁO", None),
    ],
)
def test_header_document_org_from_issuer(header: str, org: str | None) -> None:
    doc = AnnotatedDocument(document_from_text(header))
    doc.dates = []
    context(doc)
    assert doc.context.org == org


@pytest.mark.parametrize(
    ("head", "year"),
    [("KẾ HOẠCH\nThực hiện Quyết định số 72-QĐ/TW về biên chế giai đoạn 2022-2026\n\nI. MỤC TIÊU\n1. Đến năm 2026, …", None),
     ("BÁO CÁO\nTình hình quản lý biên chế năm 2025\n\nI. KẾT QUẢ\n1. Năm 2024, …", 2025),
     ("QUYẾT ĐỊNH\nVề việc giao biên chế\n\nCăn cứ Luật Tổ chức chính quyền địa phương năm 2025;", None),
     ("KẾ HOẠCH\nTinh giản biên chế giai đoạn 2022-2026, giảm 5% so với năm 2021", None)],
)
def test_header_report_year_is_the_titles_not_the_bodys(head: str, year: int | None) -> None:
    doc = AnnotatedDocument(document_from_text("TỈNH ỦY LONG AN\n\nSố 7-KH/TU\n\n" + head))
    doc.dates = []
    context(doc)
    assert doc.context.report_year == year
