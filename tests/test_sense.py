"""The military sense of "biên chế": organisation sentences of an army article give no figures."""

from __future__ import annotations

import pytest

from extractor.assemble.sense import is_military
from extractor.document import document_from_text
from extractor.pipeline import extract_document

# Written for this test: an invented article about an invented army regiment.
ARMY = (
    "Trung đoàn Bộ binh 999 là đơn vị của Quân đội nhân dân, thuộc Quân khu 9 của Bộ Quốc phòng. "
    "Trung đoàn được biên chế 3 tiểu đoàn bộ binh và 6 đại đội trực thuộc. "
    "Mỗi tiểu đoàn gồm 3 đại đội, mỗi đại đội có 3 trung đội; trung đội được biên chế 3 tiểu đội. "
    "Năm 1975, trung đoàn cùng sư đoàn tham gia chiến dịch; quân khu điều thêm một tiểu đoàn pháo. "
    "Tiểu đội có 9 quân nhân, trung đội có 31 quân nhân; đại đội có khẩu đội cối. "
    "Sau năm 1979, trung đoàn được biên chế gồm 4 phòng, 3 ban và các tiểu đoàn, đại đội, trung đội bảo đảm."
)
CIVIL = (
    "Năm 2025, Bộ Quốc phòng giao 120 biên chế công chức cho các cơ quan; tinh giản 12 biên chế công chức, "
    "viên chức. Quân đội và công chức quốc phòng thực hiện tinh giản theo kế hoạch."
)


@pytest.mark.parametrize(("text", "military"), [(ARMY, True), (CIVIL, False), ("Tỉnh có 12 xã.", False)])
def test_sense_is_military(text: str, military: bool) -> None:
    assert is_military(text) is military


def test_sense_army_organisation_gives_no_figures() -> None:
    result = extract_document(document_from_text(ARMY), "rules")
    assert result.figures == []


def test_sense_civil_staffing_beside_the_army_keeps_figures() -> None:
    result = extract_document(document_from_text(CIVIL), "rules")
    assert {f.value for f in result.figures} >= {120, -12}


@pytest.mark.parametrize(
    ("table", "kept"),
    [("| Tên | Loại | Số lượng |\n|---|---|---|\n| Tên lửa Kh-35 | Tên lửa chống hạm | 33 |", False),
     ("| Cơ quan | Biên chế công chức năm 2025 |\n|---|---|\n| Văn phòng Bộ | 33 |", True)],
)
def test_sense_a_military_tables_rows_count_staff_only_where_they_speak_of_it(table: str, kept: bool) -> None:
    text = ARMY + "\n\nTrang bị và biên chế của trung đoàn:\n\n" + table + "\n"
    assert bool([f for f in extract_document(document_from_text(text), "rules").figures if f.value == 33]) is kept
