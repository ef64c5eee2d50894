"""A reduction stated apart from the merger it results from."""

from __future__ import annotations

import pytest

from extractor.document import document_from_text
from extractor.pipeline import extract_document

_MERGER = ("Chính phủ xây dựng 23 phương án sắp xếp đối với 52 ĐVHC cấp tỉnh để hình thành 23 ĐVHC cấp tỉnh mới. "
           "Các địa phương đã lấy ý kiến Nhân dân. Qua đó đã thực hiện sắp xếp đối với {merged}/63 ĐVHC cấp tỉnh "
           "(giảm được {change} đơn vị).")


@pytest.mark.parametrize(("merged", "change", "errors"), [("52", "29", 0), ("52", "39", 1), ("51", "29", 0)])
def test_assemble_mergers_a_bracketed_reduction_after_the_merged_count_is_what_the_merger_removed(
        merged: str, change: str, errors: int) -> None:
    result = extract_document(document_from_text(_MERGER.format(merged=merged, change=change)), "rules")
    reduction = next(f for f in result.figures if f.kind == "change")
    assert (reduction.before_after is not None) is (merged == "52")  # only the merger of that very count
    assert len([x for x in result.findings if x.severity == "error"]) == errors


def test_assemble_mergers_two_mergers_of_one_count_link_none() -> None:
    text = ("Tỉnh A sắp xếp 12 xã để hình thành 5 xã mới. Tỉnh B sắp xếp 12 xã để hình thành 4 xã mới. "
            "Tỉnh A đã sắp xếp 12 xã (giảm 7 xã).")
    reduction = next(f for f in extract_document(document_from_text(text), "rules").figures if f.kind == "change")
    assert reduction.before_after is None
