"""The trained spaCy model as one component: run once per document, only on the
sentences that need it — those holding a figure or a rule org mention."""

from __future__ import annotations

from extractor.annotated import AnnotatedDocument
from extractor.components.base import Component, component
from extractor.ner.extract import combine, combine_categories, model_mentions


def sentences_needing_model(doc: AnnotatedDocument) -> list[tuple[int, int]]:
    """Spans of the sentences holding a figure or an ORG mention of the rules."""
    anchors = sorted([f.start for f in doc.figures or []] + [o.start for o in doc.orgs or [] if o.label == "ORG"])
    out: list[tuple[int, int]] = []
    i = 0
    for s in doc.sentences or []:
        while i < len(anchors) and anchors[i] < s.start:
            i += 1
        if i < len(anchors) and anchors[i] < s.end:
            out.append((s.start, s.end))
    return out


def model_component(mode: str) -> Component:
    """The NER component for ``mode`` ("model": its mentions only; "both": combined with the rules')."""

    @component("ner", reads=("sentences", "orgs", "categories", "figures", "context"), writes=("orgs", "categories"))
    def ner(doc: AnnotatedDocument) -> None:
        """ORG, LOC and CATEGORY spans of the trained model, combined with the rules'."""
        found_orgs, found_categories = model_mentions(doc.text, sentences_needing_model(doc), doc.context.province)
        if mode == "model":
            doc.orgs, doc.categories = found_orgs, found_categories
        else:
            doc.orgs = combine(doc.orgs or [], found_orgs)
            doc.categories = combine_categories(doc.categories or [], found_categories)

    return ner
