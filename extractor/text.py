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
from collections.abc import Callable

import regex

from extractor.patterns import rx

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
_LIST_START = regex.compile(r"^\s*(?:[-+•*–]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[IVX]{1,4}\.)\s")
_SENTENCE_END = regex.compile(r"[.:;!?…)\"”]\s*$")


def sub_with_anchors(
    text: str, pattern: regex.Pattern[str], replace: Callable[[regex.Match[str]], str]
) -> tuple[str, Anchors]:
    """``pattern.sub`` that also returns the anchors mapping new offsets to old ones."""
    parts: list[str] = []
    anchors: Anchors = [(0, 0)]
    last = 0
    shift = 0
    for match in pattern.finditer(text):
        new = replace(match)
        old_start, old_end = match.span()
        if new == text[old_start:old_end]:
            continue
        parts.append(text[last:old_start])
        parts.append(new)
        new_start = old_start + shift
        anchors.append((new_start, old_start))
        shift += len(new) - (old_end - old_start)
        anchors.append((new_start + len(new), old_end))
        last = old_end
    parts.append(text[last:])
    return "".join(parts), anchors


def map_offset(anchors: Anchors, offset: int) -> int:
    """Follow ``anchors`` from a new offset to the old one."""
    i = bisect_right(anchors, (offset, 1 << 62)) - 1
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
    return [(p, map_offset(inner, map_offset(outer, p))) for p in sorted(points) if p >= 0]


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
    return str(_OLD_STYLE.sub(_move_tone, text))


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
    line_of: dict[int, int] = {}
    pos = 0
    for i, line in enumerate(lines):
        pos += len(line)
        line_of[pos] = i
        pos += 1

    def replace(match: regex.Match[str]) -> str:
        i = line_of.get(match.start())
        if i is None or i + 1 >= len(lines):
            return "\n"
        prev, nxt = lines[i].rstrip(), lines[i + 1].lstrip()
        if not prev or not nxt or _LIST_START.match(nxt) or _is_table_line(prev) or _is_table_line(nxt):
            return "\n"
        if prev.endswith("-") and rx(r"[\p{Lu}\d]").match(nxt) and rx(r"\d-$").search(prev):
            return ""  # 123-\nKH/TU
        if _SENTENCE_END.search(prev) and len(prev) < 0.85 * full:
            return "\n"
        if len(prev) < 0.6 * full:
            return "\n"
        return " "

    return sub_with_anchors(text, regex.compile(r"\n"), replace)


def normalise(raw: str, *, wrapped_lines: bool = False) -> tuple[str, Anchors]:
    """The normalised text and anchors mapping its offsets back to ``raw``."""
    text, anchors = sub_with_anchors(raw, _CHARS, _char)
    text = fix_tone_placement(text)
    if wrapped_lines:
        text, joined = _join_wrapped_lines(text)
        anchors = compose(joined, anchors)
    text, spaced = sub_with_anchors(text, _SPACES, _space)
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
        if out and map_offset(out, new) == old:
            continue
        out.append((new, old))
    return out or [(0, 0)]


def fold(text: str) -> str:
    """Case- and accent-insensitive key for matching names (``Hà Nội`` → ``ha noi``)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return str(rx(r"\s+").sub(" ", stripped.lower())).strip()
