"""The trained spaCy model as one component: run once per document, only on the
sentences that need it — those holding a figure, up to just after the last one."""

from __future__ import annotations

from extractor.annotated import AnnotatedDocument
from extractor.components.base import Component, component
from extractor.ner.extract import combine, combine_categories, model_mentions


WINDOW_AFTER = 60
"""Characters after a figure the model sees: the category phrase that follows it."""


def sentences_needing_model(doc: AnnotatedDocument) -> list[tuple[int, int]]:
    """The spans the model reads: in each sentence holding a figure, from the
    sentence start to just after its last figure (the unit names and category
    phrases that figures take); sentences without a figure need no model."""
    starts = sorted(f.start for f in doc.figures or [])
    ends = sorted(f.end for f in doc.figures or [])
    out: list[tuple[int, int]] = []
    i = 0
    for s in doc.sentences or []:
        while i < len(starts) and starts[i] < s.start:
            i += 1
        if i < len(starts) and starts[i] < s.end:
            last = max((e for e in ends if s.start < e <= s.end), default=s.end)
            out.append((s.start, min(s.end, last + WINDOW_AFTER)))
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
