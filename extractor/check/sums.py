"""sum: parts against their whole — "Trong đó:" lists, "bao gồm" and bracketed
breakdowns ("(1.137 cán bộ, công chức, 126 viên chức)"), for levels and changes."""

from __future__ import annotations

from collections import defaultdict

from extractor.check import rules
from extractor.check.relations import Relation
from extractor.models import Figure


def sum_relations(figures: list[Figure]) -> list[Relation]:
    """whole − Σ parts = 0 for every figure with two or more parts of its own kind."""
    by_id = {f.id: f for f in figures}
    children: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        if f.parent and f.parent in by_id and by_id[f.parent].kind == f.kind and f.kind in ("level", "change", "count"):
            children[f.parent].append(f)
    relations: list[Relation] = []
    for parent_id, parts in children.items():
        whole = by_id[parent_id]
        if len(parts) < 2 or whole.approx != "exact" or any(p.approx != "exact" for p in parts):
            continue
        relations.append(
            Relation(
                rule=rules.SUM,
                terms=[(whole.id, 1.0)] + [(p.id, -1.0) for p in parts],
                figures=[whole, *parts],
            )
        )
    return relations
