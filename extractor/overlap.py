"""One overlap resolver for every mention layer, with named policies.

- ``longest``: the longest span wins, then the earliest (category and org phrases);
- ``earliest``: the earliest start wins, then the longest (dates: "ngày 18/7/2022"
  before a month inside it);
- ``first_listed``: candidates are taken in the order given (the pattern file's
  order decides), each kept unless it crosses one already kept;
- ``extend``: ``keep`` mentions stay; an ``add`` mention is added where it crosses
  none of them, or replaces the ones it contains entirely when it is longer (a
  model name built around a rule's place name).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Literal, Protocol, TypeVar

from extractor.rules.spans import Overlaps

Policy = Literal["longest", "earliest", "first_listed"]


class Spanned(Protocol):
    """Anything with ``start`` and ``end`` offsets."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanned)


def crosses(a: Spanned | tuple[int, int], b: Spanned | tuple[int, int]) -> bool:
    """Whether two spans share at least one character."""
    a0, a1 = a if isinstance(a, tuple) else (a.start, a.end)
    b0, b1 = b if isinstance(b, tuple) else (b.start, b.end)
    return a0 < b1 and b0 < a1


def _order(candidates: Sequence[S], policy: Policy) -> list[S]:
    if policy == "longest":
        return sorted(candidates, key=lambda c: (-(c.end - c.start), c.start))
    if policy == "earliest":
        return sorted(candidates, key=lambda c: (c.start, -(c.end - c.start)))
    return list(candidates)


def resolve(candidates: Sequence[S], policy: Policy = "longest", *, taken: Iterable[tuple[int, int]] = ()) -> list[S]:
    """The candidates kept under ``policy``, none crossing another or a ``taken`` span, by start."""
    kept: list[S] = []
    blocked = Overlaps([(t[0], t[1]) for t in (tuple(t) for t in taken)])
    starts: list[int] = []  # the kept spans, which never cross: sorted by start, so by end too
    ends: list[int] = []
    for c in _order(candidates, policy):
        if c.end <= c.start:
            continue
        i = bisect_left(starts, c.end)
        if (i > 0 and ends[i - 1] > c.start) or blocked.any(c.start, c.end):
            continue
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))


def extend(keep: Sequence[S], add: Sequence[S], *, replace_contained: bool = True) -> list[S]:
    """``keep`` plus every ``add`` mention that crosses none of them; with
    ``replace_contained``, one that contains crossed mentions entirely and is longer replaces them."""
    kept = list(keep)
    added: list[S] = []
    for m in add:
        crossed = [r for r in kept if crosses(m, r)]
        if not crossed:
            added.append(m)
        elif (replace_contained
              and all(m.start <= r.start and r.end <= m.end for r in crossed)
              and any((r.start, r.end) != (m.start, m.end) for r in crossed)):
            kept = [r for r in kept if r not in crossed]
            added.append(m)
    return sorted(kept + added, key=lambda x: (x.start, x.end))


def outside(spans: Iterable[S], blocked: Sequence[tuple[int, int]]) -> list[S]:
    """The spans crossing none of ``blocked``."""
    return [s for s in spans if not any(crosses(s, b) for b in blocked)]
