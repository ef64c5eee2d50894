"""Cutting the "related news" tail that crawled pages carry after the article.

The marker phrases are data: ``patterns/boilerplate.yaml`` (``tail_markers``,
each with examples that must be cut and negatives that must not).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from extractor.patterns import load_file

TAIL_FRACTION = 0.5
"""A marker line counts only when it starts in the last half of the text."""

_LEAD = re.compile(r"^[\s#*_>•·+|\[(\-–—]+")
_TRAIL = re.compile(r"[\s*_:：.…|\])\-–—]+$")
_SPACE = re.compile(r"\s+")
_DASH = re.compile(r"\s*[-–—]\s*")


def marker_key(line: str) -> str:
    """The comparable form of a line: NFC, casefolded, decorations stripped."""
    core = unicodedata.normalize("NFC", line)
    core = _TRAIL.sub("", _LEAD.sub("", core))
    core = _DASH.sub(" - ", core)
    return _SPACE.sub(" ", core).strip().casefold()


@cache
def tail_markers() -> frozenset[str]:
    """The marker phrases of ``patterns/boilerplate.yaml`` in ``marker_key`` form."""
    data = load_file("boilerplate")
    entries = data.get("tail_markers", [])
    if not isinstance(entries, list):
        raise ValueError("patterns/boilerplate.yaml: tail_markers must be a list")
    return frozenset(marker_key(str(entry["phrase"])) for entry in entries)


def is_marker_line(line: str) -> bool:
    """Whether ``line`` consists only of a tail-marker phrase."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return False
    return marker_key(stripped) in tail_markers()


def find_boilerplate_tail(text: str) -> int | None:
    """Offset where the trailing boilerplate block starts, or None when there is none."""
    threshold = len(text) * TAIL_FRACTION
    offset = 0
    for line in text.splitlines(keepends=True):
        if offset >= threshold and is_marker_line(line):
            return offset
        offset += len(line)
    return None


def cut_boilerplate_tail(text: str) -> str:
    """``text`` without a trailing related-news block: a line that is only a
    marker phrase, in the last half of the text, and everything after it."""
    start = find_boilerplate_tail(text)
    if start is None:
        return text
    return text[:start].rstrip() + "\n"
