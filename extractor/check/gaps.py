"""Unfilled posts: assigned − actual − unfilled = 0 for every count of posts left unfilled
that record assembly linked to its quota and headcount (``Figure.gap_of``)."""

from __future__ import annotations

from extractor.check import rules
from extractor.check.relations import Relation
from extractor.models import Figure


def gap_relations(figures: list[Figure]) -> list[Relation]:
    """One relation per linked vacancy count: the quota less the headcount is the count."""
    by_id = {f.id: f for f in figures}
    relations: list[Relation] = []
    for fig in figures:
        if fig.gap_of is None or any(i not in by_id for i in fig.gap_of):
            continue
        assigned, actual = (by_id[i] for i in fig.gap_of)
        relations.append(Relation(rule=rules.GAP, terms=[(fig.id, 1.0), (assigned.id, -1.0), (actual.id, 1.0)],
                                  figures=[fig, assigned, actual]))
    return relations
