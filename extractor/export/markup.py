"""Overlapping highlights as well-nested HTML.

Spans of a text (figures, citations, the spans of findings) may overlap in any
way. ``nest_markup`` builds the markup from a sorted list of boundary events:
at every offset where some span starts or ends it closes the spans that end
there (closing, then reopening, any that were opened inside them and go on),
then opens the spans that start there, longest first. A span that crosses
another is thus split into several elements with the same attributes, and the
result is always well nested: no tag is ever cut in half. Every piece of text
between boundaries is HTML-escaped.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A highlight: ``text[start:end]`` wrapped in ``open_tag`` … ``close_tag``.

    ``layer`` orders spans with the same extent: lower is outer.
    """

    start: int
    end: int
    open_tag: str
    layer: int = 0
    close_tag: str = "</span>"


@dataclass(frozen=True)
class Insert:
    """Markup placed at one offset (a badge), outside the spans that start there."""

    at: int
    markup: str


def escape(value: object) -> str:
    """``value`` as text safe in HTML content and in double- or single-quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def attrs(**values: object) -> str:
    """`` name="value"`` pairs for the non-None values; ``data_x`` becomes ``data-x``."""
    parts: list[str] = []
    for name, value in values.items():
        if value is None:
            continue
        key = name.rstrip("_").replace("_", "-")
        parts.append(f' {key}="{escape(value)}"')
    return "".join(parts)


@dataclass(frozen=True, order=True)
class _Item:
    start: int
    end: int
    layer: int
    seq: int
    span: Span


def _clamp(value: int, n: int) -> int:
    return max(0, min(value, n))


def nest_markup(text: str, spans: Iterable[Span], inserts: Iterable[Insert] = ()) -> str:
    """``text`` escaped, with every span wrapped and every insert placed, well nested.

    Offsets are clamped to the text; empty spans are dropped.
    """
    n = len(text)
    starts: dict[int, list[_Item]] = defaultdict(list)
    ends: set[int] = set()
    for seq, span in enumerate(spans):
        start, end = _clamp(span.start, n), _clamp(span.end, n)
        if start < end:
            starts[start].append(_Item(start, end, span.layer, seq, span))
            ends.add(end)
    placed: dict[int, list[str]] = defaultdict(list)
    for insert in inserts:
        placed[_clamp(insert.at, n)].append(insert.markup)

    out: list[str] = []
    stack: list[_Item] = []
    previous = 0
    for at in sorted(set(starts) | ends | set(placed)):
        out.append(escape(text[previous:at]))
        previous = at
        reopen: list[_Item] = []
        first_ending = next((i for i, item in enumerate(stack) if item.end == at), None)
        if first_ending is not None:
            for item in reversed(stack[first_ending:]):
                out.append(item.span.close_tag)
            reopen = [item for item in stack[first_ending:] if item.end != at]
            del stack[first_ending:]
        out.extend(placed.get(at, ()))
        # Longest first, so the spans that go on furthest are outermost and split least.
        for item in sorted(reopen + starts.get(at, []), key=lambda i: (-i.end, i.layer, i.seq)):
            out.append(item.span.open_tag)
            stack.append(item)
    out.append(escape(text[previous:]))
    for item in reversed(stack):  # unreachable: every end is a boundary; kept for safety
        out.append(item.span.close_tag)
    return "".join(out)
