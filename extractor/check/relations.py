"""The relations a text states among its figures, as equations over figure values.

A sum says whole − Σ parts = 0; a change says level(year) − level(base) − change = 0
(the base level stated, or derived from the first change against that base); a
rate says |change| ÷ (level − change) rounds to the stated percentage. The
checker reports relations that fail; the corrector solves them for one figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from extractor.check.numbers import decimals_of, rounds_to
from extractor.models import Figure
from extractor.text import fold

Values = Mapping[str, float]


@dataclass
class Relation:
    """One stated relation; ``terms`` are (variable, coefficient) with Σ coef·value = 0.

    Variables are figure ids, or ``<id>.rate`` for the rate stated with a change.
    """

    rule: str
    terms: list[tuple[str, float]]
    figures: list[Figure]
    note: str = ""
    complete: bool = True
    """False for a breakdown that may leave parts out ("Trong đó:"): only parts
    exceeding the whole then contradict it."""
    rate_of: tuple[str, str] | None = None
    """For a rate relation: (change id, level id)."""
    rate_decimals: int = 2
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def variables(self) -> list[str]:
        """Every variable the relation involves."""
        if self.rate_of:
            change, level = self.rate_of
            return [f"{change}.rate", change, level]
        return [v for v, _ in self.terms]

    def residual(self, values: Values) -> float:
        """Σ coef·value (0 when a linear relation holds)."""
        return sum(coef * values[var] for var, coef in self.terms)

    def rate_exact(self, values: Values) -> float | None:
        """The exact percentage change ÷ base level, for a rate relation."""
        if not self.rate_of:
            return None
        change, level = self.rate_of
        base = values[level] - values[change]
        if base == 0:
            return None
        return abs(values[change]) / abs(base) * 100

    def holds(self, values: Values) -> bool:
        """Whether the relation holds for ``values``."""
        if self.rate_of:
            exact = self.rate_exact(values)
            return exact is not None and rounds_to(exact, values[f"{self.rate_of[0]}.rate"], self.rate_decimals)
        residual = self.residual(values)
        if not self.complete:
            return residual >= -1e-6  # parts may fall short of the whole, never exceed it
        return abs(residual) < 1e-6

    def solve_for(self, var: str, values: Values) -> float | None:
        """The value of ``var`` that makes the relation hold, others fixed."""
        if self.rate_of:
            if var == self.rate_of[0]:
                return self._solve_change(values)
            if var != f"{self.rate_of[0]}.rate":
                return None
            exact = self.rate_exact(values)
            if exact is None:
                return None
            sign = -1.0 if values[var] < 0 else 1.0
            return sign * round(exact, self.rate_decimals)
        coef = dict(self.terms).get(var)
        if not coef:
            return None
        rest = sum(c * values[v] for v, c in self.terms if v != var)
        return -rest / coef


    def _solve_change(self, values: Values) -> float | None:
        """The whole change that makes the stated rate hold against the same level."""
        assert self.rate_of is not None
        change, level = self.rate_of
        rate = abs(values[f"{change}.rate"])
        sign = -1.0 if values[change] < 0 else 1.0
        if rate >= 100 and sign < 0:
            return None
        approx = rate * values[level] / (100 - rate) if sign < 0 else rate * values[level] / (100 + rate)
        for guess in sorted({round(approx) + d for d in (-1, 0, 1)}, key=lambda g: abs(g - approx)):
            trial = dict(values)
            trial[change] = sign * guess
            if guess > 0 and self.holds(trial):
                return sign * guess
        return None


def figure_values(figures: list[Figure]) -> dict[str, float]:
    """Variable → value for every figure (and ``<id>.rate`` for stated rates)."""
    values: dict[str, float] = {}
    for f in figures:
        values[f.id] = f.value
        if f.rate_percent is not None:
            values[f"{f.id}.rate"] = f.rate_percent
    return values


def org_keys(figures: list[Figure]) -> dict[str, str]:
    """Figure id → org group: names equal after folding, or one a prefix of the other
    ("Chính quyền địa phương" and "Chính quyền địa phương cấp tỉnh, cấp huyện")."""
    groups: list[str] = []
    out: dict[str, str] = {}
    for f in figures:
        name = fold(f.org or "")
        if not name:
            out[f.id] = f"#{f.id}"  # no org: never the same measure as another figure
            continue
        match = next((g for g in groups if name and (name.startswith(g) or g.startswith(name))), None)
        if match is None:
            groups.append(name)
            match = name
        elif len(name) < len(match):
            pass
        out[f.id] = match
    return out


def rate_relation(change: Figure, level: Figure, text: str) -> Relation:
    """The rate stated with ``change`` against the level it changed from."""
    written = text[change.rate_span[0]:change.rate_span[1]] if change.rate_span else None
    decimals = decimals_of(change.rate_percent or 0.0, written)
    return Relation(
        rule="rate",
        terms=[],
        figures=[change, level],
        rate_of=(change.id, level.id),
        rate_decimals=decimals,
    )
