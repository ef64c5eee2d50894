"""Where OCR-damaged document numbers can start: the openings of the ``ocr.party``
and ``ocr.state`` patterns of ``patterns/ocr.yaml``, and one scan standing for both,
tried only at the characters a match can open with (the ``finditer_from`` prefilter
of :func:`extractor.rules.ocr_repair.find_repaired_symbols`)."""

from __future__ import annotations

from functools import cache

import regex

from extractor.patterns import FLAGS, ascii_digits, entries, expand, match_starts, rx
from extractor.regex_store import compile_pattern

_NOT_AFTER = r"(?<![\p{L}\d/.,])"
_LEAD = "._…"
_NUMBER_OPENING = _NOT_AFTER + r"(?P<lead>[" + _LEAD + r"]+ ?)?(?P<number>(?:\d|{ocr.digit}){1,5})(?P<trail> ?[._…,]+)? {0,2}"
SYMBOL_OPENINGS = {
    "party": _NUMBER_OPENING + "(?P<dash>-|{ocr.dash})",
    "state": _NUMBER_OPENING + "(?P<s1>/|{ocr.state_slash})",
}
"""How the OCR symbol patterns open: a number (or glyphs read for digits) after no
letter or digit, then a dash (party) or a slash (state), each maybe misread."""


@cache
def symbol_scan() -> regex.Pattern[str]:
    """The openings as one pattern, groups unnamed: it matches wherever either
    opening does. Its own characters have no case; the glyphs read for digits,
    dashes and slashes keep theirs when every such entry is case-sensitive, and
    only then may the scan be (four times faster than ignoring case)."""
    number = rx(r"\(\?P<\w+>").sub("(?:", _NUMBER_OPENING)
    glyphs = [e for e in entries("ocr") if getattr(e, "group", None) in ("digit", "dash", "state_slash")]
    flags = regex.VERSION1 if all(e.case_sensitive for e in glyphs) else FLAGS
    return compile_pattern(ascii_digits(expand(number + "(?:-|{ocr.dash}|/|{ocr.state_slash})")), flags)


def _literal_chars(pattern: str) -> str | None:
    """The characters ``pattern`` matches when it is one literal character or a class
    of literal characters (``[lI|]``); None for any other pattern."""
    if len(pattern) == 1:
        return None if pattern in ".^$*+?{}[]\\|()" else pattern
    if len(pattern) > 2 and pattern[0] == "[" and pattern[-1] == "]":
        inner = pattern[1:-1]
        return None if any(c in "\\[]^-" for c in inner) else inner
    return None


@cache
def _symbol_firsts() -> regex.Pattern[str] | None:
    """Where a match of ``symbol_scan`` can start: after what ``_NOT_AFTER`` allows, at
    a lead dot, a digit or a glyph read for one. None when a digit glyph entry is not
    literal characters (then the scan runs everywhere)."""
    glyphs = [_literal_chars(e.pattern) for e in entries("ocr") if getattr(e, "group", None) == "digit"]
    if any(g is None for g in glyphs):
        return None
    chars = _LEAD + "".join(g for g in glyphs if g)
    return compile_pattern(ascii_digits(_NOT_AFTER) + "[" + regex.escape(chars) + "0-9]", symbol_scan().flags)


def symbol_starts(text: str) -> list[int]:
    """``match_starts(symbol_scan(), text)``: every offset where the scan matches, tried
    only where one can start (``_symbol_firsts``), which is a fraction of the text."""
    scan, firsts = symbol_scan(), _symbol_firsts()
    if firsts is None:
        return match_starts(scan, text)
    return [m.start() for m in firsts.finditer(text) if scan.match(text, m.start())]
