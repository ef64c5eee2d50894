"""Back-references: "Nghị quyết trên", "Kế hoạch này", "Nghị quyết 18" resolved to
the full citation they point to earlier in the same document.

Resolution never guesses. A demonstrative ("trên", "nêu trên", "đó") points to
the nearest earlier full citation of the same type; "này" in a document whose
own identity has that type is the document itself. A numbered reference
("Kết luận 50") points to the earlier full citation of that type and number.
When nothing fits, or several documents fit equally (a list "Nghị quyết số
18-NQ/TW, Nghị quyết số 19-NQ/TW" followed by "Nghị quyết trên"), the
reference is reported unresolved with the reason.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cache, partial
from itertools import accumulate

import regex

from extractor.models import BackReference, Citation, Sentence
from extractor.patterns import compiled, finditer_from, load_file, vocabulary_starts
from extractor.rules.citations import relation_before, type_name
from extractor.rules.spans import Overlaps
from extractor.segment import sentence_at

_SELF_WORDS = ("này",)
"""Determiners that, in a document of the same type, mean the document itself."""


@cache
def _lowercase_types() -> frozenset[str]:
    return frozenset(load_file("backrefs").get("lowercase_types", []))


def _same_number(a: str | None, b: str) -> bool:
    return a is not None and a.lstrip("0") == b.lstrip("0")


def _looks_like_year(number: str) -> bool:
    return len(number) == 4 and 1945 <= int(number) <= 2100


def _describe(c: Citation) -> str:
    return c.key or c.id or c.text


_OPENING = r"(?<![\p{L}\d])(?P<type>{doc_types})"
"""How both back-reference patterns open: one scan for type words (shared with
partial citations) finds every place either can match."""


def find_backrefs(text: str, sentences: list[Sentence], citations: list[Citation]) -> list[BackReference]:
    """Back-references in ``text``, each resolved to an earlier citation or marked
    unresolved with the reason; sorted by position. Partial citations ("Kế hoạch
    số 12") appear here only when they resolve: unresolved ones are already
    reported as partial citations."""
    full = [c for c in citations if not c.partial and c.key]
    own = next((c for c in full if c.is_self), None)
    taken = Overlaps([(c.start, c.end) for c in citations if not c.partial])
    partial_spans = _Partials({(c.start, c.end) for c in citations if c.partial})
    found: list[BackReference] = []
    starts = partial(vocabulary_starts, "doc_types", text)  # the scan partial citations made
    for m in finditer_from("backrefs", "backref.demonstrative", text, _OPENING, starts):
        ref = _candidate(text, sentences, m, taken)
        if ref is not None:
            found.append(_resolve_demonstrative(ref, m.group("det"), full, own, sentences, text))
    for m in finditer_from("backrefs", "backref.numbered", text, _OPENING, starts):
        number = m.group("number")
        if m.group("so") is None and _looks_like_year(number):
            continue  # "Kế hoạch 2024": a year, not a number
        ref = _candidate(text, sentences, m, taken)
        if ref is None:
            continue
        ref.number = number
        resolved = _resolve_numbered(ref, full, text)
        if resolved.resolved_key is None and partial_spans.hit(m.start(), m.end()):
            continue  # already reported as a partial citation
        found.append(resolved)
    found.sort(key=lambda b: b.start)
    return found


class _Partials:
    """The spans of partial citations, asked whether one holds a match or starts inside it."""

    def __init__(self, spans: set[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._max_end = list(accumulate((e for _, e in ordered), max))

    def hit(self, start: int, end: int) -> bool:
        """``any(s <= start and end <= e or start <= s < end for s, e in spans)``."""
        upto = bisect_right(self._starts, start)
        if upto and self._max_end[upto - 1] >= end:
            return True
        inside = bisect_left(self._starts, start)
        return inside < len(self._starts) and self._starts[inside] < end


def _candidate(text: str, sentences: list[Sentence], m: regex.Match[str], taken: Overlaps) -> BackReference | None:
    """A BackReference for the match, or None when it is no back-reference."""
    if taken.any(m.start(), m.end()):
        return None
    word = m.group("type")
    doc_type = type_name(word)
    if doc_type is None:
        return None
    if word[:1].islower() and doc_type not in _lowercase_types():
        return None  # "kết luận trên": the common noun, not a directive
    sentence = sentence_at(sentences, m.start())
    s_start = sentence.start if sentence else max(0, m.start() - 200)
    before = text[max(s_start, m.start() - 80):m.start()]
    return BackReference(
        start=m.start(),
        end=m.end(),
        text=text[m.start():m.end()],
        type=doc_type,
        relation=relation_before(before),
        sentence=sentence.around(m.start(), m.end()) if sentence else "",
    )


def _point(ref: BackReference, target: Citation, own: Citation | None) -> BackReference:
    ref.resolved_id = target.id
    ref.resolved_key = target.key
    ref.resolved_start = target.start
    ref.refers_to_self = own is not None and target.start == own.start
    return ref


def _resolve_demonstrative(
    ref: BackReference,
    det: str,
    full: list[Citation],
    own: Citation | None,
    sentences: list[Sentence],
    text: str,
) -> BackReference:
    plural = compiled("backrefs", "backref.plural_before").search(text[max(0, ref.start - 12):ref.start])
    if plural:
        ref.unresolved_reason = f"plural: '{plural.group(0).strip()} {ref.text}' points to several directives"
        return ref
    if own is not None and own.type == ref.type and det.lower() in _SELF_WORDS:
        return _point(ref, own, own)
    earlier = [c for c in full if c.type == ref.type and c.end <= ref.start]
    if not earlier:
        ref.unresolved_reason = f"no {ref.type} is cited in full before it in this document"
        return ref
    nearest = earlier[-1]
    group = sentence_at(sentences, nearest.start)
    together = sorted({_describe(c) for c in earlier if group is not None and group.start <= c.start < group.end})
    if len(together) > 1:
        ref.unresolved_reason = f"ambiguous: {' and '.join(together)} are cited together just before it"
        return ref
    return _point(ref, nearest, own)


def _resolve_numbered(ref: BackReference, full: list[Citation], text: str) -> BackReference:
    number = ref.number or ""
    same = [c for c in full if c.type == ref.type and _same_number(c.number, number)]
    earlier = [c for c in same if c.end <= ref.start]
    keys = sorted({_describe(c) for c in earlier})
    if len(keys) > 1:
        ref.unresolved_reason = f"ambiguous: several earlier {ref.type} numbered {number} ({', '.join(keys)})"
        return ref
    if earlier:
        own = next((c for c in full if c.is_self), None)
        return _point(ref, earlier[-1], own)
    later = sorted({_describe(c) for c in same})
    reason = f"no {ref.type} numbered {number} is cited in full before it in this document"
    if later:
        reason += f"; {', '.join(later)} is cited in full only after it"
    ref.unresolved_reason = reason
    return ref
