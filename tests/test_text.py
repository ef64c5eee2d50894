"""Normalisation: glyphs, tone placement, whitespace, PDF wraps, and the offset map."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.text import fix_tone_placement, fold, map_offset, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Uỷ viên Bộ Chính trị", "Ủy viên Bộ Chính trị"),
        ("cụ thể hoá, khoá XII", "cụ thể hóa, khóa XII"),
        ("\u00d0ảng", "Đảng"),
        ("Ng\u01b0\u01a1i \u01a3u tiên", "Ngươi ưu tiên"),
        ("giai đoạn 2024 – 2026", "giai đoạn 2024 - 2026"),
        ("số\u00a0123", "số 123"),
        ("Ho\u0300a bi\u0300nh", "Hòa bình"),
        ("quý I", "quý I"),
        ("a  b\r\nc", "a b\nc"),
    ],
)
def test_text_normalise_table(raw: str, expected: str) -> None:
    assert normalise(raw)[0] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tổng biên chế hệ thống chính trị tỉnh là một con số rất lớn và dài\nbiên chế còn lại", "dài biên chế"),
        ("theo Kế hoạch số 123-\nKH/TU của Ban Thường vụ Tỉnh ủy ngày hôm nay nhé các bạn ạ", "123-KH/TU"),
    ],
)
def test_text_pdf_wraps_are_joined(raw: str, expected: str) -> None:
    text, _ = normalise(raw + "\n" + "x" * 10, wrapped_lines=True)
    assert expected in text


def test_text_pdf_list_items_stay_on_their_lines() -> None:
    raw = "Trong đó:\n- Các cơ quan là 1.263 biên chế;\n- Chính quyền địa phương là 27.697 biên chế."
    text, _ = normalise(raw, wrapped_lines=True)
    assert text.count("\n") == 2


def test_text_offsets_lead_back_to_raw() -> None:
    raw = "  Uỷ  ban\u00a0nhân dân   tỉnh X, ngày 18/7/2022"
    text, anchors = normalise(raw)
    at = text.index("18/7/2022")
    assert raw[map_offset(anchors, at):map_offset(anchors, at) + 9] == "18/7/2022"


def test_text_tone_fix_keeps_length() -> None:
    s = "hoà thuỷ khoẻ Uỷ quý"
    assert len(fix_tone_placement(s)) == len(s)


def test_text_fold_is_accent_insensitive() -> None:
    assert fold("Hà Nội") == fold("HA NOI") == "ha noi"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_text_normalise_never_fails_and_maps_into_raw(raw: str) -> None:
    text, anchors = normalise(raw)
    for offset in range(0, len(text) + 1, max(1, len(text) // 10 or 1)):
        assert 0 <= map_offset(anchors, offset) <= len(raw) + 1


def test_text_pdf_unit_line_above_a_table_is_never_joined() -> None:
    long = "Năm 2025, Ủy ban nhân dân tỉnh giao cho các đơn vị hành chính cấp huyện 539 biên chế công chức và 9.528 người."
    text, _ = normalise(long + "\nĐơn vị tính: người\n" + "x" * 10, wrapped_lines=True)
    assert "\nĐơn vị tính: người\n" in text
