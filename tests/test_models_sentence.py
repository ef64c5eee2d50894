"""A mention carries its sentence, cut to a window around it when the sentence is huge."""

from __future__ import annotations

import pytest

from extractor.document import document_from_text
from extractor.models import SENTENCE_LIMIT, Sentence
from extractor.pipeline import extract_document


@pytest.mark.parametrize(("text", "start", "end", "expected"), [
    ("ngắn gọn", 0, 4, "ngắn gọn"),
    ("a" * 50 + "XY" + "b" * 50, 50, 52, "…" + "a" * 4 + "XY" + "b" * 4 + "…"),
    ("XY" + "b" * 50, 0, 2, "XY" + "b" * 4 + "…"),
])  # fmt: skip
def test_models_sentence_around_cuts_long_sentences(text: str, start: int, end: int, expected: str) -> None:
    assert Sentence(start=0, end=len(text), text=text).around(start, end, limit=10) == expected


def test_models_sentence_huge_line_keeps_records_small() -> None:
    line = ", ".join(f"đơn vị {i} được giao {100 + i} biên chế" for i in range(800))
    result = extract_document(document_from_text(line, source="mot-dong.txt"))
    assert len(result.figures) > 100
    for figure in result.figures:
        assert len(figure.sentence) <= SENTENCE_LIMIT + 2 and figure.text in figure.sentence
