"""The statistical extractor: tokenizer round trip, offline loading, unseen unit
names, the combination with the rules and the figure hooks."""

from __future__ import annotations

import socket
from typing import Any, Literal, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.models import Extractor, Figure, OrgMention
from extractor.ner import data
from extractor.ner.extract import (
    category_key,
    combine,
    find_categories_model,
    find_orgs_model,
    org_in_subject,
    orgs_for,
    refine_figures,
)
from extractor.ner.pipeline import blank, load_model, model_available
from extractor.ner.tokenizer import token_spans

needs_model = pytest.mark.skipif(not model_available(), reason="no trained model in extractor/ner/model")

_VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(_VIETNAMESE + _VIETNAMESE.upper() + "  \n\t,.;:()-/\"“”0123456789|"),
        st.characters(exclude_categories=["Cs"]),  # lone surrogates are not text; spaCy cannot hold them
    ),
    max_size=120,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_ner_tokenizer_round_trips_arbitrary_text(text: str) -> None:
    doc = blank().tokenizer(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx:token.idx + len(token.text)] == token.text


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("Ban Thường vụ Tỉnh ủy kí ban hành Kế hoạch", "Tỉnh ủy"),
        ("Ủy ban thường vụ Quốc hội ban hành", "Quốc hội"),
        ("TP. Uông Bí | 0203.3854037", "|"),
        ("Nghị quyết số 18-NQ/TW ngày 25/10/2017", "25/10/2017"),
    ],
)
def test_ner_tokenizer_cuts_at_name_boundaries(text: str, token: str) -> None:
    assert token in [text[s:e] for s, e in token_spans(text)]


def test_ner_tokenizer_survives_odd_whitespace() -> None:
    text = "  Sở  Nội vụ\n\n\ttỉnh\u00a0Long An \u2028 "
    doc = blank().tokenizer(text)
    assert doc.text == text
    words = [t.text for t in doc if not t.is_space]
    assert words == ["Sở", "Nội vụ", "tỉnh", "Long An"]  # syllables join across one plain space only


@needs_model
def test_ner_model_loads_with_networking_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    load_model.cache_clear()
    nlp = load_model()
    doc = nlp("Sở Nội vụ tỉnh Quảng Nam được giao 58 biên chế công chức.")
    assert doc.text.startswith("Sở Nội vụ")
    assert {"model", "rules"} <= set(doc.spans)
    load_model.cache_clear()


UNSEEN = [
    # Units of kinds and places no training text names (held-out provinces).
    ("Năm 2025, Trường Chính trị tỉnh Điện Biên được giao 52 biên chế.", "Trường Chính trị tỉnh Điện Biên"),
    pytest.param(
        "Đài Phát thanh và Truyền hình tỉnh Lai Châu thực hiện tinh giản 6 viên chức.",
        "Đài Phát thanh và Truyền hình tỉnh Lai Châu",
        marks=pytest.mark.xfail(reason="the model cuts the name at 'và' (Truyền hình tỉnh Lai Châu)", strict=True),
    ),
    ("Ban Quản lý Khu kinh tế tỉnh Hà Giang có 31 biên chế công chức.", "Ban Quản lý Khu kinh tế tỉnh Hà Giang"),
    ("Ủy ban nhân dân huyện Thạnh Phú báo cáo kết quả sắp xếp bộ máy.", "Ủy ban nhân dân huyện Thạnh Phú"),
    ("Bệnh viện Đa khoa tỉnh Kon Tum được giao 640 biên chế viên chức.", "Bệnh viện Đa khoa tỉnh Kon Tum"),
]


@needs_model
@pytest.mark.parametrize(("text", "name"), UNSEEN)
def test_ner_finds_unseen_unit_names(text: str, name: str) -> None:
    found = [m.text for m in orgs_for(text, [], "both")]
    assert name in found


@needs_model
def test_ner_model_mentions_carry_provenance_and_exact_offsets() -> None:
    text = "Giao Trường Chính trị tỉnh Cà Mau chủ trì.\nSở Y tế tỉnh Bến Tre có 1.200 viên chức."
    mentions = find_orgs_model(text, offset=7)
    assert mentions
    for m in mentions:
        assert m.extractor == "model"
        assert 0.0 <= m.confidence <= 1.0
        assert text[m.start - 7:m.end - 7] == m.text
    cats = find_categories_model(text)
    assert [c.category for c in cats] == ["public_employees"]


def _org(start: int, end: int, text: str, extractor: str = "rules", confidence: float = 1.0, label: str = "ORG") -> OrgMention:
    return OrgMention(start=start, end=end, text=text, name=text, extractor=cast(Extractor, extractor),
                      confidence=confidence, label=cast(Literal["ORG", "LOC"], label))


def test_ner_combine_rules_win_where_they_match() -> None:
    rules = [_org(0, 9, "Sở Nội vụ"), _org(30, 41, "tỉnh Cà Mau", label="LOC")]
    model = [
        _org(0, 5, "Sở Nộ", "model"),  # cuts a rule span: dropped
        _org(10, 14, "Ban ", "model"),  # overlaps nothing: added
        _org(15, 41, "x" * 26, "model", 0.9),  # contains the rule span and is longer: replaces it
    ]
    spans = [(m.start, m.end, m.extractor) for m in combine(rules, model)]
    assert spans == [(0, 9, "rules"), (10, 14, "model"), (15, 41, "model")]
    spans = [(m.start, m.end, m.extractor) for m in combine(rules, model, extend=False)]
    assert spans == [(0, 9, "rules"), (10, 14, "model"), (30, 41, "rules")]
    low = combine(rules, [_org(15, 41, "x" * 26, "model", 0.2)])
    assert [(m.start, m.end) for m in low] == [(0, 9), (30, 41)]


def test_ner_orgs_for_rules_mode_is_the_rules() -> None:
    rules = [_org(0, 9, "Sở Nội vụ")]
    assert orgs_for("Sở Nội vụ", rules, "rules") is rules


def test_ner_category_key_maps_new_wordings() -> None:
    assert category_key("cán bộ, công chức") == "officials"
    assert category_key("viên chức hưởng lương từ ngân sách nhà nước") == "public_employees"
    assert category_key("số lượng người làm việc") == "public_employees"
    assert category_key("công chức cấp xã") == "commune_officials"


def test_ner_org_in_subject_drops_fronted_words_only() -> None:
    subject = "Năm 2024, Trường Chính trị tỉnh Cà Mau"
    orgs = [_org(10, len(subject), subject[10:], "model")]
    assert org_in_subject(subject, orgs) == "Trường Chính trị tỉnh Cà Mau"
    whole = "Các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh Bến Tre"
    assert org_in_subject(whole, [_org(29, len(whole), whole[29:])]) is None


def test_ner_refine_figures_takes_the_unit_of_the_clause() -> None:
    text = "Năm 2024, Trường Chính trị tỉnh Cà Mau được giao 45 biên chế."
    start = text.index("45")
    fig = Figure(id="f1", start=start, end=start + 12, text=text[start:start + 12], kind="level", value=45,
                 unit="biên chế", category="total", org="Năm 2024, Trường Chính trị tỉnh Cà Mau", year=2024)
    orgs = [_org(10, 38, text[10:38], "model")]
    [refined] = refine_figures(text, [fig], orgs, [])
    assert refined.org == "Trường Chính trị tỉnh Cà Mau"


def test_ner_refine_figures_keeps_the_whole_label_an_earlier_figure_of_the_clause_has() -> None:
    label = "Các cơ quan đảng, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội"
    text = f"{label}: năm 2022 là 1.210 biên chế, đến năm 2026 còn 1.150 biên chế."
    figs = []
    for i, number in enumerate(("1.210", "1.150")):
        start = text.index(number)
        figs.append(Figure(id=f"f{i + 1}", start=start, end=start + len(number), text=number, kind="level", value=1.0,
                           unit="biên chế", category="total", org=label if i == 0 else None, year=2022))
    front = text.index("Mặt trận")
    orgs = [_org(front, front + len("Mặt trận Tổ quốc"), "Mặt trận Tổ quốc")]
    assert [f.org for f in refine_figures(text, figs, orgs, [])] == [label, label]


def test_ner_gold_spans_match_their_text_and_splits_are_disjoint() -> None:
    gold = data.load_gold()
    for item in gold:
        for start, end, label in item.spans:
            assert 0 <= start < end <= len(item.text), item.id
            assert item.text[start:end].strip() == item.text[start:end], (item.id, item.text[start:end])
            assert label in data.LABELS
    train_ids = {g.id for g in gold if g.split == "train"}
    dev_ids = {g.id for g in gold if g.split == "dev"}
    assert train_ids and dev_ids and not train_ids & dev_ids


def test_ner_training_gold_keeps_clear_of_held_out_names() -> None:
    units = data.gold_train_units(data.load_gold("train"))
    dropped = [u.id for u in units if data.mentions_held_out(u.text)]
    assert not [d for d in dropped if d.startswith("written")]
    assert len(dropped) <= 2, dropped  # seed lines naming a held-out unit are left out of training


def test_ner_dev_sentences_name_held_out_units() -> None:
    dev_sentences = [g for g in data.load_gold("dev") if g.id.startswith("written")]
    assert dev_sentences
    for item in dev_sentences:
        assert any(data.mentions_held_out(item.text[s:e]) for s, e, label in item.spans if label != "CATEGORY"), item.id


def test_ner_augmented_sentences_never_draw_held_out_provinces() -> None:
    from extractor.ner.augment import augmented

    items = augmented(300, seed=3)
    for item in items:
        assert not any(p in item.text for p in data.HELD_OUT_PROVINCES), item.text
        for start, end, _ in item.spans:
            assert item.text[start:end].strip() == item.text[start:end]
    # a district named like one of a held-out province ("Phú Tân") is dropped by training_set
    assert sum(data.mentions_held_out(i.text) for i in items) < len(items) // 10
