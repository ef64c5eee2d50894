"""Cue words in a phrase — a clause before a number, a row label, a column header —
read through patterns/basis.yaml and patterns/categories.yaml."""

from __future__ import annotations

from functools import cache
from typing import cast

import regex

from extractor.models import Basis
from extractor.patterns import compiled, entries, rx


@cache
def _basis_entries() -> tuple[tuple[regex.Pattern[str], Basis], ...]:
    return tuple((compiled("basis", e.id), cast(Basis, getattr(e, "basis"))) for e in entries("basis"))


@cache
def _category_entries() -> tuple[tuple[regex.Pattern[str], str], ...]:
    return tuple((compiled("categories", e.id), str(getattr(e, "category"))) for e in entries("categories"))


def basis_of(phrase: str) -> Basis | None:
    """The basis whose cue comes last in ``phrase`` (nearest the number), or None; a
    planned cue right before an assigned one decides ("dự kiến giao", "đề nghị giao")."""
    found: list[tuple[int, int, Basis]] = []
    for pattern, basis in _basis_entries():
        found += [(m.start(), m.end(), basis) for m in pattern.finditer(phrase)]
    if not found:
        return None
    found.sort(key=lambda f: (f[1], -f[0]))  # of two cues ending together the longer decides ("đã tuyển dụng")
    start, _, basis = found[-1]
    if basis == "assigned" and any(b == "planned" and 0 <= start - e <= PLANNED_REACH for _, e, b in found):
        return "planned"
    return basis


def caption_basis(phrase: str) -> Basis | None:
    """The one basis a table's caption line states; None where it names none, or two
    ("… được giao 2.550 người; số có mặt là 2.460 người": the table holds both)."""
    named = {basis for pattern, basis in _basis_entries() if pattern.search(phrase)}
    return basis_of(phrase) if named and named <= {"planned", "assigned"} or len(named) == 1 else None


PLANNED_REACH = 40
"""Characters between a planned cue and the assigned cue it qualifies ("dự kiến sẽ giao",
"đề nghị Bộ Nội vụ thẩm định, giao")."""


def category_of(phrase: str, *, total_words: bool = True) -> str | None:
    """The category the phrase names (longest match, then earliest); "total" for
    "tổng số" / "biên chế" alone (unless ``total_words`` is False: a "Tổng cộng"
    row sums the rows above it, whatever their category); None when it names none."""
    best: tuple[int, int, str] | None = None
    for pattern, category in _category_entries():
        for m in pattern.finditer(phrase):
            key = (-(m.end() - m.start()), m.start())
            if m.end() > m.start() and (best is None or key < best[:2]):
                best = (key[0], key[1], category)
    if best:
        return best[2]
    if total_words and rx(r"(?<!\p{L})(?:tổng(?:\s+số|\s+cộng)?|biên\s+chế)(?!\p{L})", regex.IGNORECASE).search(phrase):
        return "total"
    return None


def categories_in(phrase: str) -> set[str]:
    """Every category the phrase names ("Biên chế công chức, viên chức": both)."""
    return {category for pattern, category in _category_entries() if any(m.end() > m.start() for m in pattern.finditer(phrase))}
