"""What a number counts: the units of patterns/units.yaml.

Each entry has a group (``quota``: biên chế, giving levels and changes;
``person`` and ``thing``: counts) and a canonical unit. A figure's ``unit`` is
the canonical one, except where the entry is ``written`` (or its group is
``person``): then it is the noun as the text writes it ("phòng", "tổng cục",
"tỉnh thành"), and ``canonical_unit`` maps it back for grouping and checks."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import NamedTuple

import regex

from extractor.patterns import entries, expand, rx
from extractor.regex_store import compile_pattern
from extractor.rules.spans import bounded_match


class UnitPattern(NamedTuple):
    """One unit entry, compiled."""

    pattern: regex.Pattern[str]
    group: str
    unit: str
    written: bool


class UnitAt(NamedTuple):
    """A unit found after a number: its group, the unit written to the figure, where it ends."""

    group: str
    unit: str
    end: int


@cache
def unit_patterns() -> tuple[UnitPattern, ...]:
    """Every unit entry in file order (the specific ones first)."""
    return tuple(
        UnitPattern(compile_pattern(r"[ \t]*(?:" + expand(e.pattern) + r")(?!\p{L})", 0 if e.case_sensitive else regex.IGNORECASE),
                    str(e.group), str(e.unit), e.written)
        for e in entries("units")
    )


@cache
def any_unit() -> regex.Pattern[str]:
    """One alternation of every unit pattern: a single match rules a position out
    before the patterns are tried one by one."""
    return compile_pattern("|".join(f"(?:{p.pattern.pattern})" for p in unit_patterns()), regex.IGNORECASE)


@cache
def quota_units() -> frozenset[str]:
    """The canonical units of group quota ("biên chế", "người làm việc")."""
    return frozenset(p.unit for p in unit_patterns() if p.group == "quota")


@cache
def unit_categories() -> dict[str, str]:
    """Units that imply a category ("người làm việc" → public_employees)."""
    return {str(e.unit): str(e.category) for e in entries("units") if e.category}


@lru_cache(maxsize=4096)
def canonical_unit(unit: str) -> str:
    """The canonical unit of a unit as written ("tổng cục" → "tổ chức", "tỉnh thành"
    → "tỉnh, thành phố", "công chức" → "người"); any other unit as it is."""
    canonical = {p.unit for p in unit_patterns()}
    if unit in canonical:
        return unit
    return next((p.unit for p in unit_patterns() if p.pattern.fullmatch(unit)), unit)


def unit_group(unit: str) -> str:
    """quota, person or thing, as patterns/units.yaml groups the (canonical) unit;
    person for a unit it does not list."""
    canonical = canonical_unit(unit)
    return next((p.group for p in unit_patterns() if p.unit == canonical),
                "quota" if canonical in quota_units() else "person")


def is_person_or_thing(unit: str) -> bool:
    """Whether a unit counts people or things, not quota nor a percentage."""
    return canonical_unit(unit) not in quota_units() and unit != "%"


def unit_at(text: str, pos: int) -> UnitAt | None:
    """The unit starting at ``pos`` (spaces allowed); "858 người/km²", a density, is none."""
    if bounded_match(any_unit(), text, pos) is None:
        return None
    for p in unit_patterns():
        m = bounded_match(p.pattern, text, pos)
        if m and not text.startswith("/", m.end()):
            written = rx(r"\s+").sub(" ", m.group(0).strip()).lower()
            return UnitAt(p.group, written if p.group == "person" or p.written else p.unit, m.end())
    return None

