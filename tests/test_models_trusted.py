"""``_Model.trusted``: the fast constructor of rule-made mentions equals ``model_construct``."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.annotated import TableCell
from extractor.models import Finding, NumberMention, Sentence, _Model


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (NumberMention, {"start": 3, "end": 8, "text": "1.250", "value": 1250.0, "number_start": 3}),
        (NumberMention, {"start": 0, "end": 9, "text": "khoảng 5%", "value": 5.0, "approx": "about", "percent": True, "number_start": 7}),
        (Sentence, {"start": 0, "end": 4, "text": "Năm."}),
        (TableCell, {"start": 2, "end": 4, "text": "45", "column": 1}),
    ],
)
def test_models_trusted_equals_model_construct(cls: type[_Model], values: dict[str, Any]) -> None:
    made, reference = cls.trusted(**values), cls.model_construct(**values)
    assert made == reference
    assert made.model_dump_json() == reference.model_dump_json()  # field order kept
    assert made.model_fields_set == reference.model_fields_set
    assert made.model_copy(update={"start": 1}).model_dump()["start"] == 1


def test_models_trusted_falls_back_where_a_default_is_a_factory() -> None:
    made = Finding.trusted(rule="sum", severity="warning", message="m")
    assert made == Finding.model_construct(rule="sum", severity="warning", message="m")
