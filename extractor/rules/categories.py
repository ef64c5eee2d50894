"""Staff-category phrases (patterns/categories.yaml) at or before a position of the text."""

from __future__ import annotations

from functools import cache

import regex

from extractor.patterns import entries, expand, rx
from extractor.regex_store import compile_pattern
from extractor.rules.spans import bounded_match


@cache
def _categories() -> list[tuple[regex.Pattern[str], str]]:
    return [
        (compile_pattern(r"[ \t]*(?:" + expand(e.pattern) + r")(?!\p{L})", regex.IGNORECASE), getattr(e, "category"))
        for e in entries("categories")
    ]


@cache
def _any_category() -> regex.Pattern[str]:
    """One alternation of every category pattern: a single match rules out the
    position before the patterns are tried one by one, in their order."""
    return compile_pattern("|".join(f"(?:{p.pattern})" for p, _ in _categories()), regex.IGNORECASE)


def category_at(text: str, pos: int = 0) -> tuple[str, int] | None:
    """The category phrase starting at ``pos`` (spaces allowed) and where it ends."""
    best: tuple[str, int] | None = None
    if bounded_match(_any_category(), text, pos) is None:
        return None
    for pattern, category in _categories():
        m = bounded_match(pattern, text, pos)
        if m and (best is None or m.end() > best[1]):
            best = (category, m.end())
    return best


def category_before(text: str, lo: int, pos: int) -> str | None:
    """The category phrase ending right before the number at ``pos``, within its list item
    (after the last "(", ":" or ";" past ``lo``): "(trong đó: cán bộ, công chức 210 người; …)"."""
    label_end = lo + len(str(rx(r"[\s:]*$").sub("", text[lo:pos])))  # "(cán bộ, công chức: |210 người": past its colon
    item = max(lo, *(text.rfind(mark, lo, label_end) + 1 for mark in "(:;"))
    segment = rx(r"(?:\s+là)?[\s:]*$").sub("", text[item:pos])  # "cán bộ, công chức cấp xã là |200.000"
    segment = rx(r"\s+từ\s+cấp\s+\p{L}+\s+trở\s+(?:lên|xuống)$").sub("", segment)  # "công chức từ cấp huyện trở lên |255.000"
    best: tuple[str, int] | None = None
    for pattern, category in _categories():
        for m in pattern.finditer(segment):
            if m.end() == len(segment) and (best is None or m.start() < best[1]):
                best = (category, m.start())
    return best[0] if best else None


def category_in(line: str) -> str | None:
    """The one staff category a line names ("Biên chế công chức giao năm 2025 gồm:"), None
    for none or for several ("… cán bộ, công chức và viên chức …": no one category)."""
    found: list[tuple[int, int, str]] = []
    for pattern, category in _categories():
        found += [(m.start(), m.end(), category) for m in pattern.finditer(line)]
    widest = [f for f in found if not any(o[0] <= f[0] and f[1] <= o[1] and o != f for o in found)]
    named = {c for _, _, c in widest}
    return named.pop() if len(named) == 1 else None
