"""Components and the pipeline: declarations checked up front, each stage alone writes its layer."""

from __future__ import annotations

import pytest

from extractor.annotated import AnnotatedDocument
from extractor.components import figures as figure_components
from extractor.components import mentions, structure
from extractor.components.base import Component, Pipeline, PipelineError, component
from extractor.components.model import WINDOW_AFTER, sentences_needing_model
from extractor.document import document_from_text
from extractor.models import Figure, OrgMention, Sentence
from extractor.pipeline import build_pipeline

TEXT = (
    "ỦY BAN NHÂN DÂN TỈNH LONG AN\n"
    "Số: 15/KH-UBND\n"
    "Long An, ngày 10 tháng 3 năm 2025\n"
    "KẾ HOẠCH biên chế công chức năm 2025\n"
    "Căn cứ Nghị định số 62/2020/NĐ-CP ngày 01/6/2020 của Chính phủ;\n"
    "I. Biên chế giai đoạn 2022 - 2026\n"
    "1.1. Năm 2024\n"
    "Sở Nội vụ được giao 45 biên chế công chức, giảm 2 biên chế so với năm 2022.\n"
    "Đơn vị | Năm 2024 | Năm 2025\n"
    "Sở Y tế | 30 | 29\n"
    "Sở Tư pháp | 20 | 19\n"
    "Kế hoạch này thay thế Kế hoạch số 10/KH-UBND.\n"
)


def _noop(doc: AnnotatedDocument) -> None:
    return None


def _stage(name: str, reads: tuple[str, ...] = (), writes: tuple[str, ...] = ()) -> Component:
    return component(name, reads=reads, writes=writes)(_noop)


def test_components_pipeline_refuses_read_before_write() -> None:
    with pytest.raises(PipelineError, match="figures"):
        Pipeline([_stage("a", writes=("sentences",)), _stage("b", reads=("sentences", "figures"), writes=("orgs",))])
    # the same two, writer first, are accepted
    Pipeline([_stage("w", writes=("figures",)), _stage("b", reads=("figures",), writes=("orgs",))])


def test_components_pipeline_refuses_reader_placed_before_its_writer() -> None:
    with pytest.raises(PipelineError):
        Pipeline([_stage("reader", reads=("numbers",)), _stage("writer", writes=("numbers",))])


@pytest.mark.parametrize(("reads", "writes"), [(("sentence",), ()), ((), ("figurez",)), ((), ("document",)), (("done",), ())])
def test_components_pipeline_refuses_unknown_layer(reads: tuple[str, ...], writes: tuple[str, ...]) -> None:
    with pytest.raises(PipelineError, match="unknown"):
        Pipeline([_stage("sentences", writes=("sentences",)), _stage("odd", reads=reads, writes=writes)])


def test_components_context_is_readable_without_writer() -> None:
    assert Pipeline([_stage("o", reads=("context",), writes=("orgs",))]).names == ["o"]


@pytest.mark.parametrize("stage", [structure.sections, mentions.citations, mentions.backrefs,
                                   figure_components.figures, figure_components.assemble])
def test_components_direct_call_missing_input_raises(stage: Component) -> None:
    doc = AnnotatedDocument(document=document_from_text(TEXT))
    with pytest.raises(PipelineError, match=stage.name):
        stage(doc)
    assert doc.done == []
    assert all(getattr(doc, layer) is None for layer in stage.writes if layer != "context")


WRITERS = {layer: c for c in build_pipeline("rules").components for layer in c.writes if c.name != "assemble"}
STAGES = [structure.sentences, structure.tables, structure.sections, structure.context, mentions.dates, mentions.years,
          mentions.periods, mentions.numbers, mentions.citations, mentions.orgs, mentions.categories, mentions.backrefs]


def _prerequisites(stage: Component) -> list[Component]:
    out: list[Component] = []
    for layer in stage.reads:
        if layer == "context" and stage is not structure.context:
            writer = structure.context
        else:
            writer = WRITERS[layer]
        for c in [*_prerequisites(writer), writer]:
            if c not in out:
                out.append(c)
    return out


@pytest.mark.parametrize("stage", STAGES, ids=lambda c: c.name)
def test_components_stage_alone_writes_its_layer(stage: Component) -> None:
    doc = AnnotatedDocument(document=document_from_text(TEXT))
    before = _prerequisites(stage)
    for c in before:
        c(doc)
    for layer in stage.writes:
        assert layer == "context" or getattr(doc, layer) is None
    stage(doc)
    assert doc.done == [c.name for c in before] + [stage.name]
    for layer in stage.writes:
        if layer == "context":
            assert doc.context.report_year == 2025 and doc.context.date is not None
            continue
        value = getattr(doc, layer)
        assert isinstance(value, list) and value, f"{stage.name} wrote an empty {layer}"
        for m in value:
            assert doc.text[m.start:m.end] == m.text


def test_components_prerequisites_are_only_what_is_declared() -> None:
    assert [c.name for c in _prerequisites(structure.sections)] == ["years", "periods", "dates"]
    assert [c.name for c in _prerequisites(mentions.backrefs)] == ["sentences", "dates", "context", "citations"]


def test_components_rules_pipeline_has_no_model() -> None:
    names = build_pipeline("rules").names
    assert "ner" not in names and "refine" in names  # refine reads mention layers, not the model
    assert names[0] == "sentences" and names[-2:] == ["assemble", "backrefs"]
    assert len(names) == len(set(names))


def _sentence(text: str, start: int, part: str) -> Sentence:
    at = text.index(part, start)
    return Sentence(start=at, end=at + len(part), text=part)


def test_components_model_runs_only_on_sentences_with_a_figure() -> None:
    tail = " và các đơn vị sự nghiệp công lập trực thuộc sở theo quyết định của Ủy ban nhân dân tỉnh ban hành"
    parts = ["Căn cứ quy định hiện hành.", "Sở Nội vụ được giao 45 biên chế công chức" + tail + ".",
             "Thành phố Tân An ở phía bắc.", "Ban Tổ chức Tỉnh ủy chủ trì.", "Các nội dung khác."]
    text = " ".join(parts)
    doc = AnnotatedDocument(document=document_from_text(text))
    doc.sentences = [_sentence(text, 0, p) for p in parts]
    number = text.index("45 biên chế")
    doc.figures = [Figure(id="f1", start=number, end=number + 11, text="45 biên chế", kind="level", value=45,
                          unit="biên chế", category="total", org=None, year=None)]
    loc = text.index("Tân An")
    org = text.index("Ban Tổ chức Tỉnh ủy")
    doc.orgs = [OrgMention(start=loc, end=loc + 6, text="Tân An", name="Tân An", label="LOC"),
                OrgMention(start=org, end=org + 19, text="Ban Tổ chức Tỉnh ủy", name="Ban Tổ chức Tỉnh ủy")]
    (span,) = sentences_needing_model(doc)
    held = doc.sentences[1]
    # from the sentence start to a window after its last figure, never past the sentence
    assert span[0] == held.start and number + 11 < span[1] <= held.end
    assert span[1] == min(held.end, number + 11 + WINDOW_AFTER)
    assert "công chức" in text[span[0]:span[1]]


def test_components_model_no_anchor_no_sentence() -> None:
    text = "Một câu. Hai câu."
    doc = AnnotatedDocument(document=document_from_text(text))
    doc.sentences = [_sentence(text, 0, "Một câu."), _sentence(text, 0, "Hai câu.")]
    doc.figures, doc.orgs = [], []
    assert sentences_needing_model(doc) == []
