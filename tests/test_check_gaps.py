"""Unfilled posts checked against the quota less the headcount."""

from __future__ import annotations

import pytest

from extractor.document import document_from_text
from extractor.pipeline import extract_document

_ROW = ("| TT | Cơ quan | Biên chế được giao năm 2024 | Biên chế có mặt đến 31/12/2024 | Biên chế chưa sử dụng |\n"
        "|---|---|---|---|---|\n| 1 | Văn phòng UBND tỉnh | 45 | 42 | {vacant} |\n")


def _gaps(text: str) -> list[tuple[str, float, float]]:
    result = extract_document(document_from_text(text), "rules")
    return [(x.severity, x.stated or 0, x.computed or 0) for x in result.all_findings() if x.rule == "gap"]


@pytest.mark.parametrize(
    ("text", "found"),
    [("Năm 2024, tỉnh được giao 2.145 biên chế công chức; số có mặt là 2.031 người, còn 114 biên chế chưa sử dụng.", []),
     ("Năm 2024, tỉnh được giao 2.145 biên chế công chức; số có mặt là 2.031 người, còn 124 biên chế chưa sử dụng.",
      [("error", 124, 114)]),
     ("Biên chế được giao năm 2024 là 2.980 biên chế, đã sử dụng 2.876 biên chế, chưa sử dụng 114 biên chế.",
      [("error", 114, 104)]),
     (_ROW.format(vacant="3"), []), (_ROW.format(vacant="4"), [("error", 4, 3)]),
     ("2. Số lượng người làm việc\n- Số được giao năm 2024: 3.450 người.\n- Số có mặt đến 31/12/2024: 3.312 người.\n"
      "- Số chưa sử dụng: 148 người.\n", [("error", 148, 138)])],
)
def test_check_gaps_unfilled_posts_are_the_quota_less_the_headcount(text: str, found: list[tuple[str, float, float]]) -> None:
    assert _gaps(text) == found


@pytest.mark.parametrize(
    "text",
    ["Năm 2024, tỉnh được giao 2.145 biên chế công chức; số có mặt là 2.031 người (trong đó 20 hợp đồng), còn 124 biên chế chưa sử dụng.",
     "Năm 2024, tỉnh được giao 2.145 biên chế công chức. Số có mặt là 2.031 người, còn 124 biên chế chưa sử dụng.",
     "Năm 2024, tỉnh được giao 2.145 biên chế công chức; có mặt 2.031 người, thiếu 124 người so với số được giao."],
)
def test_check_gaps_no_quota_and_headcount_pinned_down_no_finding(text: str) -> None:
    assert _gaps(text) == []
