"""The consistency checker: every rule family on sentences written for the tests,
the seeds' twelve real inconsistencies, corrections, and zero errors when consistent."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.check.numbers import rounds_to, typo_distance, vn
from extractor.document import document_from_text
from extractor.models import Finding
from extractor.pipeline import extract_document, extract_path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _findings(text: str) -> list[Finding]:
    return extract_document(document_from_text(text)).findings


def _errors(text: str) -> list[Finding]:
    return [f for f in _findings(text) if f.severity == "error"]


CONSISTENT = """1. Kết quả năm 2023
Tổng biên chế hệ thống chính trị tỉnh Bình Định năm 2023 là 20.000 biên chế. Trong đó:
- Khối Đảng, đoàn thể là 1.000 biên chế (bao gồm 900 cán bộ, công chức, 100 viên chức); giảm 20 biên chế so với năm 2022 (tỷ lệ giảm 1,96%).
- Chính quyền địa phương là 19.000 biên chế.
2.1. Năm 2024
Tổng biên chế hệ thống chính trị tỉnh Bình Định năm 2024 là 19.900 biên chế. Trong đó:
- Khối Đảng, đoàn thể là 990 biên chế, giảm 10 biên chế so với năm 2023 (giảm 30 biên chế so với năm 2022, tỷ lệ giảm 2,94%).
- Chính quyền địa phương là 18.910 biên chế.
"""


def test_check_consistent_plan_has_no_error() -> None:
    assert _errors(CONSISTENT) == []


@pytest.mark.parametrize(
    ("old", "new", "rule", "suggested"),
    [
        ("900 cán bộ", "800 cán bộ", "sum", "800 → 900"),
        ("là 19.000 biên chế", "là 19.100 biên chế", "sum", None),
        ("giảm 10 biên chế", "giảm 15 biên chế", "change", "giảm 15 → giảm 10"),
        ("tỷ lệ giảm 2,94%", "tỷ lệ giảm 2,49%", "rate", "2,49% → 2,94%"),
        ("giảm 30 biên chế so với năm 2022", "giảm 30 biên chế so với năm 2024", "base_year", None),
    ],
)
def test_check_typo_is_flagged_with_arithmetic(old: str, new: str, rule: str, suggested: str | None) -> None:
    assert old in CONSISTENT
    errors = _errors(CONSISTENT.replace(old, new, 1))
    assert [f.rule for f in errors] == [rule]
    assert errors[0].spans and errors[0].message
    if suggested:
        assert suggested in (errors[0].suggestion or "")


def test_check_derived_base_level_must_agree() -> None:
    text = CONSISTENT.replace("giảm 30 biên chế so với năm 2022, tỷ lệ giảm 2,94%", "giảm 10 biên chế so với năm 2022, tỷ lệ giảm 1,0%")
    errors = _errors(text)
    assert [f.rule for f in errors] == ["change"]
    assert errors[0].stated == 10 and errors[0].computed == 30
    assert "1.020" in errors[0].message  # the 2022 level derived from "giảm 20 so với năm 2022"
    assert "năm gốc 2023" in errors[0].message


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("Tỉnh đã giảm từ 1.250 đơn vị hành chính cấp xã xuống còn 410, giảm 840 đơn vị (67,2%).", []),
        ("Tỉnh đã giảm từ 1.250 đơn vị hành chính cấp xã xuống còn 410, giảm 804 đơn vị (67,2%).", ["change", "rate"]),
        ("Sắp xếp 210 đơn vị (150 xã, 48 phường, 12 thị trấn) để hình thành 70 đơn vị mới (52 xã, 18 phường), giảm 140 đơn vị.", []),
        ("Sắp xếp 210 đơn vị (150 xã, 48 phường, 21 thị trấn) để hình thành 70 đơn vị mới (52 xã, 18 phường), giảm 140 đơn vị.", ["sum"]),
    ],
)
def test_check_counted_things_before_and_after(text: str, rules: list[str]) -> None:
    # one typo that breaks the change and its rate is reported once, the rate under it
    assert sorted(f.rule for e in _errors(text) for f in [e, *e.related]) == rules
    assert len(_errors(text)) == min(len(rules), 1)


def test_check_period_gap_and_missing_year() -> None:
    found = _findings(
        "Giai đoạn từ nay đến năm 2022 mỗi năm cử khoảng 400 cán bộ; giai đoạn từ năm 2026 đến năm 2030 mỗi năm cử khoảng 500 cán bộ. "
        "Tổng biên chế đến hết năm 2.234.720 biên chế."
    )
    assert {f.rule for f in found} == {"period_gap", "missing_year"}
    assert all(f.severity == "warning" for f in found)
    assert "2023-2025" in next(f.message for f in found if f.rule == "period_gap")


def test_check_citation_date_conflict() -> None:
    found = _errors("Kết luận số 40-KL/TW ngày 18/7/2022 của Bộ Chính trị. Kết luận số 40-KL/TW ngày 19/7/2022 của Bộ Chính trị.")
    assert [f.rule for f in found] == ["citation_conflict"]


def test_check_target_minimum_warning() -> None:
    text = (
        "Giai đoạn 2022 - 2026 tinh giản ít nhất 5% biên chế cán bộ, công chức.\n2.1. Năm 2026\n"
        "Cán bộ, công chức của tỉnh là 2.000 biên chế, giảm 40 biên chế so với năm 2022 (tỷ lệ giảm 1,96%)."
    )
    found = _findings(text)
    assert [f.rule for f in found] == ["target"] and found[0].severity == "warning"


def test_check_seed_findings_and_no_others() -> None:
    plan = extract_path(CORPUS / "001_02c0c7e95a57206c.txt").findings
    assert sorted(f.rule for f in plan) == ["base_year", "change", "change", "change", "change", "change", "change", "rate", "sum"]
    report = extract_path(CORPUS / "002_b492399a474e869d.txt").findings
    assert sorted(f.rule for f in report) == ["missing_year", "period", "period_gap"]
    for name in ("000_2f29880d7c86bee3.txt", "003_536fb758ed16856e.txt", "004_931564639493688c.txt"):
        assert [f for f in extract_path(CORPUS / name).findings if f.severity == "error"] == []
    total = next(f for f in plan if f.rule == "sum")
    assert (total.stated, total.computed) == (27697, 26697)
    assert "24.424 → 25.424" in (total.suggestion or "")


@pytest.mark.parametrize(
    ("exact", "stated", "decimals", "holds"),
    [(1.941, 1.94, 2, True), (1.616, 1.67, 2, False), (5.542, 5.5, 1, True), (2.003, 2, 0, True), (2.6, 2, 0, False)],
)
def test_check_rate_rounding(exact: float, stated: float, decimals: int, holds: bool) -> None:
    assert rounds_to(exact, stated, decimals) is holds


@pytest.mark.parametrize(("a", "b", "distance"), [(24424, 25424, 0), (1263, 1623, 0), (15, 23, 1), (100, 1000, 2)])
def test_check_typo_distance(a: float, b: float, distance: int) -> None:
    assert typo_distance(a, b) == distance


def test_check_numbers_written_the_vietnamese_way() -> None:
    assert (vn(27697), vn(1.94), vn(-25)) == ("27.697", "1,94", "−25")
