"""rate: a stated percentage against change ÷ base level, rounding-aware like
statcheck ("1,94%" holds if the exact value rounds to 1.94, "2%" if it rounds to 2)."""

from __future__ import annotations

from extractor.check.changes import LevelTable, _key
from extractor.check.relations import Relation, org_keys, rate_relation
from extractor.models import Figure


def rate_relations(figures: list[Figure], table: LevelTable, text: str) -> list[Relation]:
    """One relation per change that states its rate and whose level is stated."""
    orgs = org_keys(figures)
    by_id = {f.id: f for f in figures}
    relations: list[Relation] = []
    for c in figures:
        if c.kind != "change" or c.rate_percent is None:
            continue
        level = None
        if c.before_after and c.before_after[1] in by_id:
            level = by_id[c.before_after[1]]  # "giảm từ 109 phòng xuống còn 74 phòng (giảm 35 phòng, 32,11%)": its own after
        if level is None and c.year is not None:
            level = table.stated.get((_key(c, orgs), c.year))
        if level is None:
            continue
        relations.append(rate_relation(c, level, text))
    return relations
