"""Normalisation of raw text with an offset map back to the source.

NFC; one tone-placement style (``hóa``, ``Ủy``); look-alike glyphs (Ð U+00D0,
ƣ U+01A3); dashes and non-breaking spaces; whitespace runs; and, for paged
sources, the line-wrap joins PDF text layers need ("biên\\nchế", "123-\\nKH/TU").
Every stage records anchors so an offset in the normalised text leads back to
the raw text (and so to its PDF page).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
import re
from collections.abc import Callable, Iterable, Iterator

import regex

from extractor.patterns import compiled, finditer_at, rx

Anchors = list[tuple[int, int]]
"""Sorted (new offset, old offset) pairs; between two anchors both advance together."""

_CHAR_MAP = {
    "\u00d0": "Đ",  # Icelandic Eth, emitted by some fonts for Đ
    "\u01a3": "ư",  # ƣ (oi) emitted by some Vietnamese PDF fonts for ư
    "\u01a2": "Ư",
    "\u00a0": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u3000": " ",
    "\t": " ",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\r": "\n",
    "\f": "\n",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u00ad": "",
}
_CHARS = regex.compile(
    r"\r\n|[" + regex.escape("".join(_CHAR_MAP)) + r"]|\P{M}\p{M}+|[\x00-\x08\x0b\x0e-\x1f]"
)
_SPACES = regex.compile(r"(?<=\S) {2,}(?=\S)|^ +| +$|\n{3,}", regex.MULTILINE)
_TONES = "\u0301\u0300\u0309\u0303\u0323"
_OLD_STYLE = regex.compile(r"(?<![qQ])([oOuU])(\p{L})(?!\p{L})")

# Where each of those patterns can start, found by scans that are cheap (a single class, or
# literal characters, which the standard ``re`` reads exactly as ``regex`` does): the
# patterns themselves are then tried only there (``finditer_at``), as a literal prefilter.
_CHAR_STARTS = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "\x00-\x08\x0b\x0e-\x1f]")
"""A ``_CHARS`` match that is not a mark sequence opens with one of these characters."""
_MARK = regex.compile(r"\p{M}")
"""A mark sequence ``\\P{M}\\p{M}+`` starts one character before its first mark."""
_SPACE_STARTS = (("  ", 0), (" \n", 0), ("\n ", 1), ("\n\n\n", 0))
"""Every ``_SPACES`` match starts where one of these strings does (one after ``\\n ``),
or is a run of spaces at the very start or end of the text."""
_TONED = "".join(
    c for c in (unicodedata.normalize("NFC", base + tone) for base in "aeyAEY" for tone in _TONES) if len(c) == 1
)
_TONE_STARTS = re.compile("[oOuU][" + _TONED + "]")
"""Where ``_move_tone`` can change an ``_OLD_STYLE`` match: a vowel carrying one tone
mark after o or u (the matches never overlap, so the others need no visit)."""
_LIST_START = regex.compile(r"^\s*(?:[-+•*–]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[IVX]{1,4}\.)\s")
_SENTENCE_ENDS = frozenset(".:;!?…)\"”")


def sub_with_anchors(
    text: str, pattern: regex.Pattern[str], replace: Callable[[regex.Match[str]], str]
) -> tuple[str, Anchors]:
    """``pattern.sub`` that also returns the anchors mapping new offsets to old ones."""
    return _sub_matches(text, pattern.finditer(text), replace)


def _sub_matches(
    text: str, matches: Iterable[regex.Match[str]], replace: Callable[[regex.Match[str]], str]
) -> tuple[str, Anchors]:
    """``sub_with_anchors`` over ``matches`` (in order, not overlapping) of ``text``."""
    return _apply_edits(text, ((m.start(), m.end(), replace(m)) for m in matches))


def _apply_edits(text: str, edits: Iterable[tuple[int, int, str]]) -> tuple[str, Anchors]:
    """``text`` with each ``(start, end, new)`` edit (in order, not overlapping) made, and
    the anchors of the edits that change something."""
    parts: list[str] = []
    anchors: Anchors = [(0, 0)]
    last = 0
    shift = 0
    for old_start, old_end, new in edits:
        if new == text[old_start:old_end]:
            continue
        parts.append(text[last:old_start])
        parts.append(new)
        new_start = old_start + shift
        anchors.append((new_start, old_start))
        shift += len(new) - (old_end - old_start)
        anchors.append((new_start + len(new), old_end))
        last = old_end
    if not parts:
        return text, anchors
    parts.append(text[last:])
    return "".join(parts), anchors


_FAR = 1 << 62
"""An old offset beyond any: ``(offset, _FAR)`` sorts after every anchor at ``offset``."""


def map_offset(anchors: Anchors, offset: int) -> int:
    """Follow ``anchors`` from a new offset to the old one."""
    i = bisect_right(anchors, (offset, _FAR)) - 1
    if i < 0:
        return offset
    new, old = anchors[i]
    return old + (offset - new)


def invert_offset(anchors: Anchors, old_offset: int) -> int:
    """Follow ``anchors`` backwards: the new offset that an old offset became."""
    return _invert(anchors, [old for _, old in anchors], old_offset)


def _invert(anchors: Anchors, olds: list[int], old_offset: int) -> int:
    i = bisect_right(olds, old_offset) - 1
    if i < 0:
        return old_offset
    new, old = anchors[i]
    return new + (old_offset - old)


def compose(outer: Anchors, inner: Anchors) -> Anchors:
    """Anchors of ``inner ∘ outer``: final offsets straight to the oldest text
    (the old offsets of ``outer`` listed once, not once per inner anchor)."""
    points = {new for new, _ in outer}
    olds = [old for _, old in outer]
    points.update(_invert(outer, olds, mid) for mid, _ in inner)
    out: Anchors = []
    for p in sorted(points):  # map_offset(inner, map_offset(outer, p)), written out: a hot loop
        if p < 0:
            continue
        i = bisect_right(outer, (p, _FAR)) - 1
        mid = p if i < 0 else outer[i][1] + (p - outer[i][0])
        j = bisect_right(inner, (mid, _FAR)) - 1
        out.append((p, mid if j < 0 else inner[j][1] + (mid - inner[j][0])))
    return out


def _char(match: regex.Match[str]) -> str:
    found = match.group(0)
    if found == "\r\n":
        return "\n"
    if found in _CHAR_MAP:
        return _CHAR_MAP[found]
    if len(found) == 1:  # control character
        return " "
    composed = unicodedata.normalize("NFC", found)
    return "".join(_CHAR_MAP.get(c, c) for c in composed)


def fix_tone_placement(text: str) -> str:
    """Put tone marks on the first vowel of open oa/oe/uy syllables (hoá → hóa, Uỷ → Ủy).

    The length never changes, so no anchors are needed.
    """
    starts = [m.start() for m in _TONE_STARTS.finditer(text)]
    if not starts:
        return text
    return _apply_edits(text, ((m.start(), m.end(), _move_tone(m)) for m in finditer_at(_OLD_STYLE, text, starts, reach=None)))[0]


def _move_tone(match: regex.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    decomposed = unicodedata.normalize("NFD", second)
    base = decomposed[0].lower()
    pair = first.lower() + base
    tone = "".join(c for c in decomposed[1:] if c in _TONES)
    if pair not in ("oa", "oe", "uy") or not tone or len(decomposed) != 2:
        return str(match.group(0))
    new_first = unicodedata.normalize("NFC", first + tone)
    new_second = unicodedata.normalize("NFC", decomposed[0])
    return new_first + new_second


def _is_table_line(line: str) -> bool:
    return line.startswith("|") or " | " in line


def _join_wrapped_lines(text: str) -> tuple[str, Anchors]:
    """Join PDF text-layer lines that wrap inside a paragraph."""
    lines = text.split("\n")
    widths = sorted(len(line) for line in lines if line.strip())
    if not widths:
        return text, [(0, 0)]
    full = widths[int(len(widths) * 0.9)] if len(widths) > 3 else widths[-1]
    return _apply_edits(text, _line_joins(lines, full))


def _line_joins(lines: list[str], full: int) -> Iterator[tuple[int, int, str]]:
    """The edit of the line break after each line but the last: kept, or a space, or nothing."""
    pos = 0
    for i in range(len(lines) - 1):
        pos += len(lines[i])
        yield pos, pos + 1, _line_join(lines[i].rstrip(), lines[i + 1].lstrip(), full)
        pos += 1


def _line_join(prev: str, nxt: str, full: int) -> str:
    """What replaces the break between the (stripped) lines ``prev`` and ``nxt``."""
    if not prev or not nxt or _LIST_START.match(nxt) or _is_table_line(prev) or _is_table_line(nxt) \
            or compiled("tables", "table.unit_line").match(nxt):
        return "\n"  # "Đơn vị tính: người" above a table is a line of its own
    if prev.endswith("-") and rx(r"[\p{Lu}\d]").match(nxt) and rx(r"\d-$").search(prev):
        return ""  # 123-\nKH/TU
    if prev[-1] in _SENTENCE_ENDS and len(prev) < 0.85 * full:  # ``prev`` ends in no white space
        return "\n"
    if len(prev) < 0.6 * full:
        return "\n"
    return " "


def _char_matches(text: str) -> Iterator[regex.Match[str]]:
    """``_CHARS.finditer(text)``, tried only where a match can start."""
    starts = {m.start() for m in _CHAR_STARTS.finditer(text)}
    for m in _MARK.finditer(text):
        starts.update((m.start() - 1, m.start()) if m.start() else (0,))
    return finditer_at(_CHARS, text, sorted(starts), reach=None)


def _space_matches(text: str) -> Iterator[regex.Match[str]]:
    """``_SPACES.finditer(text)``, tried only where a match can start."""
    starts: set[int] = set()
    for literal, shift in _SPACE_STARTS:
        at = text.find(literal)
        while at >= 0:
            starts.add(at + shift)
            at = text.find(literal, at + 1)
    if text.startswith(" "):
        starts.add(0)
    if text.endswith(" "):
        starts.add(len(text.rstrip(" ")))
    return finditer_at(_SPACES, text, sorted(starts), reach=None)  # a run of spaces may be long


def normalise(raw: str, *, wrapped_lines: bool = False) -> tuple[str, Anchors]:
    """The normalised text and anchors mapping its offsets back to ``raw``."""
    text, anchors = _sub_matches(raw, _char_matches(raw), _char)
    text = fix_tone_placement(text)
    if wrapped_lines:
        text, joined = _join_wrapped_lines(text)
        anchors = compose(joined, anchors)
    text, spaced = _sub_matches(text, _space_matches(text), _space)
    anchors = compose(spaced, anchors)
    return text, _dedupe(anchors)


def _space(match: regex.Match[str]) -> str:
    found = match.group(0)
    if found.startswith("\n"):
        return "\n\n"
    at_line_edge = match.start() == 0 or match.string[match.start() - 1] == "\n" or (
        match.end() == len(match.string) or match.string[match.end()] == "\n"
    )
    return "" if at_line_edge else " "


def _dedupe(anchors: Anchors) -> Anchors:
    out: Anchors = []
    for new, old in sorted(set(anchors)):
        # ``map_offset(out, new) == old``: the last anchor kept is the one that applies
        if out and out[-1][1] + (new - out[-1][0]) == old:
            continue
        out.append((new, old))
    return out or [(0, 0)]


def fold(text: str) -> str:
    """Case- and accent-insensitive key for matching names (``Hà Nội`` → ``ha noi``)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return str(rx(r"\s+").sub(" ", stripped.lower())).strip()
