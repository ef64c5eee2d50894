"""Position lookups in time independent of the document's size: mentions by start
offset, the last bracket or line break before a position, overlap with a sorted set
of spans, and the clause a position is in. The figure rules ask these once per
number, so a scan of the line or the sentence per question would make a long line
of numbers quadratic (issue 12)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar

import regex

from extractor.patterns import rx

_CLAUSE_MARKS = regex.compile(r"[();]")


class _HasStart(Protocol):
    @property
    def start(self) -> int: ...


T = TypeVar("T", bound=_HasStart)


class ByStart(Generic[T]):
    """Items with a ``start``, looked up by a range of starts, in their original order."""

    def __init__(self, items: Sequence[T]) -> None:
        self.items = items
        order = sorted(range(len(items)), key=lambda i: items[i].start)
        self._order = order
        self._in_order = order == list(range(len(items)))
        self._starts = [items[i].start for i in order]

    def between(self, lo: int, hi: int) -> list[T]:
        """The items with ``lo <= start < hi``, in the order of the original list."""
        a = bisect_left(self._starts, lo)
        b = bisect_left(self._starts, hi)
        if self._in_order:
            return list(self.items[a:b])
        return [self.items[i] for i in sorted(self._order[a:b])]

    def first(self, lo: int, hi: int, keep: Callable[[T], bool] = lambda _: True) -> T | None:
        """The first item (in list order) with ``lo <= start < hi`` that ``keep`` accepts."""
        if not self._in_order:
            return next((item for item in self.between(lo, hi) if keep(item)), None)
        for i in range(bisect_left(self._starts, lo), len(self._starts)):
            if self._starts[i] >= hi:
                break
            if keep(self.items[i]):
                return self.items[i]
        return None


class Positions:
    """The sorted offsets of one character class in a text (brackets, line breaks)."""

    def __init__(self, text: str, pattern: str) -> None:
        self._at = [m.start() for m in rx(pattern).finditer(text)]

    def last_before(self, lo: int, hi: int) -> int:
        """``text.rfind(char, lo, hi)`` for a one-character class: the last offset in [lo, hi), or -1."""
        i = bisect_left(self._at, hi) - 1
        return self._at[i] if i >= 0 and self._at[i] >= lo else -1

    def first_from(self, lo: int) -> int:
        """The first offset at or after ``lo``, or -1."""
        i = bisect_left(self._at, lo)
        return self._at[i] if i < len(self._at) else -1


class Overlaps:
    """Whether a span overlaps any of a fixed set of spans (which may overlap each other)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._max_end: list[int] = []
        top = -1
        for _, e in ordered:
            top = max(top, e)
            self._max_end.append(top)

    def any(self, start: int, end: int) -> bool:
        """``any(start < e and s < end for s, e in spans)``."""
        i = bisect_left(self._starts, end)
        return i > 0 and self._max_end[i - 1] > start


class Clauses:
    """The clause start of positions of one sentence, asked in increasing order.

    Same answer as walking back from the position to the last ";" outside
    brackets (an unmatched ")" closes off everything before it), in one forward
    pass over the sentence instead of a walk per position."""

    def __init__(self, text: str, sentence_start: int) -> None:
        self.text = text
        self.sentence_start = sentence_start
        self._cursor = sentence_start
        self._best = -1
        self._stack: list[int] = []

    def at(self, pos: int) -> int:
        """Start of the clause holding ``pos``: after the last ";" outside brackets."""
        if pos < self._cursor:
            return clause_start_walk(self.text, self.sentence_start, pos)
        for m in _CLAUSE_MARKS.finditer(self.text, self._cursor, pos):
            ch = m.group()
            if ch == ";":
                self._best = m.start()
            elif ch == "(":
                self._stack.append(self._best)
            elif self._stack:
                self._best = self._stack.pop()
            else:
                self._best = -1
        self._cursor = pos
        return self._best + 1 if self._best >= 0 else self.sentence_start


def clause_start_walk(text: str, sentence_start: int, pos: int) -> int:
    """Start of the clause holding ``pos`` by walking back (for positions asked out of order)."""
    depth = 0
    for i in range(pos - 1, sentence_start - 1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            return i + 1
    return sentence_start


class Disjoint:
    """A growing set of spans that never overlap one another (each added only when
    ``any`` said no), asked whether a span overlaps one of them: a bisection, where
    a scan of the list made long inputs of one repeated pattern quadratic."""

    def __init__(self, spans: Sequence[tuple[int, int]] = ()) -> None:
        self._spans: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in spans:
            self.add(start, end)

    def any(self, start: int, end: int) -> bool:
        """``any(start < e and s < end for s, e in spans)``: sorted by start, disjoint
        spans have sorted ends, so the last one starting before ``end`` decides."""
        i = bisect_left(self._starts, end)
        return i > 0 and self._ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none of those in the set."""
        i = bisect_right(self._spans, (start, end))
        self._spans.insert(i, (start, end))
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def remove_overlapping(self, start: int, end: int) -> None:
        """Drop every span that overlaps ``[start, end)``."""
        hi = bisect_left(self._starts, end)
        lo = bisect_right(self._ends, start, 0, hi)
        del self._spans[lo:hi], self._starts[lo:hi], self._ends[lo:hi]

    def spans(self) -> list[tuple[int, int]]:
        """The spans, sorted."""
        return list(self._spans)


def bounded_match(pattern: regex.Pattern[str], text: str, pos: int, window: int = 400) -> regex.Match[str] | None:
    """``pattern.match(text, pos)`` reading at most ``window`` characters: regex scans
    to the end of the text for a required literal, so an unbounded match per number
    is quadratic. A match that reaches the window's edge is redone unbounded."""
    end = pos + window
    if end >= len(text):
        return pattern.match(text, pos)
    m = pattern.match(text, pos, end)
    if m is not None and m.end() >= end - 1:
        return pattern.match(text, pos)
    return m
