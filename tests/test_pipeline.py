"""Every extractor on arbitrary text: none raises, every mention's offsets hold."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.document import document_from_text
from extractor.pipeline import extract_document

FRAGMENTS = [
    "Nghị quyết số 18-NQ/TW", " của Bộ Chính trị", ", ngày 18/7/2022", "Kế hoạch số 12", "là 1.263 biên chế",
    " (bao gồm 1.137 cán bộ, công chức, 126 viên chức)", "; giảm 25 biên chế so với năm 2022", " (tỷ lệ giảm 1,94%)",
    "\n- ", "\n+ ", "\n2.1. Năm 2024\n", "Trong đó:", "giai đoạn 2022 - 2026", "đến hết năm ", "1.2.3", "%",
    "60/2021/NĐ-CP", "Ủy ban nhân dân tỉnh Long An", "khoảng 400 cán bộ", "quý I-2023", "(", ")", "Uỷ", "\u00a0", "–",
]

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_pipeline_any_text_keeps_offsets(raw: str) -> None:
    document = document_from_text(raw)
    result = extract_document(document)
    mentions = [*result.citations, *result.figures, *result.periods, *result.dates, *result.orgs]
    for m in mentions:
        assert 0 <= m.start <= m.end <= len(document.text)
        assert document.text[m.start:m.end] == m.text
    for f in result.figures:
        assert f.kind in ("level", "change", "rate", "count")
