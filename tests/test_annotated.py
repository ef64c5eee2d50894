"""The annotated document after the whole rules pipeline: offsets, nesting, order."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.annotated import AnnotatedDocument, Table
from extractor.document import document_from_text
from extractor.pipeline import annotate, build_pipeline, extract_document

PROSE = (
    "ỦY BAN NHÂN DÂN TỈNH BẾN TRE\n"
    "Bến Tre, ngày 05 tháng 4 năm 2025\n"
    "Thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương, "
    "năm 2024 Sở Nội vụ được giao 1.234 biên chế công chức, giảm 15 biên chế so với năm 2022 "
    "(tỷ lệ giảm 1,2%). Giai đoạn 2022 - 2026, tỉnh tinh giản khoảng 300 người."
)
TABLE = (
    "Biên chế công chức giao cho các sở như sau:\n\n"
    "| STT | Tên đơn vị | Năm 2024 | Năm 2025 | Ghi chú |\n"
    "|---|---|---|---|---|\n"
    "| 1 | Sở Giáo dục và Đào tạo | 61 | 60 | |\n"
    "| 2 | Sở Văn hóa, Thể thao và Du lịch | 48 | 47 | sáp nhập |\n"
    "| | Tổng cộng | 109 | 107 | |\n"
    "Kế hoạch này có hiệu lực từ ngày ký."
)
LIST = (
    "KẾ HOẠCH biên chế năm 2026\n"
    "II. Biên chế của huyện\n"
    "Năm 2026, huyện Châu Thành được giao 420 biên chế. Trong đó:\n"
    "- Biên chế công chức: 150 biên chế;\n"
    "- Viên chức sự nghiệp giáo dục: 250 biên chế;\n"
    "- Hợp đồng lao động: 20 người.\n"
    "2.1. Năm 2027\n"
    "Dự kiến giảm 8 biên chế so với năm 2026.\n"
)
DOCUMENTS = {"prose": PROSE, "table": TABLE, "list": LIST}


def _annotated(name: str) -> AnnotatedDocument:
    return annotate(document_from_text(DOCUMENTS[name]), "rules")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_annotated_every_mention_matches_text(name: str) -> None:
    doc = _annotated(name)
    mentions = list(doc.mentions())
    assert mentions, "the pipeline found nothing"
    for m in mentions:
        assert 0 <= m.start <= m.end <= len(doc.text)
        assert m.text == doc.text[m.start:m.end], type(m).__name__


@pytest.mark.parametrize("name", DOCUMENTS)
def test_annotated_every_layer_written(name: str) -> None:
    doc = _annotated(name)
    for layer in AnnotatedDocument.layer_names():
        if layer in ("findings",):
            continue
        assert doc.has(layer), layer
    assert doc.figures, "no figure"


def _check_table(table: Table) -> None:
    for row in table.rows:
        assert table.start <= row.start <= row.end <= table.end
        columns = [c.column for c in row.cells]
        assert columns == sorted(columns) and len(columns) == len(set(columns))
        for cell in row.cells:
            assert row.start <= cell.start <= cell.end <= row.end
    for a, b in zip(table.rows, table.rows[1:]):
        assert a.end <= b.start


def test_annotated_table_cells_inside_rows_inside_table() -> None:
    doc = _annotated("table")
    (table,) = doc.tables or []
    _check_table(table)
    assert len(table.rows) == 3 and table.rows[-1].is_total


@pytest.mark.parametrize("name", DOCUMENTS)
def test_annotated_sentences_sorted_and_disjoint(name: str) -> None:
    sentences = _annotated(name).sentences or []
    assert sentences
    for a, b in zip(sentences, sentences[1:]):
        assert a.start < a.end <= b.start


@pytest.mark.parametrize("name", DOCUMENTS)
def test_annotated_done_lists_components_in_order(name: str) -> None:
    assert _annotated(name).done == build_pipeline("rules").names


def test_annotated_list_parts_belong_to_whole() -> None:
    figures = _annotated("list").figures or []
    whole = next(f for f in figures if f.value == 420)
    parts = [f.value for f in figures if f.parent == whole.id]
    assert sorted(parts) == [20, 150, 250]
    assert whole.year == 2026


def test_annotated_sections_inside_text() -> None:
    doc = _annotated("list")
    assert [s.number for s in doc.sections or []] == ["II", "2.1"]
    for s in doc.sections or []:
        assert s.end <= s.body_end <= len(doc.text)


FRAGMENTS = ["1.234", "45", "0,5", "biên chế", " biên chế", "giảm", " giảm ", "(", ")", "|", " | ", "\n",
             "Trong đó:", "năm 2024", " năm 2022", "Sở Nội vụ", " được giao ", " hiện có ", "Tổng cộng", "- ",
             "1.", "a)", "II. ", "%", "so với", ", ", ". ", "người", "xã", "Báo cáo "]
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=" .,;:-\nđêôơư0123456789", max_size=4)),
                 max_size=60).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_annotated_any_fragments_keep_offsets(raw: str) -> None:
    document = document_from_text(raw)
    result = extract_document(document, "rules")
    for m in [*result.figures, *result.citations]:
        assert 0 <= m.start <= m.end <= len(document.text)
        assert m.text == document.text[m.start:m.end]
    doc = annotate(document, "rules")
    for table in doc.tables or []:
        _check_table(table)
