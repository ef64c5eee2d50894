"""Likely corrections: treat the figures as unknowns in the stated relations and
propose changing one stated value when that makes every relation it takes part
in hold. Candidates are ranked by relations repaired, then by how typo-like the
change is (one digit changed, two neighbours swapped)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from extractor.check.numbers import typo_distance
from extractor.check.relations import Relation, Values


@dataclass(frozen=True)
class Candidate:
    """Changing ``variable`` from ``old`` to ``new`` repairs ``repaired`` relations."""

    variable: str
    old: float
    new: float
    repaired: int
    typo: int
    evidence: int = 0
    """+1 when the text states the new value elsewhere, −1 when it repeats the old one."""

    @property
    def rank(self) -> tuple[int, int, int, float]:
        """Sort key: more repaired, more typo-like, more evidence, smaller change first."""
        return (-self.repaired, self.typo, -self.evidence, abs(self.new - self.old))


def candidates(relations: list[Relation], values: Values, stated: Mapping[float, int] | None = None) -> list[Candidate]:
    """Every single-value change that repairs at least one failing relation and breaks none.

    ``stated`` counts how often each magnitude is stated among the document's figures."""
    stated = stated or {}
    failing = [r for r in relations if not r.holds(values)]
    involved: dict[str, list[Relation]] = {}
    for r in relations:
        for var in r.variables:
            involved.setdefault(var, []).append(r)
    seen: set[tuple[str, float]] = set()
    found: list[Candidate] = []
    for relation in failing:
        for var in relation.variables:
            if var not in values:
                continue
            new = relation.solve_for(var, values)
            if new is None or abs(new - values[var]) < 1e-9 or (var, round(new, 6)) in seen:
                continue
            if not var.endswith(".rate") and (values[var] == 0 or (new > 0) != (values[var] > 0) or not float(new).is_integer()):
                continue
            seen.add((var, round(new, 6)))
            trial = dict(values)
            trial[var] = new
            mine = involved.get(var, [])
            if not all(r.holds(trial) for r in mine):
                continue
            repaired = sum(1 for r in mine if not r.holds(values))
            evidence = (stated.get(abs(new), 0) > 0) - (stated.get(abs(values[var]), 0) > 1)
            found.append(Candidate(var, values[var], new, repaired, typo_distance(values[var], new), evidence))
    return sorted(found, key=lambda c: c.rank)


def best_for(relation: Relation, ranked: list[Candidate]) -> Candidate | None:
    """The best candidate that repairs ``relation`` (it involves one of its variables)."""
    variables = set(relation.variables)
    return next((c for c in ranked if c.variable in variables), None)
