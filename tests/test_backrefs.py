"""Back-references: "Nghị quyết trên", "Kế hoạch này", "Kết luận 50" resolved to an
earlier full citation of the same document, or reported unresolved with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.document import document_from_text
from extractor.models import BackReference
from extractor.pipeline import extract_document, extract_path

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"  # ../shared beside the checkout


def _backrefs(text: str) -> list[BackReference]:
    return extract_document(document_from_text(text)).backrefs


def _one(text: str, phrase: str) -> BackReference:
    found = [b for b in _backrefs(text) if b.text == phrase]
    assert len(found) == 1, [b.text for b in _backrefs(text)]
    return found[0]


PLAN = "Ngày 11/8/2023, Ban Thường vụ Tỉnh ủy Long An kí ban hành Kế hoạch số 123-KH/TU về quản lý biên chế. "


@pytest.mark.parametrize(
    ("text", "phrase", "key"),
    [
        ("Thực hiện Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương. Để tiếp tục thực hiện Nghị quyết trên, Tỉnh ủy yêu cầu rà soát.",
         "Nghị quyết trên", "18-NQ/TW"),
        ("Căn cứ Quyết định số 71-QĐ/TW, ngày 18/7/2022 của Bộ Chính trị. Quyết định nêu trên giao tổng biên chế.",
         "Quyết định nêu trên", "71-QĐ/TW"),
        ("Nghị quyết số 19-NQ/TW được ban hành năm 2017. Nghị quyết đó đã tạo chuyển biến.",
         "Nghị quyết đó", "19-NQ/TW"),
        ("Bộ Chính trị ban hành Kết luận số 50-KL/TW về tiếp tục thực hiện. Theo Kết luận 50, các cấp ủy phải sơ kết.",
         "Kết luận 50", "50-KL/TW"),
        ("Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương khóa XII. Sau 5 năm thực hiện Nghị quyết 18, cả nước giảm đầu mối.",
         "Nghị quyết 18", "18-NQ/TW"),
        ("Thực hiện Nghị quyết số 18-NQ/TW. Kết quả thực hiện Nghị quyết số 18 của Trung ương được đánh giá cao.",
         "Nghị quyết số 18", "18-NQ/TW"),
        ("Thực hiện Kế hoạch số 81-KH/TU, ngày 11/11/2022 của Ban Thường vụ Tỉnh ủy Long An. Kế hoạch này giao biên chế.",
         "Kế hoạch này", "81-KH/TU@tỉnh Long An@2022"),
        ("Thực hiện Chỉ thị số 05-CT/TW. Các cấp ủy quán triệt chỉ thị trên.", "chỉ thị trên", "05-CT/TW"),
        ("Thực hiện Nghị quyết số 18-NQ/TW. Căn cứ Kết luận số 40-KL/TW. Triển khai Nghị quyết trên.",
         "Nghị quyết trên", "18-NQ/TW"),
    ],
)
def test_backrefs_resolve_to_nearest_earlier_citation_of_the_type(text: str, phrase: str, key: str) -> None:
    ref = _one(text, phrase)
    assert ref.resolved_key == key
    assert ref.unresolved_reason is None
    assert ref.resolved_start is not None and ref.resolved_start < ref.start
    assert not ref.refers_to_self


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (PLAN + "Các cơ quan thực hiện nghiêm Kế hoạch này.", "Kế hoạch này"),
        (PLAN + "Thực hiện Kế hoạch số 81-KH/TU của Ban Thường vụ Tỉnh ủy. Ban Tổ chức theo dõi việc thực hiện Kế hoạch này.", "Kế hoạch này"),
        (PLAN + "Mặt trận xây dựng kế hoạch triển khai theo kế hoạch này.", "kế hoạch này"),
    ],
)
def test_backrefs_ke_hoach_nay_in_a_plan_is_the_plan_itself(text: str, phrase: str) -> None:
    ref = _one(text, phrase)
    assert ref.refers_to_self
    assert ref.resolved_key == "123-KH/TU@tỉnh Long An@2023"


@pytest.mark.parametrize(
    ("text", "phrase", "reason"),
    [
        ("Các cấp ủy cần quán triệt Nghị quyết trên.", "Nghị quyết trên", "no Nghị quyết"),
        ("Thực hiện Kết luận số 40-KL/TW. Theo Kết luận 50, các cấp ủy sơ kết.", "Kết luận 50", "numbered 50"),
        ("Theo Kết luận 50, các cấp ủy sơ kết. Bộ Chính trị ban hành Kết luận số 50-KL/TW.", "Kết luận 50", "only after it"),
        ("Tiếp tục thực hiện Nghị quyết số 18-NQ/TW, Nghị quyết số 19-NQ/TW của Ban Chấp hành Trung ương. Tổng kết Nghị quyết trên.",
         "Nghị quyết trên", "ambiguous"),
        ("Thực hiện Nghị quyết số 18-NQ/TW. Nghị quyết số 18-NQ/TU của Tỉnh ủy Long An. Theo Nghị quyết 18, tỉnh giảm đầu mối.",
         "Nghị quyết 18", "ambiguous"),
        ("Thực hiện Nghị quyết số 18-NQ/TW và Nghị quyết số 19-NQ/TW. Quán triệt các Nghị quyết trên.", "Nghị quyết trên", "plural"),
        ("Kế hoạch số 123-KH/TU giao biên chế. Ban hành kèm theo Quyết định này.", "Quyết định này", "no Quyết định"),
    ],
)
def test_backrefs_unresolved_says_why_never_guesses(text: str, phrase: str, reason: str) -> None:
    ref = _one(text, phrase)
    assert ref.resolved_key is None and ref.resolved_start is None
    assert ref.unresolved_reason is not None and reason in ref.unresolved_reason


@pytest.mark.parametrize(
    "text",
    [
        "xây dựng kế hoạch tiếp tục thực hiện Nghị quyết trên địa bàn tỉnh giai đoạn 2023-2025.",
        "Thực hiện Kết luận số 40-KL/TW. Đồng chí phát biểu kết luận trên tinh thần đổi mới.",
        "Thực hiện Kết luận số 40-KL/TW. Hội nghị thống nhất các kết luận này.",
        "Thực hiện Quy định số 70-QĐ/TW. Những quy định trên là cơ sở.",
        "Hội nghị Trung ương 6 khóa XII thông qua Nghị quyết 18-NQ/TW.",
        "Kế hoạch 2024 của tỉnh.",
        "Trong đó, phấn đấu đạt mục tiêu của Nghị quyết số 19-NQ/TW.",
    ],
)
def test_backrefs_not_a_back_reference(text: str) -> None:
    assert _backrefs(text) == []


def test_backrefs_partial_citation_not_reported_twice() -> None:
    text = "Hội nghị triển khai Kế hoạch số 12 của Ban Thường vụ Thành ủy Hà Nội. Kế hoạch số 12 giao nhiệm vụ."
    result = extract_document(document_from_text(text))
    assert [c.partial for c in result.citations] == [True, True]
    assert result.backrefs == []


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("Thực hiện Nghị quyết số 18-NQ/TW. Tiếp tục thực hiện Nghị quyết trên.", "continues"),
        ("Thực hiện Nghị quyết số 18-NQ/TW. Căn cứ Nghị quyết trên, tỉnh giao biên chế.", "according_to"),
        ("Thực hiện Nghị quyết số 18-NQ/TW. Tỉnh triển khai Nghị quyết trên.", "implements"),
    ],
)
def test_backrefs_carry_the_relation_word_before_them(text: str, relation: str) -> None:
    assert _one(text, "Nghị quyết trên").relation == relation


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed texts not present")
def test_backrefs_long_an_plan_refers_to_itself() -> None:
    result = extract_path(SEEDS / "001_02c0c7e95a57206c.txt")
    refs = result.backrefs
    assert len(refs) == 7
    assert all(r.refers_to_self and r.resolved_key == "123-KH/TU@tỉnh Long An@2023" for r in refs)
    assert not any(r.text.startswith("Nghị quyết trên") for r in refs)  # "Nghị quyết trên địa bàn tỉnh"


FRAGMENTS = ["Nghị quyết số 18-NQ/TW", " Nghị quyết trên", " Kế hoạch này", " Kết luận 50", "Kế hoạch số 12", ". ",
             " các ", "Nghị quyết 18", "\n", " nêu trên", "Quyết định", " số ", "trên địa bàn"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=30).map("".join))
def test_backrefs_offsets_hold_on_any_text(raw: str) -> None:
    document = document_from_text(raw)
    result = extract_document(document)
    starts = {c.start for c in result.citations if not c.partial}
    for ref in result.backrefs:
        assert document.text[ref.start:ref.end] == ref.text
        assert (ref.resolved_key is None) == (ref.unresolved_reason is not None)
        if ref.resolved_start is not None:
            assert ref.resolved_start in starts and ref.resolved_start < ref.start
