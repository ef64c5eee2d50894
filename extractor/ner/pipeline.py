"""The spaCy pipeline for Vietnamese directives: underthesea word tokens, a
small trained ``ner`` (labels ORG, LOC, CATEGORY) and ``bienche_rules``, a
component that runs the pattern data of ``patterns/`` (orgs and quota
categories) over the text and merges as ``extract.combine`` does (rule spans
win; the model adds what does not overlap them, and a model ORG/LOC span may
replace rule spans it contains), without its confidence filter.

After ``nlp(text)``: ``doc.spans["model"]`` holds the model's entities,
``doc.spans["rules"]`` the rules' spans and ``doc.ents`` the merged result.

The shipped model lives in ``extractor/ner/model/``; ``load_model`` reads it
offline (no download, no language package: ``vi`` is spaCy's built-in blank
class, whose pyvi tokenizer is replaced by ours).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.api import Config

from extractor.ner.tokenizer import TOKENIZER_NAME

MODEL_DIR = Path(__file__).resolve().parent / "model"
LABELS = ("ORG", "LOC", "CATEGORY")
RULES_COMPONENT = "bienche_rules"

_NER_CONFIG = """
[model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = {hidden}
maxout_pieces = 2
use_upper = true
nO = null

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = {width}
depth = {depth}
embed_size = {rows}
window_size = 1
maxout_pieces = 3
subword_features = true
"""


def ner_config(width: int = 96, depth: int = 4, rows: int = 4000, hidden: int = 64) -> dict[str, Any]:
    """The ``ner`` component's model config: a small hash-embedding CNN, no vectors."""
    text = _NER_CONFIG.format(width=width, depth=depth, rows=rows, hidden=hidden)
    return dict(Config().from_str(text))


def blank() -> Language:
    """A blank Vietnamese pipeline with the underthesea word tokenizer."""
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})


def build_nlp(width: int = 96, depth: int = 4, rows: int = 4000, hidden: int = 64) -> Language:
    """An untrained pipeline: tokenizer, ``ner`` (ORG, LOC, CATEGORY), ``bienche_rules``."""
    nlp = blank()
    ner = nlp.add_pipe("ner", config=ner_config(width, depth, rows, hidden))
    for label in LABELS:
        ner.add_label(label)  # type: ignore[attr-defined]
    nlp.add_pipe(RULES_COMPONENT)
    return nlp


class RuleSpans:
    """Pipeline component: the pattern data's spans, merged with the model's (rules win)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """``doc`` with spans "rules" and "model" set and ``ents`` merged."""
        from extractor.ner.data import rule_spans

        model = list(doc.ents)
        rules: list[Span] = []
        for start, end, label in rule_spans(doc.text):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None and not any(span.start < r.end and r.start < span.end for r in rules):
                rules.append(span)
        doc.spans["model"] = model
        doc.spans["rules"] = rules
        kept = list(rules)
        added: list[Span] = []
        for m in model:
            crossed = [r for r in kept if m.start < r.end and r.start < m.end]
            contains = all(m.start <= r.start and r.end <= m.end for r in crossed)
            if not crossed or (contains and m.label_ != "CATEGORY" and any((r.start, r.end) != (m.start, m.end) for r in crossed)):
                kept = [r for r in kept if r not in crossed]
                added.append(m)
        doc.ents = sorted(kept + added, key=lambda s: s.start)
        return doc


@Language.factory(RULES_COMPONENT)
def make_rule_spans(nlp: Language, name: str) -> RuleSpans:
    """Factory of the ``bienche_rules`` component (no settings, no weights)."""
    return RuleSpans(nlp, name)


def model_available(path: Path = MODEL_DIR) -> bool:
    """Whether a trained model is present at ``path``."""
    return (path / "config.cfg").exists() and (path / "ner").is_dir()


@cache
def load_model(path: Path = MODEL_DIR) -> Language:
    """The shipped pipeline, loaded once per process; reads only local files.

    Raises ``FileNotFoundError`` when no model was trained into ``path``.
    """
    if not model_available(path):
        raise FileNotFoundError(f"no trained model in {path} (run extractor.ner.train.train)")
    return spacy.load(path)
